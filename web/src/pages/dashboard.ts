// The register dashboard: figures by aimag and soum from the server's
// aggregates (GET /api/v1/stats, never names), a choropleth map to drill
// down nation -> aimag -> soum, and persons by sex and age band.
import { withQuery } from '../api';
import { loading, type App, type PageFn } from '../app';
import { h, uid } from '../dom';
import type { MessageKey } from '../i18n';
import { drawMap, legend, loadAimags, loadSoums } from '../map';
import { MEASURES, bySex, pyramid, sumAreas, valuesOf, type AreaStats, type Measure, type StatsResponse } from '../stats';
import { Units } from '../units';

const measureKey: Record<Measure, MessageKey> = {
  herders: 'dash.herders',
  herder_households: 'dash.herderHouseholds',
  households: 'dash.households',
  persons: 'dash.persons',
  children_0_17: 'dash.children',
};

interface View {
  aimag: number; // 0: the nation.
  soum: number; // 0: the whole aimag.
  measure: Measure;
}

function parseView(app: App, arg: string): View {
  const p = new URLSearchParams(arg);
  const m = p.get('m') as Measure | null;
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
  return { aimag, soum, measure: m && MEASURES.includes(m) ? m : 'herders' };
}

function viewArg(v: View): string {
  const p = new URLSearchParams();
  if (v.aimag) p.set('aimag', String(v.aimag));
  if (v.soum) p.set('soum', String(v.soum));
  if (v.measure !== 'herders') p.set('m', v.measure);
  return p.toString();
}

export const dashboardPage: PageFn = (app: App, main: HTMLElement, arg: string) => {
  const view = parseView(app, arg);
  const go = (v: View) => app.go(`dashboard/${viewArg(v)}`);
  const ctrl = new AbortController();
  const body = h('div', null, loading(app));
  main.append(h('h1', null, app.t('dash.title')), breadcrumb(app, view, go), body);

  const url = view.aimag ? withQuery('/api/v1/stats', { by: 'soum', aimag: view.aimag }) : withQuery('/api/v1/stats', { by: 'aimag' });
  Promise.all([app.api.get<StatsResponse>(url, ctrl.signal), view.aimag ? loadSoums(view.aimag) : loadAimags()])
    .then(([stats, shapes]) => {
      // The server lists the areas and then their total (code 0).
      const areas = stats.areas.filter((a) => a.code !== 0);
      const whole = { ...(stats.areas.find((a) => a.code === 0) ?? sumAreas(areas)), code: view.aimag };
      const focus = view.soum ? areas.find((a) => a.code === view.soum) ?? null : whole;
      const focusName = view.soum ? app.unit(view.soum) : view.aimag ? app.unit(view.aimag) : app.t('dash.level.nation');
      const values = valuesOf(areas, view.measure);
      const measureName = app.t(measureKey[view.measure]);
      const label = (code: number) => {
        const v = values.get(code);
        return `${app.unit(code)}: ${v === undefined ? app.t('dash.noData') : app.num(v)}`;
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
      const measure = h(
        'select',
        { id: measureId, 'data-testid': 'measure' },
        MEASURES.map((m) => h('option', { value: m, selected: m === view.measure }, app.t(measureKey[m]))),
      );
      measure.addEventListener('change', () => go({ ...view, measure: measure.value as Measure }));
      body.replaceChildren(
        h(
          'div',
          { class: 'dash' },
          h(
            'section',
            { 'aria-label': app.t('dash.map', { area: focusName, measure: measureName }) },
            h('div', { class: 'field' }, h('label', { for: measureId }, app.t('dash.measure')), measure),
            svg,
            legend(`${app.t('dash.legend')}: ${measureName}`, breaks, app.num),
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
    })
    .catch((e) => {
      if ((e as Error)?.name === 'AbortError') return;
      body.replaceChildren(app.errorBox(e));
    });
  return () => ctrl.abort();
};

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
