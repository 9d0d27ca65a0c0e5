// The Monitoring page's logic: bars from the estimates of a domain, the
// interval in words, the response rate, which cases may be raised, and the
// download addresses in the page's language.
import { describe, expect, it } from 'vitest';
import { downloadUrl, levelLabel, meansOf, reportedAmount, raisable, raisedByUuid, raiseUrl, responsePercent, shareBars, shareText, type FollowUpJson, type ReportJson } from './monitoring_logic';

const report: ReportJson = {
  sample: { id: 3, plan: 'p1', installment: 1, status: 'approved' },
  confidence: 0.9,
  response: { selected: 40, responded: 30, replacements_interviewed: 2, response_rate: 0.75, submissions: 31 },
  estimates: [
    { domain: 'all', indicator: 'received=yes', label: 'Мөнгө авсан уу: Тийм', respondents: 30, population: 200, value: 0.625, se: 0.04, ci_low: 0.551, ci_high: 0.699 },
    { domain: 'all', indicator: 'amount_ok=yes', respondents: 0, population: null, value: null, se: null, ci_low: null, ci_high: null },
    { domain: 'all', indicator: 'amount_received mean', respondents: 30, population: 200, value: 38000, se: 500, ci_low: 37020, ci_high: 38980 },
    { domain: 'sex=F', indicator: 'received=yes', respondents: 12, population: 90, value: 0.5, se: 0.1, ci_low: 0.3, ci_high: 0.7 },
  ],
  follow_up: [],
};

const paidNothing: FollowUpJson = {
  reason: 'paid_but_nothing_received',
  beneficiary_id: 'ИЗ17220122',
  payee_id: 'ИЗ85120320',
  soum_code: 18140,
  uuid: 'u 1',
  bank_status: 'paid',
  bank_amount: 40000,
  reported_amount: 0,
  reason_text: 'x',
  text: 'x',
};

describe('shareBars', () => {
  it('keeps the estimated indicators of the domain, in percent', () => {
    const bars = shareBars(report);
    expect(bars).toHaveLength(1);
    expect(bars[0].percent).toBeCloseTo(62.5, 9);
    expect(bars[0].label).toBe('Мөнгө авсан уу: Тийм');
    expect(bars[0].low).toBeCloseTo(55.1, 9);
    expect(bars[0].high).toBeCloseTo(69.9, 9);
    expect(shareText(bars[0])).toBe('62.5% (55.1–69.9)');
    expect(shareBars(report, 'sex=F')[0].respondents).toBe(12);
    expect(meansOf(report).map((e) => e.indicator)).toEqual(['amount_received mean']);
  });
  it('says the level and the response rate', () => {
    expect(levelLabel(0.9)).toBe('90');
    expect(levelLabel(0.995)).toBe('99.5');
    expect(responsePercent(report)).toBe(75);
    expect(responsePercent({ ...report, response: { ...report.response, response_rate: null } })).toBeNull();
  });
});

describe('follow-up cases', () => {
  it('raises only what the bank paid', () => {
    expect(raisable(paidNothing)).toBe(true);
    expect(reportedAmount({ ...paidNothing, reported_amount: -1 })).toBeNull();
    expect(reportedAmount(paidNothing)).toBe(0);
    expect(raisable({ ...paidNothing, reason: 'not_paid_but_received' })).toBe(false);
    const m = raisedByUuid([{ submission: 'u 1', grievance_id: 7, grievance_reference: 'G-1', raised_by: 'a', raised_at: 't' }]);
    expect(m.get('u 1')?.grievance_reference).toBe('G-1');
    expect(raiseUrl(3, 'u 1')).toBe('/api/v1/pdm/samples/3/follow-up/u%201/grievance');
  });
  it('downloads in the page language', () => {
    expect(downloadUrl(3, 'xlsx', 'mn')).toBe('/api/v1/pdm/samples/3/report?format=xlsx&lang=mn');
    expect(downloadUrl(3, 'follow_up.csv', 'en')).toBe('/api/v1/pdm/samples/3/report?format=follow_up.csv&lang=en');
    expect(downloadUrl(3, 'form', 'en')).toBe('/api/v1/pdm/samples/3/form.xlsx');
  });
});
