// The register dashboard: figures by aimag and soum from the server's
// aggregates (GET /api/v1/stats, never names), a choropleth map to drill
// down nation -> aimag -> soum, persons by sex and age band, insurance
// coverage of herders against the targets (GET /api/v1/insurance/coverage,
// also on the map) and the active shock responses (events, plans and their
// payments). Every role that may open it sees aggregates only.
import { withQuery } from '../api';
import { loading, type App, type Intent, type PageFn } from '../app';
import {
  coverageByArea,
  coverageBySexAge,
  coverageTotal,
  monthLabel,
  responseRows,
  targetStatus,
  type CoverageTotals,
  type EventItem,
  type InstallmentState,
  type PlanItem,
  type ResponseRow,
} from '../dashboard_logic';
import { h, uid } from '../dom';
import { focusIfStillWaiting, focusQuietly } from '../focus';
import { formatPercent } from '../format';
import type { MessageKey } from '../i18n';
import type { CoverageResponse } from '../insurance_logic';
import { drawMap, legend, loadAimags, loadSoums } from '../map';
import { MEASURES, bySex, pyramid, sumAreas, valuesOf, type AreaStats, type Measure, type StatsResponse } from '../stats';
import { Units } from '../units';

type CoverageMeasure = 'social_rate' | 'health_rate';
type MapMeasure = Measure | CoverageMeasure;
const COVERAGE_MEASURES: readonly CoverageMeasure[] = ['social_rate', 'health_rate'];

const measureKey: Record<MapMeasure, MessageKey> = {
  herders: 'dash.herders',
  herder_households: 'dash.herderHouseholds',
  households: 'dash.households',
  persons: 'dash.persons',
  children_0_17: 'dash.children',
  social_rate: 'dash.measure.social',
  health_rate: 'dash.measure.health',
};

const isCoverage = (m: MapMeasure): m is CoverageMeasure => (COVERAGE_MEASURES as readonly string[]).includes(m);

interface View {
  aimag: number; // 0: the nation.
  soum: number; // 0: the whole aimag.
  measure: MapMeasure;
}

function parseView(app: App, arg: string): View {
  const p = new URLSearchParams(arg);
  const m = p.get('m') as MapMeasure | null;
  let aimag = Number(p.get('aimag') ?? 0) || 0;
  let soum = Number(p.get('soum') ?? 0) || 0;
  // Officers of an area start (and stay) inside it.
  const area = app.session?.area_code ?? 0;
  if (area >= 10000) {
    aimag = app.units.get(area)?.aimag ?? Math.floor(area / 100);
    soum = area;
  } else if (area >= 100) {
    aimag = area;
  }
  if (soum && app.units.get(soum)?.aimag !== aimag) soum = 0;
  const known = m !== null && ((MEASURES as readonly string[]).includes(m) || isCoverage(m));
  return { aimag, soum, measure: known ? m : 'herders' };
}

function viewArg(v: View): string {
  const p = new URLSearchParams();
  if (v.aimag) p.set('aimag', String(v.aimag));
  if (v.soum) p.set('soum', String(v.soum));
  if (v.measure !== 'herders') p.set('m', v.measure);
  return p.toString();
}

// Coverage answers kept for the session's views (the register changes
// rarely, and a national officer's soum cells are the largest answer).
const coverageCache = new Map<string, CoverageResponse>();
function coverageOf(app: App, url: string, signal: AbortSignal): Promise<CoverageResponse> {
  const key = `${app.session?.username ?? ''}|${url}`;
  const hit = coverageCache.get(key);
  if (hit) return Promise.resolve(hit);
  return app.api.get<CoverageResponse>(url, signal).then((c) => {
    if (coverageCache.size > 8) coverageCache.clear();
    coverageCache.set(key, c);
    return c;
  });
}

export const dashboardPage: PageFn = (app: App, main: HTMLElement, arg: string) => {
  const view = parseView(app, arg);
  const go = (v: View, intent: Intent | null = null) => app.go(`dashboard/${viewArg(v)}`, intent);
  const ctrl = new AbortController();
  const body = h('div', null, loading(app));
  const coverageBox = h('section', { class: 'card', style: 'margin-top:16px', 'aria-labelledby': 'dash-cov-h', 'data-testid': 'dash-coverage' }, h('h2', { id: 'dash-cov-h' }, app.t('dash.cov.title')), loading(app));
  const responsesBox = h('section', { class: 'card', style: 'margin-top:16px', 'aria-labelledby': 'dash-resp-h', 'data-testid': 'dash-responses' }, h('h2', { id: 'dash-resp-h' }, app.t('dash.resp.title')), loading(app));
  main.append(h('h1', null, app.t('dash.title')), breadcrumb(app, view, go), body, coverageBox, responsesBox);
  // A change of the mapped measure keeps focus on its list (it waits on the
  // map's box while the map is drawn again).
  const keepControl = app.intent === 'control';
  if (keepControl) focusQuietly(body);

  // The area of a coverage cell at this level: aimags at the nation, the
  // soum's aimag below it.
  const aimagOf = (code: number) => (code >= 10000 ? app.units.get(code)?.aimag ?? Math.floor(code / 100) : code);
  const covUrl = withQuery('/api/v1/insurance/coverage', { by: view.aimag ? 'soum' : 'aimag', split: 'sex,age' });
  const coverage = coverageOf(app, covUrl, ctrl.signal);
  const inView = (code: number) => (view.soum ? code === view.soum : view.aimag ? aimagOf(code) === view.aimag : true);

  const url = view.aimag ? withQuery('/api/v1/stats', { by: 'soum', aimag: view.aimag }) : withQuery('/api/v1/stats', { by: 'aimag' });
  Promise.all([
    app.api.get<StatsResponse>(url, ctrl.signal),
    view.aimag ? loadSoums(view.aimag) : loadAimags(),
    isCoverage(view.measure) ? coverage : Promise.resolve(null),
  ])
    .then(([stats, shapes, cov]) => {
      // The server lists the areas and then their total (code 0).
      const areas = stats.areas.filter((a) => a.code !== 0);
      const whole = { ...(stats.areas.find((a) => a.code === 0) ?? sumAreas(areas)), code: view.aimag };
      const focus = view.soum ? areas.find((a) => a.code === view.soum) ?? null : whole;
      const focusName = view.soum ? app.unit(view.soum) : view.aimag ? app.unit(view.aimag) : app.t('dash.level.nation');
      let values: Map<number, number>;
      let fmt = app.num;
      if (isCoverage(view.measure) && cov) {
        const month = cov.targets[0]?.month ?? '';
        const by = coverageByArea(cov.cells.filter((c) => (view.aimag ? aimagOf(c.area) === view.aimag : true)), month);
        values = new Map();
        for (const [code, t] of by) {
          const r = view.measure === 'social_rate' ? t.socialRate : t.healthRate;
          if (Number.isFinite(r)) values.set(code, Math.round(r * 1000) / 10);
        }
        fmt = (n: number) => `${app.num(n)}%`;
      } else {
        values = valuesOf(areas, view.measure as Measure);
      }
      const measureName = app.t(measureKey[view.measure]);
      const label = (code: number) => {
        const v = values.get(code);
        return `${app.unit(code)}: ${v === undefined ? app.t('dash.noData') : fmt(v)}`;
      };
      // A soum officer's map shows their aimag but offers no other soum.
      const canPick = (app.session?.area_code ?? 0) < 10000;
      const pick = (code: number) => {
        if (!view.aimag) go({ ...view, aimag: code, soum: 0 });
        else go({ ...view, soum: code === view.soum ? 0 : code });
      };
      const { svg, breaks } = drawMap({
        areas: shapes,
        values,
        label,
        title: app.t('dash.map', { area: view.aimag ? app.unit(view.aimag) : app.t('dash.level.nation'), measure: measureName }),
        selected: view.soum || undefined,
        onPick: canPick ? pick : undefined,
      });
      const measureId = uid('measure');
      const all: MapMeasure[] = [...MEASURES, ...COVERAGE_MEASURES];
      const measure = h(
        'select',
        { id: measureId, 'data-testid': 'measure' },
        all.map((m) => h('option', { value: m, selected: m === view.measure }, app.t(measureKey[m]))),
      );
      measure.addEventListener('change', () => go({ ...view, measure: measure.value as MapMeasure }, 'control'));
      body.replaceChildren(
        h(
          'div',
          { class: 'dash' },
          h(
            'section',
            { 'aria-label': app.t('dash.map', { area: focusName, measure: measureName }) },
            h('div', { class: 'field' }, h('label', { for: measureId }, app.t('dash.measure')), measure),
            svg,
            legend(`${app.t('dash.legend')}: ${measureName}`, breaks, fmt),
            view.aimag ? null : h('p', null, h('small', null, app.t('dash.mapHint'))),
          ),
          h(
            'section',
            { 'data-testid': 'dash-figures', 'aria-live': 'polite' },
            h('h2', null, focusName),
            focus ? figures(app, focus) : h('p', null, app.t('dash.noData')),
          ),
        ),
        h('h2', null, app.t('dash.byArea')),
        areaTable(app, areas, whole, view, go),
        h('p', null, h('small', null, app.t('dash.asOf', { date: app.date(stats.as_of) }))),
      );
      if (keepControl) focusIfStillWaiting(measure, main, body);
    })
    .catch((e) => {
      if ((e as Error)?.name === 'AbortError') return;
      body.replaceChildren(app.errorBox(e));
    });

  coverage
    .then((cov) => {
      if (ctrl.signal.aborted) return;
      const focusName = view.soum ? app.unit(view.soum) : view.aimag ? app.unit(view.aimag) : app.t('dash.level.nation');
      coverageBox.replaceChildren(h('h2', { id: 'dash-cov-h' }, `${app.t('dash.cov.title')}: ${focusName}`), coverageSection(app, cov, view, inView, aimagOf, go));
    })
    .catch((e) => {
      if ((e as Error)?.name === 'AbortError') return;
      coverageBox.replaceChildren(h('h2', { id: 'dash-cov-h' }, app.t('dash.cov.title')), app.errorBox(e));
    });

  loadResponses(app, ctrl.signal)
    .then((r) => {
      if (ctrl.signal.aborted) return;
      responsesBox.replaceChildren(h('h2', { id: 'dash-resp-h' }, app.t('dash.resp.title')), responsesTable(app, r.rows, r.previewed, r.limited));
    })
    .catch((e) => {
      if ((e as Error)?.name === 'AbortError') return;
      responsesBox.replaceChildren(h('h2', { id: 'dash-resp-h' }, app.t('dash.resp.title')), app.errorBox(e));
    });
  return () => ctrl.abort();
};

// ---- Insurance coverage -------------------------------------------------------

function coverageSection(
  app: App,
  cov: CoverageResponse,
  view: View,
  inView: (code: number) => boolean,
  aimagOf: (code: number) => number,
  go: (v: View) => void,
): HTMLElement {
  const targets = cov.targets[0];
  if (!targets) return h('p', null, app.t('dash.noData'));
  const pct = (r: number) => (Number.isFinite(r) ? formatPercent(app.lang, r) : app.t('common.none'));
  const month = targets.month;
  const total = coverageTotal(cov.cells, month, inView);
  const statusText = (rate: number, target: number) => app.t(`dash.cov.${targetStatus(rate, target)}` as MessageKey);
  const tile = (key: MessageKey, insured: number, rate: number, target: number, testid: string) =>
    h(
      'div',
      { class: 'tile', 'data-testid': testid, 'data-status': targetStatus(rate, target) },
      h('span', { class: 'v' }, pct(rate)),
      app.t(key),
      h('br'),
      h('small', null, app.t('dash.cov.of', { insured: app.num(insured), persons: app.num(total.persons), target: formatPercent(app.lang, target) })),
      h('br'),
      h('small', null, h('strong', null, statusText(rate, target))),
    );
  // Cells: rate, and a tick when the target is reached (said in words for
  // screen readers by the title and the note below the table).
  const rateCell = (rate: number, target: number) =>
    h('td', { class: 'num', title: statusText(rate, target) }, pct(rate), targetStatus(rate, target) === 'met' ? ' ✓' : '');
  const bands = coverageBySexAge(cov.cells, month, inView);
  const sexAge = h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { 'data-testid': 'dash-cov-sexage' },
      h('caption', null, app.t('dash.cov.bySexAge')),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'col' }, app.t('dash.ageBand')),
          h('th', { scope: 'col', class: 'num' }, app.t('dash.cov.socialOf', { group: app.t('dash.female') })),
          h('th', { scope: 'col', class: 'num' }, app.t('dash.cov.socialOf', { group: app.t('dash.male') })),
          h('th', { scope: 'col', class: 'num' }, app.t('dash.cov.healthOf', { group: app.t('dash.female') })),
          h('th', { scope: 'col', class: 'num' }, app.t('dash.cov.healthOf', { group: app.t('dash.male') })),
        ),
      ),
      h(
        'tbody',
        null,
        bands.map((b) =>
          h(
            'tr',
            null,
            h('th', { scope: 'row' }, b.band || app.t('common.all')),
            rateCell(b.female.socialRate, targets.social),
            rateCell(b.male.socialRate, targets.social),
            rateCell(b.female.healthRate, targets.health),
            rateCell(b.male.healthRate, targets.health),
          ),
        ),
      ),
    ),
  );
  // By area: aimags at the nation, the aimag's soums below it.
  const byArea = coverageByArea(
    cov.cells.filter((c) => (view.aimag ? aimagOf(c.area) === view.aimag : true)),
    month,
  );
  const units = Units.sortByName(
    app.lang,
    [...byArea.keys()].map((code) => app.units.get(code) ?? { code, level: 'soum', aimag: 0, en: String(code), mn: String(code) }),
  );
  const officerArea = app.session?.area_code ?? 0;
  const canDrill = !view.aimag || officerArea < 10000;
  const areaRow = (code: number, name: string, t: CoverageTotals) =>
    h(
      'tr',
      { class: code === view.soum ? 'selected' : null },
      h(
        'th',
        { scope: 'row' },
        canDrill ? h('button', { type: 'button', class: 'link', onclick: () => go(view.aimag ? { ...view, soum: code } : { ...view, aimag: code, soum: 0 }) }, name) : name,
      ),
      h('td', { class: 'num' }, app.num(t.persons)),
      rateCell(t.socialRate, targets.social),
      rateCell(t.healthRate, targets.health),
    );
  const areaTableEl = h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { 'data-testid': 'dash-cov-areas' },
      h('caption', null, app.t('dash.cov.byArea')),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'col' }, app.t('dash.area')),
          h('th', { scope: 'col', class: 'num' }, app.t('dash.cov.persons')),
          h('th', { scope: 'col', class: 'num' }, app.t('dash.cov.social')),
          h('th', { scope: 'col', class: 'num' }, app.t('dash.cov.health')),
        ),
      ),
      h('tbody', null, units.map((u) => areaRow(u.code, u[app.lang], byArea.get(u.code)!))),
      h(
        'tfoot',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'row' }, app.t('dash.cov.target')),
          h('td'),
          h('td', { class: 'num' }, formatPercent(app.lang, targets.social)),
          h('td', { class: 'num' }, formatPercent(app.lang, targets.health)),
        ),
      ),
    ),
  );
  return h(
    'div',
    null,
    h('p', null, app.t('dash.cov.intro', { month: monthLabel(app.lang, month), social: formatPercent(app.lang, targets.social), health: formatPercent(app.lang, targets.health) })),
    h(
      'div',
      { class: 'tiles' },
      h('div', { class: 'tile', 'data-testid': 'dash-cov-persons' }, h('span', { class: 'v' }, app.num(total.persons)), app.t('dash.cov.persons')),
      tile('dash.cov.social', total.social, total.socialRate, targets.social, 'dash-cov-social'),
      tile('dash.cov.health', total.health, total.healthRate, targets.health, 'dash-cov-health'),
    ),
    h('p', null, h('small', null, `✓ ${app.t('dash.cov.met')}`)),
    sexAge,
    view.soum ? null : areaTableEl,
  );
}

// ---- Active shock responses -------------------------------------------------------

// The most plans whose payments are looked up (one request per plan and
// per approved payroll).
const PLAN_LIMIT = 12;

async function loadResponses(app: App, signal: AbortSignal): Promise<{ rows: ResponseRow[]; previewed: Set<string>; limited: boolean }> {
  const [events, plans] = await Promise.all([
    app.api.get<{ items: EventItem[] }>('/api/v1/events', signal),
    app.api.get<{ items: PlanItem[] }>('/api/v1/plans', signal),
  ]);
  const today = new Date().toISOString().slice(0, 10);
  // Newest events first (the server's order); their approved plans.
  const order = new Map(events.items.map((e, i) => [e.code, i]));
  const approved = plans.items
    .filter((p) => p.status === 'approved' && order.has(p.event))
    .sort((a, b) => (order.get(a.event) ?? 0) - (order.get(b.event) ?? 0));
  const checked = approved.slice(0, PLAN_LIMIT);
  const states = new Map<string, InstallmentState[]>();
  // A prepared plan has no frozen list yet: its beneficiaries and cost are
  // today's preview over the register (server-side aggregates).
  const prepared = plans.items.filter((p) => p.status === 'prepared' && order.has(p.event)).slice(0, PLAN_LIMIT);
  const previewed = new Set<string>();
  await Promise.all(
    prepared.map(async (p) => {
      const pv = await app.api.get<{ national: { beneficiaries: number; amount: number } }>(`/api/v1/plans/${encodeURIComponent(p.code)}/preview`, signal);
      p.beneficiaries = pv.national.beneficiaries;
      p.amount_per_installment = pv.national.amount;
      previewed.add(p.code);
    }),
  );
  await Promise.all(
    checked.map(async (p) => {
      const detail = await app.api.get<{ installments: { number: number; payroll: { status: 'generated' | 'approved'; lines: number } | null }[] }>(
        `/api/v1/plans/${encodeURIComponent(p.code)}`,
        signal,
      );
      const list: InstallmentState[] = await Promise.all(
        detail.installments.map(async (i) => {
          const s: InstallmentState = { number: i.number, payroll: i.payroll?.status ?? 'none', lines: i.payroll?.lines ?? 0, paid: 0, paidAmount: 0 };
          if (i.payroll?.status === 'approved') {
            const r = await app.api.get<{ total: { lines: number; paid: number; paid_amount: number } }>(
              `/api/v1/plans/${encodeURIComponent(p.code)}/payrolls/${i.number}/report`,
              signal,
            );
            s.lines = r.total.lines;
            s.paid = r.total.paid;
            s.paidAmount = r.total.paid_amount;
          }
          return s;
        }),
      );
      states.set(p.code, list);
    }),
  );
  const rows = responseRows(events.items, plans.items, states, today).filter((r) => r.active);
  return { rows, previewed, limited: approved.length > PLAN_LIMIT };
}

function responsesTable(app: App, rows: ResponseRow[], previewed: Set<string>, limited: boolean): HTMLElement {
  if (rows.length === 0) return h('p', { 'data-testid': 'dash-resp-none' }, app.t('dash.resp.none'));
  const links = app.allowedRoutes().includes('response');
  const link = (href: string, text: string) => (links ? h('a', { href }, text) : text);
  const period = (e: EventItem) =>
    e.ends_on ? app.t('dash.resp.period', { from: app.date(e.starts_on), to: app.date(e.ends_on) }) : app.t('dash.resp.since', { date: app.date(e.starts_on) });
  const cols: MessageKey[] = ['dash.resp.event', 'dash.resp.soums', 'dash.resp.plan', 'dash.resp.state', 'dash.resp.beneficiaries', 'dash.resp.cost', 'dash.resp.paid'];
  return h(
    'div',
    null,
    h('p', null, app.t('dash.resp.intro')),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { 'data-testid': 'dash-resp-table' },
        h('thead', null, h('tr', null, cols.map((k, i) => h('th', { scope: 'col', class: i === 1 || i >= 4 ? 'num' : null }, app.t(k))))),
        h(
          'tbody',
          null,
          rows.map((r) =>
            h(
              'tr',
              { 'data-event': r.event.code, 'data-plan': r.plan?.code ?? null },
              h(
                'th',
                { scope: 'row' },
                link(`#/response/event/${encodeURIComponent(r.event.code)}`, r.event.name),
                h('br'),
                h('small', null, `${app.t(`resp.type.${r.event.type}` as MessageKey)}, ${period(r.event)}`),
              ),
              h('td', { class: 'num' }, app.num(r.event.soums)),
              h('td', null, r.plan ? link(`#/response/plan/${encodeURIComponent(r.plan.code)}`, r.plan.name) : app.t('dash.resp.noPlan')),
              h('td', { 'data-testid': 'dash-resp-state' }, app.t(`dash.resp.state.${r.state}` as MessageKey)),
              h('td', { class: 'num' }, r.plan ? app.num(r.plan.beneficiaries) : app.t('common.none'), r.plan && previewed.has(r.plan.code) ? [h('br'), h('small', null, app.t('dash.resp.preview'))] : null),
              h('td', { class: 'num' }, r.plan ? app.money(r.cost) : app.t('common.none')),
              h(
                'td',
                { class: 'num' },
                r.plan ? app.t('dash.resp.paidOf', { paid: app.num(r.installmentsPaid), total: app.num(r.installments) }) : app.t('common.none'),
                r.paidAmount > 0 ? h('br') : null,
                r.paidAmount > 0 ? h('small', null, app.t('dash.resp.paidAmount', { amount: app.money(r.paidAmount) })) : null,
              ),
            ),
          ),
        ),
      ),
    ),
    limited ? h('p', null, h('small', null, app.t('dash.resp.more', { n: app.num(PLAN_LIMIT) }))) : null,
  );
}

function breadcrumb(app: App, view: View, go: (v: View) => void): HTMLElement {
  const area = app.session?.area_code ?? 0;
  const parts: (HTMLElement | string)[] = [];
  const link = (text: string, v: View) => h('button', { type: 'button', class: 'link', onclick: () => go(v) }, text);
  if (area === 0) parts.push(view.aimag ? link(app.t('dash.toNation'), { ...view, aimag: 0, soum: 0 }) : app.t('dash.level.nation'));
  if (view.aimag) {
    if (parts.length) parts.push('›');
    parts.push(view.soum && area < 10000 ? link(app.unit(view.aimag), { ...view, soum: 0 }) : app.unit(view.aimag));
  }
  if (view.soum) parts.push('›', app.unit(view.soum));
  return h('nav', { class: 'breadcrumb', 'aria-label': app.t('dash.area') }, parts);
}

function figures(app: App, a: AreaStats): HTMLElement {
  const sex = bySex(a);
  const tile = (key: MessageKey, v: number, testid?: string) =>
    h('div', { class: 'tile', 'data-testid': testid ?? null }, h('span', { class: 'v' }, app.num(v)), app.t(key));
  return h(
    'div',
    null,
    h(
      'div',
      { class: 'tiles' },
      tile('dash.households', a.households, 'tile-households'),
      tile('dash.persons', a.persons, 'tile-persons'),
      tile('dash.female', sex.female),
      tile('dash.male', sex.male),
      tile('dash.herders', a.herders, 'tile-herders'),
      tile('dash.herderHouseholds', a.herder_households),
      tile('dash.children', a.children_0_17),
    ),
    h('h3', null, app.t('dash.sexAge')),
    pyramidChart(app, a),
  );
}

// Women to the left, men to the right, one bar pair per age band; the
// numbers are also in a table for screen readers and print.
function pyramidChart(app: App, a: AreaStats): HTMLElement {
  const rows = pyramid(a);
  const max = Math.max(1, ...rows.map((r) => Math.max(r.female, r.male)));
  const W = 360;
  const rowH = 22;
  const mid = W / 2;
  const labelW = 44;
  const barMax = mid - labelW / 2 - 4;
  const NS = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${W} ${rows.length * rowH + 24}`);
  svg.setAttribute('class', 'pyramid');
  svg.setAttribute('aria-hidden', 'true');
  const el = (tag: string, attrs: Record<string, string | number>, text?: string) => {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    svg.appendChild(e);
  };
  el('text', { x: 4, y: 12 }, app.t('dash.female'));
  el('text', { x: W - 4, y: 12, 'text-anchor': 'end' }, app.t('dash.male'));
  // Reversed so the oldest band is on top.
  [...rows].reverse().forEach((r, i) => {
    const y = 20 + i * rowH;
    const fw = (r.female / max) * barMax;
    const mw = (r.male / max) * barMax;
    el('rect', { x: mid - labelW / 2 - fw, y, width: fw, height: rowH - 6, fill: '#b3367a' });
    el('rect', { x: mid + labelW / 2, y, width: mw, height: rowH - 6, fill: '#2a6fb0' });
    el('text', { x: mid, y: y + rowH - 10, 'text-anchor': 'middle' }, r.band);
  });
  const table = h(
    'table',
    { class: 'sr-table' },
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, app.t('dash.ageBand')), h('th', { scope: 'col', class: 'num' }, app.t('dash.female')), h('th', { scope: 'col', class: 'num' }, app.t('dash.male')))),
    h('tbody', null, rows.map((r) => h('tr', null, h('th', { scope: 'row' }, r.band), h('td', { class: 'num' }, app.num(r.female)), h('td', { class: 'num' }, app.num(r.male))))),
  );
  return h('figure', null, svg, h('details', null, h('summary', null, app.t('dash.sexAge')), table));
}

function areaTable(app: App, areas: AreaStats[], total: AreaStats, view: View, go: (v: View) => void): HTMLElement {
  const officerArea = app.session?.area_code ?? 0;
  const sorted = Units.sortByName(
    app.lang,
    areas.map((a) => app.units.get(a.code) ?? { code: a.code, level: 'soum', aimag: 0, en: String(a.code), mn: String(a.code) }),
  );
  const byCode = new Map(areas.map((a) => [a.code, a]));
  const cols: Measure[] = ['households', 'persons', 'herders', 'herder_households', 'children_0_17'];
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { 'data-testid': 'area-table' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, app.t('dash.area')), cols.map((c) => h('th', { scope: 'col', class: 'num' }, app.t(measureKey[c]))))),
      h(
        'tbody',
        null,
        sorted.map((u) => {
          const a = byCode.get(u.code)!;
          const canDrill = !view.aimag || officerArea < 10000;
          const name = canDrill
            ? h('button', { type: 'button', class: 'link', onclick: () => go(view.aimag ? { ...view, soum: u.code } : { ...view, aimag: u.code, soum: 0 }) }, u[app.lang])
            : u[app.lang];
          return h('tr', { class: u.code === view.soum ? 'selected' : null }, h('th', { scope: 'row' }, name), cols.map((c) => h('td', { class: 'num' }, app.num(a[c]))));
        }),
      ),
      h('tfoot', null, h('tr', null, h('th', { scope: 'row' }, app.t('common.total')), cols.map((c) => h('td', { class: 'num' }, app.num(total[c]))))),
    ),
  );
}
