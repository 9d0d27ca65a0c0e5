// The audit trail (auditors and admins): filters, "show more" paging by
// sequence number (GET /api/v1/audit?after=), and chain verification
// (GET /api/v1/audit/verify).
import { withQuery } from '../api';
import { type App, type PageFn } from '../app';
import { h, uid } from '../dom';

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

export const auditPage: PageFn = (app: App, main: HTMLElement) => {
  const verifyOut = h('div', { 'aria-live': 'polite', 'data-testid': 'audit-verify' });
  const verify = h('button', { type: 'button', class: 'secondary' }, app.t('audit.verify'));
  verify.addEventListener('click', async () => {
    verify.disabled = true;
    try {
      const v = await app.api.get<{ ok: boolean; entries: number; first_bad_seq?: number; problem?: string }>('/api/v1/audit/verify');
      verifyOut.replaceChildren(
        v.ok
          ? h('p', { class: 'alert info', role: 'status' }, app.t('audit.ok', { n: app.num(v.entries) }))
          : h('p', { class: 'alert error', role: 'alert' }, app.t('audit.broken', { seq: v.first_bad_seq ?? '?', problem: v.problem ?? '' })),
      );
    } catch (e) {
      verifyOut.replaceChildren(app.errorBox(e));
    } finally {
      verify.disabled = false;
    }
  });
  const f = {
    actor: h('input', { id: uid('fa'), autocomplete: 'off' }),
    register_no: h('input', { id: uid('fr'), autocomplete: 'off' }),
    household_id: h('input', { id: uid('fh'), autocomplete: 'off' }),
    from: h('input', { id: uid('ff'), type: 'date' }),
    to: h('input', { id: uid('ft'), type: 'date' }),
  };
  const field = (el: HTMLInputElement, label: string) => h('div', { class: 'field' }, h('label', { for: el.id }, label), el);
  const form = h(
    'form',
    { class: 'search', role: 'search' },
    field(f.actor, app.t('audit.filterActor')),
    field(f.register_no, app.t('audit.filterRegister')),
    field(f.household_id, app.t('audit.filterHousehold')),
    field(f.from, app.t('audit.from')),
    field(f.to, app.t('audit.to')),
    h('button', { type: 'submit' }, app.t('common.search')),
  );
  const tbody = h('tbody');
  const table = h(
    'table',
    { 'data-testid': 'audit' },
    h('thead', null, h('tr', null, h('th', { scope: 'col', class: 'num' }, app.t('audit.seq')), h('th', { scope: 'col' }, app.t('audit.at')), h('th', { scope: 'col' }, app.t('audit.actor')), h('th', { scope: 'col' }, app.t('audit.action')), h('th', { scope: 'col' }, app.t('audit.entity')))),
    tbody,
  );
  const more = h('button', { type: 'button', class: 'secondary' }, app.t('audit.more'));
  const status = h('div', { 'aria-live': 'polite' });
  main.append(h('h1', null, app.t('audit.title')), h('p', null, verify), verifyOut, form, status, h('div', { class: 'table-wrap' }, table), h('p', null, more));

  let after = 0;
  const load = async (reset: boolean) => {
    if (reset) {
      after = 0;
      tbody.replaceChildren();
    }
    more.disabled = true;
    try {
      const url = withQuery('/api/v1/audit', {
        actor: f.actor.value.trim(),
        register_no: f.register_no.value.trim(),
        household_id: f.household_id.value.trim(),
        from: f.from.value ? `${f.from.value}T00:00:00Z` : '',
        to: f.to.value ? `${f.to.value}T23:59:59Z` : '',
        after: after || undefined,
        limit: PAGE,
      });
      const data = await app.api.get<{ items: AuditEntry[]; next_after?: number }>(url);
      status.replaceChildren();
      for (const e of data.items) {
        tbody.append(
          h('tr', null, h('td', { class: 'num' }, String(e.seq)), h('td', null, app.date(e.at)), h('td', null, e.actor), h('td', null, h('code', null, e.action)), h('td', null, `${e.entity_type} ${e.entity_id}`, e.register_no && e.register_no !== e.entity_id ? ` (${e.register_no})` : '')),
        );
      }
      if (data.next_after !== undefined) after = data.next_after;
      more.hidden = data.items.length < PAGE;
      more.disabled = false;
      if (reset && data.items.length === 0) status.replaceChildren(h('p', null, app.t('common.noResults')));
    } catch (e) {
      status.replaceChildren(app.errorBox(e));
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void load(true);
  });
  more.addEventListener('click', () => void load(false));
  void load(true);
};
