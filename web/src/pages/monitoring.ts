// The Monitoring page (post-distribution monitoring, docs/pdm.md):
// - #/monitoring: the samples with a respondent in the caller's area;
// - #/monitoring/ID: the report of one sample in the page's language: the
//   response rate, the weighted shares with their confidence interval as
//   horizontal bars, the cases to follow up with a "raise a grievance"
//   button (the grievance's reference once raised), and the downloads (CSV,
//   Excel report, XLSForm).
// The logic is in ../monitoring_logic.ts (unit-tested).
import type { App } from '../app';
import { loading } from '../app';
import { barChart } from '../bars';
import { table } from '../coop_ui';
import { h } from '../dom';
import type { MessageKey } from '../i18n';
import {
  downloadUrl,
  levelLabel,
  meansOf,
  raisable,
  reportedAmount,
  raisedByUuid,
  raiseUrl,
  responsePercent,
  shareBars,
  shareText,
  type FollowUpJson,
  type RaisedJson,
  type ReportJson,
  type SampleJson,
} from '../monitoring_logic';

function statusText(app: App, status: string): string {
  return status === 'drawn' || status === 'approved' ? app.t(`pdm.status.${status}` as MessageKey) : status;
}

function sampleList(app: App, out: HTMLElement, signal: AbortSignal): void {
  app.api
    .get<{ items: SampleJson[] }>('/api/v1/pdm/samples', signal)
    .then(({ items }) => {
      if (!items.length) {
        out.replaceChildren(h('p', null, app.t('pdm.none')));
        return;
      }
      const rows = items.map((s) => [
        h('a', { href: `#/monitoring/${s.id}`, 'data-testid': `pdm-sample-${s.id}` }, String(s.id)),
        s.plan,
        app.num(s.installment),
        statusText(app, s.status),
        `${s.drawn_by}, ${app.date(s.drawn_at)}`,
        app.num(s.frame_units),
      ]);
      out.replaceChildren(
        table(app.t('pdm.samples'), [app.t('pdm.sample'), app.t('pdm.plan'), app.t('pdm.installment'), app.t('pdm.status'), app.t('pdm.drawnBy'), app.t('pdm.frame')], rows, 'pdm-samples'),
      );
    })
    .catch((e) => out.replaceChildren(app.errorBox(e)));
}

function responseSection(app: App, r: ReportJson): HTMLElement {
  const pct = responsePercent(r);
  return h(
    'section',
    { 'data-testid': 'pdm-response' },
    h('h2', null, app.t('pdm.response')),
    h('p', null, h('strong', null, `${app.t('pdm.responseRate')}: ${pct === null ? app.t('common.none') : `${pct.toFixed(1)}%`}`)),
    h('p', null, app.t('pdm.responded', { responded: app.num(r.response.responded), selected: app.num(r.response.selected), submissions: app.num(r.response.submissions) })),
  );
}

function sharesSection(app: App, r: ReportJson): HTMLElement {
  const bars = shareBars(r);
  const caption = app.t('pdm.shares', { level: levelLabel(r.confidence) });
  if (!bars.length) return h('section', null, h('h2', null, caption), h('p', null, app.t('pdm.noShares')));
  const means = meansOf(r).map((e) =>
    h('li', null, `${e.label || e.indicator}: ${app.num(Math.round(e.value ?? 0))} (${app.num(Math.round(e.ci_low ?? 0))}–${app.num(Math.round(e.ci_high ?? 0))}), ${app.t('pdm.respondents', { n: app.num(e.respondents) })}`),
  );
  return h(
    'section',
    { 'data-testid': 'pdm-shares' },
    barChart({
      caption,
      max: 100,
      testid: 'pdm-bars',
      bars: bars.map((b) => ({ label: b.label, note: app.t('pdm.respondents', { n: app.num(b.respondents) }), value: b.percent, text: shareText(b) })),
    }),
    means.length ? h('ul', { 'data-testid': 'pdm-means' }, means) : null,
  );
}

// The grievance cell of a case: its reference, a button, or why not.
function grievanceCell(app: App, sample: number, c: FollowUpJson, raised: Map<string, RaisedJson>, status: HTMLElement, reload: () => void): HTMLElement | string {
  const done = raised.get(c.uuid);
  if (done) return h('a', { href: `#/grievance/${done.grievance_id}`, 'data-testid': `pdm-raised-${c.uuid}` }, done.grievance_reference);
  if (!raisable(c)) return app.t('pdm.bankToFollow');
  if (!app.can('record_grievance')) return app.t('common.none');
  const button = h('button', { type: 'button', 'data-testid': `pdm-raise-${c.uuid}` }, app.t('pdm.raise'));
  button.addEventListener('click', () => {
    button.disabled = true;
    app.api
      .request<RaisedJson>(raiseUrl(sample, c.uuid), { method: 'POST' })
      .then((res) => {
        status.replaceChildren(h('p', { class: 'alert info', role: 'status' }, app.t('pdm.raised', { reference: res.data.grievance_reference })));
        reload();
      })
      .catch((e) => {
        button.disabled = false;
        status.replaceChildren(app.errorBox(e));
      });
  });
  return button;
}

// `status` outlives the reloads: it says what the last raise did.
function followUpSection(app: App, r: ReportJson, raised: RaisedJson[], status: HTMLElement, reload: () => void): HTMLElement {
  const section = h('section', { 'data-testid': 'pdm-follow-up' }, h('h2', null, app.t('pdm.followUp')), status);
  if (!r.follow_up.length) {
    section.append(h('p', null, app.t('pdm.noFollowUp')));
    return section;
  }
  const byUuid = raisedByUuid(raised);
  const rows = r.follow_up.map((c) => [
    c.reason_text,
    c.beneficiary_id,
    app.unit(c.soum_code),
    app.money(c.bank_amount),
    reportedAmount(c) === null ? app.t('common.none') : app.money(reportedAmount(c) as number),
    grievanceCell(app, r.sample.id, c, byUuid, status, reload),
  ]);
  section.append(
    table(app.t('pdm.followUp'), [app.t('pdm.reason'), app.t('pdm.beneficiary'), app.t('pdm.soum'), app.t('pdm.bankAmount'), app.t('pdm.reported'), app.t('pdm.grievance')], rows, 'pdm-follow-up-table'),
  );
  return section;
}

function downloads(app: App, id: number): HTMLElement {
  const link = (what: Parameters<typeof downloadUrl>[1], key: MessageKey) =>
    h('li', null, h('a', { href: downloadUrl(id, what, app.lang), download: '', 'data-testid': `pdm-download-${what}` }, app.t(key)));
  return h(
    'section',
    null,
    h('h2', null, app.t('pdm.downloads')),
    h('ul', null, link('estimates.csv', 'pdm.download.estimates'), link('follow_up.csv', 'pdm.download.followUp'), link('xlsx', 'pdm.download.xlsx'), link('form', 'pdm.download.form')),
  );
}

function reportView(app: App, id: number, out: HTMLElement, signal: AbortSignal): void {
  const status = h('div', { 'aria-live': 'polite', 'data-testid': 'pdm-raise-status' });
  const load = () => {
    Promise.all([
      app.api.get<ReportJson>(`/api/v1/pdm/samples/${id}/report?lang=${app.lang}`, signal),
      app.api.get<{ items: RaisedJson[] }>(`/api/v1/pdm/samples/${id}/grievances`, signal),
    ])
      .then(([r, raised]) => {
        out.replaceChildren(
          h('h2', { 'data-testid': 'pdm-report-title' }, app.t('pdm.report', { id: r.sample.id, plan: r.sample.plan, installment: r.sample.installment })),
          responseSection(app, r),
          sharesSection(app, r),
          followUpSection(app, r, raised.items, status, load),
          downloads(app, id),
        );
      })
      .catch((e) => out.replaceChildren(app.errorBox(e)));
  };
  load();
}

export function monitoringPage(app: App, main: HTMLElement, arg: string): () => void {
  const controller = new AbortController();
  const out = h('div', { 'aria-live': 'polite', 'data-testid': 'pdm-page' }, loading(app));
  main.append(h('h1', null, app.t('pdm.title')), h('p', { class: 'hint' }, app.t('pdm.hint')));
  const id = Number(arg);
  if (arg && Number.isInteger(id) && id > 0) {
    main.append(h('p', null, h('a', { href: '#/monitoring' }, app.t('pdm.back'))), out);
    reportView(app, id, out, controller.signal);
  } else {
    main.append(out);
    sampleList(app, out, controller.signal);
  }
  return () => controller.abort();
}
