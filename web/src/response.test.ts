// The shock-response page's logic: soum files, installment dates, preview
// tables by area and sex, who may approve, debouncing and rule problems.
import { describe, expect, it, vi } from 'vitest';
import { byAreaAndSex, debounce, parseInstallments, payrollApproveBlock, planApproveBlock, ruleProblems, soumsCsv, type PreviewCell } from './pages/response';

describe('soumsCsv', () => {
  it('writes the soum file the server reads, by soum code', () => {
    expect(
      soumsCsv([
        { code: 18140, severity: 'very_high' },
        { code: 18104, severity: 'high' },
      ]),
    ).toBe('soum_code,severity\n18104,high\n18140,very_high\n');
    expect(soumsCsv([])).toBe('soum_code,severity\n');
  });
});

describe('parseInstallments', () => {
  it('accepts dates separated by commas or spaces', () => {
    expect(parseInstallments('2020-02-15, 2020-03-16 2020-04-15')).toEqual({ dates: ['2020-02-15', '2020-03-16', '2020-04-15'], bad: null });
    expect(parseInstallments('  ')).toEqual({ dates: [], bad: null });
  });
  it('names the first item that is not a date', () => {
    expect(parseInstallments('2020-02-15, 15/03/2020')).toEqual({ dates: [], bad: '15/03/2020' });
    expect(parseInstallments('2020-13-45').bad).toBe('2020-13-45');
  });
});

describe('byAreaAndSex', () => {
  const cell = (code: number, sex: 'F' | 'M', band: string, n: number): PreviewCell => ({ code, sex, age_band: band, disability: false, beneficiaries: n, amount: n * 40000 });
  it('sums the cells of each area by sex', () => {
    const rows = byAreaAndSex([cell(18140, 'F', '0-4', 10), cell(18140, 'F', '5-9', 3), cell(18140, 'M', '0-4', 12), cell(18125, 'M', '0-4', 7)]);
    expect(rows).toEqual([
      { code: 18125, female: 0, male: 7, beneficiaries: 7, amount: 280000 },
      { code: 18140, female: 13, male: 12, beneficiaries: 25, amount: 1000000 },
    ]);
    expect(byAreaAndSex([])).toEqual([]);
  });
});

describe('who may approve', () => {
  it('refuses a plan to its maker and says when it is already approved', () => {
    expect(planApproveBlock({ status: 'prepared', prepared_by: 'maker' }, 'maker')).toBe('maker');
    expect(planApproveBlock({ status: 'prepared', prepared_by: 'maker' }, 'checker')).toBeNull();
    expect(planApproveBlock({ status: 'approved', prepared_by: 'maker' }, 'checker')).toBe('approved');
  });
  it('lets only another national officer approve a payroll', () => {
    const p = { status: 'generated' as const, generated_by: 'maker' };
    expect(payrollApproveBlock(p, 'maker', 'national_officer')).toBe('maker');
    expect(payrollApproveBlock(p, 'zav', 'aimag_officer')).toBe('national');
    expect(payrollApproveBlock(p, 'checker', 'national_officer')).toBeNull();
    expect(payrollApproveBlock({ ...p, status: 'approved' }, 'checker', 'national_officer')).toBe('approved');
  });
});

describe('debounce', () => {
  it('runs once after the last call, and can be cancelled', () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const d = debounce(fn, 400);
    d('a');
    vi.advanceTimersByTime(300);
    d('ab');
    vi.advanceTimersByTime(300);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(100);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(fn).toHaveBeenCalledWith('ab');
    d('abc');
    d.cancel();
    vi.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledTimes(1);
    vi.useRealTimers();
  });
});

describe('ruleProblems', () => {
  it('reads the positions of a 400 answer', () => {
    const body = {
      error: { code: 'INVALID_ARGUMENT', message: 'x', field: 'eligibility' },
      problems: [{ field: 'eligibility', line: 1, column: 12, offset: 11, message: 'expected an expression', excerpt: 'age < 6 and\n           ^' }],
    };
    expect(ruleProblems(body)).toEqual([{ field: 'eligibility', line: 1, column: 12, message: 'expected an expression', excerpt: 'age < 6 and\n           ^' }]);
    expect(ruleProblems({ error: {} })).toEqual([]);
    expect(ruleProblems(null)).toEqual([]);
  });
});
