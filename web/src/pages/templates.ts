// The ministry's SMS template page (docs/channel.md, "Editing the
// templates"), for roles with manage_response (reading) and edit_templates
// (editing, the national officer):
// - #/templates: every template's id, purpose, Mongolian text in force and
//   whether it is edited, with a filter box (GET /api/v1/sms/templates);
// - #/templates/ID: its parameters; for Mongolian and English the text in
//   force (and the shipped one when edited) with a preview priced by the
//   server (POST .../preview); for edit_templates an editor: the text,
//   buttons inserting each {parameter} at the cursor, a live check of the
//   parameters and braces as the officer types, the text with the sample
//   values, a note, Save (PUT .../texts/{lang}; the server's refusal beside
//   the field) and "Back to the shipped text" (POST .../reset, confirmed);
//   and the history of edits, newest first.
// The logic is in ../templates_logic.ts (unit-tested).
import { ApiError } from '../api';
import { type App, loading } from '../app';
import { templatePreviewUrl, type TemplateParameterJson, type TemplatePreviewJson } from '../broadcasts_logic';
import { confirmed, field, table } from '../coop_ui';
import { h } from '../dom';
import type { MessageKey } from '../i18n';
import {
  checkText,
  checkUrl,
  filterTemplates,
  historyRows,
  insertAt,
  parseRoute,
  refusalText,
  resetUrl,
  routeHash,
  sampleValues,
  templateUrl,
  TEMPLATE_LANGS,
  TEMPLATES_PATH,
  textUrl,
  withSamples,
  type EditResultJson,
  type TemplateDetailJson,
  type TemplateItemJson,
  type TemplateLang,
  type TextProblem,
} from '../templates_logic';

interface Ctx {
  app: App;
  signal: AbortSignal;
  editor: boolean;
}

function editedBadge(app: App, edited: boolean, testid: string): HTMLElement {
  return h('span', { class: edited ? 'badge edited' : 'badge', 'data-testid': testid }, app.t(edited ? 'tpl.edited' : 'tpl.shipped'));
}

function langName(app: App, lang: TemplateLang): string {
  return app.t(`tpl.lang.${lang}` as MessageKey);
}

function listView(c: Ctx, main: HTMLElement): void {
  const { app } = c;
  const filter = h('input', { type: 'search', name: 'q', autocomplete: 'off', 'data-testid': 'tpl-filter' });
  const f = field(app.t('tpl.filter'), filter);
  f.el.append(h('small', { class: 'hint' }, app.t('tpl.filterHint')));
  const count = h('p', { 'aria-live': 'polite', 'data-testid': 'tpl-count' });
  const out = h('div', null, loading(app));
  main.append(h('p', { class: 'hint' }, app.t('tpl.hint')), c.editor ? '' : h('p', { class: 'note', 'data-testid': 'tpl-read-only' }, app.t('tpl.readOnly')), f.el, count, out);
  let items: TemplateItemJson[] = [];
  const show = () => {
    const shown = filterTemplates(items, filter.value);
    count.textContent = app.t('tpl.shown', { n: app.num(shown.length), total: app.num(items.length) });
    const rows = shown.map((t) => [
      h('a', { href: routeHash({ view: 'one', id: t.id }) }, h('code', null, t.id)),
      t.description,
      h('span', { lang: 'mn', class: 'sms-inline' }, t.text.mn),
      editedBadge(app, t.edited.mn || t.edited.en, `tpl-mark-${t.id}`),
    ]);
    out.replaceChildren(shown.length ? table(app.t('tpl.list'), [app.t('tpl.id'), app.t('tpl.description'), app.t('tpl.textMn'), app.t('tpl.state')], rows, 'tpl-list') : h('p', null, app.t('tpl.none')));
  };
  filter.addEventListener('input', show);
  app.api
    .get<{ items: TemplateItemJson[] }>(TEMPLATES_PATH, c.signal)
    .then((data) => {
      items = data.items;
      show();
    })
    .catch((e) => {
      if (!c.signal.aborted) out.replaceChildren(app.errorBox(e));
    });
}

function parametersTable(app: App, parameters: TemplateParameterJson[]): HTMLElement {
  const rows = parameters.map((p) => [h('code', null, `{${p.name}}`), p.description, h('span', { lang: 'mn' }, p.sample), app.num(p.max_length)]);
  return table(app.t('tpl.params'), [app.t('tpl.p.name'), app.t('tpl.p.description'), app.t('tpl.p.sample'), app.t('tpl.p.max')], rows, 'tpl-params', { numFrom: 3 });
}

// The server's preview of the text in force with the samples, priced
// (POST .../preview renders the wording in force, not an unsaved text;
// the page shows it again after a save or a reset).
function livePreview(c: Ctx, d: TemplateDetailJson, lang: TemplateLang): HTMLElement {
  const { app } = c;
  const el = h('div', { class: 'sms-preview', 'aria-live': 'polite', 'data-testid': `tpl-live-${lang}` }, loading(app));
  app.api
    .request<TemplatePreviewJson>(templatePreviewUrl(d.id), { method: 'POST', body: { language: lang, values: sampleValues(d.parameters) }, signal: c.signal })
    .then(({ data: p }) =>
      el.replaceChildren(
        h('p', { lang, class: 'sms-text', 'data-testid': `tpl-live-text-${lang}` }, p.text),
        h('p', { 'data-testid': `tpl-live-plan-${lang}` }, app.t('tpl.live.plan', { segments: app.num(p.segments), cost: app.money(p.cost), characters: app.num(p.characters) })),
        p.fits ? '' : h('p', { class: 'alert error', role: 'alert' }, app.t('tpl.live.tooLong', { segments: app.num(p.segments), max: app.num(p.max_segments) })),
      ),
    )
    .catch((e) => {
      if (!c.signal.aborted) el.replaceChildren(app.errorBox(e));
    });
  return h('div', null, h('h4', null, app.t('tpl.live')), el);
}

function problemText(app: App, p: TextProblem): string {
  const braces = { open: '{', close: '}' };
  switch (p.kind) {
    case 'loneClose':
      return app.t('tpl.check.loneClose', { ...braces, at: p.at, pair: '}}' });
    case 'badOpen':
      return app.t('tpl.check.badOpen', { ...braces, at: p.at, pair: '{{' });
    case 'unknown':
    case 'missing':
      return app.t(`tpl.check.${p.kind}`, { name: `{${p.name}}` });
    default:
      return app.t(`tpl.check.${p.kind}`);
  }
}

// The editor of one language's text; `reload` shows the template again
// with a message.
function editor(c: Ctx, d: TemplateDetailJson, lang: TemplateLang, reload: (lang: TemplateLang, message: string) => void): HTMLElement {
  const { app } = c;
  const language = langName(app, lang);
  const text = h('textarea', { name: `text-${lang}`, rows: '4', lang, spellcheck: 'false', 'data-testid': `tpl-textarea-${lang}` });
  text.value = d.texts[lang].text;
  const f = field(app.t('tpl.edit', { language }), text);
  f.error.dataset.testid = `tpl-refusal-${lang}`;
  const check = h('ul', { class: 'checks', 'aria-live': 'polite', 'data-testid': `tpl-check-${lang}` });
  const draft = h('p', { lang, class: 'sms-text', 'data-testid': `tpl-draft-${lang}` });
  // The draft priced by the server (POST .../check), 300 ms after the last
  // keystroke, when the local check finds nothing wrong.
  const plan = h('p', { 'aria-live': 'polite', 'data-testid': `tpl-draft-plan-${lang}` });
  let timer: number | undefined;
  let asked = 0;
  const price = () => {
    const mine = ++asked;
    app.api
      .request<EditResultJson>(checkUrl(d.id, lang), { method: 'POST', body: { text: text.value }, signal: c.signal })
      .then(({ data: { sample, longest } }) => {
        if (mine !== asked) return;
        plan.replaceChildren(
          app.t('tpl.draft.plan', { segments: app.num(sample.segments), cost: app.money(sample.cost), longest: app.num(longest.segments), longestCost: app.money(longest.cost) }),
          longest.fits ? '' : h('span', { class: 'bad', role: 'alert' }, ` ${app.t('tpl.live.tooLong', { segments: app.num(longest.segments), max: app.num(longest.max_segments) })}`),
        );
      })
      .catch(() => {
        if (mine === asked) plan.textContent = '';
      });
  };
  const inserts = d.parameters.map((p) =>
    h('button', { type: 'button', class: 'secondary small', title: p.description, 'data-testid': `tpl-insert-${lang}-${p.name}` }, `{${p.name}}`),
  );
  d.parameters.forEach((p, i) =>
    inserts[i].addEventListener('click', () => {
      const r = insertAt(text.value, text.selectionStart ?? text.value.length, text.selectionEnd ?? text.value.length, `{${p.name}}`);
      text.value = r.value;
      text.focus();
      text.setSelectionRange(r.cursor, r.cursor);
      onInput();
    }),
  );
  const onInput = () => {
    const problems = checkText(text.value, d.parameters);
    check.replaceChildren(
      ...(problems.length ? problems.map((p) => h('li', { class: 'bad' }, problemText(app, p))) : [h('li', { class: 'good' }, app.t('tpl.check.ok'))]),
    );
    draft.textContent = withSamples(text.value, d.parameters);
    f.error.textContent = '';
    window.clearTimeout(timer);
    asked++;
    plan.textContent = '';
    if (!problems.length) timer = window.setTimeout(price, 300);
  };
  text.addEventListener('input', onInput);
  onInput();
  const note = field(app.t('tpl.note'), h('input', { name: `note-${lang}`, autocomplete: 'off', 'data-testid': `tpl-note-${lang}` }));
  const summary = h('div', { 'aria-live': 'polite', 'data-testid': `tpl-summary-${lang}` });
  const save = h('button', { type: 'submit', 'data-testid': `tpl-save-${lang}` }, app.t('tpl.save', { language }));
  const form = h('form', { class: 'stack', novalidate: true, 'data-testid': `tpl-form-${lang}` }, summary, f.el, h('p', { class: 'actions' }, app.t('tpl.insert'), ...inserts), check, h('h4', null, app.t('tpl.draft')), draft, plan, note.el, h('div', { class: 'actions' }, save));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    summary.replaceChildren();
    f.error.textContent = '';
    save.disabled = true;
    save.textContent = app.t('tpl.saving');
    try {
      const r = await app.api.request<EditResultJson>(textUrl(d.id, lang), { method: 'PUT', body: { text: text.value, note: note.control.value.trim() }, signal: c.signal });
      const { sample, longest } = r.data;
      reload(lang, app.t('tpl.saved', { segments: app.num(sample.segments), cost: app.money(sample.cost), longest: app.num(longest.segments), longestCost: app.money(longest.cost) }));
    } catch (err) {
      if (c.signal.aborted) return;
      if (err instanceof ApiError && err.field === 'text') {
        f.error.replaceChildren(app.errorText(err), ' ', h('span', { lang: 'en' }, refusalText(err.detail)));
        summary.replaceChildren(h('p', { class: 'alert error', role: 'alert' }, app.t(checkText(text.value, d.parameters).length ? 'tpl.checkFirst' : 'tpl.refused')));
        text.focus();
      } else {
        summary.replaceChildren(app.errorBox(err));
      }
    } finally {
      save.disabled = false;
      save.textContent = app.t('tpl.save', { language });
    }
  });
  if (!d.texts[lang].edited) return form;
  const resetStatus = h('div', { 'aria-live': 'polite' });
  const reset = confirmed(app, app.t('tpl.reset'), app.t('tpl.resetConfirm', { language }), app.t('tpl.resetYes'), `tpl-reset-${lang}`, async () => {
    resetStatus.replaceChildren();
    try {
      await app.api.request(resetUrl(d.id, lang), { method: 'POST', body: { note: note.control.value.trim() }, signal: c.signal });
      reload(lang, app.t('tpl.resetDone'));
    } catch (err) {
      if (!c.signal.aborted) resetStatus.replaceChildren(app.errorBox(err));
    }
  });
  return h('div', null, form, h('div', { class: 'tpl-reset' }, reset, resetStatus));
}

function languageSection(c: Ctx, d: TemplateDetailJson, lang: TemplateLang, message: string, reload: (lang: TemplateLang, message: string) => void): HTMLElement {
  const { app } = c;
  const t = d.texts[lang];
  return h(
    'section',
    { class: 'tpl-lang', 'data-testid': `tpl-lang-${lang}` },
    h('h3', null, `${langName(app, lang)} `, editedBadge(app, t.edited, `tpl-edited-${lang}`)),
    message ? h('p', { class: 'alert info', role: 'status', 'data-testid': `tpl-message-${lang}` }, message) : '',
    h('h4', null, app.t('tpl.inForce')),
    h('blockquote', { lang, class: 'sms-text', 'data-testid': `tpl-text-${lang}` }, t.text),
    t.edited ? h('h4', null, app.t('tpl.shippedText')) : '',
    t.edited ? h('blockquote', { lang, class: 'sms-text shipped', 'data-testid': `tpl-shipped-${lang}` }, d.shipped[lang]) : '',
    livePreview(c, d, lang),
    c.editor ? editor(c, d, lang, reload) : '',
  );
}

function historySection(app: App, d: TemplateDetailJson): HTMLElement {
  const rows = historyRows(d.history).map((e) => [
    app.date(e.edited_at),
    e.edited_by,
    langName(app, e.language),
    e.text === null ? h('em', null, app.t('tpl.h.reset')) : h('span', { lang: e.language, class: 'sms-inline' }, e.text),
    e.note || app.t('common.none'),
  ]);
  const head = [app.t('tpl.h.when'), app.t('tpl.h.who'), app.t('tpl.h.language'), app.t('tpl.h.text'), app.t('tpl.h.note')];
  return h('section', null, h('h3', null, app.t('tpl.h.title')), rows.length ? table(app.t('tpl.history'), head, rows, 'tpl-history') : h('p', { 'data-testid': 'tpl-history-none' }, app.t('tpl.h.none')));
}

function oneView(c: Ctx, main: HTMLElement, id: string): void {
  const { app } = c;
  const out = h('div', { 'data-testid': 'tpl-one' }, loading(app));
  main.append(h('p', { class: 'breadcrumb' }, h('a', { href: routeHash({ view: 'list' }) }, app.t('tpl.back'))), out);
  const load = async (lang?: TemplateLang, message = '') => {
    try {
      const d = await app.api.get<TemplateDetailJson>(templateUrl(id), c.signal);
      const reload = (l: TemplateLang, m: string) => void load(l, m);
      out.replaceChildren(
        h('h2', { 'data-testid': 'tpl-id' }, h('code', null, d.id)),
        h('p', null, d.description),
        c.editor ? '' : h('p', { class: 'note', 'data-testid': 'tpl-read-only' }, app.t('tpl.readOnly')),
        parametersTable(app, d.parameters),
        h('div', { class: 'tpl-langs' }, TEMPLATE_LANGS.map((l) => languageSection(c, d, l, l === lang ? message : '', reload))),
        historySection(app, d),
      );
    } catch (e) {
      if (!c.signal.aborted) out.replaceChildren(app.errorBox(e));
    }
  };
  void load();
}

export function templatesPage(app: App, main: HTMLElement, arg: string): () => void {
  const controller = new AbortController();
  const c: Ctx = { app, signal: controller.signal, editor: app.can('edit_templates') };
  const route = parseRoute(arg);
  main.append(h('h1', null, app.t('tpl.title')));
  if (route.view === 'one') oneView(c, main, route.id);
  else listView(c, main);
  return () => controller.abort();
}
