// The cooperative pages' logic: contribution and distribution bodies with
// the field that is wrong, maker-checker, the statistics rows, register
// number lists and the preview by sex and age.
import { describe, expect, it } from 'vitest';
import { approveBlock, bySexAndBand, withDisability, contributionBody, distributionBody, parseRegisterNos, RAMS_RULE, statsRows, type ContributionForm, type DistributionForm } from './coop_logic';

const cash: ContributionForm = { register_no: ' ИЗ85120320 ', date: '2024-03-01', method: 'cash', amount: '40000', item: '', quantity: '', note: '' };

describe('contributionBody', () => {
  it('sends cash with its amount', () => {
    expect(contributionBody(cash)).toEqual({ body: { register_no: 'ИЗ85120320', date: '2024-03-01', method: 'cash', amount: 40000 } });
  });
  it('names the field that is wrong', () => {
    expect(contributionBody({ ...cash, amount: '0' }).field).toBe('amount');
    expect(contributionBody({ ...cash, amount: '12.5' }).field).toBe('amount');
    expect(contributionBody({ ...cash, date: '2024-13-01' }).field).toBe('date');
    expect(contributionBody({ ...cash, register_no: ' ' }).field).toBe('register_no');
  });
  it('sends in-kind items with a quantity, whole head for animals', () => {
    const sheep = { ...cash, method: 'in_kind' as const, amount: '', item: 'sheep', quantity: '2' };
    expect(contributionBody(sheep).body).toEqual({ register_no: 'ИЗ85120320', date: '2024-03-01', method: 'in_kind', item: 'sheep', quantity: 2 });
    expect(contributionBody({ ...sheep, quantity: '1.5' }).field).toBe('quantity');
    expect(contributionBody({ ...sheep, item: 'cashmere', quantity: '0.5' }).body?.quantity).toBe(0.5);
    expect(contributionBody({ ...sheep, item: '' }).field).toBe('item');
    expect(contributionBody({ ...sheep, item: 'felt', amount: '45000' }).body?.amount).toBe(45000);
  });
});

describe('distributionBody', () => {
  const f: DistributionForm = { code: 'rams-2021', kind: 'in_kind', name: '', coop: '', item: 'ram', area_code: '18140', eligibility: RAMS_RULE, quantity: '1', cutoff_on: '2021-04-01', decision: '' };
  it('builds the request', () => {
    expect(distributionBody(f).body).toEqual({ code: 'rams-2021', kind: 'in_kind', name: 'rams-2021', eligibility: RAMS_RULE, quantity: '1', cutoff_on: '2021-04-01', item: 'ram', area_code: 18140 });
  });
  it('names the field that is wrong', () => {
    expect(distributionBody({ ...f, code: 'Rams 2021' }).field).toBe('code');
    expect(distributionBody({ ...f, eligibility: ' ' }).field).toBe('eligibility');
    expect(distributionBody({ ...f, cutoff_on: '' }).field).toBe('cutoff_on');
    expect(distributionBody({ ...f, area_code: '1814' }).field).toBe('area_code');
  });
});

describe('approveBlock', () => {
  it('refuses the maker and an approved distribution', () => {
    expect(approveBlock({ status: 'prepared', prepared_by: 'nat' }, 'nat')).toBe('maker');
    expect(approveBlock({ status: 'prepared', prepared_by: 'nat' }, 'zav')).toBeNull();
    expect(approveBlock({ status: 'approved', prepared_by: 'nat' }, 'zav')).toBe('approved');
  });
});

describe('statsRows', () => {
  it('always has the total, women and men, then the bands present', () => {
    const c = (m: number) => ({ members: m, trainees: 1, business_owners: 0, in_kind_recipients: 0 });
    const rows = statsRows({ as_of: '2024-12-31', total: c(5), by_sex: { M: c(5) }, by_age_band: [{ age_band: '30-44', ...c(5) }] });
    expect(rows.map((r) => r.kind)).toEqual(['total', 'sex', 'sex', 'band']);
    expect(rows[1]).toMatchObject({ sex: 'F', members: 0 });
    expect(rows[2]).toMatchObject({ sex: 'M', members: 5 });
    expect(rows[3]).toMatchObject({ band: '30-44', trainees: 1 });
  });
});

describe('parseRegisterNos', () => {
  it('reads one a line, upper-cases and drops repeats', () => {
    expect(parseRegisterNos('из85120320\n ИЗ90010151, из85120320\n\n')).toEqual(['ИЗ85120320', 'ИЗ90010151']);
    expect(parseRegisterNos('  ')).toEqual([]);
  });
});

describe('bySexAndBand', () => {
  it('sums the cells of every area', () => {
    expect(
      bySexAndBand([
        { sex: 'M', age_band: '18-29', households: 2 },
        { sex: 'F', age_band: '30-44', households: 1 },
        { sex: 'F', age_band: '30-44', households: 3 },
        { sex: 'F', age_band: '18-29', households: 1 },
      ]),
    ).toEqual([
      { sex: 'F', band: '18-29', households: 1 },
      { sex: 'F', band: '30-44', households: 4 },
      { sex: 'M', band: '18-29', households: 2 },
    ]);
  });
});

describe('withDisability', () => {
  it('counts the households whose head has a disability, in every cell', () => {
    expect(
      withDisability([
        { disability: true, households: 2 },
        { disability: false, households: 5 },
        { disability: true, households: 1 },
      ]),
    ).toBe(3);
    expect(withDisability([])).toBe(0);
  });
});
