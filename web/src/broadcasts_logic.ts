// The logic of the SMS broadcast page (pages/broadcasts.ts): the JSON of
// the API (GET/POST /api/v1/sms/broadcasts..., /api/v1/sms/templates), the
// page's routes, what the caller may do with a broadcast and why not, the
// values a live preview sends, the soum x sex of head tables of the
// preview and of the delivery report, and whether the report is still
// moving (the page refreshes it while it is).
import { withQuery } from './api';

export type BroadcastState = 'draft' | 'approved' | 'sending' | 'queued' | 'cancelled';
export const BROADCAST_STATES: readonly BroadcastState[] = ['draft', 'approved', 'sending', 'queued', 'cancelled'];

export interface BroadcastJson {
  id: number;
  title: string;
  target: string;
  event: string;
  template: string;
  values: Record<string, string>;
  area: number;
  state: BroadcastState;
  recipients: number;
  segments: number;
  cost: number;
  created_by: string;
  created_at: number; // Unix seconds.
  approved_by: string;
  approved_at: number;
}

export type HeadSex = 'F' | 'M';

export interface BroadcastPreviewJson {
  selected: number;
  no_phone: number;
  opted_out: number;
  recipients: number;
  text: string;
  segments: number;
  cost_per_message: number;
  cost: number;
  needs_approval: boolean;
  by_soum_sex: { soum: number; head_sex: HeadSex; households: number }[];
}

export interface BroadcastReportJson {
  progress: Record<string, number>;
  by_soum_sex: { soum: number; head_sex: HeadSex; state: string; messages: number }[];
}

export interface TemplateParameterJson {
  name: string;
  description: string;
  sample: string;
  max_length: number;
}

export interface TemplateJson {
  id: string;
  description: string;
  parameters: TemplateParameterJson[];
  text: { mn: string; en: string };
}

export interface TemplatePreviewJson {
  text: string;
  coding: string;
  characters: number;
  segments: number;
  units_left: number;
  cost: number;
  max_segments: number;
  fits: boolean;
}

export const BROADCASTS_PATH = '/api/v1/sms/broadcasts';

export function listUrl(limit: number, before?: number): string {
  return withQuery(BROADCASTS_PATH, { before, limit });
}

export function broadcastUrl(id: number, what?: 'preview' | 'report' | 'approve' | 'send' | 'cancel'): string {
  return `${BROADCASTS_PATH}/${id}${what ? `/${what}` : ''}`;
}

export function templatePreviewUrl(id: string): string {
  return `/api/v1/sms/templates/${encodeURIComponent(id)}/preview`;
}

// The page's routes: #/broadcasts (list), #/broadcasts/new,
// #/broadcasts/ID (the broadcast, its preview or report, its buttons).
export type BroadcastRoute = { view: 'list' } | { view: 'new' } | { view: 'one'; id: number };

export function parseRoute(arg: string): BroadcastRoute {
  if (arg === 'new') return { view: 'new' };
  if (/^\d+$/.test(arg) && Number(arg) > 0) return { view: 'one', id: Number(arg) };
  return { view: 'list' };
}

export function routeHash(r: BroadcastRoute): string {
  if (r.view === 'new') return '#/broadcasts/new';
  if (r.view === 'one') return `#/broadcasts/${r.id}`;
  return '#/broadcasts';
}

// Why a button is not offered (a message key's last word), or null when
// it is.
export type Refusal = 'maker' | 'state' | 'needsApproval' | 'notMaker' | null;

export interface Actions {
  approve: Refusal;
  send: Refusal;
  cancel: Refusal;
}

// What `me` may do with `b` (the server decides again): a second officer
// approves a draft, never its maker; the maker sends a draft under the
// thresholds, anyone an approved one, and sending again continues an
// interrupted one; a draft or an approved broadcast is cancelled.
// `needsApproval`: the preview's verdict (unknown: undefined).
export function actionsFor(b: BroadcastJson, me: string, needsApproval?: boolean): Actions {
  const draft = b.state === 'draft';
  let approve: Refusal = null;
  if (!draft) approve = 'state';
  else if (b.created_by === me) approve = 'maker';
  let send: Refusal = null;
  if (draft) {
    if (b.created_by !== me) send = 'notMaker';
    else if (needsApproval) send = 'needsApproval';
  } else if (b.state !== 'approved' && b.state !== 'sending') {
    send = 'state';
  }
  const cancel: Refusal = draft || b.state === 'approved' ? null : 'state';
  return { approve, send, cancel };
}

// The values a live preview sends: what was typed, or the parameter's
// sample where nothing was (`samples` names those).
export function previewValues(parameters: TemplateParameterJson[], typed: Record<string, string>): { values: Record<string, string>; samples: string[] } {
  const values: Record<string, string> = {};
  const samples: string[] = [];
  for (const p of parameters) {
    const v = typed[p.name] ?? '';
    if (v.trim() === '') {
      values[p.name] = p.sample;
      samples.push(p.name);
    } else {
      values[p.name] = v;
    }
  }
  return { values, samples };
}

// Characters (code points) of a value, as the server counts max_length.
export function codePoints(s: string): number {
  return [...s].length;
}

export interface DraftInput {
  title: string;
  target: string;
  event: string;
  template: string;
  values: Record<string, string>;
}

// The body of POST /api/v1/sms/broadcasts (an empty event is left out).
export function draftBody(d: DraftInput): Record<string, unknown> {
  const body: Record<string, unknown> = { title: d.title.trim(), target: d.target.trim(), template: d.template, values: d.values };
  if (d.event.trim()) body.event = d.event.trim();
  return body;
}

// The field of the form a refusal concerns: the server's field, or the
// target when its message is about it; null: the form as a whole.
export function refusedField(field: string | null, detail: string, fields: readonly string[]): string | null {
  if (field && fields.includes(field)) return field;
  const m = /^(\w+):/.exec(detail);
  if (m && fields.includes(m[1])) return m[1];
  return null;
}

// One row per soum: households (or messages) with a female head, a male
// head and in all; soums by code; and the totals.
export interface SoumSexRow {
  soum: number;
  F: number;
  M: number;
  total: number;
}

export function bySoumSex(cells: { soum: number; head_sex: HeadSex; n: number }[]): { rows: SoumSexRow[]; total: SoumSexRow } {
  const rows = new Map<number, SoumSexRow>();
  const total: SoumSexRow = { soum: 0, F: 0, M: 0, total: 0 };
  for (const c of cells) {
    const row = rows.get(c.soum) ?? { soum: c.soum, F: 0, M: 0, total: 0 };
    row[c.head_sex] += c.n;
    row.total += c.n;
    total[c.head_sex] += c.n;
    total.total += c.n;
    rows.set(c.soum, row);
  }
  return { rows: [...rows.values()].sort((a, b) => a.soum - b.soum), total };
}

export function previewTable(p: BroadcastPreviewJson) {
  return bySoumSex(p.by_soum_sex.map((c) => ({ soum: c.soum, head_sex: c.head_sex, n: c.households })));
}

// The states of a message, in the order of its life (report columns).
export const MESSAGE_STATES = ['not_queued', 'queued', 'sending', 'sent', 'delivered', 'failed', 'expired', 'unknown'] as const;
const FINAL = new Set(['delivered', 'failed', 'expired', 'unknown']);

// The delivery report by soum x sex of head: one row per (soum, sex) with
// the messages in each state, the states that occur (in life order) and
// the totals per state.
export interface DeliveryRow {
  soum: number;
  head_sex: HeadSex;
  counts: Record<string, number>;
  total: number;
}

export function deliveryTable(r: BroadcastReportJson): { states: string[]; rows: DeliveryRow[]; totals: Record<string, number>; total: number } {
  const seen = new Set(r.by_soum_sex.map((c) => c.state));
  const known: readonly string[] = MESSAGE_STATES;
  const states = [...MESSAGE_STATES.filter((s) => seen.has(s)), ...[...seen].filter((s) => !known.includes(s)).sort()];
  const rows = new Map<string, DeliveryRow>();
  const totals: Record<string, number> = {};
  let total = 0;
  for (const c of r.by_soum_sex) {
    const key = `${c.soum}/${c.head_sex}`;
    const row = rows.get(key) ?? { soum: c.soum, head_sex: c.head_sex, counts: {}, total: 0 };
    row.counts[c.state] = (row.counts[c.state] ?? 0) + c.messages;
    row.total += c.messages;
    totals[c.state] = (totals[c.state] ?? 0) + c.messages;
    total += c.messages;
    rows.set(key, row);
  }
  const sorted = [...rows.values()].sort((a, b) => a.soum - b.soum || a.head_sex.localeCompare(b.head_sex));
  return { states, rows: sorted, totals, total };
}

// Progress: the share of messages in the outbox (queued at all) and the
// share that reached a final state, in [0, 1]; 0 of 0 is 0.
export function progressOf(r: BroadcastReportJson): { messages: number; queued: number; done: number; delivered: number } {
  let messages = 0;
  let notQueued = 0;
  let done = 0;
  for (const [state, n] of Object.entries(r.progress)) {
    messages += n;
    if (state === 'not_queued') notQueued += n;
    if (FINAL.has(state)) done += n;
  }
  const share = (n: number) => (messages ? n / messages : 0);
  return { messages, queued: share(messages - notQueued), done: share(done), delivered: share(r.progress.delivered ?? 0) };
}

// Whether the page keeps refreshing the report: the broadcast is still
// being queued, or messages are waiting for the sender or a report.
export function stillMoving(b: BroadcastJson, r: BroadcastReportJson | null): boolean {
  if (b.state === 'sending') return true;
  if (b.state !== 'queued' || !r) return false;
  return ['not_queued', 'queued', 'sending', 'sent'].some((s) => (r.progress[s] ?? 0) > 0);
}

// Unix seconds -> "YYYY-MM-DDTHH:MM" (UTC), for formatDate.
export function isoOf(seconds: number): string {
  return seconds > 0 ? new Date(seconds * 1000).toISOString().slice(0, 16) : '';
}
