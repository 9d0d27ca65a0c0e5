import { describe, expect, it } from 'vitest';
import { en, mn } from './i18n';
import { pagesFor } from './roles';
import {
  checkText,
  filterTemplates,
  historyRows,
  insertAt,
  parseRoute,
  refusalText,
  resetUrl,
  checkUrl,
  routeHash,
  sampleValues,
  splitText,
  templateUrl,
  textUrl,
  withSamples,
  type TemplateEditJson,
  type TemplateItemJson,
} from './templates_logic';

// payment.failed as shipped (src/channel/data/sms_templates.json).
const PARAMS = [
  { name: 'amount', description: 'amount in MNT', sample: '300,000', max_length: 11 },
  { name: 'phone', description: 'soum office phone number', sample: '70112233', max_length: 12 },
  { name: 'programme', description: 'short programme name', sample: 'Зудын тусламж', max_length: 24 },
];
const GOOD = '{programme}: {amount} төгрөгийн шилжүүлэг амжилтгүй боллоо. Утас: {phone}';

describe('template routes', () => {
  it('parse and build #/templates and #/templates/ID', () => {
    expect(parseRoute('')).toEqual({ view: 'list' });
    expect(parseRoute('payment.failed')).toEqual({ view: 'one', id: 'payment.failed' });
    expect(parseRoute('inbound.not_registered')).toEqual({ view: 'one', id: 'inbound.not_registered' });
    expect(parseRoute('../x')).toEqual({ view: 'list' });
    expect(parseRoute('Payment.failed')).toEqual({ view: 'list' });
    expect(routeHash({ view: 'one', id: 'payment.failed' })).toBe('#/templates/payment.failed');
    expect(routeHash({ view: 'list' })).toBe('#/templates');
  });
  it('name the API', () => {
    expect(templateUrl('payment.failed')).toBe('/api/v1/sms/templates/payment.failed');
    expect(textUrl('payment.failed', 'mn')).toBe('/api/v1/sms/templates/payment.failed/texts/mn');
    expect(resetUrl('shock.alert', 'en')).toBe('/api/v1/sms/templates/shock.alert/texts/en/reset');
    expect(checkUrl('shock.alert', 'mn')).toBe('/api/v1/sms/templates/shock.alert/texts/mn/check');
  });
  it('are offered to the roles that manage the response', () => {
    expect(pagesFor('national_officer')).toContain('templates');
    expect(pagesFor('aimag_officer')).toContain('templates');
    expect(pagesFor('soum_officer')).not.toContain('templates');
    expect(pagesFor('analyst')).not.toContain('templates');
  });
});

describe('checkText (the server rule)', () => {
  it('accepts a text using every parameter once or more, and doubled braces', () => {
    expect(checkText(GOOD, PARAMS)).toEqual([]);
    expect(checkText(`${GOOD} {{тайлбар}} {phone}`, PARAMS)).toEqual([]);
    expect(checkText(`${GOOD}\nДараагийн мөр`, PARAMS)).toEqual([]);
  });
  it('names the parameter a text does not use', () => {
    expect(checkText('{programme}: {amount} төгрөг шилжсэнгүй.', PARAMS)).toEqual([{ kind: 'missing', name: 'phone' }]);
  });
  it('names a parameter the template does not have', () => {
    expect(checkText(`${GOOD} {soum}`, PARAMS)).toEqual([{ kind: 'unknown', name: 'soum' }]);
  });
  it('refuses a lone brace, naming the character', () => {
    expect(checkText(`${GOOD} }`, PARAMS)).toEqual([{ kind: 'loneClose', at: [...GOOD].length + 2 }]);
    expect(checkText(`{ ${GOOD}`, PARAMS)).toEqual([{ kind: 'badOpen', at: 1 }]);
    // Not a name: capitals, a space, nothing, no closing brace.
    expect(checkText(`${GOOD} {Phone}`, PARAMS).map((p) => p.kind)).toEqual(['badOpen', 'loneClose']);
    expect(checkText(`${GOOD} {}`, PARAMS).map((p) => p.kind)).toEqual(['badOpen', 'loneClose']);
    expect(checkText(`${GOOD} {phone`, PARAMS)).toEqual([{ kind: 'badOpen', at: [...GOOD].length + 2 }]);
  });
  it('takes {{phone} as a brace and a lone }', () => {
    const problems = checkText('{programme} {amount} {{phone}', PARAMS);
    expect(problems).toEqual([
      { kind: 'loneClose', at: 29 },
      { kind: 'missing', name: 'phone' },
    ]);
  });
  it('refuses an empty text, a tab, a broken character', () => {
    expect(checkText('', PARAMS)).toEqual([{ kind: 'empty' }]);
    expect(checkText(`${GOOD}\t`, PARAMS)).toEqual([{ kind: 'control' }]);
    expect(checkText(`${GOOD}\r`, PARAMS)).toEqual([{ kind: 'control' }]);
    expect(checkText(`${GOOD}\uD800`, PARAMS)).toEqual([{ kind: 'badUnicode' }]);
    expect(checkText(`${GOOD} 🐑`, PARAMS)).toEqual([]);
  });
  it('counts characters, not UTF-16 units, for the brace position', () => {
    expect(checkText(`🐑} ${GOOD}`, PARAMS)).toEqual([{ kind: 'loneClose', at: 2 }]);
  });
});

describe('text helpers', () => {
  it('split a text into literals and parameters', () => {
    expect(splitText('a {{b}} {c}.').pieces).toEqual([
      { parameter: false, text: 'a {b} ' },
      { parameter: true, text: 'c' },
      { parameter: false, text: '.' },
    ]);
  });
  it('render the samples', () => {
    expect(withSamples(GOOD, PARAMS)).toBe('Зудын тусламж: 300,000 төгрөгийн шилжүүлэг амжилтгүй боллоо. Утас: 70112233');
    expect(withSamples('{{x}} {soum}', PARAMS)).toBe('{x} {soum}');
    expect(sampleValues(PARAMS)).toEqual({ amount: '300,000', phone: '70112233', programme: 'Зудын тусламж' });
  });
  it('insert at the cursor, replacing the selection', () => {
    expect(insertAt('Утас: .', 6, 6, '{phone}')).toEqual({ value: 'Утас: {phone}.', cursor: 13 });
    expect(insertAt('Утас: XX.', 6, 8, '{phone}')).toEqual({ value: 'Утас: {phone}.', cursor: 13 });
    expect(insertAt('ab', 9, 9, '{x}')).toEqual({ value: 'ab{x}', cursor: 5 });
  });
  it('strip the prefix of a refusal the page already shows', () => {
    expect(refusalText("the edited text: template 'payment.failed' text.mn: does not use its parameter {phone}")).toBe('does not use its parameter {phone}');
    expect(refusalText('мессеж хэт урт / the text is too long')).toBe('мессеж хэт урт / the text is too long');
  });
});

describe('filterTemplates', () => {
  const item = (id: string, description: string, mnText: string): TemplateItemJson => ({ id, description, parameters: [], text: { mn: mnText, en: '' }, edited: { mn: false, en: false } });
  const items = [item('payment.failed', 'A payment failed', 'Шилжүүлэг амжилтгүй'), item('shock.alert', 'A shock warning', 'Зудын сэрэмжлүүлэг')];
  it('matches every word in id, description or text, any case', () => {
    expect(filterTemplates(items, '').length).toBe(2);
    expect(filterTemplates(items, 'PAYMENT').map((t) => t.id)).toEqual(['payment.failed']);
    expect(filterTemplates(items, 'зудын').map((t) => t.id)).toEqual(['shock.alert']);
    expect(filterTemplates(items, 'shock payment')).toEqual([]);
  });
});

describe('historyRows', () => {
  const edit = (id: number, at: string): TemplateEditJson => ({ id, language: 'mn', text: 'x', reset: false, edited_by: 'o', edited_at: at, note: '' });
  it('puts the newest first', () => {
    const rows = historyRows([edit(1, '2026-12-07T14:05:00Z'), edit(3, '2026-12-07T14:06:00Z'), edit(2, '2026-12-07T14:05:00Z')]);
    expect(rows.map((r) => r.id)).toEqual([3, 2, 1]);
  });
});

describe('template messages', () => {
  it('exist in both languages', () => {
    for (const k of Object.keys(en).filter((k) => k.startsWith('tpl.'))) expect(mn[k as keyof typeof mn], k).toBeTruthy();
  });
});
