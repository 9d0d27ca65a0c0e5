// The printable results framework (#/indicators/print/PERIOD): for each
// indicator its baseline, target, value by period (a year's quarters and
// the year; a quarter's months and the quarter; a month) with frozen
// figures marked, and the progress toward the target for the period
// chosen, in the interface's language. Print CSS (style.css, A4, no
// navigation) makes it a page to file.
import type { App } from '../app';
import { loading } from '../app';
import { h } from '../dom';
import { formatValue, indicatorName, pageHash, parsePeriod, periodsToPrint, progressWidth, type IndicatorJson, type ValueJson, type ValuesJson } from '../indicators_logic';

// The progress toward the target as a bar and its number.
export function progressBar(app: App, progress: number | null): HTMLElement {
  if (progress === null) return h('span', { class: 'note' }, app.t('ind.noTarget'));
  const text = `${app.num(progress)}%`;
  return h(
    'span',
    { class: 'pbar-wrap', title: app.t('ind.progressText', { percent: text }) },
    h('span', { class: 'pbar', 'aria-hidden': 'true' }, h('span', { style: `width:${progressWidth(progress).toFixed(1)}%` })),
    h('span', { class: 'num', 'data-testid': 'ind-progress' }, text),
  );
}

function valueText(app: App, v: ValueJson | undefined): string {
  if (!v || v.error) return '—';
  const shown = v.frozen ? v.frozen.total.value : v.total.value;
  return `${formatValue(app.lang, v.unit, shown)}${v.frozen ? '*' : ''}`;
}

function printTable(app: App, indicators: IndicatorJson[], periods: string[], values: ValuesJson[]): HTMLElement {
  const maps = values.map((vs) => new Map(vs.items.map((v) => [v.code, v])));
  const chosen = maps[maps.length - 1];
  const head = h(
    'tr',
    null,
    h('th', { scope: 'col' }, app.t('ind.indicator')),
    h('th', { scope: 'col', class: 'num' }, app.t('ind.baseline')),
    h('th', { scope: 'col', class: 'num' }, app.t('ind.target')),
    periods.map((p) => h('th', { scope: 'col', class: 'num' }, p)),
    h('th', { scope: 'col' }, app.t('ind.progress')),
  );
  const rows = indicators.map((i) => {
    const v = chosen.get(i.code);
    const t = v?.target ?? i.targets[i.targets.length - 1];
    const progress = v?.frozen?.progress ?? v?.progress ?? null;
    return h(
      'tr',
      { 'data-testid': `ind-print-${i.code}` },
      h('th', { scope: 'row' }, indicatorName(i, app.lang), h('br'), h('small', null, app.t(`ind.unit.${i.unit}`))),
      h('td', { class: 'num' }, i.baseline ? `${formatValue(app.lang, i.unit, i.baseline.value)} (${app.date(i.baseline.date)})` : '—'),
      h('td', { class: 'num' }, t ? `${formatValue(app.lang, i.unit, t.value)} (${app.date(t.date)})` : '—'),
      maps.map((m) => h('td', { class: 'num' }, valueText(app, m.get(i.code)))),
      h('td', null, v && !v.error ? progressBar(app, progress) : '—'),
    );
  });
  return h('div', { class: 'table-wrap' }, h('table', { class: 'print-table', 'data-testid': 'ind-print-table' }, h('thead', null, head), h('tbody', null, rows)));
}

export function printView(app: App, main: HTMLElement, period: string, signal: AbortSignal): void {
  const choice = parsePeriod(period) ?? { kind: 'year' as const, year: Number(period.slice(0, 4)), index: 1 };
  const periods = periodsToPrint(choice);
  const out = h('div', { 'data-testid': 'ind-print' }, loading(app));
  main.classList.add('print-view');
  main.append(
    h('p', { class: 'no-print actions' }, h('a', { href: pageHash({ period }) }, app.t('ind.back')), h('button', { type: 'button', 'data-testid': 'ind-print-button', onclick: () => window.print() }, app.t('ind.printButton'))),
    out,
  );
  Promise.all([app.api.get<{ items: IndicatorJson[] }>('/api/v1/indicators', signal), ...periods.map((p) => app.api.get<ValuesJson>(`/api/v1/indicators/values?period=${p}`, signal))])
    .then(([f, ...values]) => {
      const area = values[values.length - 1].area;
      out.replaceChildren(
        h('h1', { 'data-testid': 'ind-print-title' }, app.t('ind.printTitle', { period })),
        h('p', null, app.t('ind.printArea', { area: app.areaName(area), date: app.date(new Date().toISOString().slice(0, 10)), user: app.session?.username ?? '' })),
        printTable(app, f.items, periods, values),
        h('p', { class: 'note' }, app.t('ind.printNote')),
      );
    })
    .catch((e) => out.replaceChildren(app.errorBox(e)));
}
