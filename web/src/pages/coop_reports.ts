// The report sections of the cooperatives page (pages/coop.ts): the counts
// by sex and age band for the results framework, the feed warehouses with
// their stock, and what the cooperatives and warehouses of a shock event's
// soums hold.
import { withQuery } from '../api';
import { loading, type App } from '../app';
import { h } from '../dom';
import type { MessageKey } from '../i18n';
import { statsRows, type StatsJson } from '../coop_logic';
import { dateToday, field, select, table } from '../coop_ui';

export function coopStatsSection(app: App, signal: AbortSignal): HTMLElement {
  const out = h('div', { 'aria-live': 'polite', 'data-testid': 'coop-stats' }, loading(app));
  const section = h('section', null, h('h2', null, app.t('coop.stats.title')), out);
  app.api
    .get<StatsJson>(withQuery('/api/v1/coop/stats', { as_of: dateToday() }), signal)
    .then((s) => {
      const label = (r: ReturnType<typeof statsRows>[number]) =>
        r.kind === 'total' ? app.t('common.total') : r.kind === 'sex' ? app.t(`coop.sex.${r.sex}` as MessageKey) : app.t('coop.age', { band: r.band });
      out.replaceChildren(
        table(
          app.t('coop.stats.asOf', { date: app.date(s.as_of) }),
          [app.t('coop.stats.group'), app.t('coop.stats.members'), app.t('coop.stats.trainees'), app.t('coop.stats.owners'), app.t('coop.stats.inKind')],
          statsRows(s).map((r) => [label(r), app.num(r.members), app.num(r.trainees), app.num(r.business_owners), app.num(r.in_kind_recipients)]),
          'coop-stats-table',
        ),
      );
    })
    .catch((e) => out.replaceChildren(app.errorBox(e)));
  return section;
}

interface WarehouseJson {
  code: string;
  name: string;
  coop: string;
  soum_code: number;
  stock: { hay_kg: number; fodder_kg: number };
  severity?: string;
}

function warehouseTable(app: App, list: WarehouseJson[], testid: string): HTMLElement {
  return table(
    app.t('coop.feed.title'),
    [app.t('coop.feed.warehouse'), app.t('coop.soum'), app.t('coop.feed.hay'), app.t('coop.feed.fodder')],
    list.map((w) => [`${w.name} (${w.code})`, app.unit(w.soum_code), app.num(w.stock.hay_kg), app.num(w.stock.fodder_kg)]),
    testid,
  );
}

export function warehousesSection(app: App, signal: AbortSignal): HTMLElement {
  const out = h('div', { 'aria-live': 'polite' }, loading(app));
  const section = h('section', null, h('h2', null, app.t('coop.feed.title')), out);
  app.api
    .get<{ items: WarehouseJson[] }>(withQuery('/api/v1/coop/warehouses', { as_of: dateToday() }), signal)
    .then((r) => out.replaceChildren(r.items.length ? warehouseTable(app, r.items, 'coop-warehouses') : h('p', null, app.t('coop.feed.none'))))
    .catch((e) => out.replaceChildren(app.errorBox(e)));
  return section;
}

export function eventPositionSection(app: App, signal: AbortSignal): HTMLElement {
  const out = h('div', { 'aria-live': 'polite', 'data-testid': 'coop-event' });
  const section = h('section', null, h('h2', null, app.t('coop.event.title')), out);
  app.api
    .get<{ items: { code: string; name: string }[] }>('/api/v1/events', signal)
    .then((r) => {
      if (!r.items.length) return out.replaceChildren(h('p', null, app.t('coop.event.none')));
      const pick = field(app.t('coop.event.pick'), select('event', r.items.map((e) => [e.code, e.name || e.code])));
      const result = h('div', { 'aria-live': 'polite' });
      const form = h('form', { class: 'actions' }, pick.el, h('button', { type: 'submit' }, app.t('coop.event.show')));
      form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        app.api
          .get<{ fund_total: number; members: number; hay_kg: number; fodder_kg: number; cooperatives: { code: string; name: string; severity: string; fund_balance: number; members: number }[]; warehouses: WarehouseJson[] }>(
            `/api/v1/coop/events/${encodeURIComponent(pick.control.value)}/position?as_of=${dateToday()}`,
            signal,
          )
          .then((p) =>
            result.replaceChildren(
              h('p', null, app.t('coop.event.summary', { coops: app.num(p.cooperatives.length), fund: app.money(p.fund_total), members: app.num(p.members), hay: app.num(p.hay_kg), fodder: app.num(p.fodder_kg) })),
              table(
                app.t('coop.fund'),
                [app.t('coop.code'), app.t('coop.name'), app.t('coop.severity'), app.t('coop.members'), app.t('coop.fund')],
                p.cooperatives.map((c) => [c.code, c.name, app.t(`resp.sev.${c.severity}` as MessageKey), app.num(c.members), app.money(c.fund_balance)]),
              ),
              warehouseTable(app, p.warehouses, 'coop-event-warehouses'),
            ),
          )
          .catch((e) => result.replaceChildren(app.errorBox(e)));
      });
      out.replaceChildren(form, result);
    })
    .catch((e) => out.replaceChildren(app.errorBox(e)));
  return section;
}

// The memberships and trainings of a household's members, for the
// household's page (pages/household.ts); nothing when they have none.
export function memberRecordsSection(app: App, registerNos: string[]): HTMLElement {
  const section = h('section', { 'data-testid': 'hh-coop' });
  if (!app.can('read_register')) return section;
  interface PersonJson {
    memberships: { coop: string; coop_name: string; register_no: string; role: string; joined_on: string; left_on: string | null }[];
    trainings: { training: string; register_no: string; completed: boolean }[];
  }
  void Promise.all(registerNos.map((rn) => app.api.get<PersonJson>(`/api/v1/coop/persons/${encodeURIComponent(rn)}`).catch(() => null))).then((all) => {
    const rows = all.flatMap((p) =>
      (p?.memberships ?? []).map((m) => [m.register_no, h('a', { href: `#/coop/${encodeURIComponent(m.coop)}` }, m.coop_name), app.t(`coop.role.${m.role}` as MessageKey), app.date(m.joined_on), m.left_on ? app.date(m.left_on) : '—']),
    );
    const trainings = all.flatMap((p) => (p?.trainings ?? []).map((t) => [t.register_no, t.training]));
    if (!rows.length && !trainings.length) return;
    section.append(h('h2', null, app.t('nav.coop')));
    if (rows.length) section.append(table(app.t('coop.members'), [app.t('coop.registerNo'), app.t('coop.name'), app.t('coop.role'), app.t('coop.joined'), app.t('coop.left')], rows));
    if (trainings.length) section.append(table(app.t('tr.trainings'), [app.t('coop.registerNo'), app.t('coop.code')], trainings));
  });
  return section;
}
