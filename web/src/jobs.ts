// Long jobs (GET /api/v1/jobs/{id}), the import report they return (the
// same as `malchin import --json`) and the progress bar pages show while
// one runs.
import { ApiError, type ErrorCode } from './api';
import type { App } from './app';
import { h, uid } from './dom';
import type { MessageKey } from './i18n';

export interface Job {
  job_id: string;
  kind: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  progress: number;
  phase: string;
  result?: unknown;
  error?: { code: ErrorCode; message: string; field: string | null };
}

export function parseJob(data: unknown): Job {
  const d = (data ?? {}) as Record<string, unknown>;
  const state = String(d.state ?? 'queued');
  return {
    job_id: String(d.job_id ?? ''),
    kind: String(d.kind ?? ''),
    state: (['queued', 'running', 'done', 'failed'].includes(state) ? state : 'queued') as Job['state'],
    progress: Math.min(1, Math.max(0, Number(d.progress ?? 0) || 0)),
    phase: String(d.phase ?? ''),
    result: d.result,
    error: d.error as Job['error'],
  };
}

export interface ImportError {
  file: string;
  line: number;
  column: string;
  value: string;
  expected: string;
  message: string;
}

export interface ImportReport {
  written: boolean;
  household_rows: number;
  person_rows: number;
  counts: {
    households_inserted: number;
    households_updated: number;
    households_unchanged: number;
    persons_inserted: number;
    persons_updated: number;
    persons_unchanged: number;
  };
  warnings: unknown[];
  errors: ImportError[];
  duplicates: { file: string; line: number; register_no: string; other_register_no: string; message: string }[];
}

// --- Progress of a running job ------------------------------------------------
//
// The server reports a fraction in [0, 1] and a short English phase name
// (src/api/*_routes.cpp: progress.Set(0.4, "fitting")). Pages show both in
// a real <progress> bar with the phase in the user's language.

// The message key of a server phase, or null for a phase not known here
// (shown as the server wrote it).
export function phaseKey(phase: string): MessageKey | null {
  const keys: Record<string, MessageKey> = {
    queued: 'job.phase.queued',
    running: 'job.phase.running',
    done: 'job.phase.done',
    failed: 'job.phase.failed',
    'validating and writing': 'job.phase.validating',
    writing: 'job.phase.writing',
    'reading the survey': 'job.phase.readingSurvey',
    fitting: 'job.phase.fitting',
    'storing the model': 'job.phase.storingModel',
    'freezing the beneficiary list': 'job.phase.freezing',
    'issuing payments and writing files': 'job.phase.issuing',
    'checking and recording the results': 'job.phase.reconciling',
    'checking households': 'job.phase.checkingHouseholds',
    'checking persons': 'job.phase.checkingPersons',
    'looking for possible duplicates': 'job.phase.duplicates',
    'writing households': 'job.phase.writingHouseholds',
    'writing persons': 'job.phase.writingPersons',
    committing: 'job.phase.committing',
    'reading the register': 'job.phase.readingRegister',
    'choosing the beneficiaries': 'job.phase.choosing',
    'issuing payments': 'job.phase.issuingPayments',
    'writing the bank files': 'job.phase.writingFiles',
  };
  return keys[phase.trim().toLowerCase()] ?? null;
}

// A phase with a row count ("writing persons: 8192 of 3253283 rows"): the
// phase and the counts, or null.
export function phaseRows(phase: string): { phase: string; done: number; total: number } | null {
  const m = /^(.*): (\d+) of (\d+) rows$/.exec(phase.trim());
  return m ? { phase: m[1], done: Number(m[2]), total: Number(m[3]) } : null;
}

// The phase in the user's language (as the server wrote it when unknown).
export function phaseWords(app: Pick<App, 't' | 'num'>, phase: string): string {
  const rows = phaseRows(phase);
  const base = rows ? rows.phase : phase;
  const key = phaseKey(base);
  const words = key ? app.t(key) : base;
  if (!rows) return words;
  return app.t('job.phase.rows', { phase: words, done: app.num(rows.done), total: app.num(rows.total) });
}

// The whole percentage a job has done (0-100; 100 only when done).
export function jobPercent(job: Pick<Job, 'state' | 'progress'>): number {
  if (job.state === 'done') return 100;
  return Math.min(99, Math.max(0, Math.round(job.progress * 100)));
}

// The phase to show: a finished job's state wins over its last phase.
export function jobPhase(job: Pick<Job, 'state' | 'phase'>): string {
  if (job.state === 'done' || job.state === 'failed') return job.state;
  return job.phase || job.state;
}

export interface ProgressView {
  el: HTMLElement;
  update(job: Job): void;
}

// A labelled <progress> bar (0-100, aria-valuenow and aria-valuetext kept
// in step) with the phase in words below it, announced politely.
export function progressView(app: App, label: string): ProgressView {
  const id = uid('job');
  const bar = h('progress', { id, class: 'progress', max: '100', value: '0', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': '0', 'data-testid': 'job-progress' });
  const text = h('p', { class: 'job-phase', role: 'status', 'aria-live': 'polite', 'data-testid': 'job-phase' });
  const update = (job: Job) => {
    const pct = jobPercent(job);
    const phase = jobPhase(job);
    const words = app.t('job.progress', { percent: app.num(pct), phase: phaseWords(app, phase) });
    bar.value = pct;
    bar.setAttribute('aria-valuenow', String(pct));
    bar.setAttribute('aria-valuetext', words);
    bar.setAttribute('data-phase', phase);
    text.textContent = words;
  };
  update({ job_id: '', kind: '', state: 'queued', progress: 0, phase: 'queued' });
  return { el: h('div', { class: 'job' }, h('label', { for: id }, label), bar, text), update };
}

// A job that failed, with the report it left (e.g. an import's refused rows).
export class JobFailed extends ApiError {
  constructor(readonly job: Job) {
    super(200, job.error?.code ?? 'INTERNAL', job.error?.message ?? '', job.error?.field ?? null);
  }
}

// Polls GET /api/v1/jobs/{id} (250 ms, slowing to 2 s) and shows it in
// `view`; resolves with the job's result, rejects with a JobFailed (an
// ApiError carrying the job and its report) if the job failed, and resolves
// null if `stopped()` becomes true first.
export async function pollJob(app: App, id: string, view: ProgressView, stopped: () => boolean): Promise<unknown> {
  for (let delay = 250; !stopped(); delay = Math.min(2000, delay * 1.5)) {
    const job = parseJob(await app.api.get<unknown>(`/api/v1/jobs/${encodeURIComponent(id)}`));
    view.update(job);
    if (job.state === 'done') return job.result;
    if (job.state === 'failed') throw new JobFailed(job);
    await new Promise((r) => setTimeout(r, delay));
  }
  return null;
}
