// Pure logic of the dashboard (pages/dashboard.ts), unit-tested in
// dashboard.test.ts: insurance coverage cells (GET /api/v1/insurance/coverage,
// area x sex x age band) summed by area and by sex x age band against the
// targets, and the active shock responses from GET /api/v1/events,
// /api/v1/plans, /api/v1/plans/{code} and the payment reports.
import type { CoverageCell } from './insurance_logic';

export interface CoverageTotals {
  persons: number;
  social: number; // Socially insured persons.
  health: number; // Health-insured persons.
  socialRate: number; // NaN when there is nobody.
  healthRate: number;
}

function totals(persons: number, social: number, health: number): CoverageTotals {
  return {
    persons,
    social,
    health,
    socialRate: persons > 0 ? social / persons : NaN,
    healthRate: persons > 0 ? health / persons : NaN,
  };
}

// The cells of one month summed by the area `areaOf` gives each cell's area
// (e.g. a soum's aimag), by area code.
export function coverageByArea(cells: CoverageCell[], month: string, areaOf: (code: number) => number = (c) => c): Map<number, CoverageTotals> {
  const acc = new Map<number, [number, number, number]>();
  for (const c of cells) {
    if (c.month !== month) continue;
    const code = areaOf(c.area);
    const a = acc.get(code) ?? [0, 0, 0];
    a[0] += c.persons;
    a[1] += c.social_insured;
    a[2] += c.health_insured;
    acc.set(code, a);
  }
  const out = new Map<number, CoverageTotals>();
  for (const [code, [p, s, h]] of acc) out.set(code, totals(p, s, h));
  return out;
}

// The cells of one month (of the areas `keep` accepts) summed.
export function coverageTotal(cells: CoverageCell[], month: string, keep: (area: number) => boolean = () => true): CoverageTotals {
  let p = 0;
  let s = 0;
  let h = 0;
  for (const c of cells) {
    if (c.month !== month || !keep(c.area)) continue;
    p += c.persons;
    s += c.social_insured;
    h += c.health_insured;
  }
  return totals(p, s, h);
}

export interface SexAgeCoverage {
  band: string; // "18-24", ...; "" when the cells are not split by age.
  female: CoverageTotals;
  male: CoverageTotals;
}

// One row per age band (youngest first) with women and men side by side,
// for one month and the areas `keep` accepts.
export function coverageBySexAge(cells: CoverageCell[], month: string, keep: (area: number) => boolean = () => true): SexAgeCoverage[] {
  const acc = new Map<string, { F: [number, number, number]; M: [number, number, number] }>();
  for (const c of cells) {
    if (c.month !== month || !keep(c.area) || !c.sex) continue;
    const band = c.age_band ?? '';
    let r = acc.get(band);
    if (!r) {
      r = { F: [0, 0, 0], M: [0, 0, 0] };
      acc.set(band, r);
    }
    const a = r[c.sex];
    a[0] += c.persons;
    a[1] += c.social_insured;
    a[2] += c.health_insured;
  }
  return [...acc.entries()]
    .sort((x, y) => (parseInt(x[0], 10) || 0) - (parseInt(y[0], 10) || 0))
    .map(([band, r]) => ({ band, female: totals(...r.F), male: totals(...r.M) }));
}

// How far a rate is from its target: 'met' at or above it, 'near' within
// three quarters of it, 'below' otherwise, 'none' without persons.
export function targetStatus(rate: number, target: number): 'met' | 'near' | 'below' | 'none' {
  if (!Number.isFinite(rate)) return 'none';
  if (rate >= target) return 'met';
  if (rate >= 0.75 * target) return 'near';
  return 'below';
}

// --- Shock responses ---------------------------------------------------------

export interface EventItem {
  code: string;
  type: string;
  name: string;
  declared_on: string;
  starts_on: string;
  ends_on: string | null;
  soums: number;
  plans: number;
}

export interface PlanItem {
  code: string;
  event: string;
  name: string;
  kind: string;
  status: 'prepared' | 'approved';
  beneficiaries: number;
  amount_per_installment: number;
  installments: number;
}

// What the dashboard learns of one plan's installments: the payroll's
// state and, for approved payrolls, the payment report's totals.
export interface InstallmentState {
  number: number;
  payroll: 'none' | 'generated' | 'approved';
  lines: number; // Payments owed (0 until the payroll exists).
  paid: number;
  paidAmount: number;
}

export type ResponseState = 'declared' | 'prepared' | 'approved' | 'paying' | 'paid';

export interface ResponseRow {
  event: EventItem;
  plan: PlanItem | null;
  state: ResponseState;
  cost: number; // All installments: amount per installment x installments.
  installments: number;
  installmentsPaid: number;
  paidAmount: number;
  active: boolean;
}

// An event is over when its end date has passed.
export function eventOngoing(e: Pick<EventItem, 'ends_on'>, today: string): boolean {
  return !e.ends_on || e.ends_on >= today;
}

// An installment is paid when every payment owed is paid.
export function installmentPaid(i: InstallmentState): boolean {
  return i.payroll === 'approved' && i.lines > 0 && i.paid >= i.lines;
}

// The state of a plan from its status and installments.
export function planState(plan: Pick<PlanItem, 'status'>, inst: InstallmentState[]): ResponseState {
  if (plan.status !== 'approved') return 'prepared';
  if (inst.length > 0 && inst.every(installmentPaid)) return 'paid';
  if (inst.some((i) => i.payroll !== 'none')) return 'paying';
  return 'approved';
}

// One row per plan (and one per event without a plan), newest event first.
// A row is active while its event is ongoing or its plan has installments
// not yet paid; `installments` gives each plan's installment states (plans
// missing from it count as not yet paid).
export function responseRows(events: EventItem[], plans: PlanItem[], installments: Map<string, InstallmentState[]>, today: string): ResponseRow[] {
  const byEvent = new Map<string, PlanItem[]>();
  for (const p of plans) {
    const list = byEvent.get(p.event) ?? [];
    list.push(p);
    byEvent.set(p.event, list);
  }
  const rows: ResponseRow[] = [];
  for (const e of events) {
    const ongoing = eventOngoing(e, today);
    const list = byEvent.get(e.code) ?? [];
    if (list.length === 0) {
      rows.push({ event: e, plan: null, state: 'declared', cost: 0, installments: 0, installmentsPaid: 0, paidAmount: 0, active: ongoing });
      continue;
    }
    for (const p of list) {
      const inst = installments.get(p.code) ?? [];
      const paidCount = inst.filter(installmentPaid).length;
      const state = planState(p, inst);
      rows.push({
        event: e,
        plan: p,
        state,
        cost: p.amount_per_installment * p.installments,
        installments: p.installments,
        installmentsPaid: paidCount,
        paidAmount: inst.reduce((s, i) => s + i.paidAmount, 0),
        active: ongoing || state !== 'paid',
      });
    }
  }
  return rows;
}

// A reference month "2020-01" as each language writes it: "2020.01" in
// Mongolian, "Jan 2020" in English; other text unchanged.
export function monthLabel(lang: 'mn' | 'en', ym: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(ym);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return ym;
  if (lang === 'mn') return `${m[1]}.${m[2]}`;
  const names = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${names[Number(m[2]) - 1]} ${m[1]}`;
}
