// Long jobs (GET /api/v1/jobs/{id}) and the import report they return
// (the same as `malchin import --json`).
import type { ErrorCode } from './api';

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
