// The insurance page's pure logic (src/insurance_logic.ts).
import { describe, expect, it } from 'vitest';
import {
  contributionBody,
  coveragePersonsCsvUrl,
  formFieldOf,
  newIdempotencyKey,
  outreachCsvUrl,
  summarizeBySex,
  visitBody,
  type ContributionForm,
  type CoverageCell,
} from './insurance_logic';

const cell = (sex: 'F' | 'M', persons: number, social: number, health: number, month = '2025-06'): CoverageCell => ({
  month,
  area: 18140,
  sex,
  persons,
  social_insured: social,
  health_insured: health,
  social_rate: social / persons,
  health_rate: health / persons,
});

describe('summarizeBySex', () => {
  const targets = { month: '2025-06', social: 0.2, health: 0.5 };
  it('adds cells by sex and overall, with the gap to each target', () => {
    const rows = summarizeBySex([cell('F', 60, 6, 30), cell('M', 40, 10, 10), cell('F', 40, 4, 10), cell('M', 5, 5, 5, '2024-06')], targets);
    expect(rows.map((r) => r.key)).toEqual(['F', 'M', 'all']);
    const [f, m, all] = rows;
    expect(f.persons).toBe(100);
    expect(f.social).toEqual({ insured: 10, rate: 0.1, target: 0.2, gap: 10 });
    expect(f.health.gap).toBe(10);
    expect(m.social.gap).toBe(0); // 25% >= 20%
    expect(m.health.gap).toBe(10);
    expect(all.persons).toBe(140);
    expect(all.social.insured).toBe(20);
    expect(all.social.gap).toBe(8); // ceil(0.2 x 140) = 28
  });
  it('rounds the gap up and never below zero; empty input has no rows', () => {
    expect(summarizeBySex([cell('F', 3, 0, 0)], targets)[0].social.gap).toBe(1);
    expect(summarizeBySex([cell('F', 10, 2, 5)], targets)[0].social.gap).toBe(0);
    expect(summarizeBySex([], targets)).toEqual([]);
  });
});

const form = (over: Partial<ContributionForm>): ContributionForm => ({
  scheme: 'health',
  from: '2025-03',
  months: '2',
  method: 'cash',
  amount: '',
  income: '',
  item: 'sheep',
  quantity: '',
  date: '',
  note: '',
  ...over,
});

describe('contributionBody', () => {
  it('builds the body the API expects', () => {
    expect(contributionBody(form({}))).toEqual({ ok: true, body: { scheme: 'health', from: '2025-03', months: 2, method: 'cash' } });
    expect(contributionBody(form({ scheme: 'social', income: '900000', amount: '10000', note: ' first ' }))).toEqual({
      ok: true,
      body: { scheme: 'social', from: '2025-03', months: 2, method: 'cash', amount: 10000, income: 900000, note: 'first' },
    });
  });
  it('sends item and quantity, never an amount, in kind', () => {
    expect(contributionBody(form({ method: 'in_kind', quantity: '1.5', item: 'cashmere', amount: '5' }))).toEqual({
      ok: true,
      body: { scheme: 'health', from: '2025-03', months: 2, method: 'in_kind', item: 'cashmere', quantity: 1.5 },
    });
  });
  it('names every bad field', () => {
    const r = contributionBody(form({ scheme: '', from: '2025-13', months: '0', amount: '-4', date: 'x' }));
    expect(r).toEqual({ ok: false, errors: { scheme: 'required', from: 'month', months: 'months', amount: 'amount', date: 'date' } });
    expect(contributionBody(form({ method: 'in_kind', quantity: '0' }))).toEqual({ ok: false, errors: { quantity: 'quantity' } });
    expect(contributionBody(form({ months: '121' }))).toEqual({ ok: false, errors: { months: 'months' } });
    // Income only matters for social insurance.
    expect(contributionBody(form({ income: 'abc' })).ok).toBe(true);
    expect(contributionBody(form({ scheme: 'social', income: 'abc' }))).toEqual({ ok: false, errors: { income: 'amount' } });
  });
});

describe('formFieldOf', () => {
  it('maps server fields to the form', () => {
    expect(formFieldOf('from')).toBe('from');
    expect(formFieldOf('members.scheme')).toBe('scheme');
    expect(formFieldOf('declared_income')).toBe('income');
    expect(formFieldOf('Idempotency-Key')).toBeNull();
    expect(formFieldOf(null)).toBeNull();
  });
});

describe('newIdempotencyKey', () => {
  it('is new each time', () => {
    const a = newIdempotencyKey();
    const b = newIdempotencyKey();
    expect(a).not.toBe(b);
    expect(a.length).toBeGreaterThanOrEqual(32);
  });
});

describe('visitBody', () => {
  it('sends the outcome, the date only if given, the note trimmed only if not empty', () => {
    expect(visitBody('refused', '', '  ')).toEqual({ outcome: 'refused' });
    expect(visitBody('enrolled', '2025-06-14', ' came back in autumn ')).toEqual({ outcome: 'enrolled', date: '2025-06-14', note: 'came back in autumn' });
  });
  it('is the same for the same form, so a retry with the same key is a replay', () => {
    expect(JSON.stringify(visitBody('not_found', '', 'x'))).toBe(JSON.stringify(visitBody('not_found', '', ' x ')));
  });
});

const params = (url: string) => Object.fromEntries(new URL(url, 'http://x').searchParams);

describe('outreachCsvUrl', () => {
  it('asks for the whole list of the soum as CSV in the page language', () => {
    expect(outreachCsvUrl('18140', '', 'mn')).toBe('/api/v1/insurance/outreach?soum=18140&format=csv&lang=mn');
    expect(params(outreachCsvUrl(18140, '', 'en'))).toEqual({ soum: '18140', format: 'csv', lang: 'en' });
  });
  it('narrows to a bag, encoded (Cyrillic names, spaces)', () => {
    const url = outreachCsvUrl('18140', ' 3-р баг ', 'mn');
    expect(url.startsWith('/api/v1/insurance/outreach?')).toBe(true);
    expect(url).not.toContain(' ');
    expect(params(url)).toEqual({ soum: '18140', bag: '3-р баг', format: 'csv', lang: 'mn' });
  });
});

describe('coveragePersonsCsvUrl', () => {
  it('names the figure: scheme, month, insured or not, as CSV', () => {
    expect(coveragePersonsCsvUrl({ scheme: 'social', month: '2025-06', covered: false })).toBe(
      '/api/v1/insurance/coverage/persons?scheme=social&month=2025-06&covered=false&format=csv',
    );
    expect(params(coveragePersonsCsvUrl({ scheme: 'health', month: '2025-06', covered: true }))).toEqual({
      scheme: 'health',
      month: '2025-06',
      covered: 'true',
      format: 'csv',
    });
  });
  it('adds the sex and the area only when given', () => {
    expect(params(coveragePersonsCsvUrl({ scheme: 'social', month: '2025-06', covered: false, sex: 'F', soum: 18140 }))).toEqual({
      scheme: 'social',
      month: '2025-06',
      soum: '18140',
      sex: 'F',
      covered: 'false',
      format: 'csv',
    });
    expect(params(coveragePersonsCsvUrl({ scheme: 'social', month: '2025-06', covered: true, aimag: 181 })).aimag).toBe('181');
  });
});
