// The insurance page's logic that needs no DOM: coverage summaries against
// the targets, the contribution form's checks before anything is sent,
// idempotency keys (so that a double click never pays twice or records a
// visit twice), and the addresses of the CSV downloads.
import { withQuery } from './api';

// One cell of GET /api/v1/insurance/coverage.
export interface CoverageCell {
  month: string;
  area: number;
  sex?: 'F' | 'M';
  age_band?: string;
  persons: number;
  social_insured: number;
  health_insured: number;
  social_rate: number;
  health_rate: number;
}

export interface CoverageTargets {
  month: string;
  social: number;
  health: number;
}

export interface CoverageResponse {
  register_date: string;
  targets: CoverageTargets[];
  cells: CoverageCell[];
}

export interface SchemeSummary {
  insured: number;
  rate: number;
  target: number;
  // More insured persons needed to reach the target (0 when reached).
  gap: number;
}

export interface SummaryRow {
  key: 'F' | 'M' | 'all';
  persons: number;
  social: SchemeSummary;
  health: SchemeSummary;
}

function scheme(insured: number, persons: number, target: number): SchemeSummary {
  const rate = persons > 0 ? insured / persons : 0;
  const gap = Math.max(0, Math.ceil(target * persons - 1e-9) - insured);
  return { insured, rate, target, gap };
}

// Rows for women, men and everyone of one month from cells split by sex
// (any other split is summed over). Missing sexes are left out.
export function summarizeBySex(cells: CoverageCell[], targets: CoverageTargets, month: string = targets.month): SummaryRow[] {
  const acc = new Map<'F' | 'M' | 'all', { persons: number; social: number; health: number }>();
  const add = (k: 'F' | 'M' | 'all', c: CoverageCell) => {
    const a = acc.get(k) ?? { persons: 0, social: 0, health: 0 };
    a.persons += c.persons;
    a.social += c.social_insured;
    a.health += c.health_insured;
    acc.set(k, a);
  };
  for (const c of cells) {
    if (c.month !== month) continue;
    if (c.sex) add(c.sex, c);
    add('all', c);
  }
  const rows: SummaryRow[] = [];
  for (const k of ['F', 'M', 'all'] as const) {
    const a = acc.get(k);
    if (!a) continue;
    rows.push({ key: k, persons: a.persons, social: scheme(a.social, a.persons, targets.social), health: scheme(a.health, a.persons, targets.health) });
  }
  return rows;
}

// What the contribution form holds (strings as typed).
export interface ContributionForm {
  scheme: string;
  from: string; // YYYY-MM (input type=month)
  months: string;
  method: string;
  amount: string;
  income: string;
  item: string;
  quantity: string;
  date: string; // YYYY-MM-DD or ''
  note: string;
}

export type FieldProblem = 'required' | 'month' | 'months' | 'amount' | 'quantity' | 'date';

export type ContributionCheck =
  | { ok: true; body: Record<string, string | number> }
  | { ok: false; errors: Partial<Record<keyof ContributionForm, FieldProblem>> };

const wholeNumber = /^\d{1,13}$/;

// Checks the form like the server would and builds the request body; the
// server checks everything again.
export function contributionBody(f: ContributionForm): ContributionCheck {
  const errors: Partial<Record<keyof ContributionForm, FieldProblem>> = {};
  if (f.scheme !== 'social' && f.scheme !== 'health') errors.scheme = 'required';
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(f.from)) errors.from = 'month';
  const months = Number(f.months);
  if (!/^\d{1,3}$/.test(f.months) || months < 1 || months > 120) errors.months = 'months';
  const body: Record<string, string | number> = { scheme: f.scheme, from: f.from, months, method: f.method };
  if (f.method === 'in_kind') {
    if (!f.item) errors.item = 'required';
    const q = Number(f.quantity);
    if (!(f.quantity.trim() !== '' && Number.isFinite(q) && q > 0)) errors.quantity = 'quantity';
    body.item = f.item;
    body.quantity = q;
  } else if (f.amount.trim() !== '') {
    if (!wholeNumber.test(f.amount.trim())) errors.amount = 'amount';
    body.amount = Number(f.amount.trim());
  }
  if (f.scheme === 'social' && f.income.trim() !== '') {
    if (!wholeNumber.test(f.income.trim())) errors.income = 'amount';
    body.income = Number(f.income.trim());
  }
  if (f.date) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(f.date)) errors.date = 'date';
    body.date = f.date;
  }
  if (f.note.trim()) body.note = f.note.trim();
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, body };
}

// The form field a server error names ("members.scheme" -> "scheme";
// "declared_income" -> "income"), or null if it is not on the form.
export function formFieldOf(serverField: string | null): keyof ContributionForm | null {
  if (!serverField) return null;
  const f = serverField.replace(/^.*\./, '');
  const alias: Record<string, keyof ContributionForm> = { declared_income: 'income', in_kind_item: 'item' };
  const known: (keyof ContributionForm)[] = ['scheme', 'from', 'months', 'method', 'amount', 'income', 'item', 'quantity', 'date', 'note'];
  if (alias[f]) return alias[f];
  return (known as string[]).includes(f) ? (f as keyof ContributionForm) : null;
}

// A fresh idempotency key for one payment (kept until it is recorded, so a
// retry or double click sends the same key).
export function newIdempotencyKey(random: () => number = Math.random): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  let s = '';
  for (let i = 0; i < 32; i++) s += Math.floor(random() * 16).toString(16);
  return s;
}

// "2025-06-15" -> "2025-06".
export function monthOf(isoDate: string): string {
  return isoDate.slice(0, 7);
}

// The body of POST .../visits from the visit form (strings as typed): the
// outcome, the date only if one was given, the note trimmed and only if not
// empty. The server checks everything.
export function visitBody(outcome: string, date: string, note: string): Record<string, string> {
  const body: Record<string, string> = { outcome };
  if (date) body.date = date;
  if (note.trim()) body.note = note.trim();
  return body;
}

// The whole outreach list of a soum (and bag) as CSV, its reasons in the
// page's language: GET /api/v1/insurance/outreach?format=csv.
export function outreachCsvUrl(soum: string | number, bag: string, lang: 'mn' | 'en'): string {
  return withQuery('/api/v1/insurance/outreach', { soum, bag: bag.trim(), format: 'csv', lang });
}

// Which persons behind a coverage figure: the scheme, the month, insured
// (covered) or not, optionally one sex, and the area (default: the
// caller's whole area).
export interface PersonsListQuery {
  scheme: 'social' | 'health';
  month: string; // YYYY-MM
  covered: boolean;
  sex?: 'F' | 'M';
  aimag?: number;
  soum?: number;
}

// GET /api/v1/insurance/coverage/persons?format=csv for one figure.
export function coveragePersonsCsvUrl(q: PersonsListQuery): string {
  return withQuery('/api/v1/insurance/coverage/persons', {
    scheme: q.scheme,
    month: q.month,
    aimag: q.aimag,
    soum: q.soum,
    sex: q.sex,
    covered: q.covered ? 'true' : 'false',
    format: 'csv',
  });
}
