import { describe, expect, it } from 'vitest';
import { en, mn, placeholders, translate, type MessageKey } from './i18n';

describe('messages', () => {
  const keys = Object.keys(en) as MessageKey[];
  it('have the same keys in both languages', () => {
    expect(Object.keys(mn).sort()).toEqual([...keys].sort());
  });
  it('are never empty', () => {
    for (const k of keys) {
      expect(en[k].trim(), k).not.toBe('');
      expect(mn[k].trim(), k).not.toBe('');
    }
  });
  it('use the same placeholders in both languages', () => {
    for (const k of keys) expect(placeholders(mn[k]), k).toEqual(placeholders(en[k]));
  });
  it('are in Cyrillic in Mongolian unless they are codes or names', () => {
    // Texts that may stay Latin: file names, UTF-8, CSV and DHIS2's formats, the dash, the
    // label of the language switch (which names the other language).
    const latinAllowed = new Set<MessageKey>(['common.none', 'lang.switch', 'session.as']);
    for (const k of keys) {
      if (latinAllowed.has(k)) continue;
      const letters = mn[k].replace(/\{\w+\}/g, '').replace(/[a-z_]+\.csv/gi, '').replace(/\b(UTF-8|CSV|XLSX|DHIS2|dataValueSets|JSON|ADX|XML)\b/g, '').match(/\p{L}/gu) ?? [];
      const latin = letters.filter((c) => /[A-Za-z]/.test(c));
      expect(latin.length, `${k}: ${mn[k]}`).toBe(0);
    }
  });
});

describe('translate', () => {
  it('fills placeholders', () => {
    expect(translate('en', 'common.page', { page: 2, pages: 5 })).toBe('Page 2 of 5');
    expect(translate('mn', 'common.page', { page: 2, pages: 5 })).toBe('5 хуудасны 2');
  });
  it('leaves a missing placeholder visible', () => {
    expect(translate('en', 'common.results')).toBe('{n} found');
  });
});
