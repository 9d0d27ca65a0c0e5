import { describe, expect, it } from 'vitest';
import { intakeBody, isOverdue, letterUrl, listUrl, mayNameAccused, needsText, statsView, trackUrl, type IntakeForm, type StatsRowJson } from './grievance_logic';

const form = (over: Partial<IntakeForm> = {}): IntakeForm => ({
  channel: 'office',
  category: 'not_included',
  soum: '18140',
  summary: 'Хүүхдийн мөнгө ороогүй',
  anonymous: false,
  name: 'Бат Сараа',
  registerNo: 'ИЗ85120320',
  phone: '9911 2233',
  contact: '',
  confidential: false,
  aboutOfficer: '',
  ...over,
});

describe('intake body', () => {
  it('carries the complainant and answers by text message when there is a phone', () => {
    const { body, problems } = intakeBody(form());
    expect(problems).toEqual([]);
    expect(body).toMatchObject({ category: 'not_included', soum_code: 18140, channel: 'office' });
    expect(body?.complainant).toEqual({ name: 'Бат Сараа', register_no: 'ИЗ85120320', phone: '99112233', contact: 'sms' });
  });
  it('keeps no identity for an anonymous complaint', () => {
    const { body } = intakeBody(form({ anonymous: true, phone: 'bad' }));
    expect(body?.complainant).toEqual({ anonymous: true, contact: 'none' });
  });
  it('names every field to fix', () => {
    const { body, problems } = intakeBody(form({ category: '', soum: '181', summary: ' ', phone: '123' }));
    expect(body).toBeNull();
    expect(problems.map((p) => p.field)).toEqual(['category', 'soum', 'summary', 'phone']);
  });
  it('marks confidentiality and the officer complained about', () => {
    const { body } = intakeBody(form({ confidential: true, aboutOfficer: ' bold ' }));
    expect(body).toMatchObject({ confidential: true, subject: { kind: 'officer', ref: 'bold' } });
  });
});

describe('deadlines and moves', () => {
  const c = { state: 'received' as const, acknowledge_by: '2026-12-06', resolve_by: '2026-12-31' };
  it('are overdue only after the day and only while open', () => {
    expect(isOverdue(c, '2026-12-06')).toBe(false);
    expect(isOverdue(c, '2026-12-07')).toBe(true);
    expect(isOverdue({ ...c, state: 'acknowledged' }, '2026-12-07')).toBe(false);
    expect(isOverdue({ ...c, state: 'acknowledged' }, '2027-01-01')).toBe(true);
    expect(isOverdue({ ...c, state: 'closed' }, '2027-01-01')).toBe(false);
  });
  it('ask for a text where a reason is owed', () => {
    expect(needsText('resolve')).toBe(true);
    expect(needsText('reopen')).toBe(true);
    expect(needsText('acknowledge')).toBe(false);
    expect(needsText('close')).toBe(false);
  });
});

describe('measures and addresses', () => {
  const row = (category: string, cases: number, masked = 0): StatsRowJson => ({
    category, channel: '', area_code: 0, sex: '', age_band: '', cases, open: 0, overdue: 0, masked,
    share_acknowledged_in_time: 0, share_decided_in_time: 0, mean_days_to_decide: 0,
  });
  it('put the confidential bucket last and count it', () => {
    const v = statsView([row('confidential', 2, 2), row('feedback', 1), row('not_included', 5)]);
    expect(v.rows.map((r) => r.category)).toEqual(['not_included', 'feedback', 'confidential']);
    expect(v.masked).toBe(2);
  });
  it('build the letter, follow-up and list addresses', () => {
    expect(letterUrl(3, 7)).toBe('/api/v1/grievances/3/notices/7/letter');
    expect(trackUrl(' g-2026-00003 ', 'ab12cd34ef')).toBe('/api/v1/public/grievances/G-2026-00003?code=AB12CD34EF');
    expect(listUrl(true, 2)).toBe('/api/v1/grievances?open=true&page=2&page_size=50');
    expect(listUrl(false, 1)).toBe('/api/v1/grievances?page=1&page_size=50');
  });
});

describe('naming the officer a complaint is about', () => {
  it('is offered to focal points and aimag or national officers, once', () => {
    expect(mayNameAccused({ role: 'gbv_focal_point' }, '')).toBe(true);
    expect(mayNameAccused({ role: 'aimag_officer' }, undefined)).toBe(true);
    expect(mayNameAccused({ role: 'national_officer' }, '')).toBe(true);
    expect(mayNameAccused({ role: 'aimag_officer' }, 'tos')).toBe(false);
  });
  it('is not offered to a soum officer, an operator or no one', () => {
    expect(mayNameAccused({ role: 'soum_officer' }, '')).toBe(false);
    expect(mayNameAccused({ role: 'hotline_operator' }, '')).toBe(false);
    expect(mayNameAccused(null, '')).toBe(false);
  });
});
