// The Results framework page (docs/indicators.md, "Routes and web page"):
// - #/indicators/PERIOD: every indicator's baseline, target, value in the
//   caller's area, a progress bar toward the target and a frozen/live
//   badge, with the downloads and a link to the printable view;
// - #/indicators/PERIOD/CODE[/AREA]: one indicator's disaggregations as
//   tables (sex, age band, disability, head's sex, aimag, soum), the aimags
//   drillable to their soums (the server scopes the area), the frozen value
//   beside the live one with the differences, and the freeze button for
//   those allowed (freeze_indicators), with a confirmation;
// - #/indicators/print/PERIOD: the printable framework (indicators_print.ts).
// The logic is in ../indicators_logic.ts (unit-tested).
import type { App } from '../app';
import { loading } from '../app';
import { table } from '../coop_ui';
import { h } from '../dom';
import { inlineDialog } from '../focus';
import type { MessageKey } from '../i18n';
import {
  dimensionsOf,
  exportUrl,
  formatCount,
  formatDelta,
  formatValue,
  freezeUrl,
  indicatorName,
  inLanguage,
  isRatio,
  pageHash,
  parseArg,
  parsePeriod,
  periodName,
  rowsOf,
  valueUrl,
  valuesUrl,
  type CellJson,
  type Dimension,
  type ExportFormat,
  type IndicatorJson,
  type PeriodChoice,
  type PeriodKind,
  type Row,
  type ValueJson,
  type ValuesJson,
} from '../indicators_logic';
import { printView, progressBar } from './indicators_print';

type Framework = { items: IndicatorJson[] };

// The last complete year: what a report is usually made for.
export function defaultPeriod(): string {
  return String(new Date().getFullYear() - 1);
}

function periodForm(app: App, current: string, code: string | null, area: number): HTMLElement {
  const p: PeriodChoice = parsePeriod(current) ?? { kind: 'year', year: new Date().getFullYear() - 1, index: 1 };
  const kind = h('select', { name: 'kind', 'data-testid': 'ind-kind' }, (['year', 'quarter', 'month'] as const).map((k) => h('option', { value: k, selected: k === p.kind }, app.t(`ind.kind.${k}` as MessageKey))));
  const year = h('input', { type: 'number', name: 'year', min: '2000', max: '2100', value: String(p.year), 'data-testid': 'ind-year', style: 'width:7em' });
  const index = h('select', { name: 'index', 'data-testid': 'ind-index' });
  const label = (key: MessageKey, control: HTMLElement) => h('div', { class: 'field' }, h('label', null, h('span', null, app.t(key)), control));
  const indexField = label('ind.quarter', index);
  const fillIndex = () => {
    const k = kind.value as PeriodKind;
    const n = k === 'month' ? 12 : k === 'quarter' ? 4 : 0;
    index.replaceChildren(...Array.from({ length: n }, (_, i) => h('option', { value: String(i + 1), selected: i + 1 === p.index }, String(i + 1))));
    indexField.hidden = n === 0;
    indexField.querySelector('span')!.textContent = app.t(k === 'month' ? 'ind.month' : 'ind.quarter');
  };
  kind.addEventListener('change', fillIndex);
  fillIndex();
  const form = h('form', { class: 'search', 'data-testid': 'ind-period-form' }, label('ind.periodKind', kind), label('ind.year', year), indexField, h('button', { type: 'submit' }, app.t('ind.show')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const period = periodName({ kind: kind.value as PeriodKind, year: Number(year.value), index: Number(index.value || 1) });
    location.hash = pageHash({ period, code, area });
  });
  return form;
}

function badge(app: App, v: ValueJson): HTMLElement {
  return v.frozen ? h('span', { class: 'badge frozen', 'data-testid': 'ind-badge' }, app.t('ind.frozen')) : h('span', { class: 'badge', 'data-testid': 'ind-badge' }, app.t('ind.live'));
}

function num(text: string, testid?: string): HTMLElement {
  return h('span', { class: 'num', 'data-testid': testid ?? null }, text);
}

function baselineText(app: App, i: IndicatorJson): string {
  return i.baseline ? `${formatValue(app.lang, i.unit, i.baseline.value)} (${app.date(i.baseline.date)})` : app.t('common.none');
}

function targetText(app: App, i: IndicatorJson, v: ValueJson | undefined): string {
  const t = v?.target ?? i.targets[i.targets.length - 1];
  return t ? `${formatValue(app.lang, i.unit, t.value)} (${app.t('ind.by', { date: app.date(t.date) })})` : app.t('common.none');
}

function valueCell(app: App, i: IndicatorJson, v: ValueJson | undefined): HTMLElement | string {
  if (!v) return app.t('common.none');
  if (v.error) return h('span', { class: 'note' }, app.t('ind.notComputed', { reason: inLanguage(v.error, app.lang) }));
  const live = num(formatValue(app.lang, v.unit, v.total.value), `ind-value-${i.code}`);
  if (!v.frozen || v.frozen.total.value === v.total.value) return live;
  const d = v.total.value - v.frozen.total.value;
  return h('span', null, live, h('br'), h('small', null, `${app.t('ind.frozenValue')}: ${formatValue(app.lang, v.unit, v.frozen.total.value)} (${formatDelta(app.lang, v.unit, d)})`));
}

function downloads(app: App, period: string, area: number, code: string | null): HTMLElement {
  const link = (f: ExportFormat, key: MessageKey) => h('li', null, h('a', { href: exportUrl(f, period, area, code), download: '', 'data-testid': `ind-download-${f}` }, app.t(key)));
  return h('section', null, h('h2', null, app.t('ind.downloads')), h('ul', null, link('xlsx', 'ind.download.xlsx'), link('csv', 'ind.download.csv'), link('dhis2-json', 'ind.download.dhis2'), link('adx', 'ind.download.adx')));
}

function overview(app: App, period: string, out: HTMLElement, signal: AbortSignal): void {
  Promise.all([app.api.get<Framework>('/api/v1/indicators', signal), app.api.get<ValuesJson>(valuesUrl(period), signal)])
    .then(([f, values]) => {
      const byCode = new Map(values.items.map((v) => [v.code, v]));
      const rows = f.items.map((i) => {
        const v = byCode.get(i.code);
        return [
          h('a', { href: pageHash({ period, code: i.code }), 'data-testid': `ind-open-${i.code}` }, indicatorName(i, app.lang)),
          num(baselineText(app, i)),
          num(targetText(app, i, v)),
          valueCell(app, i, v),
          v && !v.error ? progressBar(app, v.progress) : app.t('common.none'),
          v && !v.error ? badge(app, v) : '',
        ];
      });
      out.replaceChildren(
        table(app.t('ind.table', { period, area: app.areaName(values.area) }), [app.t('ind.indicator'), app.t('ind.baseline'), app.t('ind.target'), app.t('ind.value'), app.t('ind.progress'), app.t('ind.status')], rows, 'ind-table'),
        h('p', null, h('a', { href: pageHash({ period, print: true }), 'data-testid': 'ind-print-link' }, app.t('ind.print'))),
        downloads(app, period, 0, null),
      );
    })
    .catch((e) => out.replaceChildren(app.errorBox(e)));
}

function groupLabel(app: App, dim: Dimension, key: string): string {
  if (key === 'unknown') return app.t('ind.unknown');
  if (dim === 'sex' || dim === 'head_sex') return key === 'F' || key === 'M' ? app.t(`ind.sex.${key}` as MessageKey) : key;
  if (dim === 'disability') return key === 'yes' || key === 'no' ? app.t(`ind.disability.${key}` as MessageKey) : key;
  if (dim === 'aimag' || dim === 'soum') return app.unit(Number(key));
  return key;
}

function dimTable(app: App, v: ValueJson, dim: Dimension, period: string): HTMLElement {
  const frozen = v.frozen?.cells;
  const ratio = isRatio(v.unit);
  const fmt = (c: CellJson) => formatValue(app.lang, v.unit, c.value);
  const rows = rowsOf(dim, v.cells ?? [], frozen).map((r: Row) => {
    const label = dim === 'aimag' ? h('a', { href: pageHash({ period, code: v.code, area: Number(r.key) }), 'data-testid': `ind-drill-${r.key}` }, groupLabel(app, dim, r.key)) : groupLabel(app, dim, r.key);
    const cells: (HTMLElement | string)[] = [label, num(fmt(r.live))];
    if (ratio) cells.push(num(formatCount(app.lang, r.live.numerator)), num(formatCount(app.lang, r.live.denominator)));
    if (frozen) cells.push(num(r.frozen ? fmt(r.frozen) : app.t('common.none')), num(formatDelta(app.lang, v.unit, r.live.value - (r.frozen?.value ?? 0))));
    return cells;
  });
  const head = [app.t('ind.group'), app.t('ind.value')];
  if (ratio) head.push(app.t('ind.numerator'), app.t('ind.denominator'));
  if (frozen) head.push(app.t('ind.frozenValue'), app.t('ind.difference'));
  return table(app.t(`ind.dim.${dim}` as MessageKey), head, rows, `ind-dim-${dim}`);
}

function freezeSection(app: App, i: IndicatorJson, v: ValueJson, period: string, reload: () => void): HTMLElement {
  const section = h('section', { 'data-testid': 'ind-freeze' });
  if (v.frozen) {
    const f = v.frozen;
    section.append(
      h('p', null, badge(app, v), ' ', app.t('ind.frozenBy', { user: f.frozen_by, date: app.date(f.frozen_at), register: f.register_version, params: f.parameters_version })),
      h('p', { 'data-testid': 'ind-differences' }, v.differences.length ? app.t('ind.differences', { n: app.num(v.differences.length) }) : app.t('ind.noDifference')),
    );
    return section;
  }
  section.append(h('p', null, badge(app, v), ' ', app.t('ind.notFrozen')));
  if (!app.can('freeze_indicators')) return section;
  const status = h('div', { 'aria-live': 'polite' });
  const confirm = h('div', { class: 'alert conflict', hidden: true, 'data-testid': 'ind-freeze-confirm' });
  const button = h('button', { type: 'button', 'data-testid': 'ind-freeze-button' }, app.t('ind.freeze'));
  const yes = h('button', { type: 'button', 'data-testid': 'ind-freeze-yes' }, app.t('ind.freezeYes'));
  const no = h('button', { type: 'button', class: 'secondary' }, app.t('common.cancel'));
  const question = h('p', null, app.t('ind.freezeConfirm', { period, area: app.areaName(v.area) }));
  confirm.append(question, h('div', { class: 'actions' }, yes, no));
  const dialog = inlineDialog(confirm, question, button);
  button.addEventListener('click', dialog.open);
  no.addEventListener('click', dialog.close);
  yes.addEventListener('click', () => {
    yes.disabled = true;
    app.api
      .request<{ total: CellJson }>(freezeUrl(i.code, period, v.area > 0 ? v.area : 0), { method: 'POST' })
      .then(() => reload())
      .catch((e) => {
        yes.disabled = false;
        status.replaceChildren(app.errorBox(e));
      });
  });
  section.append(button, confirm, status);
  return section;
}

function detailHeader(app: App, i: IndicatorJson, v: ValueJson, period: string): HTMLElement[] {
  const crumbs = h('p', { class: 'breadcrumb' }, h('a', { href: pageHash({ period }) }, app.t('ind.back')));
  if (v.area >= 100) crumbs.append(' › ', h('a', { href: pageHash({ period, code: i.code }) }, indicatorName(i, app.lang)), ' › ', app.areaName(v.area));
  return [
    crumbs,
    h('h2', { 'data-testid': 'ind-detail-title' }, `${indicatorName(i, app.lang)} — ${period}`),
    h('p', { class: 'note' }, i.definition[app.lang]),
    h(
      'div',
      { class: 'tiles' },
      h('div', { class: 'tile' }, app.t('ind.value'), h('span', { class: 'v', 'data-testid': 'ind-total' }, formatValue(app.lang, v.unit, v.total.value))),
      h('div', { class: 'tile' }, app.t('ind.baseline'), h('span', { class: 'v' }, i.baseline ? formatValue(app.lang, i.unit, i.baseline.value) : app.t('common.none'))),
      h('div', { class: 'tile' }, app.t('ind.target'), h('span', { class: 'v' }, v.target ? formatValue(app.lang, i.unit, v.target.value) : app.t('common.none'))),
      h('div', { class: 'tile' }, app.t('ind.progress'), progressBar(app, v.progress)),
    ),
    h('p', null, `${app.t('ind.areaOf', { area: app.areaName(v.area) })}. ${app.t('ind.reference', { date: app.date(v.reference_date) })}.`),
  ];
}

function detail(app: App, period: string, code: string, area: number, out: HTMLElement, signal: AbortSignal): void {
  const load = () =>
    Promise.all([app.api.get<Framework>('/api/v1/indicators', signal), app.api.get<ValueJson>(valueUrl(code, period, area), signal)])
      .then(([f, v]) => {
        const i = f.items.find((x) => x.code === code);
        if (!i) throw new Error(`no indicator ${code}`);
        const dims = dimensionsOf(v.cells ?? []);
        out.replaceChildren(
          ...detailHeader(app, i, v, period),
          freezeSection(app, i, v, period, load),
          ...(dims.length ? dims.map((d) => dimTable(app, v, d, period)) : [h('p', null, app.t('ind.noCells'))]),
          downloads(app, period, v.area > 0 ? v.area : 0, code),
        );
      })
      .catch((e) => out.replaceChildren(app.errorBox(e)));
  void load();
}

export function indicatorsPage(app: App, main: HTMLElement, arg: string): () => void {
  const controller = new AbortController();
  const a = parseArg(arg);
  const period = a.period ?? defaultPeriod();
  const out = h('div', { 'aria-live': 'polite', 'data-testid': 'ind-page' }, loading(app));
  if (a.print) {
    printView(app, main, period, controller.signal);
    return () => controller.abort();
  }
  main.append(h('h1', null, app.t('ind.title')), h('p', { class: 'hint' }, app.t('ind.hint')), periodForm(app, period, a.code, a.area), out);
  if (a.code) detail(app, period, a.code, a.area, out, controller.signal);
  else overview(app, period, out, controller.signal);
  return () => controller.abort();
}
