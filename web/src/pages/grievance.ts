// Complaints (#/grievance, #/grievance/<id>): the counts of the caller's area
// (confidential complaints counted without detail), the intake form for
// whoever records complaints (office, hotline), the list of complaints the
// caller may handle, and one complaint with its next steps, letters to
// print, notes, consent and referral (survivor-centred: consent before
// anything about them is shared) and the fixes asked of other parts of the
// system. The server decides who sees what; a complaint the caller may not
// see is simply not found.
import { loading, pager, type App, type PageFn } from '../app';
import { h, uid } from '../dom';
import { formatPercent } from '../format';
import type { MessageKey } from '../i18n';
import {
  intakeBody,
  isOverdue,
  listUrl,
  statsView,
  type CaseSummaryJson,
  type IntakeForm,
  type StatsRowJson,
} from '../grievance_logic';
import { caseSection } from './grievance_case';
import { categoryLabel, categoryNames, check, fill, type CategoryJson } from './grievance_common';

export const grievancePage: PageFn = (app: App, main: HTMLElement, arg: string) => {
  const ctrl = new AbortController();
  main.append(h('h1', null, app.t('grv.title')));
  const names = categoryNames(app, ctrl.signal);
  if (arg) {
    const section = h('section', { 'data-testid': 'grv-case' });
    main.append(section);
    caseSection(app, section, Number(arg), names, ctrl.signal);
    return () => ctrl.abort();
  }
  let refreshStats = () => {};
  if (app.can('read_grievance_stats')) {
    const stats = h('section', { 'data-testid': 'grv-stats' });
    main.append(stats);
    refreshStats = statsSection(app, stats, names, ctrl.signal);
  }
  const list = h('section', { 'data-testid': 'grv-list' });
  if (app.can('record_grievance')) {
    main.append(
      intakeSection(app, names, () => {
        refreshList();
        refreshStats();
      }),
    );
  }
  let refreshList = () => {};
  if (app.can('handle_grievance') || app.can('handle_confidential')) {
    main.append(list);
    refreshList = listSection(app, list, names, ctrl.signal);
  }
  return () => ctrl.abort();
};

// --- Counts -------------------------------------------------------------------

// Fills `section` with the counts; returns how to read them again.
function statsSection(app: App, section: HTMLElement, names: Promise<Map<string, CategoryJson>>, signal: AbortSignal): () => void {
  const body = h('div', null, loading(app));
  section.append(h('h2', null, app.t('grv.stats.title')), body);
  const refresh = async () => {
    try {
      const [stats, cats] = await Promise.all([
        app.api.get<{ rows: StatsRowJson[]; total: StatsRowJson }>('/api/v1/grievances/stats?by=category', signal),
        names,
      ]);
      const view = statsView(stats.rows);
      const head = ['grv.col.category', 'grv.stats.cases', 'grv.stats.open', 'grv.stats.overdue', 'grv.stats.ackInTime', 'grv.stats.decidedInTime', 'grv.stats.meanDays'];
      const row = (r: StatsRowJson, label: string, masked: boolean) =>
        h(
          'tr',
          { 'data-category': r.category },
          h('th', { scope: 'row' }, label),
          h('td', { class: 'num' }, app.num(r.cases)),
          h('td', { class: 'num' }, app.num(r.open)),
          h('td', { class: 'num' }, masked ? app.t('common.none') : app.num(r.overdue)),
          h('td', { class: 'num' }, masked ? app.t('common.none') : formatPercent(app.lang, r.share_acknowledged_in_time)),
          h('td', { class: 'num' }, masked ? app.t('common.none') : formatPercent(app.lang, r.share_decided_in_time)),
          h('td', { class: 'num' }, masked ? app.t('common.none') : app.num(r.mean_days_to_decide)),
        );
      fill(body, 
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            null,
            h('thead', null, h('tr', null, head.map((k) => h('th', { scope: 'col' }, app.t(k as MessageKey))))),
            h(
              'tbody',
              null,
              view.rows.map((r) => row(r, categoryLabel(app, cats, r.category), r.category === 'confidential')),
              row(stats.total, app.t('common.total'), false),
            ),
          ),
        ),
        view.masked > 0 ? h('p', { class: 'note', 'data-testid': 'grv-masked' }, app.t('grv.stats.confidentialNote', { n: app.num(view.masked) })) : null,
      );
    } catch (e) {
      if (!signal.aborted) fill(body, app.errorBox(e));
    }
  };
  void refresh();
  return () => void refresh();
}

// --- Intake -------------------------------------------------------------------

function field(label: string, control: HTMLElement, id: string, error?: HTMLElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, error ?? null);
}

function intakeSection(app: App, names: Promise<Map<string, CategoryJson>>, recorded: () => void): HTMLElement {
  const id = (p: string) => uid(`grv-${p}`);
  const ids = { channel: id('ch'), category: id('cat'), soum: id('soum'), summary: id('sum'), name: id('name'), rn: id('rn'), phone: id('ph'), contact: id('ct'), officer: id('off') };
  const hotline = app.session?.role === 'hotline_operator';
  const channel = h('select', { id: ids.channel, 'data-testid': 'grv-channel' }, ['office', 'hotline'].map((c) => h('option', { value: c, selected: (c === 'hotline') === hotline }, app.t(`grv.channel.${c}` as MessageKey))));
  const category = h('select', { id: ids.category, 'data-testid': 'grv-category', required: true }, h('option', { value: '' }, app.t('common.loading')));
  const area = app.session?.area_code ?? 0;
  const soum = h('input', { id: ids.soum, inputmode: 'numeric', 'data-testid': 'grv-soum', value: area >= 10000 ? String(area) : '', autocomplete: 'off' });
  const summary = h('textarea', { id: ids.summary, rows: '3', 'data-testid': 'grv-summary', required: true });
  const anonymous = h('input', { type: 'checkbox', 'data-testid': 'grv-anonymous' });
  const name = h('input', { id: ids.name, 'data-testid': 'grv-name', autocomplete: 'off' });
  const rn = h('input', { id: ids.rn, 'data-testid': 'grv-register-no', autocomplete: 'off' });
  const phone = h('input', { id: ids.phone, inputmode: 'tel', 'data-testid': 'grv-phone', autocomplete: 'off' });
  const contact = h('select', { id: ids.contact, 'data-testid': 'grv-contact' }, ['letter', 'sms', 'none'].map((c) => h('option', { value: c }, app.t(`grv.contact.${c}` as MessageKey))));
  const confidential = h('input', { type: 'checkbox', 'data-testid': 'grv-confidential' });
  const officer = h('input', { id: ids.officer, 'data-testid': 'grv-about-officer', autocomplete: 'off' });
  const errors: Record<string, HTMLElement> = {
    category: h('span', { class: 'field-error' }),
    soum: h('span', { class: 'field-error' }),
    summary: h('span', { class: 'field-error' }),
    phone: h('span', { class: 'field-error' }),
  };
  const identity = h('fieldset', null, field(app.t('grv.intake.name'), name, ids.name), field(app.t('grv.intake.registerNo'), rn, ids.rn), field(app.t('grv.intake.phone'), phone, ids.phone, errors.phone), field(app.t('grv.intake.contact'), contact, ids.contact));
  anonymous.addEventListener('change', () => {
    identity.hidden = anonymous.checked;
  });
  const status = h('div', { 'aria-live': 'polite', 'data-testid': 'grv-intake-status' });
  const form = h(
    'form',
    { class: 'card', novalidate: true, 'data-testid': 'grv-intake' },
    h('div', { class: 'actions' }, field(app.t('grv.intake.channel'), channel, ids.channel), field(app.t('grv.intake.category'), category, ids.category, errors.category), field(app.t('grv.intake.soum'), soum, ids.soum, errors.soum)),
    field(app.t('grv.intake.summary'), summary, ids.summary, errors.summary),
    check(app.t('grv.intake.anonymous'), anonymous),
    identity,
    check(app.t('grv.intake.confidential'), confidential),
    field(app.t('grv.intake.aboutOfficer'), officer, ids.officer),
    status,
    h('button', { type: 'submit', 'data-testid': 'grv-intake-submit' }, app.t('grv.intake.submit')),
  );
  void names.then((cats) => {
    fill(category, 
      h('option', { value: '' }, app.t('common.none')),
      [...cats.values()].filter((c) => c.active).map((c) => h('option', { value: c.code }, app.lang === 'mn' ? c.name_mn : c.name_en)),
    );
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    for (const el of Object.values(errors)) el.textContent = '';
    const f: IntakeForm = {
      channel: channel.value,
      category: category.value,
      soum: soum.value,
      summary: summary.value,
      anonymous: anonymous.checked,
      name: name.value,
      registerNo: rn.value,
      phone: phone.value,
      contact: contact.value,
      confidential: confidential.checked,
      aboutOfficer: officer.value,
    };
    const { body, problems } = intakeBody(f);
    if (!body) {
      for (const p of problems) errors[p.field].textContent = app.t(p.key);
      return;
    }
    try {
      const r = await app.api.request<{ reference: string; resolve_by: string; visible: boolean }>('/api/v1/grievances', { method: 'POST', body });
      fill(status, 
        h('p', { class: 'alert info', role: 'status', 'data-testid': 'grv-recorded' }, app.t('grv.intake.done', { reference: r.data.reference, date: app.date(r.data.resolve_by) })),
        r.data.visible ? null : h('p', { class: 'alert info', 'data-testid': 'grv-handed-over' }, app.t('grv.intake.handedOver')),
      );
      summary.value = name.value = rn.value = phone.value = officer.value = '';
      anonymous.checked = confidential.checked = false;
      identity.hidden = false;
      recorded();
    } catch (err) {
      fill(status, app.errorBox(err));
    }
  });
  return h('section', null, h('h2', null, app.t('grv.intake.title')), form);
}

// --- List ---------------------------------------------------------------------

function listSection(app: App, section: HTMLElement, names: Promise<Map<string, CategoryJson>>, signal: AbortSignal): () => void {
  const openOnly = h('input', { type: 'checkbox', checked: true, 'data-testid': 'grv-open-only' });
  const body = h('div', null);
  let page = 1;
  const today = new Date().toISOString().slice(0, 10);
  const refresh = async () => {
    fill(body, loading(app));
    try {
      const [data, cats] = await Promise.all([app.api.get<{ total: number; items: CaseSummaryJson[] }>(listUrl(openOnly.checked, page), signal), names]);
      if (!data.items.length) {
        fill(body, h('p', null, app.t('grv.list.none')));
        return;
      }
      const head = ['grv.col.reference', 'grv.col.received', 'grv.col.category', 'grv.col.state', 'grv.col.level', 'grv.col.answerBy', 'grv.col.assigned'];
      fill(body, 
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { 'data-testid': 'grv-table' },
            h('thead', null, h('tr', null, head.map((k) => h('th', { scope: 'col' }, app.t(k as MessageKey))))),
            h(
              'tbody',
              null,
              data.items.map((c) =>
                h(
                  'tr',
                  { 'data-id': String(c.id) },
                  h('td', null, h('a', { href: `#/grievance/${c.id}`, 'data-testid': 'grv-open' }, c.reference)),
                  h('td', null, app.date(c.received_on)),
                  h('td', null, categoryLabel(app, cats, c.category), c.confidential ? [' ', h('span', { class: 'badge confidential' }, app.t('grv.confidential'))] : null),
                  h('td', null, app.t(`grv.state.${c.state}` as MessageKey), isOverdue(c, today) ? [' ', h('span', { class: 'badge overdue' }, app.t('grv.overdue'))] : null),
                  h('td', null, app.t(`grv.level.${c.level}` as MessageKey)),
                  h('td', null, app.date(c.resolve_by)),
                  h('td', null, c.assigned_to || app.t('common.none')),
                ),
              ),
            ),
          ),
        ),
        pager(app, page, data.total, 50, (p) => {
          page = p;
          void refresh();
        }),
      );
    } catch (e) {
      if (!signal.aborted) fill(body, app.errorBox(e));
    }
  };
  openOnly.addEventListener('change', () => {
    page = 1;
    void refresh();
  });
  section.append(h('h2', null, app.t('grv.list.title')), check(app.t('grv.list.open'), openOnly), body);
  void refresh();
  return () => void refresh();
}
