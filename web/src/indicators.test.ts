import { describe, expect, it } from 'vitest';
import {
  inLanguage,
  dimensionsOf,
  exportUrl,
  formatDelta,
  formatValue,
  pageHash,
  parseArg,
  parsePeriod,
  periodName,
  periodsToPrint,
  progressWidth,
  rowsOf,
  targetInForce,
  valueUrl,
  type CellJson,
  type IndicatorJson,
} from './indicators_logic';

const cell = (by: Record<string, string>, value: number, numerator = 0, denominator = 0): CellJson => ({ by, numerator, denominator, value });

describe('periods', () => {
  it('names and parses the three kinds as the server does', () => {
    expect(periodName({ kind: 'year', year: 2020, index: 1 })).toBe('2020');
    expect(periodName({ kind: 'quarter', year: 2020, index: 2 })).toBe('2020Q2');
    expect(periodName({ kind: 'month', year: 2020, index: 3 })).toBe('202003');
    expect(parsePeriod('2020Q4')).toEqual({ kind: 'quarter', year: 2020, index: 4 });
    expect(parsePeriod('2020-02')).toEqual({ kind: 'month', year: 2020, index: 2 });
    expect(parsePeriod('202013')).toBeNull();
    expect(parsePeriod('2020Q5')).toBeNull();
  });
  it('prints a year by quarter, a quarter by month', () => {
    expect(periodsToPrint({ kind: 'year', year: 2020, index: 1 })).toEqual(['2020Q1', '2020Q2', '2020Q3', '2020Q4', '2020']);
    expect(periodsToPrint({ kind: 'quarter', year: 2020, index: 2 })).toEqual(['202004', '202005', '202006', '2020Q2']);
    expect(periodsToPrint({ kind: 'month', year: 2020, index: 7 })).toEqual(['202007']);
  });
});

describe('the page address', () => {
  it('round-trips period, indicator, area and print', () => {
    expect(parseArg('2020Q2/SI_COVERAGE_HERDERS/181')).toEqual({ print: false, period: '2020Q2', code: 'SI_COVERAGE_HERDERS', area: 181 });
    expect(parseArg('print/2020')).toEqual({ print: true, period: '2020', code: null, area: 0 });
    expect(parseArg('')).toEqual({ print: false, period: null, code: null, area: 0 });
    expect(parseArg('nonsense/X')).toEqual({ print: false, period: null, code: null, area: 0 });
    expect(parseArg('2020/X/12')).toEqual({ print: false, period: '2020', code: 'X', area: 0 });
    expect(pageHash({ period: '2020Q2', code: 'A', area: 18140 })).toBe('#/indicators/2020Q2/A/18140');
    expect(pageHash({ period: '2020', print: true })).toBe('#/indicators/print/2020');
    expect(pageHash({ period: '2020', area: 181 })).toBe('#/indicators/2020');
  });
  it('builds the routes’ addresses', () => {
    expect(valueUrl('SI', '2020Q2', 0)).toBe('/api/v1/indicators/SI/value?period=2020Q2');
    expect(valueUrl('SI', '2020Q2', 181)).toBe('/api/v1/indicators/SI/value?period=2020Q2&area=181');
    expect(exportUrl('dhis2-json', '2020', 181, 'SI')).toBe('/api/v1/indicators/export?format=dhis2-json&period=2020&area=181&code=SI');
    expect(exportUrl('csv', '2020', 0)).toBe('/api/v1/indicators/export?format=csv&period=2020');
  });
});

describe('numbers', () => {
  it('writes percent with 1-2 decimals, money with ₮, counts grouped', () => {
    expect(formatValue('en', 'percent', 15)).toBe('15.0%');
    expect(formatValue('en', 'percent', 14.256)).toBe('14.26%');
    expect(formatValue('mn', 'MNT', 1234567)).toBe('1,234,567 ₮');
    expect(formatValue('en', 'MNT', 1234567)).toBe('MNT 1,234,567');
    expect(formatValue('en', 'persons', 40906)).toBe('40,906');
    expect(formatValue('en', 'days', 12)).toBe('12.0');
    expect(formatValue('en', 'percent', NaN)).toBe('—');
    expect(formatDelta('en', 'percent', -0.25)).toBe('−0.25%');
    expect(formatDelta('en', 'persons', 3)).toBe('+3');
  });
  it('clips the progress bar to [0, 100]', () => {
    expect(progressWidth(null)).toBe(0);
    expect(progressWidth(-20)).toBe(0);
    expect(progressWidth(62.5)).toBe(62.5);
    expect(progressWidth(130)).toBe(100);
  });
});

describe('targets and tables', () => {
  const ind: IndicatorJson = {
    code: 'X',
    name: { mn: 'Х', en: 'X' },
    definition: { mn: '', en: '' },
    unit: 'percent',
    computation: 'c',
    disaggregations: [],
    baseline: { value: 15, date: '2019-09-30', source: '' },
    targets: [
      { date: '2024-12-31', value: 30 },
      { date: '2022-12-31', value: 20 },
    ],
  };
  it('takes the next target, else the last', () => {
    expect(targetInForce(ind, '2020-06-30')?.value).toBe(20);
    expect(targetInForce(ind, '2023-03-31')?.value).toBe(30);
    expect(targetInForce(ind, '2030-01-01')?.value).toBe(30);
    expect(targetInForce({ ...ind, targets: [] }, '2020-01-01')).toBeNull();
  });
  const cells = [
    cell({}, 20, 2, 10),
    cell({ sex: 'M' }, 0, 0, 4),
    cell({ sex: 'F' }, 33.33, 2, 6),
    cell({ soum: '18140' }, 50, 1, 2),
    cell({ soum: '18125' }, 12.5, 1, 8),
    cell({ sex: 'F', soum: '18140' }, 100, 1, 1),
  ];
  it('lists the single dimensions in canonical order', () => {
    expect(dimensionsOf(cells)).toEqual(['sex', 'soum']);
  });
  it('sorts rows and pairs them with the frozen cells', () => {
    const frozen = [cell({ sex: 'F' }, 40, 2, 5)];
    const rows = rowsOf('sex', cells, frozen);
    expect(rows.map((r) => r.key)).toEqual(['F', 'M']);
    expect(rows[0].frozen?.value).toBe(40);
    expect(rows[1].frozen).toBeNull();
    expect(rowsOf('soum', cells, null).map((r) => r.key)).toEqual(['18125', '18140']);
  });
});

describe('inLanguage', () => {
  it('keeps the reader language of a bilingual server message', () => {
    const m = 'RESILIENCE_IMPROVED 2020: RIMA-ийн ижил загвартай хоёр үе алга / RESILIENCE_IMPROVED 2020: expected two RIMA survey rounds';
    expect(inLanguage(m, 'en')).toBe('RESILIENCE_IMPROVED 2020: expected two RIMA survey rounds');
    expect(inLanguage(m, 'mn')).toBe('RESILIENCE_IMPROVED 2020: RIMA-ийн ижил загвартай хоёр үе алга');
    expect(inLanguage('plain message', 'mn')).toBe('plain message');
  });
});
