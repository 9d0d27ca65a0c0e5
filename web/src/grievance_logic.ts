// The complaint pages' logic without the DOM (tested in grievance.test.ts):
// intake bodies and their checks, deadlines, which moves need a text, the
// measures' rows and the URLs of letters and of the public follow-up.
import { withQuery } from './api';

export type CaseState = 'received' | 'acknowledged' | 'under_review' | 'resolved' | 'referred' | 'rejected' | 'closed';
export type Action = 'acknowledge' | 'start_review' | 'resolve' | 'refer' | 'reject' | 'close' | 'reopen';

export interface CaseSummaryJson {
  id: number;
  reference: string;
  channel: string;
  category: string;
  confidential: boolean;
  state: CaseState;
  level: 'soum' | 'aimag' | 'national';
  soum_code: number;
  anonymous: boolean;
  received_on: string;
  acknowledge_by: string;
  resolve_by: string;
  acknowledged_on: string | null;
  decided_on: string | null;
  closed_on: string | null;
  assigned_to: string;
  accused_officer?: string;
  version: number;
}

export interface StatsRowJson {
  category: string;
  channel: string;
  area_code: number;
  sex: string;
  age_band: string;
  cases: number;
  open: number;
  overdue: number;
  masked: number;
  share_acknowledged_in_time: number;
  share_decided_in_time: number;
  mean_days_to_decide: number;
}

export interface IntakeForm {
  channel: string;
  category: string;
  soum: string;
  summary: string;
  anonymous: boolean;
  name: string;
  registerNo: string;
  phone: string;
  contact: string;
  confidential: boolean;
  aboutOfficer: string;
}

// The field a problem concerns and its message key.
export interface FieldProblem {
  field: keyof IntakeForm;
  key: 'grv.intake.soum' | 'grv.intake.summary' | 'grv.intake.phone' | 'grv.intake.category';
}

const OPEN: readonly CaseState[] = ['received', 'acknowledged', 'under_review'];

// The JSON body of POST /api/v1/grievances (or the public form), or the
// problems a person can fix before sending. Anonymous: no identity at all.
export function intakeBody(f: IntakeForm): { body: Record<string, unknown> | null; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  if (!f.category) problems.push({ field: 'category', key: 'grv.intake.category' });
  if (!/^\d{5}$/.test(f.soum.trim())) problems.push({ field: 'soum', key: 'grv.intake.soum' });
  if (!f.summary.trim()) problems.push({ field: 'summary', key: 'grv.intake.summary' });
  const phone = f.phone.replace(/\s/g, '');
  if (!f.anonymous && phone && !/^\d{8}$/.test(phone)) problems.push({ field: 'phone', key: 'grv.intake.phone' });
  if (problems.length) return { body: null, problems };
  const complainant: Record<string, unknown> = f.anonymous
    ? { anonymous: true, contact: 'none' }
    : { name: f.name.trim(), register_no: f.registerNo.trim(), phone, contact: f.contact || (phone ? 'sms' : 'letter') };
  const body: Record<string, unknown> = {
    category: f.category,
    soum_code: Number(f.soum.trim()),
    summary: f.summary.trim(),
    complainant,
  };
  if (f.channel) body.channel = f.channel;
  if (f.confidential) body.confidential = true;
  if (f.aboutOfficer.trim()) body.subject = { kind: 'officer', ref: f.aboutOfficer.trim() };
  return { body, problems };
}

export function isOpen(s: CaseState): boolean {
  return OPEN.includes(s);
}

// Past a deadline on `today` (YYYY-MM-DD) while open.
export function isOverdue(c: Pick<CaseSummaryJson, 'state' | 'acknowledge_by' | 'resolve_by'>, today: string): boolean {
  if (!isOpen(c.state)) return false;
  return (c.state === 'received' && today > c.acknowledge_by) || today > c.resolve_by;
}

export function needsText(a: Action): boolean {
  return a === 'resolve' || a === 'refer' || a === 'reject' || a === 'reopen';
}

// The rows of the measures as shown: the masked bucket last, and how many
// complaints are counted without detail.
export function statsView(rows: StatsRowJson[]): { rows: StatsRowJson[]; masked: number } {
  const shown = rows.filter((r) => r.category !== 'confidential');
  const hidden = rows.filter((r) => r.category === 'confidential');
  const masked = rows.reduce((n, r) => n + r.masked, 0);
  return { rows: [...shown.sort((a, b) => b.cases - a.cases), ...hidden], masked };
}

// Whether the form naming the officer a complaint is about is offered: to
// a GBV focal point or an aimag or national officer, while it names nobody
// (the server decides; this only spares others a form that would fail).
export function mayNameAccused(who: { role: string } | null | undefined, accused: string | undefined): boolean {
  if (!who || accused) return false;
  return who.role === 'gbv_focal_point' || who.role === 'aimag_officer' || who.role === 'national_officer';
}

export function letterUrl(caseId: number, noticeId: number): string {
  return `/api/v1/grievances/${caseId}/notices/${noticeId}/letter`;
}

export function trackUrl(reference: string, code: string): string {
  return withQuery(`/api/v1/public/grievances/${encodeURIComponent(reference.trim().toUpperCase())}`, { code: code.trim().toUpperCase() });
}

export function listUrl(openOnly: boolean, page: number): string {
  return withQuery('/api/v1/grievances', { open: openOnly ? 'true' : undefined, page, page_size: 50 });
}
