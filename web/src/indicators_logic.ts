// The results framework (docs/indicators.md), the logic of the Results
// framework page kept free of the DOM so it is unit-tested
// (indicators.test.ts): the JSON of the routes, periods and the page's
// address, the values as the page writes them, the disaggregation tables,
// the progress bar's width and the addresses of the downloads.
import type { Lang } from './format';

export type Unit = 'persons' | 'households' | 'percent' | 'MNT' | 'days';

export interface IndicatorJson {
  code: string;
  name: { mn: string; en: string };
  definition: { mn: string; en: string };
  unit: Unit;
  computation: string;
  disaggregations: string[];
  baseline: { value: number; date: string; source: string } | null;
  targets: { date: string; value: number }[];
}

export interface CellJson {
  by: Record<string, string>;
  numerator: number;
  denominator: number;
  value: number;
}

export interface FrozenJson {
  id: number;
  frozen_by: string;
  frozen_at: string;
  register_version: string;
  parameters_version: string;
  total: CellJson;
  progress?: number;
  cells?: CellJson[];
}

export interface DifferenceJson {
  by: Record<string, string>;
  frozen: number;
  live: number;
  delta: number;
}

export interface ValueJson {
  code: string;
  period: string;
  area: number;
  reference_date: string;
  unit: Unit;
  total: CellJson;
  target: { date: string; value: number } | null;
  progress: number | null;
  frozen: FrozenJson | null;
  differences: DifferenceJson[];
  cells?: CellJson[];
  error?: string; // The indicator could not be computed here.
}

export interface ValuesJson {
  period: string;
  area: number;
  items: ValueJson[];
}

export type PeriodKind = 'year' | 'quarter' | 'month';

export interface PeriodChoice {
  kind: PeriodKind;
  year: number;
  index: number; // Quarter 1-4 or month 1-12; 1 for a year.
}

// DHIS2's period names, as the server takes them: 2020, 2020Q1, 202001.
export function periodName(p: PeriodChoice): string {
  if (p.kind === 'year') return String(p.year);
  if (p.kind === 'quarter') return `${p.year}Q${p.index}`;
  return `${p.year}${String(p.index).padStart(2, '0')}`;
}

export function parsePeriod(text: string): PeriodChoice | null {
  let m = /^(\d{4})$/.exec(text);
  if (m) return { kind: 'year', year: Number(m[1]), index: 1 };
  m = /^(\d{4})Q([1-4])$/.exec(text);
  if (m) return { kind: 'quarter', year: Number(m[1]), index: Number(m[2]) };
  m = /^(\d{4})-?(\d{2})$/.exec(text);
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) return { kind: 'month', year: Number(m[1]), index: Number(m[2]) };
  return null;
}

// The periods a printed framework shows for the one chosen: a year's four
// quarters then the year; a quarter's three months then the quarter; a
// month alone.
export function periodsToPrint(p: PeriodChoice): string[] {
  if (p.kind === 'year') return [1, 2, 3, 4].map((q) => `${p.year}Q${q}`).concat(String(p.year));
  if (p.kind === 'quarter') {
    const first = 3 * (p.index - 1) + 1;
    return [first, first + 1, first + 2].map((m) => periodName({ kind: 'month', year: p.year, index: m })).concat(periodName(p));
  }
  return [periodName(p)];
}

// The page's address: #/indicators/PERIOD[/CODE[/AREA]], or
// #/indicators/print/PERIOD for the printable framework.
export interface PageArg {
  print: boolean;
  period: string | null;
  code: string | null;
  area: number;
}

export function parseArg(arg: string): PageArg {
  const parts = arg.split('/').filter((s) => s !== '');
  const print = parts[0] === 'print';
  if (print) parts.shift();
  const period = parts[0] && parsePeriod(parts[0]) ? parts[0] : null;
  const code = period && parts[1] && /^[A-Za-z0-9_]+$/.test(parts[1]) ? parts[1] : null;
  const area = code && parts[2] && /^\d{3}(\d{2})?$/.test(parts[2]) ? Number(parts[2]) : 0;
  return { print, period, code, area };
}

export function pageHash(a: { period: string; code?: string | null; area?: number; print?: boolean }): string {
  if (a.print) return `#/indicators/print/${a.period}`;
  let s = `#/indicators/${a.period}`;
  if (a.code) s += `/${encodeURIComponent(a.code)}`;
  if (a.code && a.area) s += `/${a.area}`;
  return s;
}

// Numbers in the page's language; percent with 1 to 2 decimals, days with
// 1, money as tögrög, counts whole.
const grouped: Record<Lang, Intl.NumberFormat> = {
  mn: new Intl.NumberFormat('mn-MN', { maximumFractionDigits: 0 }),
  en: new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 }),
};
const decimals: Record<Lang, Intl.NumberFormat> = {
  mn: new Intl.NumberFormat('mn-MN', { minimumFractionDigits: 1, maximumFractionDigits: 2 }),
  en: new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 2 }),
};
const oneDecimal: Record<Lang, Intl.NumberFormat> = {
  mn: new Intl.NumberFormat('mn-MN', { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
  en: new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
};

export function formatCount(lang: Lang, n: number): string {
  return grouped[lang].format(n);
}

export function formatValue(lang: Lang, unit: Unit, value: number): string {
  if (!Number.isFinite(value)) return '—';
  switch (unit) {
    case 'percent':
      return `${decimals[lang].format(value)}%`;
    case 'MNT':
      return lang === 'mn' ? `${grouped[lang].format(Math.round(value))} ₮` : `MNT ${grouped[lang].format(Math.round(value))}`;
    case 'days':
      return oneDecimal[lang].format(value);
    default:
      return grouped[lang].format(value);
  }
}

// A change between the frozen and the live value, signed: "+0.25%", "−3".
export function formatDelta(lang: Lang, unit: Unit, delta: number): string {
  const sign = delta > 0 ? '+' : delta < 0 ? '−' : '±';
  return `${sign}${formatValue(lang, unit, Math.abs(delta))}`;
}

// The progress (percent of the way from baseline to target) as the bar's
// width in [0, 100] and as text ("62.5%").
export function progressWidth(progress: number | null): number {
  if (progress === null || !Number.isFinite(progress)) return 0;
  return Math.max(0, Math.min(100, progress));
}

export function indicatorName(i: IndicatorJson, lang: Lang): string {
  return i.name[lang] || i.code;
}

// The target in force for a reference date, as the server chooses it: the
// earliest target on or after the date, else the last.
export function targetInForce(i: IndicatorJson, reference: string): { date: string; value: number } | null {
  const sorted = [...i.targets].sort((a, b) => a.date.localeCompare(b.date));
  return sorted.find((t) => t.date >= reference) ?? sorted[sorted.length - 1] ?? null;
}

// The disaggregations a value's table has, in the indicator's order
// (single dimensions only: the pairs are in the exports).
export const DIMENSIONS = ['sex', 'age_band', 'disability', 'head_sex', 'aimag', 'soum'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export function dimensionsOf(cells: CellJson[]): Dimension[] {
  const present = new Set<string>();
  for (const c of cells) {
    const keys = Object.keys(c.by);
    if (keys.length === 1) present.add(keys[0]);
  }
  return DIMENSIONS.filter((d) => present.has(d));
}

export interface Row {
  key: string; // The cell's value of the dimension: "F", "18-29", "18140".
  live: CellJson;
  frozen: CellJson | null;
}

// The cells of one dimension, sorted by key (codes numerically), each with
// its frozen cell when the value is frozen.
export function rowsOf(dim: Dimension, cells: CellJson[], frozen: CellJson[] | null | undefined): Row[] {
  const only = (cs: CellJson[]) => cs.filter((c) => Object.keys(c.by).length === 1 && dim in c.by);
  const frozenBy = new Map((frozen ? only(frozen) : []).map((c) => [c.by[dim], c]));
  const rows = only(cells).map((c) => ({ key: c.by[dim], live: c, frozen: frozenBy.get(c.by[dim]) ?? null }));
  const numeric = rows.every((r) => /^\d+$/.test(r.key));
  return rows.sort((a, b) => (numeric ? Number(a.key) - Number(b.key) : a.key.localeCompare(b.key)));
}

// Whether a unit has a numerator and denominator worth showing.
export function isRatio(unit: Unit): boolean {
  return unit === 'percent' || unit === 'days';
}

export type ExportFormat = 'csv' | 'dhis2-json' | 'adx' | 'xlsx';

export function exportUrl(format: ExportFormat, period: string, area: number, code?: string | null): string {
  const q = new URLSearchParams({ format, period });
  if (area) q.set('area', String(area));
  if (code) q.set('code', code);
  return `/api/v1/indicators/export?${q.toString()}`;
}

export function valueUrl(code: string, period: string, area: number): string {
  return `/api/v1/indicators/${encodeURIComponent(code)}/value?period=${period}${area ? `&area=${area}` : ''}`;
}

export function valuesUrl(period: string, area = 0): string {
  return `/api/v1/indicators/values?period=${period}${area ? `&area=${area}` : ''}`;
}

export function freezeUrl(code: string, period: string, area: number): string {
  return `/api/v1/indicators/${encodeURIComponent(code)}/freeze?period=${period}${area ? `&area=${area}` : ''}`;
}

// A server message given in both languages ("монгол / English") in the
// reader's language: the part in Cyrillic for Mongolian, the other for
// English; a message in one language as it is.
export function inLanguage(message: string, lang: Lang): string {
  const parts = message.split(' / ');
  if (parts.length !== 2) return message;
  const cyrillic = (s: string) => /[А-Яа-яӨөҮүЁё]/.test(s);
  const mn = parts.find(cyrillic);
  const en = parts.find((p) => !cyrillic(p));
  if (!mn || !en) return message;
  return lang === 'mn' ? mn.trim() : en.trim();
}
