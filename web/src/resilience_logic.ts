// Pure logic of the resilience part of the analysis page
// (pages/analytics.ts), unit-tested in resilience.test.ts: the RIMA report's
// resilience structure (POST /api/v1/rima/reports: rsm, rsm_by_profile) as
// rows of bars, one household's explanation (POST /api/v1/rima/explain) as
// pillar and indicator contributions with plain-language labels, and the
// household ids of an uploaded survey.
import type { MessageKey } from './i18n';

export const PILLARS = ['ABS', 'AST', 'SSN', 'AC'] as const;
export type Pillar = (typeof PILLARS)[number];

interface PillarShare {
  cor_with_rci: number | null;
  share_pct: number | null;
}

export interface RsmGroupJson {
  profile?: string;
  group?: string;
  n: number;
  mean_score_0_100: number | null;
  pillars: Partial<Record<string, PillarShare>>;
}

export interface ReportJson {
  model_version: string;
  survey?: { rows: number; scored: number; dropped: number };
  rsm: RsmGroupJson;
  rsm_by_profile: RsmGroupJson[];
}

export interface PillarBar {
  pillar: string;
  share: number; // Percent of the index's correlation carried (0-100), NaN if unknown.
  cor: number; // Correlation with the RCI, NaN if unknown.
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : NaN);

// The four pillars of one RSM group in the usual order (then any other).
export function pillarBars(g: RsmGroupJson): PillarBar[] {
  const names = [...PILLARS.filter((p) => p in g.pillars), ...Object.keys(g.pillars).filter((p) => !(PILLARS as readonly string[]).includes(p))];
  return names.map((p) => ({ pillar: p, share: num(g.pillars[p]?.share_pct), cor: num(g.pillars[p]?.cor_with_rci) }));
}

export interface ProfileTable {
  profile: string;
  groups: { group: string; n: number; mean: number; pillars: PillarBar[] }[];
}

// The RSM by profile, one table per profile (in the report's order), groups
// sorted by name.
export function profileTables(groups: RsmGroupJson[]): ProfileTable[] {
  const out: ProfileTable[] = [];
  for (const g of groups) {
    const profile = g.profile ?? '';
    let t = out.find((x) => x.profile === profile);
    if (!t) {
      t = { profile, groups: [] };
      out.push(t);
    }
    t.groups.push({ group: g.group ?? '', n: g.n, mean: num(g.mean_score_0_100), pillars: pillarBars(g) });
  }
  for (const t of out) t.groups.sort((a, b) => a.group.localeCompare(b.group, 'en', { numeric: true }));
  return out;
}

// --- One household explained -------------------------------------------------

export interface Contribution {
  name: string;
  value: number;
  z: number;
  points: number; // 0-100 points above (+) or below (-) the average household.
}

export interface ExplanationJson {
  household: string;
  model_version: string;
  rci: number;
  score_0_100: number;
  quintile: number;
  average_score_0_100: number;
  pillars: { name: string; score: number; contribution: number; points: number; variables: Contribution[] }[];
  food_security: Contribution[];
}

// Pillars in the usual order; within each, the indicators that move the
// score most first.
export function explanationPillars(e: ExplanationJson): ExplanationJson['pillars'] {
  const order = (n: string) => {
    const i = (PILLARS as readonly string[]).indexOf(n);
    return i < 0 ? PILLARS.length : i;
  };
  return [...e.pillars]
    .sort((a, b) => order(a.name) - order(b.name))
    .map((p) => ({ ...p, variables: [...p.variables].sort((a, b) => Math.abs(b.points) - Math.abs(a.points)) }));
}

// The largest |points| among `items` (at least `floor`), for a common scale.
export function maxAbs(items: { points: number }[], floor = 1): number {
  return Math.max(floor, ...items.map((i) => Math.abs(i.points)).filter(Number.isFinite));
}

// Indicators with a label in both languages (the reference survey's spec,
// src/rima/testdata/herders_spec.json, and its columns).
const KNOWN_VARIABLES = [
  'abs_water', 'abs_soum', 'abs_health', 'abs_school', 'abs_elec', 'abs_mobile',
  'ast_ltlu', 'ast_durable', 'ast_vehicle', 'ast_shelter',
  'ssn_lformal', 'ssn_welfare', 'ssn_inform', 'ssn_group',
  'ac_educ', 'ac_incsrc', 'ac_credit', 'ac_hay', 'ac_insured', 'ac_nodep',
  'fcs', 'hdds', 'food_exp_pc',
] as const;

// The message key of an indicator's plain-language label, by its name in
// the model (or its survey column), or null for one not known here.
export function variableKey(name: string, column?: string): MessageKey | null {
  for (const n of [name, column]) {
    if (n && (KNOWN_VARIABLES as readonly string[]).includes(n.toLowerCase())) return `rima.var.${n.toLowerCase()}` as MessageKey;
  }
  return null;
}

// The message key of a profile's name and of a group's label where the
// group is a code (head_female 0/1), else null (shown as written).
export function profileKey(profile: string): MessageKey | null {
  if (profile === 'region') return 'rima.profile.region';
  if (profile === 'head_female') return 'rima.profile.head_female';
  return null;
}
export function groupKey(profile: string, group: string): MessageKey | null {
  if (profile === 'head_female' && (group === '0' || group === '1')) return `rima.profile.head_female.${group}` as MessageKey;
  return null;
}

// --- The survey file ---------------------------------------------------------

// Splits one CSV line (RFC 4180 quotes, no line breaks inside fields).
export function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

// The household ids of a survey CSV: the column `idColumn` (else "hhid",
// else the first column), in file order without repeats; at most `limit`.
export function surveyIds(text: string, idColumn?: string, limit = 100000): { column: string; ids: string[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const head = csvFields(lines[0] ?? '').map((s) => s.trim());
  let col = idColumn ? head.indexOf(idColumn) : -1;
  if (col < 0) col = head.indexOf('hhid');
  if (col < 0) col = 0;
  const seen = new Set<string>();
  for (let i = 1; i < lines.length && seen.size < limit; i++) {
    if (lines[i].trim() === '') continue;
    const id = (csvFields(lines[i])[col] ?? '').trim();
    if (id) seen.add(id);
  }
  return { column: head[col] ?? '', ids: [...seen] };
}

// The form field a RIMA error names: the survey file, the spec file, the
// model or the household. A 404 without a field is the household for an
// explanation (not among the scored households) and the model otherwise.
export type RimaField = 'survey' | 'spec' | 'model' | 'household';
export function rimaFieldOf(field: string | null, code: string, explaining: boolean): RimaField | null {
  if (field === 'survey_csv') return 'survey';
  if (field === 'spec') return 'spec';
  if (field === 'model' || field === 'model_version') return 'model';
  if (field === 'household') return 'household';
  if (code === 'NOT_FOUND') return explaining ? 'household' : 'model';
  return null;
}
