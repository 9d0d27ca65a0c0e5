// CSV import: households.csv and persons.csv are read in the browser and
// sent as one JSON request (POST /api/v1/imports); the server runs it as a
// job whose progress is polled (GET /api/v1/jobs/{id}) and whose result is
// the row-level validation report, shown as a table.
import { ApiError } from '../api';
import { type App, type PageFn } from '../app';
import { h, uid } from '../dom';
import { JobFailed, pollJob, progressView, type ImportReport } from '../jobs';

export const importPage: PageFn = (app: App, main: HTMLElement) => {
  const ids = { hh: uid('hh'), p: uid('p') };
  const hh = h('input', { id: ids.hh, type: 'file', accept: '.csv,text/csv', 'data-testid': 'import-households' });
  const persons = h('input', { id: ids.p, type: 'file', accept: '.csv,text/csv', 'data-testid': 'import-persons' });
  const submit = h('button', { type: 'submit' }, app.t('imp.submit'));
  const out = h('section', { 'aria-live': 'polite', 'data-testid': 'import-report' });
  const form = h(
    'form',
    { class: 'card', novalidate: true },
    h('p', null, app.t('imp.intro')),
    h('div', { class: 'field' }, h('label', { for: ids.hh }, app.t('imp.households')), hh),
    h('div', { class: 'field' }, h('label', { for: ids.p }, app.t('imp.persons')), persons),
    submit,
  );
  let stopped = false;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const hf = hh.files?.[0];
    const pf = persons.files?.[0];
    if (!hf || !pf) {
      out.replaceChildren(h('p', { class: 'alert error', role: 'alert' }, app.t('imp.chooseFiles')));
      return;
    }
    submit.disabled = true;
    const view = progressView(app, app.t('imp.submit'));
    out.replaceChildren(view.el);
    let started = false;
    try {
      const [households_csv, persons_csv] = await Promise.all([hf.text(), pf.text()]);
      const job = await app.api.request<{ job_id: string }>('/api/v1/imports', { method: 'POST', body: { households_csv, persons_csv } });
      started = true;
      const result = await pollJob(app, job.data.job_id, view, () => stopped);
      if (result !== null) out.replaceChildren(report(app, result as ImportReport));
    } catch (err) {
      if (err instanceof JobFailed && err.job.result) {
        // A refused import: the job failed, and its report lists every row.
        out.replaceChildren(report(app, err.job.result as ImportReport));
        return;
      }
      out.replaceChildren(...(started && err instanceof ApiError ? [h('p', { class: 'alert error', role: 'alert' }, app.t('imp.failed'))] : []), app.errorBox(err));
    } finally {
      submit.disabled = false;
    }
  });
  main.append(h('h1', null, app.t('imp.title')), form, out);
  return () => {
    stopped = true;
  };
};

function report(app: App, r: ImportReport): HTMLElement {
  const c = r.counts;
  const parts: HTMLElement[] = [];
  if (r.written) {
    parts.push(
      h('p', { class: 'alert info', role: 'status' }, app.t('imp.done'), ' ',
        app.t('imp.counts', {
          hi: app.num(c.households_inserted), hu: app.num(c.households_updated), hs: app.num(c.households_unchanged),
          pi: app.num(c.persons_inserted), pu: app.num(c.persons_updated), ps: app.num(c.persons_unchanged),
        })),
    );
  } else {
    const badRows = new Set(r.errors.map((e) => `${e.file}:${e.line}`)).size;
    parts.push(h('p', { class: 'alert error', role: 'alert' }, app.t('imp.rejected', { n: app.num(badRows) })));
  }
  if (r.errors.length > 0) {
    parts.push(
      h('h2', null, app.t('imp.errors')),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { 'data-testid': 'import-errors' },
          h('thead', null, h('tr', null, ['imp.file', 'imp.line', 'imp.column', 'imp.value', 'imp.expected'].map((k) => h('th', { scope: 'col' }, app.t(k as 'imp.file'))))),
          h('tbody', null, r.errors.map((e) => h('tr', null, h('td', null, e.file), h('td', { class: 'num' }, String(e.line)), h('td', null, e.column), h('td', null, h('code', null, e.value)), h('td', { lang: 'en' }, e.expected)))),
        ),
      ),
    );
  }
  if (r.duplicates.length > 0) {
    parts.push(
      h('h2', null, app.t('imp.duplicates', { n: app.num(r.duplicates.length) })),
      h('ul', null, r.duplicates.map((d) => h('li', null, `${d.file}:${d.line} ${d.register_no} ↔ ${d.other_register_no}`))),
    );
  }
  return h('div', null, parts);
}
