import { describe, expect, it } from 'vitest';
import { en, mn } from './i18n';
import { jobPercent, jobPhase, parseJob, phaseKey, phaseRows, phaseWords } from './jobs';

describe('job progress', () => {
  it('reads a job and clamps its progress', () => {
    const j = parseJob({ job_id: 'j1', kind: 'rima.fit', state: 'running', progress: 1.7, phase: 'fitting' });
    expect(j.progress).toBe(1);
    expect(parseJob({ state: 'weird', progress: 'x' })).toMatchObject({ state: 'queued', progress: 0 });
  });
  it('gives whole percentages, 100 only when done', () => {
    expect(jobPercent({ state: 'running', progress: 0.404 })).toBe(40);
    expect(jobPercent({ state: 'running', progress: 1 })).toBe(99);
    expect(jobPercent({ state: 'done', progress: 0.8 })).toBe(100);
    expect(jobPercent({ state: 'queued', progress: 0 })).toBe(0);
  });
  it('names the phase in both languages, the state once finished', () => {
    expect(jobPhase({ state: 'running', phase: 'fitting' })).toBe('fitting');
    expect(jobPhase({ state: 'done', phase: 'storing the model' })).toBe('done');
    expect(jobPhase({ state: 'queued', phase: '' })).toBe('queued');
    for (const phase of ['queued', 'running', 'done', 'failed', 'validating and writing', 'writing', 'reading the survey', 'fitting', 'storing the model', 'freezing the beneficiary list', 'issuing payments and writing files', 'checking and recording the results', 'checking households', 'checking persons', 'looking for possible duplicates', 'writing households', 'writing persons', 'committing', 'reading the register', 'choosing the beneficiaries', 'issuing payments', 'writing the bank files']) {
      const k = phaseKey(phase);
      expect(k, phase).not.toBeNull();
      expect(en[k!]).toBeTruthy();
      expect(mn[k!]).toBeTruthy();
    }
    expect(phaseKey('Fitting ')).toBe('job.phase.fitting');
    expect(phaseKey('something new')).toBeNull();
  });

  it('reads the rows a writing phase has done, in words', () => {
    expect(phaseRows('writing persons: 8192 of 3253283 rows')).toEqual({ phase: 'writing persons', done: 8192, total: 3253283 });
    expect(phaseRows('writing persons')).toBeNull();
    const app = { t: (k: string, v?: Record<string, string>) => (v ? `${k}|${v.phase}|${v.done}|${v.total}` : k), num: (n: number) => String(n) };
    expect(phaseWords(app as never, 'writing persons: 8192 of 3253283 rows')).toBe('job.phase.rows|job.phase.writingPersons|8192|3253283');
    expect(phaseWords(app as never, 'committing')).toBe('job.phase.committing');
    expect(phaseWords(app as never, 'something new')).toBe('something new');
  });
});
