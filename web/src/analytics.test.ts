import { describe, expect, it } from 'vitest';
import { benefitScenario, checkBenefitForm, fieldOfError, measureRows, nationalOf, rimaRows, type BenefitForm, type RimaGroup } from './analytics_logic';

const form: BenefitForm = { amount: 100000, unit: 'person', minAge: 0, maxAge: 17, months: 12, takeup: 1, date: '2024-01-01' };

describe('benefit form', () => {
  it('builds a survey scenario with an observed baseline and one reform', () => {
    const s = benefitScenario(form) as { date: string; baseline: { rules: unknown[] }; reforms: { rules: Record<string, unknown>[] }[] };
    expect(s.date).toBe('2024-01-01');
    expect(s.baseline.rules).toEqual([]);
    expect(s.reforms).toHaveLength(1);
    expect(s.reforms[0].rules[0]).toMatchObject({ programme: 'new_benefit', unit: 'person', min_age: 0, max_age: 17, amount: 100000, months: 12, takeup: 1 });
  });
  it('finds the first bad field before sending', () => {
    expect(checkBenefitForm(form)).toBeNull();
    expect(checkBenefitForm({ ...form, amount: 0 })).toBe('amount');
    expect(checkBenefitForm({ ...form, amount: 10.5 })).toBe('amount');
    expect(checkBenefitForm({ ...form, maxAge: -1 })).toBe('maxAge');
    expect(checkBenefitForm({ ...form, minAge: 10, maxAge: 5 })).toBe('maxAge');
    expect(checkBenefitForm({ ...form, months: 13 })).toBe('months');
    expect(checkBenefitForm({ ...form, takeup: 0 })).toBe('takeup');
  });
  it('maps server errors to the field they name', () => {
    expect(fieldOfError('scenario', 'scenario: reforms[0].rules[0].max_age: expected an integer')).toBe('maxAge');
    expect(fieldOfError('scenario', 'scenario: reforms[0].rules[0].amount: no amount in force')).toBe('amount');
    expect(fieldOfError('line', 'line: expected a poverty line > 0')).toBe('line');
    expect(fieldOfError('scenario', 'scenario: date: bad')).toBeNull();
    expect(fieldOfError('households_csv', 'x')).toBeNull();
    expect(fieldOfError(null, 'x')).toBeNull();
  });
});

describe('answers', () => {
  it('reads measure rows by domain, NaN for null', () => {
    const rows = measureRows({ estimates: { domains: [{ domain: 'national', values: { population: 10, mean_pc: 5, fgt0: 0.25, fgt1: 0.1, fgt2: 0.05, gini_midpoint: 0.3 } }, { domain: 'urban', values: { fgt0: null } }] } });
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual({ domain: 'national', population: 10, mean: 5, fgt0: 0.25, fgt1: 0.1, fgt2: 0.05, gini: 0.3 });
    expect(Number.isNaN(rows[1].fgt0)).toBe(true);
    expect(measureRows(null)).toEqual([]);
  });
  it('takes the national domain of a reform', () => {
    const d = (domain: string) => ({ domain, fgt0: { before: 0.3, after: 0.2 }, fgt1: { before: 0.1, after: 0.05 }, poor_persons: { before: 3, after: 2 } });
    const r = { name: 'r', cost_month_mnt: 1, cost_year_mnt: 12, beneficiary_households: 1, beneficiary_units: 1, persons_in_beneficiary_households: 1, poverty_gap_before_mnt_month: 2, poverty_gap_after_mnt_month: 1, gap_closed_per_mnt_spent: 0.5, domains: [d('urban'), d('national')] };
    expect(nationalOf(r)?.domain).toBe('national');
    expect(nationalOf({ ...r, domains: [] })).toBeNull();
  });
  it('groups RIMA aggregates by area with the share in the lowest quintile', () => {
    const g = (code: number, head_sex: RimaGroup['head_sex'], households: number, q1: number): RimaGroup => ({ code, head_sex, households, mean_score_0_100: 50, pillars: { ABS: 0, AST: 0, SSN: 0, AC: 0 }, quintiles: [q1, 0, 0, 0, households - q1] });
    const rows = rimaRows([g(182, 'all', 10, 5), g(181, 'F', 1, 1), g(181, 'all', 4, 1), g(181, 'M', 3, 0), g(181, 'unknown', 0, 0)]);
    expect(rows.map((r) => r.code)).toEqual([181, 182]);
    expect(rows[0].all?.households).toBe(4);
    expect(rows[0].female?.households).toBe(1);
    expect(rows[0].male?.households).toBe(3);
    expect(rows[0].leastResilientShare).toBeCloseTo(0.25);
    expect(rows[1].female).toBeNull();
  });
});
