import { describe, expect, it } from 'vitest';
import {
  coverageByArea,
  coverageBySexAge,
  coverageTotal,
  eventOngoing,
  installmentPaid,
  monthLabel,
  planState,
  responseRows,
  targetStatus,
  type EventItem,
  type InstallmentState,
  type PlanItem,
} from './dashboard_logic';
import type { CoverageCell } from './insurance_logic';

const cell = (area: number, sex: 'F' | 'M', age_band: string, persons: number, social: number, health: number, month = '2020-01'): CoverageCell => ({
  month,
  area,
  sex,
  age_band,
  persons,
  social_insured: social,
  health_insured: health,
  social_rate: persons ? social / persons : 0,
  health_rate: persons ? health / persons : 0,
});

const cells = [
  cell(18140, 'F', '18-24', 100, 10, 40),
  cell(18140, 'M', '18-24', 100, 30, 50),
  cell(18140, 'F', '25-34', 50, 5, 30),
  cell(18110, 'M', '25-34', 200, 40, 120),
  cell(18301, 'F', '18-24', 10, 10, 10), // Another aimag.
  cell(18140, 'F', '18-24', 999, 999, 999, '2019-01'), // Another month.
];

describe('coverage', () => {
  it('sums cells by area, and by the aimag of a soum', () => {
    const bySoum = coverageByArea(cells, '2020-01');
    expect(bySoum.get(18140)).toMatchObject({ persons: 250, social: 45, health: 120 });
    expect(bySoum.get(18140)!.socialRate).toBeCloseTo(0.18);
    const byAimag = coverageByArea(cells, '2020-01', (c) => Math.floor(c / 100));
    expect(byAimag.get(181)).toMatchObject({ persons: 450, social: 85, health: 240 });
    expect(byAimag.get(183)).toMatchObject({ persons: 10 });
    expect(byAimag.size).toBe(2);
  });
  it('totals the areas kept, with NaN rates when nobody is counted', () => {
    expect(coverageTotal(cells, '2020-01', (a) => a === 18110)).toMatchObject({ persons: 200, social: 40, health: 120 });
    const none = coverageTotal(cells, '2020-01', () => false);
    expect(none.persons).toBe(0);
    expect(Number.isNaN(none.socialRate)).toBe(true);
  });
  it('puts women and men side by side per age band, youngest first', () => {
    const rows = coverageBySexAge(cells, '2020-01', (a) => Math.floor(a / 100) === 181);
    expect(rows.map((r) => r.band)).toEqual(['18-24', '25-34']);
    expect(rows[0].female).toMatchObject({ persons: 100, social: 10 });
    expect(rows[0].male.healthRate).toBeCloseTo(0.5);
    expect(rows[1].female.persons).toBe(50);
    expect(rows[1].male.persons).toBe(200);
  });
  it('says how a rate stands against its target', () => {
    expect(targetStatus(0.2, 0.2)).toBe('met');
    expect(targetStatus(0.16, 0.2)).toBe('near');
    expect(targetStatus(0.1, 0.2)).toBe('below');
    expect(targetStatus(NaN, 0.2)).toBe('none');
  });
  it('writes a month in each language', () => {
    expect(monthLabel('mn', '2020-01')).toBe('2020.01');
    expect(monthLabel('en', '2020-01')).toBe('Jan 2020');
    expect(monthLabel('en', 'soon')).toBe('soon');
  });
});

const event = (code: string, ends_on: string | null): EventItem => ({ code, type: 'dzud', name: code, declared_on: '2019-12-01', starts_on: '2019-12-01', ends_on, soums: 4, plans: 1 });
const plan = (code: string, ev: string, status: 'prepared' | 'approved', installments = 2): PlanItem => ({
  code,
  event: ev,
  name: code,
  kind: 'horizontal',
  status,
  beneficiaries: 100,
  amount_per_installment: 4_000_000,
  installments,
});
const inst = (number: number, payroll: InstallmentState['payroll'], lines = 0, paid = 0): InstallmentState => ({ number, payroll, lines, paid, paidAmount: paid * 40000 });

describe('shock responses', () => {
  it('knows when an event is over and an installment is paid', () => {
    expect(eventOngoing({ ends_on: null }, '2026-01-01')).toBe(true);
    expect(eventOngoing({ ends_on: '2026-01-01' }, '2026-01-01')).toBe(true);
    expect(eventOngoing({ ends_on: '2020-04-30' }, '2026-01-01')).toBe(false);
    expect(installmentPaid(inst(1, 'approved', 10, 10))).toBe(true);
    expect(installmentPaid(inst(1, 'approved', 10, 9))).toBe(false);
    expect(installmentPaid(inst(1, 'generated', 10, 10))).toBe(false);
    expect(installmentPaid(inst(1, 'approved', 0, 0))).toBe(false);
  });
  it('states a plan from its installments', () => {
    expect(planState({ status: 'prepared' }, [])).toBe('prepared');
    expect(planState({ status: 'approved' }, [inst(1, 'none'), inst(2, 'none')])).toBe('approved');
    expect(planState({ status: 'approved' }, [inst(1, 'approved', 5, 5), inst(2, 'none')])).toBe('paying');
    expect(planState({ status: 'approved' }, [inst(1, 'approved', 5, 5), inst(2, 'approved', 5, 5)])).toBe('paid');
  });
  it('lists plans and events without plans; a finished and fully paid response is not active', () => {
    const events = [event('new', null), event('old', '2020-04-30'), event('bare', null)];
    const plans = [plan('p-new', 'new', 'prepared'), plan('p-old', 'old', 'approved', 1), plan('p-old2', 'old', 'approved', 2)];
    const states = new Map([
      ['p-old', [inst(1, 'approved', 3, 3)]],
      ['p-old2', [inst(1, 'approved', 3, 3), inst(2, 'generated', 3)]],
    ]);
    const rows = responseRows(events, plans, states, '2026-01-01');
    expect(rows.map((r) => `${r.event.code}/${r.plan?.code ?? '-'}:${r.state}:${r.active}`)).toEqual([
      'new/p-new:prepared:true',
      'old/p-old:paid:false',
      'old/p-old2:paying:true',
      'bare/-:declared:true',
    ]);
    const paying = rows[2];
    expect(paying.cost).toBe(8_000_000);
    expect(paying.installmentsPaid).toBe(1);
    expect(paying.installments).toBe(2);
    expect(paying.paidAmount).toBe(120000);
  });
});
