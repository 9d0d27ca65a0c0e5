// The payroll's case panel logic: which actions an officer may ask for,
// maker-checker on decisions, request bodies, the follow-up list by soum
// and its addresses.
import { describe, expect, it } from 'vitest';
import { actionBody, allowedActions, approveBody, bySoum, decideBlock, followUpUrl, payeeBody, type AttemptJson, type FollowUpJson } from './payment_cases_logic';

const attempt = (status: AttemptJson['status']): AttemptJson => ({
  attempt: 1,
  reference: 'MLC-1-1-1-1',
  batch: 1,
  issued_at: '2019-12-20T00:00:00Z',
  issued_by: 'maker',
  bank_code: '0005',
  amount: 40000,
  status,
  reason: '',
  result_at: null,
  payee_register_no: 'ИЗ85120320',
  payee_name: 'Сараа',
  account: '00051234567890',
});
const view = (state: 'open' | 'held' | 'cancelled' | 'flagged', attempts: AttemptJson[] = [], awaiting = false, toReissue = false) => ({ state, attempts, awaiting_decision: awaiting, to_reissue: toReissue });

describe('allowedActions', () => {
  it('holds or cancels a payment not yet with the bank', () => {
    expect(allowedActions(view('open'))).toEqual(['hold', 'cancel']);
  });
  it('offers nothing while the bank has it or once paid', () => {
    expect(allowedActions(view('open', [attempt('pending')]))).toEqual([]);
    expect(allowedActions(view('open', [attempt('paid')]))).toEqual([]);
  });
  it('re-issues a failed or returned payment once', () => {
    expect(allowedActions(view('open', [attempt('failed')]))).toEqual(['hold', 'cancel', 'reissue']);
    expect(allowedActions(view('open', [attempt('returned')]))).toContain('reissue');
    expect(allowedActions(view('open', [attempt('failed')], false, true))).toEqual(['hold', 'cancel']);
  });
  it('releases a held or flagged payment, never re-issues it', () => {
    expect(allowedActions(view('held'))).toEqual(['cancel', 'release']);
    expect(allowedActions(view('flagged', [attempt('failed')]))).toEqual(['hold', 'cancel', 'release']);
  });
  it('offers nothing while a request waits, or once cancelled', () => {
    expect(allowedActions(view('open', [], true))).toEqual([]);
    expect(allowedActions(view('cancelled'))).toEqual([]);
  });
});

describe('decideBlock', () => {
  it('is maker-checker: whoever asked does not decide', () => {
    expect(decideBlock({ status: 'requested', requested_by: 'maker' }, 'checker')).toBeNull();
    expect(decideBlock({ status: 'requested', requested_by: 'maker' }, 'maker')).toBe('own');
    expect(decideBlock({ status: 'confirmed', requested_by: 'maker' }, 'checker')).toBe('decided');
  });
});

describe('request bodies', () => {
  it('need a reason and take an optional date', () => {
    expect(actionBody('hold', '  ')).toEqual({ field: 'reason' });
    expect(actionBody('hold', ' died ')).toEqual({ body: { kind: 'hold', reason: 'died' } });
    expect(actionBody('cancel', 'moved', '2020-01-05')).toEqual({ body: { kind: 'cancel', reason: 'moved', effective_on: '2020-01-05' } });
    expect(actionBody('cancel', 'moved', '5/1/2020')).toEqual({ field: 'effective_on' });
  });
  it('change the payee with a reason; the account is digits or left out', () => {
    expect(payeeBody('', '', 'x')).toEqual({ field: 'payee' });
    expect(payeeBody('ИЗ80010111', '0032 7777 7777 77', 'closed')).toEqual({ body: { payee: 'ИЗ80010111', account: '00327777777777', reason: 'closed' } });
    expect(payeeBody('ИЗ80010111', '', 'closed')).toEqual({ body: { payee: 'ИЗ80010111', reason: 'closed' } });
    expect(payeeBody('ИЗ80010111', 'KHAN-1', 'closed')).toEqual({ field: 'account' });
    expect(payeeBody('ИЗ80010111', '', ' ')).toEqual({ field: 'reason' });
  });
});

describe('bySoum', () => {
  const item = (soum: number, situation: string, amount = 40000): FollowUpJson => ({
    soum_code: soum,
    household_id: 'H',
    register_no: 'R',
    name: 'N',
    payee_register_no: '',
    payee_name: '',
    account: '',
    phone: '',
    amount,
    attempts: 0,
    situation,
    situation_text: { mn: situation, en: situation },
    detail: '',
    last_action: null,
  });
  it('groups by soum code with the count of each situation', () => {
    const g = bySoum([item(18149, 'no_account'), item(18140, 'held'), item(18149, 'failed', 20000), item(18149, 'no_account')]);
    expect(g.map((x) => x.soum_code)).toEqual([18140, 18149]);
    expect(g[1].items.length).toBe(3);
    expect(g[1].amount).toBe(100000);
    expect(g[1].situations).toEqual([
      ['failed', 1],
      ['no_account', 2],
    ]);
    expect(bySoum([])).toEqual([]);
  });
});

describe('followUpUrl', () => {
  it('asks for JSON, CSV or the printable page, for a soum or all', () => {
    expect(followUpUrl('/api/v1/plans/p1/payrolls/1', 'json')).toBe('/api/v1/plans/p1/payrolls/1/follow-up');
    expect(followUpUrl('/api/v1/plans/p1/payrolls/1', 'csv')).toBe('/api/v1/plans/p1/payrolls/1/follow-up?format=csv');
    expect(followUpUrl('/api/v1/plans/p1/payrolls/1', 'html', 18140)).toBe('/api/v1/plans/p1/payrolls/1/follow-up?format=html&soum=18140');
  });
});

describe('approveBody', () => {
  it('leaves the covered out by default; accepting needs a reason', () => {
    expect(approveBody(false, 'x')).toEqual({});
    expect(approveBody(true, ' ')).toEqual({ field: 'reason' });
    expect(approveBody(true, ' second round ')).toEqual({ body: { overlap: 'accept', reason: 'second round' } });
  });
});
