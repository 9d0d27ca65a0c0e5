// The audit trail (auditors and admins): newest first, grouped by day,
// each entry in words (audit_logic.ts); filters by user, person, household,
// kind of action, area and dates; "older entries" pages back by sequence
// number (GET /api/v1/audit?order=newest&before=); chain verification
// (GET /api/v1/audit/verify).
import { type App, type PageFn } from '../app';
import { actionWords, actorWords, AUDIT_KINDS, auditUrl, dayHeading, recordWords, timeOf, type AuditFilters } from '../audit_logic';
import { h, uid } from '../dom';
import { type MessageKey } from '../i18n';
import { Units } from '../units';

interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  register_no: string | null;
}

const PAGE = 50;

function verifyBox(app: App): HTMLElement[] {
  const out = h('div', { 'aria-live': 'polite', 'data-testid': 'audit-verify' });
  const button = h('button', { type: 'button', class: 'secondary' }, app.t('audit.verify'));
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const v = await app.api.get<{ ok: boolean; entries: number; first_bad_seq?: number; problem?: string }>('/api/v1/audit/verify');
      out.replaceChildren(
        v.ok
          ? h('p', { class: 'alert info', role: 'status' }, app.t('audit.ok', { n: app.num(v.entries) }))
          : h('p', { class: 'alert error', role: 'alert' }, app.t('audit.broken', { seq: v.first_bad_seq ?? '?', problem: v.problem ?? '' })),
      );
    } catch (e) {
      out.replaceChildren(app.errorBox(e));
    } finally {
      button.disabled = false;
    }
  });
  return [h('p', null, button), out];
}

// Aimag, then one of its soums (or all of them).
function areaPicker(app: App) {
  const aimag = h('select', { id: uid('fa'), 'data-testid': 'audit-aimag' }, h('option', { value: '0' }, app.t('audit.anyArea')));
  for (const a of Units.sortByName(app.lang, app.units.aimags())) aimag.append(h('option', { value: String(a.code) }, a[app.lang]));
  const soum = h('select', { id: uid('fs'), disabled: true, 'data-testid': 'audit-soum' });
  aimag.addEventListener('change', () => {
    const code = Number(aimag.value);
    soum.replaceChildren(h('option', { value: '0' }, app.t('audit.anySoum')));
    for (const s of Units.sortByName(app.lang, app.units.soumsOf(code))) soum.append(h('option', { value: String(s.code) }, s[app.lang]));
    soum.disabled = code === 0;
  });
  const area = () => Number(soum.value) || Number(aimag.value) || 0;
  return { aimag, soum, area };
}

function entryRow(app: App, e: AuditEntry): HTMLElement {
  const about = e.register_no && e.register_no !== e.entity_id ? ` (${e.register_no})` : '';
  return h(
    'tr',
    null,
    h('td', null, h('time', { datetime: e.at }, timeOf(e.at))),
    h('td', null, actorWords(app.lang, e.actor)),
    h('td', { title: e.action }, actionWords(app.lang, e.action)),
    h('td', null, recordWords(app.lang, e.entity_type, e.entity_id), about),
    h('td', { class: 'num' }, String(e.seq)),
  );
}

export const auditPage: PageFn = (app: App, main: HTMLElement) => {
  const text = (id: string) => h('input', { id: uid(id), autocomplete: 'off' });
  const f = { actor: text('fu'), register_no: text('fr'), household_id: text('fh'), from: h('input', { id: uid('ff'), type: 'date' }), to: h('input', { id: uid('ft'), type: 'date' }) };
  const kind = h('select', { id: uid('fk'), 'data-testid': 'audit-kind' }, h('option', { value: '' }, app.t('audit.anyKind')), AUDIT_KINDS.map((k) => h('option', { value: k }, app.t(`audit.k.${k}` as MessageKey))));
  const picker = areaPicker(app);
  const field = (el: HTMLElement, label: string) => h('div', { class: 'field' }, h('label', { for: el.id }, label), el);
  const form = h(
    'form',
    { class: 'search', role: 'search', 'data-testid': 'audit-filters' },
    field(f.actor, app.t('audit.filterActor')),
    field(f.register_no, app.t('audit.filterRegister')),
    field(f.household_id, app.t('audit.filterHousehold')),
    field(kind, app.t('audit.filterKind')),
    field(picker.aimag, app.t('audit.filterArea')),
    field(picker.soum, app.t('audit.filterSoum')),
    field(f.from, app.t('audit.from')),
    field(f.to, app.t('audit.to')),
    h('button', { type: 'submit' }, app.t('common.search')),
  );
  const tbody = h('tbody');
  const cols: MessageKey[] = ['audit.at', 'audit.actor', 'audit.action', 'audit.entity', 'audit.seq'];
  const table = h('table', { 'data-testid': 'audit' }, h('thead', null, h('tr', null, cols.map((k) => h('th', { scope: 'col', class: k === 'audit.seq' ? 'num' : undefined }, app.t(k))))), tbody);
  const more = h('button', { type: 'button', class: 'secondary' }, app.t('audit.older'));
  const status = h('div', { 'aria-live': 'polite' });
  main.append(h('h1', null, app.t('audit.title')), h('p', { class: 'hint' }, app.t('audit.newestFirst')), ...verifyBox(app), form, status, h('div', { class: 'table-wrap' }, table), h('p', null, more));

  const today = new Date().toISOString().slice(0, 10);
  let before: number | undefined;
  let lastDay = '';
  const filters = (): AuditFilters => ({ actor: f.actor.value, register_no: f.register_no.value, household_id: f.household_id.value, kind: kind.value, area: picker.area(), from: f.from.value, to: f.to.value });
  const load = async (reset: boolean) => {
    if (reset) {
      before = undefined;
      lastDay = '';
      tbody.replaceChildren();
    }
    more.disabled = true;
    table.setAttribute('aria-busy', 'true');
    try {
      const data = await app.api.get<{ items: AuditEntry[]; next_before?: number }>(auditUrl(filters(), PAGE, before));
      status.replaceChildren();
      for (const e of data.items) {
        const day = e.at.slice(0, 10);
        if (day !== lastDay) {
          lastDay = day;
          tbody.append(h('tr', { class: 'group' }, h('th', { scope: 'rowgroup', colspan: '5' }, dayHeading(app.lang, e.at, today))));
        }
        tbody.append(entryRow(app, e));
      }
      if (data.next_before !== undefined) before = data.next_before;
      more.hidden = data.items.length < PAGE;
      more.disabled = false;
      if (reset && data.items.length === 0) status.replaceChildren(h('p', null, app.t('common.noResults')));
    } catch (e) {
      status.replaceChildren(app.errorBox(e));
    } finally {
      table.setAttribute('aria-busy', 'false');
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void load(true);
  });
  more.addEventListener('click', () => void load(false));
  void load(true);
};
