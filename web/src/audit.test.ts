import { describe, expect, it } from 'vitest';
import { actionWords, actorWords, auditUrl, AUDIT_KINDS, dayHeading, kindOf, recordWords, timeOf } from './audit_logic';

// The actions the server writes to the trail (grep of `action =` and the
// audit helpers' callers in src/): each must read as words in both languages.
const SERVER_ACTIONS = [
  'login', 'logout', 'user.create', 'user.update', 'person.read', 'person.create', 'person.update', 'person.deactivate',
  'household.create', 'household.update', 'household.deactivate', 'register.export', 'register.correction.propose',
  'register.correction.approve', 'register.correction.reject', 'register.correction.withdraw', 'file.download',
  'payment_file.export', 'payment_file.download', 'audit.read', 'database.copy', 'programme.create', 'event.create',
  'plan.create', 'plan.approve', 'payroll.generate', 'payroll.approve', 'payroll.issue', 'payroll.flag',
  'payments.reconcile', 'payment.lost', 'insurance.pay', 'insurance.visit', 'insurance.reverse', 'insurance.remittance',
  'insurance.service_credit', 'insurance.correction.request', 'insurance.correction.approve',
  'insurance.correction.reject', 'insurance.correction.withdraw', 'grievance.intake', 'grievance.read',
  'grievance.acknowledge', 'grievance.assign', 'grievance.start_review', 'grievance.resolve', 'grievance.reject',
  'grievance.refer', 'grievance.close', 'grievance.reopen', 'grievance.escalate', 'grievance.reclassify',
  'grievance.note', 'grievance.fix', 'grievance.consent', 'grievance.attach', 'grievance.accused', 'pdm.sample.draw',
  'pdm.sample.approve', 'pdm.ingest', 'pdm.follow_up.grievance', 'indicator.load', 'indicator.freeze',
  'coop.register', 'coop.member.join', 'coop.member.leave', 'coop.training.attend', 'coop.insurance.prepare',
  'coop.insurance.approve', 'coop.distribution.prepare', 'coop.distribution.approve', 'coop.distribution.deliver',
];

describe('audit trail in words', () => {
  it('names every action the server writes, in both languages', () => {
    for (const a of SERVER_ACTIONS) {
      const en = actionWords('en', a);
      const mn = actionWords('mn', a);
      expect(en, a).not.toContain('.');
      expect(en, a).not.toContain(':');
      expect(mn, a).toMatch(/^[\p{Script=Cyrillic}\s,'()-]+$/u);
      expect(kindOf(a), a).toBeDefined();
    }
  });
  it('reads an unknown action by its kind', () => {
    expect(actionWords('en', 'grievance.referral.put')).toBe('Complaints: referral.put');
    expect(actionWords('mn', 'coop')).toBe('Хоршоо');
    expect(actionWords('en', 'strange')).toBe('strange');
  });
  it('tells the kinds apart by whole words', () => {
    expect(kindOf('payment_file.export')).toBe('payment_file');
    expect(kindOf('payments.reconcile')).toBe('payments');
    expect(kindOf('payment.lost')).toBe('payment');
    expect(new Set(AUDIT_KINDS).size).toBe(AUDIT_KINDS.length);
  });
  it('says who acted in words', () => {
    expect(actorWords('en', 'cli:unknown')).toBe('Command line (user not given)');
    expect(actorWords('mn', 'cli:bold')).toBe('bold (тушаалын мөр)');
    expect(actorWords('en', 'saraa')).toBe('saraa');
  });
  it('never shows a session token hash', () => {
    expect(recordWords('en', 'session', '2173a7ff00')).toBe('Sign-in session');
    expect(recordWords('mn', 'household', 'H-1')).toBe('Өрх H-1');
    expect(recordWords('en', 'widget', 'w1')).toBe('widget w1');
  });
  it('groups by day with today named', () => {
    expect(dayHeading('mn', '2026-12-07T09:15:00Z', '2026-12-07')).toBe('Өнөөдөр, 2026.12.07');
    expect(dayHeading('en', '2026-12-06T23:59:00Z', '2026-12-07')).toBe('6 Dec 2026');
    expect(timeOf('2026-12-07T09:15:30Z')).toBe('09:15');
  });
  it('asks for the newest entries with the filters given', () => {
    const url = auditUrl({ actor: ' tos ', register_no: '', household_id: '', kind: 'person', area: 181, from: '2026-12-01', to: '' }, 50, 900);
    const q = new URLSearchParams(url.split('?')[1]);
    expect(q.get('order')).toBe('newest');
    expect(q.get('actor')).toBe('tos');
    expect(q.get('action')).toBe('person');
    expect(q.get('area')).toBe('181');
    expect(q.get('from')).toBe('2026-12-01T00:00:00Z');
    expect(q.get('before')).toBe('900');
    expect(q.has('register_no') || q.has('to')).toBe(false);
  });
});
