// Post-distribution monitoring (docs/pdm.md), the logic of the Monitoring
// page kept free of the DOM so it is unit-tested (monitoring.test.ts): the
// JSON of the samples and the report, the response rate, the weighted
// shares with their interval as bars, which follow-up cases may still be
// raised as grievances, and the addresses of the downloads.

export interface SampleJson {
  id: number;
  plan: string;
  installment: number;
  status: 'drawn' | 'approved' | string;
  drawn_by: string;
  drawn_at: string;
  approved_by: string;
  approved_at: string;
  frame_units: number;
}

export interface EstimateJson {
  domain: string;
  indicator: string;
  label?: string; // In the request's language (the form's words).
  respondents: number;
  population: number | null;
  value: number | null;
  se: number | null;
  ci_low: number | null;
  ci_high: number | null;
}

export interface FollowUpJson {
  reason: string;
  beneficiary_id: string;
  payee_id: string;
  soum_code: number;
  uuid: string;
  bank_status: string;
  bank_amount: number;
  reported_amount: number;
  reason_text: string;
  text: string;
}

export interface ReportJson {
  sample: { id: number; plan: string; installment: number; status: string };
  confidence: number;
  response: { selected: number; responded: number; replacements_interviewed: number; response_rate: number | null; submissions: number };
  estimates: EstimateJson[];
  follow_up: FollowUpJson[];
}

export interface RaisedJson {
  submission: string;
  grievance_id: number;
  grievance_reference: string;
  raised_by: string;
  raised_at: string;
}

// One bar per indicator of the domain (default "all"): the weighted share
// in percent, its interval in words; indicators without an estimate are
// left out.
export interface ShareBar {
  indicator: string;
  label: string;
  percent: number;
  low: number;
  high: number;
  respondents: number;
}

// A mean (e.g. "amount_received mean") is not a share: meansOf lists them.
function isMean(e: EstimateJson): boolean {
  return e.indicator.endsWith(' mean');
}

function estimated(e: EstimateJson, domain: string): boolean {
  return e.domain === domain && e.value !== null && Number.isFinite(e.value);
}

export function shareBars(report: ReportJson, domain = 'all'): ShareBar[] {
  return report.estimates
    .filter((e) => estimated(e, domain) && !isMean(e))
    .map((e) => ({
      indicator: e.indicator,
      label: e.label || e.indicator,
      percent: 100 * (e.value as number),
      low: 100 * (e.ci_low ?? (e.value as number)),
      high: 100 * (e.ci_high ?? (e.value as number)),
      respondents: e.respondents,
    }));
}

// The means of the domain with their interval, as estimated.
export function meansOf(report: ReportJson, domain = 'all'): EstimateJson[] {
  return report.estimates.filter((e) => estimated(e, domain) && isMean(e));
}

// What the respondent said they received: null when nothing (the report
// gives -1), else the amount.
export function reportedAmount(c: FollowUpJson): number | null {
  return c.reported_amount < 0 ? null : c.reported_amount;
}

// "62.5% (55.1–69.9)": the share and its interval, one decimal.
export function shareText(b: ShareBar): string {
  return `${b.percent.toFixed(1)}% (${b.low.toFixed(1)}–${b.high.toFixed(1)})`;
}

// The response rate in percent, or null before any interview.
export function responsePercent(report: ReportJson): number | null {
  const r = report.response.response_rate;
  return r === null || !Number.isFinite(r) ? null : 100 * r;
}

// The confidence level as a percentage label: 0.95 -> "95", 0.9 -> "90".
export function levelLabel(confidence: number): string {
  return String(Math.round(confidence * 1000) / 10);
}

// A case may be raised when the bank paid it and it is not raised yet;
// the case's grievance reference when it was.
export function raisable(c: FollowUpJson): boolean {
  return c.reason !== 'not_paid_but_received';
}

export function raisedByUuid(raised: RaisedJson[]): Map<string, RaisedJson> {
  return new Map(raised.map((r) => [r.submission, r]));
}

export function raiseUrl(sample: number, uuid: string): string {
  return `/api/v1/pdm/samples/${sample}/follow-up/${encodeURIComponent(uuid)}/grievance`;
}

export type Download = 'estimates.csv' | 'follow_up.csv' | 'xlsx' | 'form';

// The address of a download in the page's language.
export function downloadUrl(sample: number, what: Download, lang: string): string {
  const base = `/api/v1/pdm/samples/${sample}`;
  if (what === 'form') return `${base}/form.xlsx`;
  return `${base}/report?format=${what}&lang=${lang}`;
}
