// Insurance (#/insurance, #/insurance/<register number>): coverage of the
// officer's area against the targets (social 20%, health 50%) by sex and by
// area; the outreach list of uninsured herders of a soum (printable); and
// for one herder: status, contributions, visits, the pension calculation,
// and forms to record a contribution (cash, bank or in kind) and a visit.
// Contributions and visits carry an idempotency key, so a double click or a
// retry on a weak connection never pays twice nor records a visit twice.
// Roles that may read names (read_register; never the analyst) get CSV
// downloads: the outreach list of the chosen soum/bag, and the persons
// behind each coverage figure (insured or not, by sex).
import { ApiError, errorFromResponse, withQuery } from '../api';
import { loading, pager, type App, type PageFn } from '../app';
import { append, h, uid } from '../dom';
import { formatPercent } from '../format';
import type { MessageKey } from '../i18n';
import {
  contributionBody,
  coveragePersonsCsvUrl,
  formFieldOf,
  newIdempotencyKey,
  outreachCsvUrl,
  summarizeBySex,
  visitBody,
  type ContributionForm,
  type CoverageResponse,
  type PersonsListQuery,
} from '../insurance_logic';
import { Units } from '../units';

interface Statement {
  scheme: 'social' | 'health';
  covered_months: number;
  partial_months: number;
  paid_twice_months: number;
  total_paid: number;
  shortfall: number;
  paid_twice_excess: number;
  covered: { from: string; to: string }[];
}

interface StatusJson {
  person: { register_no: string; name: string; sex: 'F' | 'M'; birth_date: string; soum_code: number; bag: string; phone: string; herder: boolean };
  month: string;
  covered_now: { social: boolean; health: boolean };
  schemes: Statement[];
}

interface EntryJson {
  entry_id: number;
  scheme: 'social' | 'health';
  from: string;
  months: number;
  paid_on: string;
  amount: number;
  due: number;
  method: string;
  payer: string;
  reverses: number;
  replayed?: boolean;
  in_kind?: { item: string; quantity: number; unit_price: number; price_from: string };
}

interface VisitJson {
  visit_id: number;
  replayed?: boolean;
}

interface HistoryJson {
  entries: EntryJson[];
  visits: { visit_id: number; visited_on: string; outcome: string; officer: string; note: string }[];
}

interface Projection {
  more_years: number;
  eligible: boolean;
  retirement_date?: string;
  monthly_pension?: number;
  assumptions: { mn: string; en: string }[];
}

interface PensionJson {
  past_years: number;
  past_herding_years: number;
  projections: Projection[];
}

interface OutreachItem {
  rank: number;
  score: number;
  register_no: string;
  name: string;
  sex: 'F' | 'M';
  age: number;
  contribution_years: number;
  bag: string;
  phone: string;
  reasons_mn: string[];
  reasons_en: string[];
}

interface OutreachJson {
  total: number;
  page: number;
  page_size: number;
  skipped_recent_refusal: number;
  skipped_recent_enrolment: number;
  items: OutreachItem[];
}

const METHODS = ['cash', 'bank', 'in_kind'] as const;
const ITEMS = ['sheep', 'goat', 'cattle', 'horse', 'camel', 'sheep_wool', 'camel_wool', 'cashmere'] as const;
const OUTCOMES = ['enrolled', 'refused', 'not_found'] as const;

// POST with an Idempotency-Key header (the shared client sends none).
async function postWithKey<T>(app: App, path: string, body: unknown, key: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'Idempotency-Key': key },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch (e) {
    throw new ApiError(0, 'NETWORK', String((e as Error)?.message ?? e), null);
  }
  const text = await res.text();
  if (!res.ok) {
    const err = errorFromResponse(res.status, res.headers, text);
    if (res.status === 401) app.api.onUnauthenticated?.();
    throw err;
  }
  return JSON.parse(text) as T;
}

export const insurancePage: PageFn = (app: App, main: HTMLElement, arg: string) => {
  const ctrl = new AbortController();
  const person = h('section', { 'aria-labelledby': 'ins-person-h', 'data-testid': 'ins-person' });
  main.append(h('h1', null, app.t('ins.title')));
  if (app.can('read_stats')) main.append(coverageSection(app, ctrl.signal));
  if (app.can('read_register')) {
    main.append(outreachSection(app, ctrl.signal));
    main.append(person);
    personSection(app, person, arg.trim(), ctrl.signal);
  }
  return () => ctrl.abort();
};

// --- Coverage ----------------------------------------------------------------

function coverageSection(app: App, signal: AbortSignal): HTMLElement {
  const body = h('div', { 'aria-live': 'polite' }, loading(app));
  const section = h('section', { 'aria-labelledby': 'ins-cov-h', 'data-testid': 'ins-coverage' }, h('h2', { id: 'ins-cov-h' }, app.t('ins.coverage.title')), body);
  const area = app.session?.area_code ?? 0;
  const childLevel = area === 0 ? 'aimag' : 'soum';
  void (async () => {
    try {
      const [bySex, byArea] = await Promise.all([
        app.api.get<CoverageResponse>(withQuery('/api/v1/insurance/coverage', { by: 'nation', split: 'sex' }), signal),
        app.api.get<CoverageResponse>(withQuery('/api/v1/insurance/coverage', { by: childLevel, split: 'none' }), signal),
      ]);
      const targets = bySex.targets[0];
      const pct = (x: number) => formatPercent(app.lang, x);
      const rows = summarizeBySex(bySex.cells, targets);
      const met = (rate: number, target: number) => (rate >= target ? 'ok' : 'short');
      // Names only for read_register (never the analyst): a download of the
      // persons behind a figure, insured or not, of the row's sex.
      const lists = app.can('read_register');
      const listLink = (key: 'F' | 'M' | 'all', scheme: 'social' | 'health', covered: boolean) => {
        if (!lists) return null;
        const q: PersonsListQuery = { scheme, month: targets.month, covered };
        if (key !== 'all') q.sex = key;
        const label = app.t(covered ? 'ins.list.insuredLabel' : 'ins.list.uninsuredLabel', {
          group: app.t(`ins.group.${key}` as MessageKey),
          scheme: app.t(scheme === 'social' ? 'ins.social' : 'ins.health'),
          month: targets.month,
        });
        return [
          ' ',
          h(
            'a',
            { href: coveragePersonsCsvUrl(q), download: true, 'aria-label': label, title: label, 'data-testid': 'ins-cov-csv', 'data-group': key, 'data-scheme': scheme, 'data-covered': String(covered) },
            app.t(covered ? 'ins.list.insured' : 'ins.list.uninsured'),
          ),
        ];
      };
      const summary = h(
        'div',
        { class: 'table-wrap' },
        h('p', null, app.t('ins.coverage.note', { month: targets.month, social: pct(targets.social), health: pct(targets.health) })),
        h(
          'table',
          { 'data-testid': 'ins-summary' },
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              h('th', { scope: 'col' }, app.t('ins.group')),
              h('th', { scope: 'col', class: 'num' }, app.t('ins.persons')),
              h('th', { scope: 'col', class: 'num' }, `${app.t('ins.social')}: ${app.t('ins.insured')}`),
              h('th', { scope: 'col', class: 'num' }, app.t('ins.rate')),
              h('th', { scope: 'col', class: 'num' }, app.t('ins.gap')),
              h('th', { scope: 'col', class: 'num' }, `${app.t('ins.health')}: ${app.t('ins.insured')}`),
              h('th', { scope: 'col', class: 'num' }, app.t('ins.rate')),
              h('th', { scope: 'col', class: 'num' }, app.t('ins.gap')),
            ),
          ),
          h(
            'tbody',
            null,
            rows.map((r) =>
              h(
                'tr',
                { 'data-group': r.key },
                h('th', { scope: 'row' }, app.t(`ins.group.${r.key}` as MessageKey)),
                h('td', { class: 'num' }, app.num(r.persons)),
                h('td', { class: 'num' }, h('span', { 'data-testid': r.key === 'all' ? 'ins-social-insured' : null }, app.num(r.social.insured)), listLink(r.key, 'social', true)),
                h('td', { class: `num ${met(r.social.rate, r.social.target)}` }, pct(r.social.rate)),
                h('td', { class: 'num' }, app.num(r.social.gap), listLink(r.key, 'social', false)),
                h('td', { class: 'num' }, h('span', { 'data-testid': r.key === 'all' ? 'ins-health-insured' : null }, app.num(r.health.insured)), listLink(r.key, 'health', true)),
                h('td', { class: `num ${met(r.health.rate, r.health.target)}` }, pct(r.health.rate)),
                h('td', { class: 'num' }, app.num(r.health.gap), listLink(r.key, 'health', false)),
              ),
            ),
          ),
        ),
      );
      const areaRows = byArea.cells.filter((c) => c.month === targets.month).sort((a, b) => b.persons - a.persons);
      const areas = h(
        'details',
        null,
        h('summary', null, app.t('ins.byArea')),
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { 'data-testid': 'ins-by-area' },
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                h('th', { scope: 'col' }, app.t('ins.area')),
                h('th', { scope: 'col', class: 'num' }, app.t('ins.persons')),
                h('th', { scope: 'col', class: 'num' }, app.t('ins.social')),
                h('th', { scope: 'col', class: 'num' }, app.t('ins.health')),
              ),
            ),
            h(
              'tbody',
              null,
              areaRows.map((c) =>
                h(
                  'tr',
                  null,
                  h('th', { scope: 'row' }, app.unitFull(c.area)),
                  h('td', { class: 'num' }, app.num(c.persons)),
                  h('td', { class: 'num' }, pct(c.social_rate)),
                  h('td', { class: 'num' }, pct(c.health_rate)),
                ),
              ),
            ),
          ),
        ),
      );
      body.replaceChildren(summary, areas);
    } catch (e) {
      if ((e as Error)?.name === 'AbortError') return;
      body.replaceChildren(app.errorBox(e));
    }
  })();
  return section;
}

// --- Outreach ------------------------------------------------------------------

function outreachSection(app: App, signal: AbortSignal): HTMLElement {
  const area = app.session?.area_code ?? 0;
  const soums = Units.sortByName(app.lang, app.units.soumsIn(area));
  const soumId = uid('ins-soum');
  const bagId = uid('ins-bag');
  const soum = h(
    'select',
    { id: soumId, name: 'soum', 'data-testid': 'ins-outreach-soum' },
    soums.length > 1 ? h('option', { value: '' }, '—') : null,
    soums.map((u) => h('option', { value: String(u.code) }, area >= 10000 ? u[app.lang] : app.unitFull(u.code))),
  );
  const bag = h('input', { id: bagId, name: 'bag', type: 'text', maxlength: '50', autocomplete: 'off' });
  const results = h('div', { 'aria-live': 'polite', 'data-testid': 'ins-outreach' });
  // The whole list shown (soum, bag) as CSV, reasons in the page's language.
  const csv = h('a', { href: '#', download: true, hidden: true, 'data-testid': 'ins-outreach-csv' }, app.t('ins.outreach.csv'));
  let page = 1;
  const load = async () => {
    csv.hidden = !soum.value;
    if (!soum.value) {
      results.replaceChildren(h('p', null, app.t('ins.outreach.pickSoum')));
      return;
    }
    csv.href = outreachCsvUrl(soum.value, bag.value, app.lang);
    results.replaceChildren(loading(app));
    try {
      const data = await app.api.get<OutreachJson>(withQuery('/api/v1/insurance/outreach', { soum: soum.value, bag: bag.value.trim(), page, page_size: 25 }), signal);
      results.replaceChildren(outreachTable(app, data), pager(app, data.page, data.total, data.page_size, (p) => {
        page = p;
        void load();
      }));
    } catch (e) {
      if ((e as Error)?.name === 'AbortError') return;
      results.replaceChildren(app.errorBox(e));
    }
  };
  const form = h(
    'form',
    { class: 'search', 'data-testid': 'ins-outreach-form' },
    h('div', { class: 'field' }, h('label', { for: soumId }, app.t('ins.outreach.soum')), soum),
    h('div', { class: 'field' }, h('label', { for: bagId }, app.t('ins.outreach.bag')), bag),
    h('button', { type: 'submit' }, app.t('ins.outreach.show')),
    h('button', { type: 'button', class: 'secondary', onclick: () => window.print() }, app.t('ins.outreach.print')),
    csv,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    page = 1;
    void load();
  });
  void load();
  return h('section', { 'aria-labelledby': 'ins-out-h' }, h('h2', { id: 'ins-out-h' }, app.t('ins.outreach.title')), form, results);
}

function outreachTable(app: App, d: OutreachJson): HTMLElement {
  const note = h('p', null, app.t('ins.outreach.total', { n: app.num(d.total), refused: app.num(d.skipped_recent_refusal), enrolled: app.num(d.skipped_recent_enrolment) }));
  if (d.items.length === 0) return h('div', null, note, h('p', null, app.t('common.noResults')));
  const cols: MessageKey[] = ['ins.outreach.rank', 'person.name', 'person.register_no', 'person.sex', 'ins.outreach.age', 'ins.outreach.years', 'hh.bag', 'hh.phone', 'ins.outreach.reasons'];
  return h(
    'div',
    { class: 'table-wrap' },
    note,
    h(
      'table',
      null,
      h('thead', null, h('tr', null, cols.map((k) => h('th', { scope: 'col' }, app.t(k))))),
      h(
        'tbody',
        null,
        d.items.map((it) =>
          h(
            'tr',
            null,
            h('td', { class: 'num' }, app.num(it.rank)),
            h('td', null, h('a', { href: `#/insurance/${encodeURIComponent(it.register_no)}`, 'data-testid': 'ins-outreach-person' }, it.name)),
            h('td', null, it.register_no),
            h('td', null, app.t(`sex.${it.sex}` as MessageKey)),
            h('td', { class: 'num' }, app.num(it.age)),
            h('td', { class: 'num' }, app.num(it.contribution_years)),
            h('td', null, it.bag || app.t('common.none')),
            h('td', null, it.phone ? h('a', { href: `tel:${it.phone}` }, it.phone) : app.t('common.none')),
            h('td', null, (app.lang === 'mn' ? it.reasons_mn : it.reasons_en).join('; ')),
          ),
        ),
      ),
    ),
  );
}

// --- One person ------------------------------------------------------------------

function personSection(app: App, section: HTMLElement, rn: string, signal: AbortSignal): void {
  const rnId = uid('ins-rn');
  const input = h('input', { id: rnId, name: 'register_no', type: 'search', value: rn, autocomplete: 'off', 'data-testid': 'ins-rn' });
  const form = h(
    'form',
    { class: 'search', role: 'search' },
    h('div', { class: 'field' }, h('label', { for: rnId }, app.t('ins.person.rn')), input),
    h('button', { type: 'submit' }, app.t('ins.person.open')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = input.value.trim();
    if (v) app.go(`insurance/${encodeURIComponent(v)}`);
  });
  const body = h('div', { 'aria-live': 'polite' });
  section.append(h('h2', { id: 'ins-person-h' }, app.t('ins.person.title')), form, body);
  if (!rn) return;
  const path = `/api/v1/insurance/persons/${encodeURIComponent(rn)}`;
  const load = async (notice?: HTMLElement) => {
    body.replaceChildren(loading(app));
    try {
      const [status, history, pension] = await Promise.all([
        app.api.get<StatusJson>(path, signal),
        app.api.get<HistoryJson>(`${path}/history`, signal),
        app.api.get<PensionJson>(withQuery(`${path}/pension`, { more_years: '0,5,10,20' }), signal),
      ]);
      const reload = (n: HTMLElement) => void load(n);
      const write = app.can('write_insurance');
      body.replaceChildren();
      append(body, [notice, statusView(app, status), write && contributionForm(app, path, status, reload), historyView(app, history), pensionView(app, pension), write && visitForm(app, path, reload)]);
    } catch (e) {
      if ((e as Error)?.name === 'AbortError') return;
      body.replaceChildren(app.errorBox(e));
    }
  };
  void load();
}

function schemeLine(app: App, s: Statement): string {
  const parts = [app.t('ins.months.covered', { n: app.num(s.covered_months) })];
  if (s.covered.length) parts.push(s.covered.map((c) => (c.from === c.to ? c.from : `${c.from}…${c.to}`)).join(', '));
  if (s.partial_months) parts.push(app.t('ins.months.partial', { n: app.num(s.partial_months), amount: app.money(s.shortfall) }));
  if (s.paid_twice_months) parts.push(app.t('ins.months.twice', { n: app.num(s.paid_twice_months), amount: app.money(s.paid_twice_excess) }));
  parts.push(app.t('ins.totalPaid', { amount: app.money(s.total_paid) }));
  return parts.join('; ');
}

function statusView(app: App, s: StatusJson): HTMLElement {
  const p = s.person;
  const yes = (b: boolean) => (b ? app.t('common.yes') : app.t('common.no'));
  return h(
    'div',
    { class: 'facts', 'data-testid': 'ins-status' },
    h(
      'dl',
      null,
      h('dt', null, app.t('person.name')),
      h('dd', null, p.name),
      h('dt', null, app.t('person.register_no')),
      h('dd', null, p.register_no),
      h('dt', null, app.t('person.birth_date')),
      h('dd', null, app.date(p.birth_date)),
      h('dt', null, app.t('reg.soum')),
      h('dd', null, app.unitFull(p.soum_code), p.bag ? `, ${p.bag}` : ''),
      h('dt', null, app.t('hh.phone')),
      h('dd', null, p.phone || app.t('common.none')),
    ),
    h(
      'dl',
      null,
      h('dt', null, `${app.t('ins.social')} — ${app.t('ins.person.coveredNow', { month: s.month })}`),
      h('dd', { 'data-testid': 'ins-now-social' }, yes(s.covered_now.social)),
      h('dt', null, `${app.t('ins.health')} — ${app.t('ins.person.coveredNow', { month: s.month })}`),
      h('dd', { 'data-testid': 'ins-now-health' }, yes(s.covered_now.health)),
      s.schemes.map((x) => [h('dt', null, app.t(x.scheme === 'social' ? 'ins.social' : 'ins.health')), h('dd', null, schemeLine(app, x))]),
    ),
  );
}

function historyView(app: App, d: HistoryJson): HTMLElement {
  const entries =
    d.entries.length === 0
      ? h('p', null, app.t('ins.history.none'))
      : h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { 'data-testid': 'ins-history' },
            h(
              'thead',
              null,
              h('tr', null, (['ins.col.entry', 'ins.col.scheme', 'ins.col.period', 'ins.col.paidOn', 'ins.col.amount', 'ins.col.due', 'ins.col.method'] as MessageKey[]).map((k) => h('th', { scope: 'col' }, app.t(k)))),
            ),
            h(
              'tbody',
              null,
              d.entries.map((e) =>
                h(
                  'tr',
                  null,
                  h('td', { class: 'num' }, String(e.entry_id)),
                  h('td', null, app.t(`ins.scheme.${e.scheme}` as MessageKey)),
                  h('td', null, app.t('ins.period', { from: e.from, n: app.num(e.months) })),
                  h('td', null, app.date(e.paid_on)),
                  h('td', { class: 'num' }, app.money(e.amount)),
                  h('td', { class: 'num' }, app.money(e.due)),
                  h(
                    'td',
                    null,
                    app.t(`ins.method.${e.method}` as MessageKey),
                    e.in_kind ? ` (${app.num(e.in_kind.quantity)} × ${app.t(`ins.item.${e.in_kind.item}` as MessageKey)})` : '',
                    e.payer ? ` — ${e.payer}` : '',
                    e.reverses ? ` — ${app.t('ins.reversal', { id: e.reverses })}` : '',
                  ),
                ),
              ),
            ),
          ),
        );
  const visits =
    d.visits.length === 0
      ? null
      : h(
          'ul',
          { 'data-testid': 'ins-visits' },
          d.visits.map((v) => h('li', null, `${app.date(v.visited_on)}: ${app.t(`ins.visit.${v.outcome}` as MessageKey)} (${v.officer})${v.note ? ` — ${v.note}` : ''}`)),
        );
  return h('div', null, h('h3', null, app.t('ins.history.title')), entries, visits ? [h('h3', null, app.t('ins.visits.title')), visits] : null);
}

function pensionView(app: App, d: PensionJson): HTMLElement {
  return h(
    'div',
    { 'data-testid': 'ins-pension' },
    h('h3', null, app.t('ins.pension.title')),
    h('p', null, app.t('ins.pension.intro', { years: app.num(d.past_years), herding: app.num(d.past_herding_years) })),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        null,
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, ''), h('th', { scope: 'col' }, app.t('ins.pension.retire')), h('th', { scope: 'col', class: 'num' }, app.t('ins.pension.monthly')))),
        h(
          'tbody',
          null,
          d.projections.map((p) =>
            h(
              'tr',
              null,
              h('th', { scope: 'row' }, app.t('ins.pension.more', { n: app.num(p.more_years) })),
              h('td', null, p.eligible && p.retirement_date ? app.date(p.retirement_date) : app.t('ins.pension.notEligible')),
              h('td', { class: 'num' }, p.eligible && p.monthly_pension !== undefined ? app.money(p.monthly_pension) : app.t('common.none')),
            ),
          ),
        ),
      ),
    ),
    d.projections.length
      ? h(
          'details',
          null,
          h('summary', null, app.t('ins.pension.assumptions')),
          h('ul', null, d.projections[d.projections.length - 1].assumptions.map((a) => h('li', null, app.lang === 'mn' ? a.mn : a.en))),
        )
      : null,
  );
}

// A labelled control with its error line (aria-describedby), so errors show
// next to the field they concern.
interface Field {
  wrap: HTMLElement;
  control: HTMLInputElement | HTMLSelectElement;
  error: HTMLElement;
}
function field(label: string, control: HTMLInputElement | HTMLSelectElement): Field {
  const id = uid('ins-f');
  control.id = id;
  const error = h('p', { class: 'field-error', id: `${id}-err` });
  control.setAttribute('aria-describedby', `${id}-err`);
  return { wrap: h('div', { class: 'field' }, h('label', { for: id }, label), control, error), control, error };
}
function option(value: string, text: string, selected = false): HTMLOptionElement {
  return h('option', { value, selected }, text);
}

function contributionForm(app: App, path: string, status: StatusJson, reload: (notice: HTMLElement) => void): HTMLElement {
  const f = {
    scheme: field(app.t('ins.pay.scheme'), h('select', { name: 'scheme', 'data-testid': 'pay-scheme' }, option('social', app.t('ins.social')), option('health', app.t('ins.health')))),
    from: field(app.t('ins.pay.from'), h('input', { name: 'from', type: 'month', value: status.month, required: true, 'data-testid': 'pay-from' })),
    months: field(app.t('ins.pay.months'), h('input', { name: 'months', type: 'number', min: '1', max: '120', step: '1', value: '1', inputmode: 'numeric', 'data-testid': 'pay-months' })),
    method: field(app.t('ins.pay.method'), h('select', { name: 'method', 'data-testid': 'pay-method' }, METHODS.map((m) => option(m, app.t(`ins.method.${m}` as MessageKey))))),
    amount: field(app.t('ins.pay.amount'), h('input', { name: 'amount', type: 'number', min: '0', step: '1', inputmode: 'numeric', 'data-testid': 'pay-amount' })),
    income: field(app.t('ins.pay.income'), h('input', { name: 'income', type: 'number', min: '0', step: '1', inputmode: 'numeric', 'data-testid': 'pay-income' })),
    item: field(app.t('ins.pay.item'), h('select', { name: 'item', 'data-testid': 'pay-item' }, ITEMS.map((i) => option(i, app.t(`ins.item.${i}` as MessageKey))))),
    quantity: field(app.t('ins.pay.quantity'), h('input', { name: 'quantity', type: 'number', min: '0', step: 'any', inputmode: 'decimal', 'data-testid': 'pay-quantity' })),
    date: field(app.t('ins.pay.date'), h('input', { name: 'date', type: 'date', 'data-testid': 'pay-date' })),
    note: field(app.t('ins.pay.note'), h('input', { name: 'note', type: 'text', maxlength: '500' })),
  } satisfies Record<keyof ContributionForm, Field>;
  const inKind = () => f.method.control.value === 'in_kind';
  const sync = () => {
    f.item.wrap.hidden = !inKind();
    f.quantity.wrap.hidden = !inKind();
    f.amount.wrap.hidden = inKind();
    f.income.wrap.hidden = f.scheme.control.value !== 'social';
  };
  f.method.control.addEventListener('change', sync);
  f.scheme.control.addEventListener('change', sync);
  sync();
  // One key per payment: kept across retries and double clicks, renewed
  // only once the payment is recorded.
  let key = newIdempotencyKey();
  const result = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', 'data-testid': 'pay-submit' }, app.t('ins.pay.submit'));
  const form = h('form', { 'data-testid': 'pay-form', novalidate: true }, h('fieldset', null, h('legend', null, app.t('ins.pay.title')), Object.values(f).map((x) => x.wrap)), h('div', { class: 'actions' }, submit), result);
  const clearErrors = () => {
    for (const x of Object.values(f)) {
      x.error.textContent = '';
      x.control.removeAttribute('aria-invalid');
    }
  };
  const showError = (name: keyof ContributionForm, text: string) => {
    f[name].error.textContent = text;
    f[name].control.setAttribute('aria-invalid', 'true');
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearErrors();
    result.replaceChildren();
    const values = Object.fromEntries(Object.entries(f).map(([k, x]) => [k, x.control.value])) as unknown as ContributionForm;
    const check = contributionBody(values);
    if (!check.ok) {
      for (const [k, problem] of Object.entries(check.errors)) showError(k as keyof ContributionForm, app.t(`ins.problem.${problem}` as MessageKey));
      const first = Object.keys(check.errors)[0] as keyof ContributionForm;
      f[first].control.focus();
      return;
    }
    submit.disabled = true;
    void (async () => {
      try {
        const r = await postWithKey<EntryJson>(app, `${path}/contributions`, check.body, key);
        key = newIdempotencyKey();
        reload(
          h(
            'div',
            { class: 'alert info', role: 'status', 'data-testid': 'pay-result' },
            h('p', null, r.replayed ? app.t('ins.pay.replayed', { id: r.entry_id }) : app.t('ins.pay.done', { id: r.entry_id, amount: app.money(r.amount) })),
            r.in_kind ? h('p', null, app.t('ins.pay.valued', { price: app.money(r.in_kind.unit_price), date: app.date(r.in_kind.price_from) })) : null,
          ),
        );
      } catch (err) {
        const name = err instanceof ApiError ? formFieldOf(err.field) : null;
        if (name && err instanceof ApiError) {
          showError(name, err.detail || app.errorText(err));
          f[name].control.focus();
        }
        result.replaceChildren(app.errorBox(err));
      } finally {
        submit.disabled = false;
      }
    })();
  });
  return form;
}

function visitForm(app: App, path: string, reload: (notice: HTMLElement) => void): HTMLElement {
  const outcome = field(app.t('ins.visit.outcome'), h('select', { name: 'outcome', 'data-testid': 'visit-outcome' }, OUTCOMES.map((o) => option(o, app.t(`ins.visit.${o}` as MessageKey)))));
  const date = field(app.t('ins.visit.date'), h('input', { name: 'date', type: 'date', 'data-testid': 'visit-date' }));
  const note = field(app.t('ins.visit.note'), h('input', { name: 'note', type: 'text', maxlength: '500' }));
  // One key per visit, as for payments: kept across retries and double
  // clicks, renewed only once the visit is recorded.
  let key = newIdempotencyKey();
  const result = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', 'data-testid': 'visit-submit' }, app.t('ins.visit.submit'));
  const form = h('form', { 'data-testid': 'visit-form' }, h('fieldset', null, h('legend', null, app.t('ins.visit.title')), outcome.wrap, date.wrap, note.wrap), h('div', { class: 'actions' }, submit), result);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    for (const x of [outcome, date, note]) {
      x.error.textContent = '';
      x.control.removeAttribute('aria-invalid');
    }
    result.replaceChildren();
    const body = visitBody(outcome.control.value, date.control.value, note.control.value);
    submit.disabled = true;
    void (async () => {
      try {
        // A replay (200, "replayed": true) means an earlier attempt whose
        // answer was lost was recorded: the visit is recorded, once.
        const r = await postWithKey<VisitJson>(app, `${path}/visits`, body, key);
        key = newIdempotencyKey();
        reload(h('div', { class: 'alert info', role: 'status', 'data-testid': 'visit-result' }, app.t(r.replayed ? 'ins.visit.replayed' : 'ins.visit.done')));
      } catch (err) {
        const target = err instanceof ApiError ? { outcome, date, note }[err.field ?? ''] : undefined;
        if (target && err instanceof ApiError) {
          target.error.textContent = err.detail || app.errorText(err);
          target.control.setAttribute('aria-invalid', 'true');
        }
        result.replaceChildren(app.errorBox(err));
      } finally {
        submit.disabled = false;
      }
    })();
  });
  return form;
}
