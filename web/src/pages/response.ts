// Shock response: the ministry officer's flow over /api/v1 (docs/response.md
// "HTTP API"): list events; declare one with its affected soums and
// severities (picked on a map or a list, or pasted as CSV); prepare a plan
// with a rule, with a live preview (debounced while typing; rule errors
// shown at their position beside the field); approve it (refused to its
// maker, and the button says why); generate, approve and export each
// installment's payroll; download the bank files; upload a bank's result
// file; the reconciliation report by soum and sex.
//
// Routes: #/response, #/response/event/<code>, #/response/plan/<code>.
import { ApiError, errorFromResponse, withQuery } from '../api';
import { loading, type App, type PageFn } from '../app';
import { append, h, uid } from '../dom';
import { pollJob, progressView } from '../jobs';
import { type MessageKey } from '../i18n';
import { drawMap, loadSoums } from '../map';
import { overlapView, paymentCasesView } from './payment_cases';
import { cycleSeverity, setSeverity, severityColour, severityOf } from '../severity_pick';

// --- Pure logic (unit-tested in ../response.test.ts) -----------------------

export const SEVERITIES = ['very_high', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const EVENT_TYPES = ['dzud', 'drought', 'flood', 'snowstorm', 'epidemic', 'other'] as const;

export interface SoumSeverity {
  code: number;
  severity: Severity;
}

// The soum file the server reads (soum_code,severity), by soum code.
export function soumsCsv(rows: SoumSeverity[]): string {
  const sorted = [...rows].sort((a, b) => a.code - b.code);
  return ['soum_code,severity', ...sorted.map((r) => `${r.code},${r.severity}`)].join('\n') + '\n';
}

// "2020-02-15, 2020-03-16 2020-04-15" -> the dates, or the first item that
// is not a date YYYY-MM-DD.
export function parseInstallments(text: string): { dates: string[]; bad: string | null } {
  const items = text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const item of items) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(item) || Number.isNaN(Date.parse(item))) return { dates: [], bad: item };
  }
  return { dates: items, bad: null };
}

export interface PreviewCell {
  code: number;
  sex: 'F' | 'M';
  age_band: string;
  disability: boolean;
  beneficiaries: number;
  amount: number;
}

export interface AreaSexRow {
  code: number;
  female: number;
  male: number;
  beneficiaries: number;
  amount: number;
}

// Cells (area x sex x age band x disability) summed by area and sex, by
// area code.
export function byAreaAndSex(cells: PreviewCell[]): AreaSexRow[] {
  const rows = new Map<number, AreaSexRow>();
  for (const c of cells) {
    let r = rows.get(c.code);
    if (!r) {
      r = { code: c.code, female: 0, male: 0, beneficiaries: 0, amount: 0 };
      rows.set(c.code, r);
    }
    if (c.sex === 'F') r.female += c.beneficiaries;
    else r.male += c.beneficiaries;
    r.beneficiaries += c.beneficiaries;
    r.amount += c.amount;
  }
  return [...rows.values()].sort((a, b) => a.code - b.code);
}

export interface PlanJson {
  code: string;
  event: string;
  name: string;
  kind: string;
  programme: string | null;
  eligibility: string;
  amount: string;
  unit: string;
  cutoff_on: string;
  status: 'prepared' | 'approved';
  prepared_by: string;
  approved_by: string | null;
  beneficiaries: number;
  households: number;
  amount_per_installment: number;
  overlaps: number;
  overlap_choice?: string | null;
  overlap_count?: number;
  overlap_reason?: string;
  installments: { number: number; due_on: string; payroll: PayrollJson | null }[];
}

export interface PayrollJson {
  installment: number;
  due_on: string;
  status: 'generated' | 'approved';
  generated_by: string;
  approved_by: string | null;
  lines: number;
  amount: number;
}

// Why the user may not approve a plan (null: they may).
export function planApproveBlock(plan: Pick<PlanJson, 'status' | 'prepared_by'>, username: string): 'approved' | 'maker' | null {
  if (plan.status === 'approved') return 'approved';
  if (plan.prepared_by === username) return 'maker';
  return null;
}

// Why the user may not approve a payroll (null: they may). Payrolls are
// approved by a national officer who did not generate them.
export function payrollApproveBlock(payroll: Pick<PayrollJson, 'status' | 'generated_by'>, username: string, role: string): 'approved' | 'maker' | 'national' | null {
  if (payroll.status === 'approved') return 'approved';
  if (payroll.generated_by === username) return 'maker';
  if (role !== 'national_officer') return 'national';
  return null;
}

// Runs `fn` once `ms` after the last call.
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): ((...args: A) => void) & { cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const d = (...args: A) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn(...args);
    }, ms);
  };
  d.cancel = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  return d;
}

export interface RuleProblem {
  field: string;
  line: number;
  column: number;
  message: string;
  excerpt: string;
}

// The rule problems of a 400 answer ({"problems": [...]}), if any.
export function ruleProblems(body: unknown): RuleProblem[] {
  const list = (body as { problems?: unknown })?.problems;
  if (!Array.isArray(list)) return [];
  return list
    .filter((p) => p && typeof p === 'object')
    .map((p) => ({
      field: String(p.field ?? ''),
      line: Number(p.line ?? 1),
      column: Number(p.column ?? 1),
      message: String(p.message ?? ''),
      excerpt: String(p.excerpt ?? ''),
    }));
}

// --- The page ---------------------------------------------------------------

class RuleError extends Error {
  constructor(
    readonly problems: RuleProblem[],
    readonly apiError: ApiError,
  ) {
    super(apiError.message);
  }
}

// POST/GET that keeps the rule problems of a 400 answer.
async function call<T>(app: App, path: string, method: string, body?: unknown, raw?: { text: string; type: string }): Promise<{ data: T; status: number }> {
  const res = await fetch(path, {
    method,
    headers: raw ? { 'Content-Type': raw.type, Accept: 'application/json' } : body !== undefined ? { 'Content-Type': 'application/json', Accept: 'application/json' } : { Accept: 'application/json' },
    body: raw ? raw.text : body !== undefined ? JSON.stringify(body) : undefined,
    credentials: 'same-origin',
  }).catch((e) => {
    throw new ApiError(0, 'NETWORK', String(e?.message ?? e), null);
  });
  const text = await res.text();
  if (!res.ok) {
    const err = errorFromResponse(res.status, res.headers, text);
    if (res.status === 401 && app.api.onUnauthenticated) app.api.onUnauthenticated();
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
    const problems = ruleProblems(parsed);
    if (problems.length) throw new RuleError(problems, err);
    throw err;
  }
  return { data: (text ? JSON.parse(text) : null) as T, status: res.status };
}

// Polls a job with a progress bar in `out`; returns its result.
async function runJob(app: App, start: Promise<{ data: unknown; status: number }>, out: HTMLElement, isStopped: () => boolean): Promise<unknown> {
  const first = await start;
  if (first.status !== 202) return first.data; // Already done (idempotent).
  const id = String((first.data as { job_id: string }).job_id);
  const view = progressView(app, app.t('resp.progress'));
  out.replaceChildren(view.el);
  try {
    return await pollJob(app, id, view, isStopped);
  } finally {
    out.replaceChildren();
  }
}

function table(caption: string, head: string[], rows: (string | number)[][], testid?: string): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { 'data-testid': testid },
      h('caption', null, caption),
      h('thead', null, h('tr', null, head.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, rows.map((r) => h('tr', null, r.map((c) => h('td', null, String(c)))))),
    ),
  );
}

interface EventJson {
  code: string;
  type: string;
  name: string;
  source: string;
  reference: string;
  declared_on: string;
  starts_on: string;
  ends_on: string | null;
  created_by: string;
  soums: { soum_code: number; severity: Severity }[];
  plans?: { code: string; name: string; kind: string; status: string; beneficiaries: number }[];
}

interface PreviewJson {
  national: { beneficiaries: number; households: number; amount: number };
  installments: number;
  total_amount: number;
  aimag_cells: PreviewCell[];
  soum_cells: PreviewCell[];
  unknown_eligibility: number;
  unknown_amount: number;
}

function previewView(app: App, p: PreviewJson): HTMLElement {
  const bySoum = byAreaAndSex(p.soum_cells);
  const byAimag = byAreaAndSex(p.aimag_cells);
  const head = [app.t('resp.area'), app.t('resp.female'), app.t('resp.male'), app.t('resp.beneficiaries'), app.t('resp.amountMnt')];
  const rows = (list: AreaSexRow[]) => list.map((r) => [app.unitFull(r.code), app.num(r.female), app.num(r.male), app.num(r.beneficiaries), app.money(r.amount)]);
  return h(
    'section',
    { 'data-testid': 'resp-preview', 'aria-live': 'polite' },
    h(
      'p',
      { class: 'totals', 'data-testid': 'resp-preview-total' },
      app.t('resp.previewTotal', {
        beneficiaries: app.num(p.national.beneficiaries),
        households: app.num(p.national.households),
        amount: app.money(p.national.amount),
        installments: app.num(p.installments),
        total: app.money(p.total_amount),
      }),
    ),
    p.unknown_eligibility || p.unknown_amount ? h('p', null, app.t('resp.unknown', { eligibility: app.num(p.unknown_eligibility), amount: app.num(p.unknown_amount) })) : null,
    byAimag.length > 1 ? table(app.t('resp.byAimag'), head, rows(byAimag)) : null,
    table(app.t('resp.bySoum'), head, rows(bySoum), 'resp-preview-soums'),
  );
}

export const responsePage: PageFn = (app: App, main: HTMLElement, arg: string) => {
  let stopped = false;
  const stop = () => {
    stopped = true;
  };
  const isStopped = () => stopped;
  const [kind, ...rest] = arg.split('/');
  const code = rest.join('/');
  if (kind === 'event' && code) eventView(app, main, code, isStopped);
  else if (kind === 'plan' && code) planView(app, main, code, isStopped);
  else listView(app, main);
  return stop;
};

// --- Events list and the declaration form -----------------------------------

function listView(app: App, main: HTMLElement): void {
  main.append(h('h1', null, app.t('resp.title')));
  const list = h('section', { 'data-testid': 'resp-events' }, loading(app));
  main.append(list);
  void (async () => {
    try {
      const data = await app.api.get<{ items: EventJson[] & { soums: number; plans: number }[] }>('/api/v1/events');
      const items = data.items as unknown as { code: string; name: string; type: string; declared_on: string; soums: number; plans: number }[];
      if (!items.length) {
        list.replaceChildren(h('p', null, app.t('resp.noEvents')));
        return;
      }
      list.replaceChildren(
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            null,
            h('caption', null, app.t('resp.events')),
            h('thead', null, h('tr', null, [app.t('resp.event'), app.t('resp.type'), app.t('resp.declared'), app.t('resp.soums'), app.t('resp.plans')].map((c) => h('th', { scope: 'col' }, c)))),
            h(
              'tbody',
              null,
              items.map((e) =>
                h(
                  'tr',
                  null,
                  h('td', null, h('a', { href: `#/response/event/${encodeURIComponent(e.code)}` }, `${e.name} (${e.code})`)),
                  h('td', null, app.t(`resp.type.${e.type}` as MessageKey)),
                  h('td', null, app.date(e.declared_on)),
                  h('td', null, app.num(e.soums)),
                  h('td', null, app.num(e.plans)),
                ),
              ),
            ),
          ),
        ),
      );
    } catch (e) {
      list.replaceChildren(app.errorBox(e));
    }
  })();
  if (app.can('manage_response')) main.append(declareForm(app));
}

function declareForm(app: App): HTMLElement {
  const id = (s: string) => uid(`resp-${s}`);
  const ids = { code: id('code'), type: id('type'), name: id('name'), source: id('source'), reference: id('ref'), declared: id('declared'), start: id('start'), end: id('end'), aimag: id('aimag'), csv: id('csv'), mapHint: id('maphint') };
  const errors: Record<string, HTMLElement> = {};
  const field = (key: keyof typeof ids, label: MessageKey, input: HTMLElement, fieldName: string) => {
    const err = h('p', { class: 'field-error', id: `${ids[key]}-err`, role: 'alert' });
    errors[fieldName] = err;
    input.setAttribute('aria-describedby', `${ids[key]}-err`);
    return h('div', { class: 'field' }, h('label', { for: ids[key] }, app.t(label)), input, err);
  };
  const code = h('input', { id: ids.code, name: 'code', required: true, pattern: '[a-z0-9][a-z0-9_-]{0,39}', 'data-testid': 'resp-event-code' });
  const type = h('select', { id: ids.type, name: 'type' }, EVENT_TYPES.map((t) => h('option', { value: t }, app.t(`resp.type.${t}` as MessageKey))));
  const name = h('input', { id: ids.name, name: 'name', required: true, 'data-testid': 'resp-event-name' });
  const source = h('input', { id: ids.source, name: 'source' });
  const reference = h('input', { id: ids.reference, name: 'reference' });
  const declared = h('input', { id: ids.declared, name: 'declared_on', type: 'date' });
  const start = h('input', { id: ids.start, name: 'starts_on', type: 'date', required: true, 'data-testid': 'resp-event-start' });
  const end = h('input', { id: ids.end, name: 'ends_on', type: 'date' });

  // Soums: picked per aimag on a list, or pasted as CSV.
  const area = app.session?.area_code ?? 0;
  const aimags = area >= 100 ? app.units.aimags().filter((a) => a.code === (area >= 10000 ? Math.floor(area / 100) : area)) : app.units.aimags();
  const aimag = h('select', { id: ids.aimag, 'data-testid': 'resp-aimag' }, h('option', { value: '' }, '—'), aimags.map((a) => h('option', { value: String(a.code) }, a[app.lang])));
  const picked = new Map<number, Severity>();
  const soumList = h('div', { class: 'table-wrap', style: 'grid-column: 1 / -1', 'data-testid': 'resp-soum-list' });
  // The same soums on a map: a click (or Enter/Space) moves a soum along
  // none -> low -> medium -> high -> very high -> none. Map and list both
  // edit `picked`, which the submit sends.
  const mapBox = h('div', { class: 'severity-map', style: 'grid-column: 1 / -1; max-width: 640px', 'data-testid': 'resp-soum-map' });
  const selects = new Map<number, HTMLSelectElement>();
  const shapes = new Map<number, SVGPathElement>();
  const sevName = (s: Severity | null) => (s ? app.t(`resp.sev.${s}` as MessageKey) : app.t('resp.notAffected'));
  const paint = (code: number) => {
    const p = shapes.get(code);
    if (!p) return;
    const s = picked.get(code) ?? null;
    const label = app.t('resp.mapShape', { soum: app.unit(code), severity: sevName(s) });
    p.setAttribute('fill', severityColour(s));
    p.setAttribute('aria-pressed', s ? 'true' : 'false');
    p.setAttribute('aria-label', label);
    p.setAttribute('data-severity', s ?? '');
    const title = p.querySelector('title');
    if (title) title.textContent = label;
  };
  const onMap = (code: number) => {
    const sel = selects.get(code);
    if (!sel) return; // Not a soum this user may pick.
    sel.value = cycleSeverity(picked, code) ?? '';
    paint(code);
  };
  let mapSeq = 0;
  const drawMapFor = async (a: number, allowed: Set<number>) => {
    const mine = ++mapSeq;
    shapes.clear();
    mapBox.replaceChildren(loading(app));
    try {
      const areas = await loadSoums(a);
      if (mine !== mapSeq) return;
      const { svg } = drawMap({
        areas,
        values: new Map(),
        label: (c) => app.unit(c),
        title: app.t('resp.mapTitle', { aimag: app.unit(a) }),
        onPick: onMap,
        height: 420,
      });
      for (const p of svg.querySelectorAll<SVGPathElement>('path[data-code]')) {
        const c = Number(p.getAttribute('data-code'));
        if (allowed.has(c)) {
          shapes.set(c, p);
          paint(c);
        } else {
          // Shown for orientation only.
          for (const k of ['tabindex', 'role', 'aria-label']) p.removeAttribute(k);
          p.setAttribute('fill', '#ffffff');
          p.setAttribute('class', 'area inert');
          p.style.cursor = 'default';
        }
      }
      const legendItems = ([null, ...[...SEVERITIES].reverse()] as (Severity | null)[]).map((s) =>
        h('li', null, h('span', { class: 'swatch', style: `background:${severityColour(s)}`, 'aria-hidden': 'true' }), sevName(s)),
      );
      mapBox.replaceChildren(
        h('p', { id: ids.mapHint }, h('small', null, app.t('resp.mapHint'))),
        svg,
        h('figure', { class: 'legend', 'data-testid': 'resp-map-legend' }, h('figcaption', null, app.t('resp.severity')), h('ul', null, legendItems)),
      );
      svg.setAttribute('aria-describedby', ids.mapHint);
    } catch (err) {
      if (mine === mapSeq) mapBox.replaceChildren(app.errorBox(err));
    }
  };
  const drawSoums = () => {
    const a = Number(aimag.value);
    selects.clear();
    if (!a) {
      ++mapSeq;
      shapes.clear();
      soumList.replaceChildren();
      mapBox.replaceChildren();
      return;
    }
    const soums = app.units.soumsIn(area >= 100 ? area : a).filter((s) => s.aimag === a);
    soumList.replaceChildren(
      h(
        'table',
        null,
        h('caption', null, app.t('resp.pickSoums')),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, app.t('resp.soum')), h('th', { scope: 'col' }, app.t('resp.severity')))),
        h(
          'tbody',
          null,
          soums.map((s) => {
            const sid = uid('sev');
            const sel = h(
              'select',
              { id: sid, 'data-code': String(s.code), onchange: (e: Event) => {
                setSeverity(picked, s.code, severityOf((e.target as HTMLSelectElement).value));
                paint(s.code);
              } },
              h('option', { value: '' }, app.t('resp.notAffected')),
              SEVERITIES.map((v) => h('option', { value: v, selected: picked.get(s.code) === v }, app.t(`resp.sev.${v}` as MessageKey))),
            );
            selects.set(s.code, sel);
            return h('tr', null, h('td', null, h('label', { for: sid }, s[app.lang])), h('td', null, sel));
          }),
        ),
      ),
    );
    void drawMapFor(a, new Set(soums.map((s) => s.code)));
  };
  aimag.addEventListener('change', drawSoums);
  const csv = h('textarea', { id: ids.csv, rows: '5', placeholder: 'soum_code,severity\n18140,very_high', 'data-testid': 'resp-soums-csv' });
  const csvErr = h('p', { class: 'field-error', id: `${ids.csv}-err`, role: 'alert' });
  csv.setAttribute('aria-describedby', `${ids.csv}-err`);
  errors.soums_csv = csvErr;

  const out = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', 'data-testid': 'resp-event-submit' }, app.t('resp.declare'));
  const form = h(
    'form',
    { class: 'card', novalidate: true, 'data-testid': 'resp-event-form' },
    h('h2', null, app.t('resp.declareTitle')),
    field('code', 'resp.code', code, 'code'),
    field('type', 'resp.type', type, 'type'),
    field('name', 'resp.name', name, 'name'),
    field('source', 'resp.source', source, 'source'),
    field('reference', 'resp.reference', reference, 'reference'),
    field('declared', 'resp.declared', declared, 'declared_on'),
    field('start', 'resp.start', start, 'starts_on'),
    field('end', 'resp.end', end, 'ends_on'),
    h('fieldset', null, h('legend', null, app.t('resp.affected')), h('div', { class: 'field' }, h('label', { for: ids.aimag }, app.t('resp.aimag')), aimag), mapBox, soumList, h('div', { class: 'field', style: 'grid-column: 1 / -1' }, h('label', { for: ids.csv }, app.t('resp.pasteCsv')), csv, csvErr)),
    out,
    submit,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    for (const el of Object.values(errors)) el.textContent = '';
    out.replaceChildren();
    const body: Record<string, unknown> = { code: code.value.trim(), type: type.value, name: name.value.trim(), starts_on: start.value };
    if (source.value.trim()) body.source = source.value.trim();
    if (reference.value.trim()) body.reference = reference.value.trim();
    if (declared.value) body.declared_on = declared.value;
    if (end.value) body.ends_on = end.value;
    if (csv.value.trim()) body.soums_csv = csv.value;
    else if (picked.size) body.soums_csv = soumsCsv([...picked].map(([c, s]) => ({ code: c, severity: s })));
    submit.disabled = true;
    try {
      await call(app, '/api/v1/events', 'POST', body);
      app.go(`response/event/${encodeURIComponent(String(body.code))}`);
    } catch (err) {
      const f = err instanceof ApiError ? err.field : null;
      if (f && errors[f]) {
        errors[f].textContent = err instanceof ApiError ? err.detail : '';
        form.querySelector(`[name="${f}"]`)?.setAttribute('aria-invalid', 'true');
      }
      out.replaceChildren(app.errorBox(err));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

// --- An event: its soums, plans and the plan form with live preview ---------

function eventView(app: App, main: HTMLElement, code: string, isStopped: () => boolean): void {
  main.append(h('p', null, h('a', { href: '#/response' }, app.t('resp.back'))));
  const box = h('section', null, loading(app));
  main.append(box);
  void (async () => {
    try {
      const e = await app.api.get<EventJson>(`/api/v1/events/${encodeURIComponent(code)}`);
      box.replaceChildren(
        h('h1', { 'data-testid': 'resp-event-title' }, `${e.name} (${e.code})`),
        h('p', null, app.t('resp.eventLine', { type: app.t(`resp.type.${e.type}` as MessageKey), declared: app.date(e.declared_on), source: e.source || '—', reference: e.reference || '—' })),
        table(
          app.t('resp.affected'),
          [app.t('resp.soum'), app.t('resp.severity')],
          e.soums.map((s) => [app.unitFull(s.soum_code), app.t(`resp.sev.${s.severity}` as MessageKey)]),
          'resp-event-soums',
        ),
        h('h2', null, app.t('resp.plans')),
        e.plans && e.plans.length
          ? h(
              'ul',
              { 'data-testid': 'resp-plan-list' },
              e.plans.map((p) => h('li', null, h('a', { href: `#/response/plan/${encodeURIComponent(p.code)}` }, `${p.name} (${p.code})`), ` — ${app.t(`resp.status.${p.status}` as MessageKey)}, ${app.num(p.beneficiaries)}`)),
            )
          : h('p', null, app.t('resp.noPlans')),
      );
      if (app.can('manage_response')) box.append(planForm(app, e, isStopped));
    } catch (err) {
      box.replaceChildren(app.errorBox(err));
    }
  })();
}

function planForm(app: App, event: EventJson, isStopped: () => boolean): HTMLElement {
  const id = (s: string) => uid(`plan-${s}`);
  const ids = { code: id('code'), name: id('name'), programme: id('prog'), eligibility: id('elig'), amount: id('amount'), unit: id('unit'), cutoff: id('cutoff'), installments: id('inst') };
  const errors: Record<string, HTMLElement> = {};
  const field = (key: keyof typeof ids, label: MessageKey, input: HTMLElement, fieldName: string, hint?: MessageKey) => {
    const err = h('div', { class: 'field-error', id: `${ids[key]}-err`, role: 'alert', 'data-testid': `resp-err-${fieldName}` });
    errors[fieldName] = err;
    input.setAttribute('aria-describedby', `${ids[key]}-err`);
    return h('div', { class: 'field grow' }, h('label', { for: ids[key] }, app.t(label)), hint ? h('small', null, app.t(hint)) : null, input, err);
  };
  const code = h('input', { id: ids.code, name: 'code', required: true, 'data-testid': 'resp-plan-code' });
  const name = h('input', { id: ids.name, name: 'name', 'data-testid': 'resp-plan-name' });
  const programme = h('select', { id: ids.programme, name: 'programme', 'data-testid': 'resp-plan-programme' }, h('option', { value: 'child_money' }, app.t('resp.childMoney')), h('option', { value: '' }, app.t('resp.horizontal')));
  const eligibility = h('textarea', { id: ids.eligibility, name: 'eligibility', rows: '3', spellcheck: 'false', 'data-testid': 'resp-plan-eligibility' });
  const amount = h('input', { id: ids.amount, name: 'amount', spellcheck: 'false', 'data-testid': 'resp-plan-amount' });
  const unit = h('select', { id: ids.unit, name: 'unit' }, h('option', { value: 'person' }, app.t('resp.unit.person')), h('option', { value: 'household' }, app.t('resp.unit.household')));
  const cutoff = h('input', { id: ids.cutoff, name: 'cutoff_on', type: 'date', value: event.starts_on, 'data-testid': 'resp-plan-cutoff' });
  const installments = h('input', { id: ids.installments, name: 'installments', placeholder: '2020-02-15, 2020-03-16', 'data-testid': 'resp-plan-installments' });
  const preview = h('div', { 'aria-live': 'polite', 'data-testid': 'resp-live-preview' });
  const out = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', 'data-testid': 'resp-plan-submit' }, app.t('resp.prepare'));

  const clearErrors = () => {
    for (const [f, el] of Object.entries(errors)) {
      el.replaceChildren();
      document.getElementById(ids[(f === 'cutoff_on' ? 'cutoff' : f) as keyof typeof ids] ?? '')?.removeAttribute('aria-invalid');
    }
  };
  const showError = (err: unknown) => {
    if (err instanceof RuleError) {
      for (const p of err.problems) {
        const target = errors[p.field] ?? errors.eligibility;
        target.append(h('p', null, app.t('resp.ruleAt', { line: p.line, column: p.column, message: p.message })), h('pre', { class: 'excerpt' }, p.excerpt));
        (p.field === 'amount' ? amount : eligibility).setAttribute('aria-invalid', 'true');
      }
      return true;
    }
    if (err instanceof ApiError && err.field && errors[err.field]) {
      errors[err.field].append(h('p', null, err.detail));
      return true;
    }
    return false;
  };
  const body = (draft: boolean): Record<string, unknown> | null => {
    const inst = parseInstallments(installments.value);
    if (inst.bad !== null) {
      errors.installments.replaceChildren(h('p', null, app.t('resp.badDate', { value: inst.bad })));
      return null;
    }
    const b: Record<string, unknown> = { eligibility: eligibility.value, amount: amount.value.trim(), cutoff_on: cutoff.value, unit: unit.value };
    if (programme.value) b.programme = programme.value;
    if (inst.dates.length) b.installments = inst.dates.map((d) => ({ due_on: d }));
    if (!draft) {
      b.code = code.value.trim();
      b.event = event.code;
      if (name.value.trim()) b.name = name.value.trim();
      if (!inst.dates.length) b.installments = [];
    }
    return b;
  };

  let seq = 0;
  const runPreview = debounce(async () => {
    if (!eligibility.value.trim() || !amount.value.trim() || !cutoff.value) return;
    clearErrors();
    const b = body(true);
    if (!b) return;
    const mine = ++seq;
    preview.replaceChildren(h('p', { class: 'loading', role: 'status' }, app.t('resp.previewing')));
    try {
      const r = await call<PreviewJson>(app, `/api/v1/events/${encodeURIComponent(event.code)}/preview`, 'POST', b);
      if (mine !== seq || isStopped()) return;
      preview.replaceChildren(previewView(app, r.data));
    } catch (err) {
      if (mine !== seq) return;
      preview.replaceChildren();
      if (!showError(err)) preview.replaceChildren(app.errorBox(err));
    }
  }, 400);
  for (const el of [eligibility, amount, cutoff, installments, programme, unit]) {
    el.addEventListener('input', () => runPreview());
    el.addEventListener('change', () => runPreview());
  }

  const form = h(
    'form',
    { class: 'card', novalidate: true, 'data-testid': 'resp-plan-form' },
    h('h2', null, app.t('resp.prepareTitle')),
    field('code', 'resp.code', code, 'code'),
    field('name', 'resp.name', name, 'name'),
    field('programme', 'resp.programme', programme, 'programme'),
    field('eligibility', 'resp.eligibility', eligibility, 'eligibility', 'resp.eligibilityHint'),
    field('amount', 'resp.amount', amount, 'amount', 'resp.amountHint'),
    field('unit', 'resp.unit', unit, 'unit'),
    field('cutoff', 'resp.cutoff', cutoff, 'cutoff_on'),
    field('installments', 'resp.installments', installments, 'installments', 'resp.installmentsHint'),
    h('h3', null, app.t('resp.livePreview')),
    preview,
    out,
    submit,
  );
  // Errors naming a nested installment field (due_on) go to the schedule.
  errors.due_on = errors.installments;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    runPreview.cancel();
    clearErrors();
    out.replaceChildren();
    const b = body(false);
    if (!b) return;
    submit.disabled = true;
    try {
      await call(app, '/api/v1/plans', 'POST', b);
      app.go(`response/plan/${encodeURIComponent(String(b.code))}`);
    } catch (err) {
      if (!showError(err)) out.replaceChildren(app.errorBox(err));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

// --- A plan: preview, approval, payrolls, files, reconciliation -------------

function planView(app: App, main: HTMLElement, code: string, isStopped: () => boolean): void {
  const box = h('section', null, loading(app));
  main.append(box);
  const base = `/api/v1/plans/${encodeURIComponent(code)}`;
  const me = app.session?.username ?? '';
  const role = app.session?.role ?? '';
  const manage = app.can('manage_response');

  const render = async () => {
    let plan: PlanJson;
    try {
      plan = await app.api.get<PlanJson>(base);
    } catch (err) {
      box.replaceChildren(app.errorBox(err));
      return;
    }
    const status = h('div', { 'aria-live': 'polite' });
    const approveReason = planApproveBlock(plan, me);
    const approve = h('button', { type: 'button', disabled: !manage || approveReason !== null, 'aria-describedby': 'resp-approve-why', 'data-testid': 'resp-approve' }, app.t('resp.approve'));
    const why = h('p', { id: 'resp-approve-why', class: 'hint', 'data-testid': 'resp-approve-why' }, approveReason ? app.t(`resp.approveBlock.${approveReason}` as MessageKey, { user: plan.prepared_by, approver: plan.approved_by ?? '' }) : '');
    const overlap = overlapView(app, base, plan);
    approve.addEventListener('click', async () => {
      const body = overlap.body();
      if (body === null) return; // Accepting without a reason: said so.
      approve.disabled = true;
      try {
        await runJob(app, call(app, `${base}/approve`, 'POST', body), status, isStopped);
        await render();
      } catch (err) {
        status.replaceChildren(app.errorBox(err));
        approve.disabled = false;
      }
    });
    const previewBox = h('div', null, loading(app));
    box.replaceChildren();
    append(box, [
      h('p', null, h('a', { href: `#/response/event/${encodeURIComponent(plan.event)}` }, app.t('resp.backToEvent'))),
      h('h1', { 'data-testid': 'resp-plan-title' }, `${plan.name} (${plan.code})`),
      h(
        'dl',
        { class: 'facts' },
        h('dt', null, app.t('resp.eligibility')),
        h('dd', null, h('code', null, plan.eligibility)),
        h('dt', null, app.t('resp.amount')),
        h('dd', null, h('code', null, plan.amount)),
        h('dt', null, app.t('resp.cutoff')),
        h('dd', null, app.date(plan.cutoff_on)),
        h('dt', null, app.t('resp.statusLabel')),
        h('dd', { 'data-testid': 'resp-plan-status' }, app.t(`resp.status.${plan.status}` as MessageKey)),
        h('dt', null, app.t('resp.preparedBy')),
        h('dd', null, plan.prepared_by),
        plan.approved_by ? [h('dt', null, app.t('resp.approvedBy')), h('dd', null, plan.approved_by)] : null,
        plan.status === 'approved' ? [h('dt', null, app.t('resp.snapshot')), h('dd', { 'data-testid': 'resp-snapshot' }, app.t('resp.snapshotLine', { beneficiaries: app.num(plan.beneficiaries), households: app.num(plan.households), amount: app.money(plan.amount_per_installment), overlaps: app.num(plan.overlaps) }))] : null,
      ),
      manage ? overlap.el : null,
      manage ? h('div', { class: 'actions' }, approve, why) : null,
      status,
      h('h2', null, app.t('resp.preview')),
      previewBox,
      h('h2', null, app.t('resp.payrolls')),
      h(
        'div',
        { 'data-testid': 'resp-payrolls' },
        plan.installments.map((i) => installmentView(app, plan, i, base, me, role, manage, isStopped, render)),
      ),
    ]);
    try {
      previewBox.replaceChildren(previewView(app, await app.api.get<PreviewJson>(`${base}/preview`)));
    } catch (err) {
      previewBox.replaceChildren(app.errorBox(err));
    }
  };
  void render();
}

function installmentView(
  app: App,
  plan: PlanJson,
  inst: PlanJson['installments'][number],
  base: string,
  me: string,
  role: string,
  manage: boolean,
  isStopped: () => boolean,
  rerender: () => Promise<void>,
): HTMLElement {
  const n = inst.number;
  const p = inst.payroll;
  const status = h('div', { 'aria-live': 'polite' });
  const card = h('section', { class: 'card', 'data-testid': `resp-installment-${n}` }, h('h3', null, app.t('resp.installment', { n, date: app.date(inst.due_on) })));
  const payrollBase = `${base}/payrolls/${n}`;
  const act = async (button: HTMLButtonElement, fn: () => Promise<unknown>) => {
    button.disabled = true;
    try {
      await fn();
      await rerender();
    } catch (err) {
      status.replaceChildren(app.errorBox(err));
      button.disabled = false;
    }
  };
  if (!p) {
    card.append(h('p', null, app.t('resp.noPayroll')));
    if (manage) {
      const gen = h('button', { type: 'button', disabled: plan.status !== 'approved', 'data-testid': `resp-generate-${n}` }, app.t('resp.generate'));
      gen.addEventListener('click', () => act(gen, () => call(app, payrollBase, 'POST')));
      append(card, [gen, plan.status !== 'approved' ? h('p', { class: 'hint' }, app.t('resp.generateBlock')) : null]);
    }
    card.append(status);
    return card;
  }
  card.append(h('p', { 'data-testid': `resp-payroll-${n}` }, app.t('resp.payrollLine', { status: app.t(`resp.status.${p.status}` as MessageKey), lines: app.num(p.lines), amount: app.money(p.amount), by: p.generated_by })));
  if (manage && p.status !== 'approved') {
    const reason = payrollApproveBlock(p, me, role);
    const ok = h('button', { type: 'button', disabled: reason !== null, 'data-testid': `resp-payroll-approve-${n}` }, app.t('resp.approvePayroll'));
    ok.addEventListener('click', () => act(ok, () => call(app, `${payrollBase}/approve`, 'POST')));
    append(card, [ok, reason ? h('p', { class: 'hint' }, app.t(`resp.payrollBlock.${reason}` as MessageKey, { user: p.generated_by })) : null]);
  }
  if (p.status === 'approved' && manage) {
    const files = h('div', { 'data-testid': `resp-files-${n}` });
    const exp = h('button', { type: 'button', 'data-testid': `resp-export-${n}` }, app.t('resp.export'));
    exp.addEventListener('click', async () => {
      exp.disabled = true;
      try {
        const r = (await runJob(app, call(app, `${payrollBase}/exports`, 'POST'), status, isStopped)) as {
          issued: number;
          held_back: number;
          files: { bank_name: string; bank_name_mn?: string; name: string; payments: number; amount: number; url: string }[];
        };
        files.replaceChildren(
          h('p', null, app.t('resp.exported', { issued: app.num(r.issued), held: app.num(r.held_back) })),
          h(
            'ul',
            null,
            r.files.map((f) => h('li', null, h('a', { href: f.url, download: f.name }, f.name), ` — ${app.lang === 'mn' && f.bank_name_mn ? f.bank_name_mn : f.bank_name}: ${app.num(f.payments)}, ${app.money(f.amount)}`)),
          ),
        );
        await showReport();
      } catch (err) {
        status.replaceChildren(app.errorBox(err));
      } finally {
        exp.disabled = false;
      }
    });
    const fid = uid('bank');
    const file = h('input', { id: fid, type: 'file', accept: '.csv,text/csv', 'data-testid': `resp-result-file-${n}` });
    const upload = h('button', { type: 'button', 'data-testid': `resp-upload-${n}` }, app.t('resp.upload'));
    upload.addEventListener('click', async () => {
      const f = file.files?.[0];
      if (!f) {
        status.replaceChildren(h('p', { class: 'alert error', role: 'alert' }, app.t('resp.chooseFile')));
        return;
      }
      upload.disabled = true;
      try {
        const r = (await runJob(app, call(app, withQuery(`${payrollBase}/results`, { file_name: f.name }), 'POST', undefined, { text: await f.text(), type: 'text/csv' }), status, isStopped)) as { rows: number; changed: number; unchanged: number };
        status.replaceChildren(h('p', { class: 'alert info', role: 'status' }, app.t('resp.reconciled', { rows: app.num(r.rows), changed: app.num(r.changed), unchanged: app.num(r.unchanged) })));
        await showReport();
      } catch (err) {
        status.replaceChildren(app.errorBox(err));
      } finally {
        upload.disabled = false;
      }
    });
    card.append(exp, files, h('div', { class: 'field' }, h('label', { for: fid }, app.t('resp.bankFile')), file), upload);
  }
  const report = h('div', { 'data-testid': `resp-report-${n}` });
  const showReport = async () => {
    try {
      const r = await app.api.get<{
        items: { soum_code: number; sex: string; lines: number; issued: number; paid: number; failed: number; returned: number; pending: number; paid_amount: number }[];
        total: { lines: number; issued: number; paid: number; failed: number; returned: number; pending: number; issued_amount: number; paid_amount: number };
        balances: boolean;
      }>(`${payrollBase}/report`);
      const head = [app.t('resp.soum'), app.t('resp.sex'), app.t('resp.owed'), app.t('resp.issued'), app.t('resp.paid'), app.t('resp.failed'), app.t('resp.returned'), app.t('resp.pending')];
      const rows = r.items.map((t) => [app.unitFull(t.soum_code), app.t(t.sex === 'F' ? 'resp.female' : 'resp.male'), app.num(t.lines), app.num(t.issued), app.num(t.paid), app.num(t.failed), app.num(t.returned), app.num(t.pending)]);
      const t = r.total;
      rows.push([app.t('resp.total'), '', app.num(t.lines), app.num(t.issued), app.num(t.paid), app.num(t.failed), app.num(t.returned), app.num(t.pending)]);
      report.replaceChildren(
        table(app.t('resp.report'), head, rows, `resp-report-table-${n}`),
        h('p', { class: r.balances ? 'alert info' : 'alert error', 'data-testid': `resp-balance-${n}` }, app.t(r.balances ? 'resp.balances' : 'resp.notBalanced', { issued: app.num(t.issued), paid: app.num(t.paid), failed: app.num(t.failed), returned: app.num(t.returned), pending: app.num(t.pending) })),
      );
    } catch (err) {
      report.replaceChildren(app.errorBox(err));
    }
  };
  card.append(status, report);
  if (p.status === 'approved') {
    void showReport();
    card.append(paymentCasesView(app, base, n, manage));
  }
  return card;
}
