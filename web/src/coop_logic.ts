// The cooperative pages' logic, kept free of the DOM so it is unit-tested
// (coop.test.ts): request bodies from forms (with the field that is wrong),
// who may approve a distribution, the statistics table, lists of register
// numbers.

export const METHODS = ['cash', 'bank', 'in_kind'] as const;
export type Method = (typeof METHODS)[number];
export const PRICED_ITEMS = ['sheep', 'goat', 'cattle', 'horse', 'camel', 'sheep_wool', 'camel_wool', 'cashmere'] as const;
export const ROLES = ['member', 'chair', 'board', 'treasurer', 'auditor'] as const;
export const TOPICS = ['life_skills', 'entrepreneurship', 'other'] as const;
// The programme's pedigree rams, as a rule (docs/rules.md): offered as the
// example of the distribution form, in both languages.
export const RAMS_RULE = 'household.sheep_units < 200 and (household.head.sex == F or household.head.age < 35)';

export interface ContributionForm {
  register_no: string;
  date: string;
  method: Method;
  amount: string;
  item: string;
  quantity: string;
  note: string;
}

export type FormResult<T> = { body: T; field?: undefined } | { body?: undefined; field: string };

const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s));
const isWhole = (s: string) => /^\d+$/.test(s.trim()) && Number(s) > 0;

// The body of POST .../fund/contributions, or the first field that is
// wrong: cash and bank need a whole amount above zero; in kind needs an
// item and a positive quantity (whole head for animals), and takes an
// amount only as a stated value.
export function contributionBody(f: ContributionForm): FormResult<Record<string, unknown>> {
  if (!f.register_no.trim()) return { field: 'register_no' };
  if (!isDate(f.date)) return { field: 'date' };
  const body: Record<string, unknown> = { register_no: f.register_no.trim(), date: f.date, method: f.method };
  if (f.method !== 'in_kind') {
    if (!isWhole(f.amount)) return { field: 'amount' };
    body.amount = Number(f.amount);
  } else {
    if (!f.item.trim()) return { field: 'item' };
    const q = Number(f.quantity);
    const head = ['sheep', 'goat', 'cattle', 'horse', 'camel'].includes(f.item);
    if (!(q > 0) || (head && !Number.isInteger(q))) return { field: 'quantity' };
    body.item = f.item.trim();
    body.quantity = q;
    if (f.amount.trim()) {
      if (!isWhole(f.amount)) return { field: 'amount' };
      body.amount = Number(f.amount);
    }
  }
  if (f.note.trim()) body.note = f.note.trim();
  return { body };
}

export interface DistributionForm {
  code: string;
  kind: 'payout' | 'feed' | 'in_kind';
  name: string;
  coop: string;
  item: string;
  area_code: string;
  eligibility: string;
  quantity: string;
  cutoff_on: string;
  decision: string;
}

// The body of POST /api/v1/distributions (and its preview), or the first
// field that is wrong.
export function distributionBody(f: DistributionForm): FormResult<Record<string, unknown>> {
  if (!/^[a-z0-9][a-z0-9-]{1,39}$/.test(f.code.trim())) return { field: 'code' };
  if (!f.eligibility.trim()) return { field: 'eligibility' };
  if (!f.quantity.trim()) return { field: 'quantity' };
  if (!isDate(f.cutoff_on)) return { field: 'cutoff_on' };
  const body: Record<string, unknown> = {
    code: f.code.trim(),
    kind: f.kind,
    name: f.name.trim() || f.code.trim(),
    eligibility: f.eligibility.trim(),
    quantity: f.quantity.trim(),
    cutoff_on: f.cutoff_on,
  };
  if (f.coop.trim()) body.coop = f.coop.trim();
  if (f.item.trim()) body.item = f.item.trim();
  if (f.decision.trim()) body.decision = f.decision.trim();
  if (f.area_code.trim()) {
    if (!/^\d{3}(\d{2})?$/.test(f.area_code.trim())) return { field: 'area_code' };
    body.area_code = Number(f.area_code);
  }
  return { body };
}

// Why the user may not approve a distribution (null: they may).
export function approveBlock(d: { status: string; prepared_by: string }, username: string): 'approved' | 'maker' | null {
  if (d.status === 'approved') return 'approved';
  if (d.prepared_by === username) return 'maker';
  return null;
}

export interface Counts {
  members: number;
  trainees: number;
  business_owners: number;
  in_kind_recipients: number;
}

export interface StatsJson {
  as_of: string;
  total: Counts;
  by_sex: Partial<Record<'F' | 'M', Counts>>;
  by_age_band: (Counts & { age_band: string })[];
}

export type StatsRow = { kind: 'total' } & Counts | ({ kind: 'sex'; sex: 'F' | 'M' } & Counts) | ({ kind: 'band'; band: string } & Counts);

// The rows of the statistics table: the total, women and men (always,
// zero when absent), then each age band that has someone.
export function statsRows(s: StatsJson): StatsRow[] {
  const zero: Counts = { members: 0, trainees: 0, business_owners: 0, in_kind_recipients: 0 };
  const pick = (c: Counts | undefined): Counts => ({ ...zero, ...(c ?? {}) });
  return [
    { kind: 'total', ...pick(s.total) },
    { kind: 'sex', sex: 'F', ...pick(s.by_sex.F) },
    { kind: 'sex', sex: 'M', ...pick(s.by_sex.M) },
    ...s.by_age_band.map((b) => ({ kind: 'band' as const, band: b.age_band, ...pick(b) })),
  ];
}

// Register numbers typed one a line (or separated by commas or spaces),
// upper-cased, without repeats.
export function parseRegisterNos(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/[\s,;]+/)) {
    const rn = raw.trim().toUpperCase();
    if (rn && !out.includes(rn)) out.push(rn);
  }
  return out;
}

// Households of a preview whose head has a disability.
export function withDisability(cells: { disability: boolean; households: number }[]): number {
  let n = 0;
  for (const c of cells) if (c.disability) n += c.households;
  return n;
}

// A preview's cells summed by sex and age band of the household head.
export function bySexAndBand(cells: { sex: 'F' | 'M'; age_band: string; households: number }[]): { sex: 'F' | 'M'; band: string; households: number }[] {
  const m = new Map<string, { sex: 'F' | 'M'; band: string; households: number }>();
  for (const c of cells) {
    const k = `${c.sex}|${c.age_band}`;
    const r = m.get(k) ?? { sex: c.sex, band: c.age_band, households: 0 };
    r.households += c.households;
    m.set(k, r);
  }
  return [...m.values()].sort((a, b) => (a.sex === b.sex ? a.band.localeCompare(b.band, 'en', { numeric: true }) : a.sex < b.sex ? -1 : 1));
}
