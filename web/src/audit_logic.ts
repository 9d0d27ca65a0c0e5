// The audit trail in words: each action, actor and record as a person reads
// it (messages/audit.ts), the kinds of action a filter offers, the day an
// entry belongs to, and the query the page sends.
import { withQuery } from './api';
import { formatDate, type Lang } from './format';
import { en, translate, type MessageKey } from './i18n';

// Kinds of action, in the order the filter lists them. A kind is the
// action's first word(s): "person" finds person.read, person.update, ...
export const AUDIT_KINDS = [
  'login',
  'logout',
  'person',
  'household',
  'register',
  'user',
  'file',
  'payment_file',
  'programme',
  'event',
  'plan',
  'payroll',
  'payment',
  'payments',
  'insurance',
  'grievance',
  'pdm',
  'indicator',
  'coop',
  'audit',
  'database',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

function known(key: string): key is MessageKey {
  return key in en;
}

export function kindOf(action: string): AuditKind | undefined {
  return AUDIT_KINDS.find((k) => action === k || action.startsWith(`${k}.`));
}

// "Viewed a person's record"; an action without its own words reads as its
// kind followed by the rest ("Complaints: referral.put").
export function actionWords(lang: Lang, action: string): string {
  const key = `audit.a.${action}`;
  if (known(key)) return translate(lang, key);
  const kind = kindOf(action);
  if (!kind) return action;
  const rest = action.slice(kind.length + 1);
  const word = translate(lang, `audit.k.${kind}` as MessageKey);
  return rest ? `${word}: ${rest}` : word;
}

export function actorWords(lang: Lang, actor: string): string {
  if (actor === 'cli:unknown' || actor === 'cli:') return translate(lang, 'audit.cliUnknown');
  if (actor.startsWith('cli:')) return translate(lang, 'audit.cli', { name: actor.slice(4) });
  if (actor === 'system') return translate(lang, 'audit.system');
  return actor;
}

// "Household H-0001"; a sign-in session is named, never its token's hash.
export function recordWords(lang: Lang, type: string, id: string): string {
  const key = `audit.e.${type}`;
  const word = known(key) ? translate(lang, key) : type;
  if (type === 'session' || !id) return word;
  return `${word} ${id}`;
}

// The day heading of an entry: "Today, 2026.12.07" or the date alone.
export function dayHeading(lang: Lang, at: string, today: string): string {
  const day = at.slice(0, 10);
  const date = formatDate(lang, day);
  return day === today ? translate(lang, 'audit.today', { date }) : date;
}

export function timeOf(at: string): string {
  const m = /T(\d{2}):(\d{2})/.exec(at);
  return m ? `${m[1]}:${m[2]}` : at;
}

export interface AuditFilters {
  actor: string;
  register_no: string;
  household_id: string;
  kind: string;
  area: number; // 0: the whole country.
  from: string; // YYYY-MM-DD or ''.
  to: string;
}

// Newest first; `before` pages back from the last entry shown.
export function auditUrl(f: AuditFilters, limit: number, before?: number): string {
  return withQuery('/api/v1/audit', {
    order: 'newest',
    actor: f.actor.trim(),
    register_no: f.register_no.trim(),
    household_id: f.household_id.trim(),
    action: f.kind,
    area: f.area || undefined,
    from: f.from ? `${f.from}T00:00:00Z` : '',
    to: f.to ? `${f.to}T23:59:59Z` : '',
    before,
    limit,
  });
}
