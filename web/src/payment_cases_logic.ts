// Payments as cases (docs/response.md "Payments as cases"), the logic of the
// payroll's case panel kept free of the DOM so it is unit-tested
// (payment_cases.test.ts): which actions an officer may ask for on one
// payment, whether they may decide a request (maker-checker), the request
// bodies (a reason is always needed), the follow-up list grouped by soum,
// and the addresses of its CSV and printable page.

export const CASE_KINDS = ['hold', 'cancel', 'release', 'reissue'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];
export type CaseState = 'open' | 'held' | 'cancelled' | 'flagged';
export type AttemptStatus = 'pending' | 'paid' | 'failed' | 'returned';

export interface ActionJson {
  id: number;
  register_no: string;
  installment: number | null;
  kind: CaseKind | 'payee' | 'flag';
  status: 'requested' | 'confirmed' | 'rejected';
  reason: string;
  effective_on: string;
  requested_by: string;
  requested_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string;
  payee_register_no?: string;
  payee_name?: string;
  account?: string;
}

export interface AttemptJson {
  attempt: number;
  reference: string;
  batch: number;
  issued_at: string;
  issued_by: string;
  bank_code: string;
  amount: number;
  status: AttemptStatus;
  reason: string;
  result_at: string | null;
  payee_register_no: string;
  payee_name: string;
  account: string;
}

export interface CaseJson {
  plan: string;
  installment: number;
  register_no: string;
  household_id: string;
  soum_code: number;
  amount: number;
  state: CaseState;
  awaiting_decision: boolean;
  to_reissue: boolean;
  payee_register_no: string;
  payee_name: string;
  account: string;
  attempts: AttemptJson[];
  actions: ActionJson[];
}

export interface FollowUpJson {
  soum_code: number;
  household_id: string;
  register_no: string;
  name: string;
  payee_register_no: string;
  payee_name: string;
  account: string;
  phone: string;
  amount: number;
  attempts: number;
  situation: string;
  situation_text: { mn: string; en: string };
  detail: string;
  last_action: ActionJson | null;
}

// The actions an officer may ask for on the payment now, as the server
// decides them (response::Transfers::CheckRequest): nothing while a request
// awaits a second officer or once cancelled; hold (unless held) and cancel
// only while no attempt is with the bank or paid; release of a held or
// flagged one; reissue of an open one whose last attempt failed or was
// returned, unless already decided.
export function allowedActions(c: Pick<CaseJson, 'state' | 'awaiting_decision' | 'to_reissue' | 'attempts'>): CaseKind[] {
  if (c.awaiting_decision || c.state === 'cancelled') return [];
  const live = c.attempts.some((a) => a.status === 'pending' || a.status === 'paid');
  const out: CaseKind[] = [];
  if (!live) {
    if (c.state !== 'held') out.push('hold');
    out.push('cancel');
  }
  if (c.state === 'held' || c.state === 'flagged') out.push('release');
  const last = c.attempts.length ? c.attempts[c.attempts.length - 1] : null;
  if (last && (last.status === 'failed' || last.status === 'returned') && c.state === 'open' && !c.to_reissue) out.push('reissue');
  return out;
}

// Why `me` may not decide the request (null: they may): maker-checker.
export function decideBlock(a: Pick<ActionJson, 'status' | 'requested_by'>, me: string): 'decided' | 'own' | null {
  if (a.status !== 'requested') return 'decided';
  if (a.requested_by === me) return 'own';
  return null;
}

export type FormResult<T> = { body: T; field?: undefined } | { body?: undefined; field: string };

const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s));

// The body of POST .../payments/<rn>/actions, or the field that is wrong.
export function actionBody(kind: CaseKind, reason: string, effectiveOn = ''): FormResult<Record<string, string>> {
  if (!reason.trim()) return { field: 'reason' };
  const body: Record<string, string> = { kind, reason: reason.trim() };
  if (effectiveOn.trim()) {
    if (!isDate(effectiveOn.trim())) return { field: 'effective_on' };
    body.effective_on = effectiveOn.trim();
  }
  return { body };
}

// The body of POST /api/v1/plans/<code>/payees/<rn> (a new payee or
// account), or the field that is wrong; the account may be left out (the
// payee's own in the register).
export function payeeBody(payee: string, account: string, reason: string): FormResult<Record<string, string>> {
  if (!payee.trim()) return { field: 'payee' };
  const acc = account.replace(/\s+/g, '');
  if (acc && !/^\d{8,20}$/.test(acc)) return { field: 'account' };
  if (!reason.trim()) return { field: 'reason' };
  const body: Record<string, string> = { payee: payee.trim(), reason: reason.trim() };
  if (acc) body.account = acc;
  return { body };
}

export interface SoumGroup {
  soum_code: number;
  items: FollowUpJson[];
  amount: number;
  // How many of each situation, by situation code, in code order.
  situations: [string, number][];
}

// The follow-up list by soum (in soum code order), each soum's items in
// the server's order, with its count per situation.
export function bySoum(items: FollowUpJson[]): SoumGroup[] {
  const groups = new Map<number, SoumGroup>();
  for (const i of items) {
    let g = groups.get(i.soum_code);
    if (!g) {
      g = { soum_code: i.soum_code, items: [], amount: 0, situations: [] };
      groups.set(i.soum_code, g);
    }
    g.items.push(i);
    g.amount += i.amount;
  }
  for (const g of groups.values()) {
    const n = new Map<string, number>();
    for (const i of g.items) n.set(i.situation, (n.get(i.situation) ?? 0) + 1);
    g.situations = [...n.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  }
  return [...groups.values()].sort((a, b) => a.soum_code - b.soum_code);
}

// The follow-up list's address in a format (json, csv or html), for one
// soum or all of the caller's area.
export function followUpUrl(payrollBase: string, format: 'json' | 'csv' | 'html', soum?: number): string {
  const q = new URLSearchParams();
  if (format !== 'json') q.set('format', format);
  if (soum) q.set('soum', String(soum));
  const s = q.toString();
  return `${payrollBase}/follow-up${s ? `?${s}` : ''}`;
}

// The body of POST /api/v1/plans/<code>/approve: nothing (the default:
// persons already in an approved plan of the same event and programme are
// left out), or an explicit acceptance with its reason; 'reason' if the
// acceptance has none.
export function approveBody(accept: boolean, reason: string): { body?: Record<string, string>; field?: 'reason' } {
  if (!accept) return {};
  if (!reason.trim()) return { field: 'reason' };
  return { body: { overlap: 'accept', reason: reason.trim() } };
}
