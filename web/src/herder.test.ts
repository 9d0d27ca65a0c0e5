import { describe, expect, it } from 'vitest';
import { normalizeRegisterNo, sectionLines, text, validCode, money } from './herder_logic';
import { herderEn, herderMn } from './messages/herder';

describe('herder page', () => {
  it('has every text in both languages with the same placeholders', () => {
    for (const k of Object.keys(herderEn) as (keyof typeof herderEn)[]) {
      expect(herderMn[k].length).toBeGreaterThan(0);
      const ph = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join();
      expect(ph(herderMn[k])).toBe(ph(herderEn[k]));
    }
  });
  it('checks what was typed', () => {
    expect(normalizeRegisterNo(' уб 85010112 ')).toBe('УБ85010112');
    expect(normalizeRegisterNo('UB85010112')).toBeNull();
    expect(validCode('123 456')).toBe('123456');
    expect(validCode('12345')).toBeNull();
  });
  it('writes money the Mongolian way by default', () => {
    expect(money('mn', 25000000)).toBe('25 000 000 ₮');
    expect(money('en', 1500)).toBe('MNT 1,500');
  });
  it('turns sections into lines', () => {
    expect(sectionLines('mn', 'dzud', { current: null })).toEqual([text('mn', 'h.risk.none')]);
    const d = sectionLines('en', 'dzud', {
      current: { level_text: 'High', date: '2026-01-10', source: 'NAMEM' }, alert: 'Dzud risk is high',
    });
    expect(d).toEqual(['Dzud risk: High (2026-01-10, NAMEM)', 'Dzud risk is high']);
    const p = sectionLines('mn', 'prices', { herd_value: 25000000, prices: [] });
    expect(p[0]).toContain('25 000 000 ₮');
    const one = sectionLines('mn', 'prices', {
      herd_value: 0, prices: [{ item: 'sheep', unit: 'head', price: 180000, from: '2024-01-01', source: 's' }],
    });
    expect(one[1]).toBe('Хонь: толгой тутам 180 000 ₮ (2024-01-01, s)');
    expect(sectionLines('mn', 'payments', { payments: [] })).toEqual([text('mn', 'h.none')]);
    const pay = sectionLines('en', 'payments', {
      payments: [{ name: 'Сараа', programme: 'Dzud', amount: 300000, status: 'failed', what_to_do: 'Ask' }],
    });
    expect(pay).toEqual(['Сараа: Dzud — MNT 300,000 (failed)', 'Ask']);
    const reason = sectionLines('mn', 'payments', {
      payments: [{ name: 'Сараа', programme: 'Зуд', amount: 50000, status: 'failed',
        reason: 'account closed', reported_on: '2026-01-21', what_to_do: 'Ажилтанд хандана уу.' }],
    });
    expect(reason).toEqual(['Сараа: Зуд — 50 000 ₮ (амжилтгүй)',
      'Банкны хариу: account closed (2026-01-21)', 'Ажилтанд хандана уу.']);
  });

  it('shows the event declared for the soum and the household\'s plan', () => {
    const lines = sectionLines('mn', 'dzud', {
      current: null,
      events: [{ name: 'Тосонцэнгэлийн зуд', declared_on: '2026-01-05', severity_text: 'Өндөр' }],
      plans: [{ name: 'Зудын дэмжлэг', approved: true, amount: 100000, members: ['Сараа', 'Бат'],
        from: '2026-01-10', to: '2026-03-31' }],
    });
    expect(lines).toEqual([
      text('mn', 'h.risk.none'),
      'Зарласан: Тосонцэнгэлийн зуд (2026-01-05), танай сумын зэрэг: Өндөр',
      'Дэмжлэг: Зудын дэмжлэг — нэг удаад 100 000 ₮, Сараа, Бат (2026-01-10 – 2026-03-31)',
    ]);
  });
});
