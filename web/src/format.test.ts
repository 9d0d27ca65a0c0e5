import { describe, expect, it } from 'vitest';
import { formatDate, formatMoney, formatNumber, formatPercent } from './format';

describe('formatNumber', () => {
  it('groups thousands in both languages', () => {
    expect(formatNumber('en', 1234567)).toBe('1,234,567');
    expect(formatNumber('mn', 1234567)).toMatch(/^1\D234\D567$/);
  });
  it('keeps one decimal', () => {
    expect(formatNumber('en', 12.345)).toBe('12.3');
  });
});

describe('formatMoney', () => {
  it('puts the tögrög sign after the amount in Mongolian', () => {
    expect(formatMoney('mn', 15000)).toMatch(/^15\D000 ₮$/);
    expect(formatMoney('en', 15000)).toBe('MNT 15,000');
  });
  it('never shows fractions of a tögrög', () => {
    expect(formatMoney('en', 999.6)).toBe('MNT 1,000');
  });
});

describe('formatPercent', () => {
  it('shows one decimal', () => {
    expect(formatPercent('en', 0.1234)).toBe('12.3%');
    expect(formatPercent('en', 1)).toBe('100%');
  });
});

describe('formatDate', () => {
  it('writes Mongolian dates as YYYY.MM.DD', () => {
    expect(formatDate('mn', '2026-03-05')).toBe('2026.03.05');
  });
  it('writes English dates with a month name', () => {
    expect(formatDate('en', '2026-03-05')).toBe('5 Mar 2026');
  });
  it('keeps the time of a timestamp without shifting the day', () => {
    expect(formatDate('en', '2026-11-29T23:59:59Z')).toBe('29 Nov 2026 23:59');
    expect(formatDate('mn', '2026-11-29T23:59:59Z')).toBe('2026.11.29 23:59');
  });
  it('returns text that is not a date unchanged', () => {
    expect(formatDate('en', 'soon')).toBe('soon');
    expect(formatDate('en', '2026-13-01')).toBe('2026-13-01');
  });
});
