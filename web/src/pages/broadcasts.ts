// The officers' SMS broadcast page (docs/channel.md, "The broadcast page"),
// for roles with manage_response:
// - #/broadcasts: the broadcasts the caller's area covers, newest first,
//   "older" pages back (GET /api/v1/sms/broadcasts?before=);
// - #/broadcasts/new: the draft form: title, target rule (the server's
//   refusal beside the field), optional event, template, one field per
//   template parameter with its description and maximum length, and a live
//   preview of the SMS with its segments and cost
//   (POST /api/v1/sms/templates/{id}/preview);
// - #/broadcasts/ID: the broadcast, its preview (recipients, cost, soum x
//   sex of head, whether a second officer must approve), approve / send /
//   cancel as its state and the caller allow (the maker is told why they
//   cannot approve), and once sending the delivery report by soum x sex,
//   refreshed while messages move.
// The logic is in ../broadcasts_logic.ts (unit-tested).
import { ApiError } from '../api';
import { type App, loading } from '../app';
import {
  actionsFor,
  broadcastUrl,
  BROADCASTS_PATH,
  codePoints,
  deliveryTable,
  draftBody,
  isoOf,
  listUrl,
  parseRoute,
  previewTable,
  previewValues,
  progressOf,
  refusedField,
  routeHash,
  stillMoving,
  templatePreviewUrl,
  type BroadcastJson,
  type BroadcastPreviewJson,
  type BroadcastReportJson,
  type Refusal,
  type TemplateJson,
  type TemplatePreviewJson,
} from '../broadcasts_logic';
import { confirmed, table } from '../coop_ui';
import { h, uid, type Child } from '../dom';
import { formatPercent } from '../format';
import { en, type MessageKey } from '../i18n';

const PAGE = 30;
const REFRESH_MS = 3000;
const TARGET_EXAMPLE = 'household.herder and soum == 18140';

// Cleanup the page's timers and requests share.
interface Ctx {
  app: App;
  signal: AbortSignal;
  later: (fn: () => void, ms: number) => void;
}

function present(items: (HTMLElement | null)[]): HTMLElement[] {
  return items.filter((x): x is HTMLElement => x !== null);
}

function stateBadge(app: App, b: BroadcastJson): HTMLElement {
  return h('span', { class: `badge ${b.state}`, 'data-testid': 'bc-state' }, app.t(`bc.s.${b.state}` as MessageKey));
}

function listView(c: Ctx, main: HTMLElement): void {
  const { app } = c;
  const tbody = h('tbody');
  const cols: [MessageKey, boolean][] = [['bc.id', true], ['bc.name', false], ['bc.state', false], ['bc.maker', false], ['bc.approver', false], ['bc.recipients', true], ['bc.created', false]];
  const table = h('table', { 'data-testid': 'bc-list' }, h('caption', null, app.t('bc.list')), h('thead', null, h('tr', null, cols.map(([k, n]) => h('th', { scope: 'col', class: n ? 'num' : undefined }, app.t(k))))), tbody);
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, app.t('bc.older'));
  const status = h('div', { 'aria-live': 'polite' }, loading(app));
  main.append(h('p', { class: 'hint' }, app.t('bc.hint')), h('p', { class: 'actions' }, h('a', { href: routeHash({ view: 'new' }), class: 'button', 'data-testid': 'bc-new' }, app.t('bc.new')), ' ', h('a', { href: '#/templates', 'data-testid': 'bc-templates' }, app.t('bc.templatesLink'))), status, h('div', { class: 'table-wrap' }, table), h('p', null, more));
  let before: number | undefined;
  const load = async () => {
    more.disabled = true;
    try {
      const data = await app.api.get<{ items: BroadcastJson[]; next_before?: number }>(listUrl(PAGE, before), c.signal);
      status.replaceChildren();
      for (const b of data.items) {
        const link = (text: string) => h('a', { href: routeHash({ view: 'one', id: b.id }) }, text);
        tbody.append(
          h(
            'tr',
            null,
            h('td', { class: 'num' }, link(String(b.id))),
            h('td', null, link(b.title)),
            h('td', null, stateBadge(app, b)),
            h('td', null, b.created_by),
            h('td', null, b.approved_by || app.t('common.none')),
            h('td', { class: 'num' }, b.state === 'sending' || b.state === 'queued' ? app.num(b.recipients) : app.t('common.none')),
            h('td', null, app.date(isoOf(b.created_at))),
          ),
        );
      }
      if (data.next_before !== undefined) before = data.next_before;
      more.hidden = data.items.length < PAGE;
      if (!tbody.childElementCount) status.replaceChildren(h('p', null, app.t('bc.none')));
    } catch (e) {
      if (!c.signal.aborted) status.replaceChildren(app.errorBox(e));
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener('click', () => void load());
  void load();
}

// A labelled control with its hint and a place for the server's refusal.
function labelled(label: string, control: HTMLElement, hint?: Child): { el: HTMLElement; error: HTMLElement; hint: HTMLElement } {
  const id = control.id || uid('bc');
  control.id = id;
  const error = h('span', { class: 'field-error', id: `${id}-err`, 'aria-live': 'polite' });
  const hintEl = h('small', { class: 'hint', id: `${id}-hint` }, hint ?? '');
  control.setAttribute('aria-describedby', `${id}-hint ${id}-err`);
  return { el: h('div', { class: 'field' }, h('label', { for: id }, label), control, hintEl, error), error, hint: hintEl };
}

// The values form of a template and its live preview.
function valuesForm(c: Ctx, t: TemplateJson, out: HTMLElement, errors: Map<string, HTMLElement>): () => Record<string, string> {
  const { app } = c;
  const inputs = new Map<string, HTMLInputElement>();
  const live = h('div', { class: 'sms-preview', 'aria-live': 'polite', 'data-testid': 'bc-live' });
  const fields = t.parameters.map((p) => {
    const input = h('input', { name: `v.${p.name}`, autocomplete: 'off', maxlength: String(p.max_length), placeholder: p.sample, 'data-testid': `bc-value-${p.name}` });
    inputs.set(p.name, input);
    const f = labelled(`${p.name}: ${p.description}`, input, app.t('bc.f.length', { n: 0, max: p.max_length }));
    errors.set(p.name, f.error);
    input.addEventListener('input', () => {
      f.hint.textContent = app.t('bc.f.length', { n: codePoints(input.value), max: p.max_length });
      schedule();
    });
    return f.el;
  });
  const typed = () => Object.fromEntries([...inputs].map(([k, v]) => [k, v.value]));
  let seq = 0;
  const refresh = async () => {
    const mine = ++seq;
    const { values, samples } = previewValues(t.parameters, typed());
    for (const e of errors.values()) e.textContent = '';
    try {
      const r = await app.api.request<TemplatePreviewJson>(templatePreviewUrl(t.id), { method: 'POST', body: { language: 'mn', values }, signal: c.signal });
      if (mine !== seq) return;
      const p = r.data;
      const parts: (HTMLElement | null)[] = [
        h('p', { lang: 'mn', class: 'sms-text', 'data-testid': 'bc-live-text' }, p.text),
        h('p', { 'data-testid': 'bc-live-plan' }, app.t('bc.live.plan', { segments: app.num(p.segments), cost: app.money(p.cost) })),
        samples.length ? h('p', { class: 'note' }, app.t('bc.live.samples', { names: samples.join(', ') })) : null,
        p.fits ? null : h('p', { class: 'alert error', role: 'alert' }, app.t('bc.live.tooLong', { segments: app.num(p.segments), max: app.num(p.max_segments) })),
      ];
      live.replaceChildren(...present(parts));
    } catch (e) {
      if (mine !== seq || c.signal.aborted) return;
      const field = e instanceof ApiError ? e.field : null;
      if (field && errors.has(field)) errors.get(field)!.textContent = `${app.errorText(e)} ${(e as ApiError).detail}`;
      else live.replaceChildren(app.errorBox(e));
    }
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void refresh(), 250);
  };
  out.replaceChildren(h('fieldset', null, h('legend', null, app.t('bc.f.values')), h('p', { class: 'note' }, t.description), ...fields), h('section', null, h('h2', null, app.t('bc.live')), live));
  void refresh();
  return typed;
}

function newView(c: Ctx, main: HTMLElement): void {
  const { app } = c;
  const title = h('input', { name: 'title', autocomplete: 'off', required: true, 'data-testid': 'bc-title' });
  const target = h('textarea', { name: 'target', rows: '2', required: true, spellcheck: 'false', 'data-testid': 'bc-target' });
  const event = h('input', { name: 'event', autocomplete: 'off', list: uid('bc-events'), 'data-testid': 'bc-event' });
  const events = h('datalist', { id: event.getAttribute('list') });
  const template = h('select', { name: 'template', 'data-testid': 'bc-template' });
  const f = {
    title: labelled(app.t('bc.f.title'), title),
    target: labelled(app.t('bc.f.target'), target, app.t('bc.f.targetHint', { example: TARGET_EXAMPLE })),
    event: labelled(app.t('bc.f.event'), event),
    template: labelled(app.t('bc.f.template'), template),
  };
  const values = h('div');
  const status = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', 'data-testid': 'bc-submit' }, app.t('bc.f.submit'));
  const form = h('form', { class: 'stack', 'data-testid': 'bc-form', novalidate: true }, f.title.el, f.target.el, f.event.el, events, f.template.el, values, status, h('div', { class: 'actions' }, submit));
  main.append(h('p', { class: 'breadcrumb' }, h('a', { href: routeHash({ view: 'list' }) }, app.t('bc.back'))), h('h2', null, app.t('bc.new')), form);
  const errors = new Map<string, HTMLElement>([
    ['title', f.title.error],
    ['target', f.target.error],
    ['event', f.event.error],
    ['template', f.template.error],
  ]);
  let typed: () => Record<string, string> = () => ({});
  let templates: TemplateJson[] = [];
  const pick = () => {
    for (const k of [...errors.keys()]) if (!['title', 'target', 'event', 'template'].includes(k)) errors.delete(k);
    const t = templates.find((x) => x.id === template.value);
    if (t) typed = valuesForm(c, t, values, errors);
  };
  template.addEventListener('change', pick);
  app.api
    .get<{ items: TemplateJson[] }>('/api/v1/sms/templates', c.signal)
    .then((data) => {
      templates = data.items;
      template.replaceChildren(...templates.map((t) => h('option', { value: t.id, selected: t.id === 'shock.alert', title: t.description }, t.id)));
      pick();
    })
    .catch((e) => status.replaceChildren(app.errorBox(e)));
  // Events are a convenience: a caller who may not list them types a code.
  app.api
    .get<{ items: { code: string; name: string }[] }>('/api/v1/events', c.signal)
    .then((data) => events.replaceChildren(...data.items.map((e) => h('option', { value: e.code }, e.name))))
    .catch(() => undefined);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    for (const el of errors.values()) el.textContent = '';
    status.replaceChildren();
    submit.disabled = true;
    submit.textContent = app.t('bc.f.busy');
    try {
      const body = draftBody({ title: title.value, target: target.value, event: event.value, template: template.value, values: typed() });
      const r = await app.api.request<BroadcastJson>(BROADCASTS_PATH, { method: 'POST', body, signal: c.signal });
      location.hash = routeHash({ view: 'one', id: r.data.id });
    } catch (err) {
      const field = err instanceof ApiError ? refusedField(err.field, err.detail, [...errors.keys()]) : null;
      if (field) {
        errors.get(field)!.replaceChildren(app.errorText(err), ' ', h('span', { lang: 'en', 'data-testid': `bc-refusal-${field}` }, (err as ApiError).detail));
        status.replaceChildren(h('p', { class: 'alert error', role: 'alert' }, app.t('bc.f.refused')));
      } else {
        status.replaceChildren(app.errorBox(err));
      }
    } finally {
      submit.disabled = false;
      submit.textContent = app.t('bc.f.submit');
    }
  });
}

function tile(label: string, value: string, testid: string): HTMLElement {
  return h('div', { class: 'tile' }, label, h('span', { class: 'v num', 'data-testid': testid }, value));
}

function previewSection(app: App, p: BroadcastPreviewJson): HTMLElement {
  const t = previewTable(p);
  const rows = t.rows.map((r) => [app.unit(r.soum), app.num(r.F), app.num(r.M), app.num(r.total)]);
  return h(
    'section',
    { 'data-testid': 'bc-preview' },
    h('h2', null, app.t('bc.p.title')),
    h(
      'div',
      { class: 'tiles' },
      tile(app.t('bc.p.selected'), app.num(p.selected), 'bc-selected'),
      tile(app.t('bc.p.noPhone'), app.num(p.no_phone), 'bc-no-phone'),
      tile(app.t('bc.p.optedOut'), app.num(p.opted_out), 'bc-opted-out'),
      tile(app.t('bc.p.recipients'), app.num(p.recipients), 'bc-recipients'),
      tile(app.t('bc.p.segments'), app.num(p.segments), 'bc-segments'),
      tile(app.t('bc.p.costPer'), app.money(p.cost_per_message), 'bc-cost-per'),
      tile(app.t('bc.p.cost'), app.money(p.cost), 'bc-cost'),
    ),
    h('p', { class: p.needs_approval ? 'alert conflict' : 'alert info', 'data-testid': 'bc-needs-approval' }, app.t(p.needs_approval ? 'bc.p.needsApproval' : 'bc.p.noApproval')),
    h('blockquote', { lang: 'mn', class: 'sms-text', 'data-testid': 'bc-text' }, p.text),
    table(app.t('bc.p.table'), [app.t('bc.soum'), app.t('bc.female'), app.t('bc.male'), app.t('common.total')], rows, 'bc-soum-sex', { numFrom: 1, foot: [app.t('common.total'), app.num(t.total.F), app.num(t.total.M), app.num(t.total.total)] }),
  );
}

function reportSection(app: App, r: BroadcastReportJson, moving: boolean): HTMLElement {
  const t = deliveryTable(r);
  const p = progressOf(r);
  const sex = (s: string) => app.t(s === 'M' ? 'bc.male' : 'bc.female');
  const rows = t.rows.map((row) => [app.unit(row.soum), sex(row.head_sex), ...t.states.map((s) => app.num(row.counts[s] ?? 0)), app.num(row.total)]);
  const stateName = (s: string) => (`bc.m.${s}` in en ? app.t(`bc.m.${s}` as MessageKey) : s);
  const head = [app.t('bc.soum'), app.t('bc.sex'), ...t.states.map(stateName), app.t('common.total')];
  return h(
    'section',
    { 'data-testid': 'bc-report' },
    h('h2', null, app.t('bc.r.title')),
    h('p', { 'data-testid': 'bc-progress' }, app.t('bc.r.progress', { queued: formatPercent(app.lang, p.queued), delivered: formatPercent(app.lang, p.delivered), done: formatPercent(app.lang, p.done) })),
    h('span', { class: 'pbar-wrap' }, h('span', { class: 'pbar', 'aria-hidden': 'true' }, h('span', { style: `width:${(p.done * 100).toFixed(1)}%` })), h('span', { class: 'num' }, formatPercent(app.lang, p.done))),
    moving ? h('p', { class: 'note', 'data-testid': 'bc-refreshing' }, app.t('bc.r.refreshing')) : null,
    t.rows.length
      ? table(app.t('bc.r.table'), head, rows, 'bc-delivery', { numFrom: 2, foot: [app.t('common.total'), '', ...t.states.map((s) => app.num(t.totals[s] ?? 0)), app.num(t.total)] })
      : h('p', null, app.t('bc.r.none')),
  );
}

function actionsSection(c: Ctx, b: BroadcastJson, p: BroadcastPreviewJson | null, reload: () => void): HTMLElement | null {
  const { app } = c;
  const a = actionsFor(b, app.session?.username ?? '', p?.needs_approval);
  const status = h('div', { 'aria-live': 'polite', 'data-testid': 'bc-action-status' });
  const act = (what: 'approve' | 'send' | 'cancel') => async () => {
    status.replaceChildren();
    try {
      await app.api.request<BroadcastJson>(broadcastUrl(b.id, what), { method: 'POST', signal: c.signal });
      reload();
    } catch (e) {
      if (!c.signal.aborted) status.replaceChildren(app.errorBox(e));
    }
  };
  const why = (r: Refusal, key: MessageKey) => h('p', { class: 'note', 'data-testid': `bc-why-${r}` }, app.t(key, { user: b.created_by }));
  const items: Child[] = [];
  if (a.approve === null) items.push(h('button', { type: 'button', 'data-testid': 'bc-approve', onclick: act('approve') }, app.t('bc.approve')));
  else if (a.approve === 'maker') items.push(why('maker', 'bc.why.maker'));
  if (a.send === null) {
    const n = p ? p.recipients : b.recipients;
    const cost = p ? p.cost : b.cost;
    items.push(confirmed(app, app.t(b.state === 'sending' ? 'bc.sendAgain' : 'bc.send'), app.t('bc.sendConfirm', { n: app.num(n), cost: app.money(cost) }), app.t('bc.sendYes'), 'bc-send', act('send')));
  } else if (a.send === 'needsApproval') items.push(why('needsApproval', 'bc.why.needsApproval'));
  else if (a.send === 'notMaker') items.push(why('notMaker', 'bc.why.notMaker'));
  if (a.cancel === null) items.push(confirmed(app, app.t('bc.cancel'), app.t('bc.cancelConfirm'), app.t('bc.cancelYes'), 'bc-cancel', act('cancel')));
  if (!items.length) return null;
  return h('section', { 'data-testid': 'bc-actions' }, h('div', { class: 'actions' }, items), status);
}

function header(app: App, b: BroadcastJson): HTMLElement[] {
  const dl = (pairs: [string, Child][]) => h('dl', { class: 'facts' }, pairs.map(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
  return present([
    h('p', { class: 'breadcrumb' }, h('a', { href: routeHash({ view: 'list' }) }, app.t('bc.back'))),
    h('h2', { 'data-testid': 'bc-title-shown' }, `${b.id}. ${b.title} `, stateBadge(app, b)),
    dl([
      [app.t('bc.rule'), h('code', null, b.target)],
      [app.t('bc.event'), b.event || app.t('common.none')],
      [app.t('bc.template'), b.template],
      [app.t('bc.maker'), `${b.created_by}, ${app.date(isoOf(b.created_at))}`],
      [app.t('bc.approver'), b.approved_by ? `${b.approved_by}, ${app.date(isoOf(b.approved_at))}` : app.t('bc.notApproved')],
    ]),
    b.state === 'sending' || b.state === 'queued' ? h('p', { 'data-testid': 'bc-frozen' }, app.t('bc.frozen', { n: app.num(b.recipients), cost: app.money(b.cost) })) : null,
  ]);
}

function oneView(c: Ctx, main: HTMLElement, id: number): void {
  const { app } = c;
  const out = h('div', { 'aria-live': 'polite', 'data-testid': 'bc-one' }, loading(app));
  main.append(out);
  const load = async (): Promise<void> => {
    try {
      const b = await app.api.get<BroadcastJson>(broadcastUrl(id), c.signal);
      const open = b.state === 'draft' || b.state === 'approved';
      const started = b.state === 'sending' || b.state === 'queued';
      const [p, r] = await Promise.all([
        open ? app.api.get<BroadcastPreviewJson>(broadcastUrl(id, 'preview'), c.signal) : null,
        started ? app.api.get<BroadcastReportJson>(broadcastUrl(id, 'report'), c.signal) : null,
      ]);
      const moving = stillMoving(b, r);
      const reload = () => void load();
      out.replaceChildren(...header(app, b), ...present([p ? previewSection(app, p) : null, actionsSection(c, b, p, reload), r ? reportSection(app, r, moving) : null]));
      if (moving) c.later(reload, REFRESH_MS);
    } catch (e) {
      if (!c.signal.aborted) out.replaceChildren(app.errorBox(e));
    }
  };
  void load();
}

export function broadcastsPage(app: App, main: HTMLElement, arg: string): () => void {
  const controller = new AbortController();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const c: Ctx = {
    app,
    signal: controller.signal,
    later: (fn, ms) => {
      const t = setTimeout(() => {
        timers.delete(t);
        if (!controller.signal.aborted) fn();
      }, ms);
      timers.add(t);
    },
  };
  const route = parseRoute(arg);
  main.append(h('h1', null, app.t('bc.title')));
  if (route.view === 'new') newView(c, main);
  else if (route.view === 'one') oneView(c, main, route.id);
  else listView(c, main);
  return () => {
    controller.abort();
    for (const t of timers) clearTimeout(t);
  };
}
