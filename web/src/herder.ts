// The herders' own page (herder.html): register number, then the code sent
// by SMS, then the household's six sections as an accordion. Mongolian by
// default; the choice of language is kept in localStorage. No framework:
// the page must stay small for a weak signal.
import './herder.css';
import {
  SECTIONS, type HKey, type HLang, type SectionName,
  normalizeRegisterNo, sectionLines, text, validCode,
} from './herder_logic';

let lang: HLang = localStorage.getItem('herder.lang') === 'en' ? 'en' : 'mn';
let registerNo = '';
const root = document.getElementById('herder') as HTMLElement;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {},
  ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}
const t = (key: HKey, v?: Record<string, string | number>) => text(lang, key, v);

async function post(path: string, body: object): Promise<Response> {
  return fetch(`/api/v1/herder/${path}`, {
    method: 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
}

async function errorText(r: Response): Promise<string> {
  try {
    const j = await r.json();
    const m: string = j?.error?.message ?? '';
    const [en, mn] = m.split(' / ');
    return (lang === 'mn' ? mn : en) || m || t('h.error');
  } catch { return t('h.error'); }
}

// Where focus goes once a screen is drawn (issue #16): nowhere on the first
// load; then to the heading if focus was lost (a screen may focus its field
// instead), or back to the language button after a switch.
let focusNext: 'heading' | 'lang' | null = null;

function frame(...children: Node[]): void {
  document.documentElement.lang = lang;
  document.title = t('h.title');
  const toggle = el('button', { class: 'plain', id: 'lang', type: 'button', lang: lang === 'mn' ? 'en' : 'mn' }, t('h.lang'));
  toggle.onclick = () => { lang = lang === 'mn' ? 'en' : 'mn'; localStorage.setItem('herder.lang', lang); focusNext = 'lang'; void start(); };
  const heading = el('h1', { tabindex: '-1' }, t('h.title'));
  root.replaceChildren(el('header', {}, heading, toggle), ...children);
  const active = document.activeElement;
  if (focusNext === 'lang') toggle.focus();
  else if (focusNext === 'heading' && (!active || active === document.body || !active.isConnected)) heading.focus();
  focusNext = 'heading';
}

function askNumber(message = ''): void {
  const input = el('input', { id: 'rn', inputmode: 'text', autocomplete: 'off', 'aria-describedby': 'rn-hint', value: registerNo });
  const note = el('p', { class: 'error', role: 'alert' }, message);
  const send = el('button', { id: 'ask', type: 'submit' }, t('h.ask'));
  const form = el('form', {}, el('label', { for: 'rn' }, t('h.rn')), input,
    el('p', { id: 'rn-hint', class: 'note' }, t('h.rn.hint')), send, note);
  form.onsubmit = async (e) => {
    e.preventDefault();
    const rn = normalizeRegisterNo(input.value);
    if (!rn) { note.textContent = t('h.rn.bad'); return; }
    registerNo = rn;
    const r = await post('code', { register_no: rn, lang });
    if (r.status === 202) askCode(t('h.asked')); else note.textContent = await errorText(r);
  };
  frame(form);
}

function askCode(message: string): void {
  const input = el('input', { id: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: '7' });
  const note = el('p', { class: 'error', role: 'alert' });
  const form = el('form', {}, el('p', { class: 'note', id: 'asked' }, message),
    el('label', { for: 'code' }, t('h.code')), input, el('button', { id: 'verify', type: 'submit' }, t('h.verify')), note);
  form.onsubmit = async (e) => {
    e.preventDefault();
    const code = validCode(input.value);
    if (!code) { note.textContent = t('h.code.bad'); return; }
    const r = await post('verify', { register_no: registerNo, code });
    if (r.ok) void start(); else note.textContent = await errorText(r);
  };
  const again = el('button', { class: 'plain', type: 'button' }, t('h.again'));
  again.onclick = () => askNumber();
  frame(form, again);
  input.setAttribute('aria-describedby', 'asked');
  input.focus();
}

function section(name: SectionName): HTMLDetailsElement {
  const list = el('ul', {}, el('li', {}, t('h.loading')));
  const d = el('details', { id: `s-${name}` }, el('summary', {}, t(`h.s.${name}` as HKey)), list);
  d.ontoggle = async () => {
    if (!d.open || d.dataset.loaded) return;
    const r = await fetch(`/api/v1/herder/sections/${name}?lang=${lang}`, { credentials: 'same-origin' });
    if (!r.ok) { list.replaceChildren(el('li', { class: 'error' }, await errorText(r))); return; }
    d.dataset.loaded = '1';
    list.replaceChildren(...sectionLines(lang, name, await r.json()).map((line) => el('li', {}, line)));
    if (name === 'services') list.append(el('li', {}, el('a', { href: '/#/complain' }, t('h.complain'))));
  };
  return d;
}

async function start(): Promise<void> {
  const me = await fetch(`/api/v1/herder/me?lang=${lang}`, { credentials: 'same-origin' });
  if (!me.ok) { askNumber(); return; }
  const out = el('button', { class: 'plain', id: 'out', type: 'button' }, t('h.out'));
  out.onclick = async () => { await post('sign-out', {}); askNumber(); };
  frame(...SECTIONS.map(section), out);
}

void start();
