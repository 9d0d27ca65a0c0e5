// Pure logic of the analysis page (pages/analytics.ts): the benefit
// simulation form -> a survey scenario (docs/poverty.md "Scenario files"),
// server errors -> the form field they name, and the server's answers
// (GET /api/v1/rima/summary, POST /api/v1/poverty/measures and
// /simulations) -> rows to show. No DOM here, so it is unit-tested.

export interface BenefitForm {
  amount: number; // MNT per beneficiary per month.
  unit: 'person' | 'household';
  minAge: number;
  maxAge: number;
  months: number; // 12 monthly, 1 one-off.
  takeup: number; // 0..1
  date: string; // YYYY-MM-DD: rules and the official line on this date.
}

export type BenefitField = 'amount' | 'unit' | 'minAge' | 'maxAge' | 'months' | 'takeup' | 'line';

// Checks the form in the browser first (the server checks again); returns
// the first problem's field, or null.
export function checkBenefitForm(f: BenefitForm): BenefitField | null {
  if (!Number.isInteger(f.amount) || f.amount <= 0) return 'amount';
  if (!Number.isInteger(f.minAge) || f.minAge < 0 || f.minAge > 120) return 'minAge';
  if (!Number.isInteger(f.maxAge) || f.maxAge < f.minAge || f.maxAge > 200) return 'maxAge';
  if (!Number.isInteger(f.months) || f.months < 1 || f.months > 12) return 'months';
  if (!(f.takeup > 0 && f.takeup <= 1)) return 'takeup';
  return null;
}

// The scenario: the observed baseline (no programme changes) and one reform
// that adds the benefit.
export function benefitScenario(f: BenefitForm): Record<string, unknown> {
  return {
    parameter_version: 'web-form',
    date: f.date,
    baseline: { name: 'baseline', rules: [] },
    reforms: [
      {
        name: 'reform',
        rules: [
          {
            programme: 'new_benefit',
            unit: f.unit,
            min_age: f.minAge,
            max_age: f.maxAge,
            amount: f.amount,
            months: f.months,
            takeup: f.takeup,
          },
        ],
      },
    ],
  };
}

const ruleKeys: Record<string, BenefitField> = {
  amount: 'amount',
  unit: 'unit',
  min_age: 'minAge',
  max_age: 'maxAge',
  months: 'months',
  takeup: 'takeup',
};

// The form field a server error concerns: "line" for the line, and for
// the scenario the rule key named in the message
// ("reforms[0].rules[0].max_age: ..." or "... unknown key 'x'").
export function fieldOfError(field: string | null, message: string): BenefitField | null {
  if (field === 'line' || field === 'line_date') return 'line';
  if (field !== 'scenario') return null;
  const m = /rules\[\d+\]\.([a-z_]+)/.exec(message);
  if (m && ruleKeys[m[1]]) return ruleKeys[m[1]];
  return null;
}

export interface LineInfo {
  mnt: number;
  parameter?: string;
  in_force_from?: string;
  source?: string;
}

export interface DomainFgt {
  domain: string;
  fgt0: { before: number | null; after: number | null };
  fgt1: { before: number | null; after: number | null };
  poor_persons: { before: number | null; after: number | null };
}

export interface ReformHeadline {
  name: string;
  cost_month_mnt: number;
  cost_year_mnt: number;
  beneficiary_households: number;
  beneficiary_units: number;
  persons_in_beneficiary_households: number;
  poverty_gap_before_mnt_month: number;
  poverty_gap_after_mnt_month: number;
  gap_closed_per_mnt_spent: number | null;
  domains: DomainFgt[];
}

export interface SimulationAnswer {
  poverty_line: LineInfo;
  reforms: ReformHeadline[];
}

// The national row of a reform's headline (the first domain).
export function nationalOf(r: ReformHeadline): DomainFgt | null {
  return r.domains.find((d) => d.domain === 'national') ?? r.domains[0] ?? null;
}

export interface MeasureRow {
  domain: string;
  population: number;
  mean: number;
  fgt0: number;
  fgt1: number;
  fgt2: number;
  gini: number;
}

// Rows of POST /api/v1/poverty/measures (JSON), one per domain.
export function measureRows(answer: unknown): MeasureRow[] {
  const est = (answer as { estimates?: { domains?: unknown[] } })?.estimates;
  const rows: MeasureRow[] = [];
  for (const d of est?.domains ?? []) {
    const dd = d as { domain?: string; values?: Record<string, number | null> };
    const v = dd.values ?? {};
    const n = (k: string) => (typeof v[k] === 'number' ? (v[k] as number) : NaN);
    rows.push({
      domain: String(dd.domain ?? ''),
      population: n('population'),
      mean: n('mean_pc'),
      fgt0: n('fgt0'),
      fgt1: n('fgt1'),
      fgt2: n('fgt2'),
      gini: n('gini_midpoint'),
    });
  }
  return rows;
}

export interface RimaGroup {
  code: number;
  head_sex: 'F' | 'M' | 'all' | 'unknown';
  households: number;
  mean_score_0_100: number;
  pillars: { ABS: number; AST: number; SSN: number; AC: number };
  quintiles: number[];
}

// One table row per area: all households, then female- and male-headed.
export interface RimaRow {
  code: number;
  all: RimaGroup | null;
  female: RimaGroup | null;
  male: RimaGroup | null;
  leastResilientShare: number; // Share of the area's households in quintile 1.
}

export function rimaRows(groups: RimaGroup[]): RimaRow[] {
  const byCode = new Map<number, RimaRow>();
  for (const g of groups) {
    let row = byCode.get(g.code);
    if (!row) {
      row = { code: g.code, all: null, female: null, male: null, leastResilientShare: NaN };
      byCode.set(g.code, row);
    }
    if (g.head_sex === 'all') {
      row.all = g;
      row.leastResilientShare = g.households > 0 ? (g.quintiles[0] ?? 0) / g.households : NaN;
    } else if (g.head_sex === 'F') row.female = g;
    else if (g.head_sex === 'M') row.male = g;
  }
  return [...byCode.values()].sort((a, b) => a.code - b.code);
}
