// Resilience and poverty: the RIMA-II resilience index of the register's
// scored households by area and sex of the head (GET /api/v1/rima/models,
// /api/v1/rima/summary); a resilience survey's structure under a stored
// model, by pillar and by profile, as bars (POST /api/v1/rima/reports; a
// model may first be fitted as a job with a progress bar) and one
// household's score explained (POST /api/v1/rima/explain); poverty measures of an uploaded survey by domain
// with the line used (POST /api/v1/poverty/measures), and a benefit
// simulation form (POST /api/v1/poverty/simulations): cost, beneficiaries,
// poverty headcount and gap before and after. Aggregates only: no names.
import { ApiError, withQuery } from '../api';
import { loading, type App, type PageFn } from '../app';
import {
  benefitScenario,
  checkBenefitForm,
  fieldOfError,
  measureRows,
  nationalOf,
  rimaRows,
  type BenefitField,
  type BenefitForm,
  type LineInfo,
  type RimaGroup,
  type SimulationAnswer,
} from '../analytics_logic';
import { h, uid } from '../dom';
import { formatPercent } from '../format';
import type { MessageKey } from '../i18n';

interface ModelsAnswer {
  scored: { model_version: string; households: number; last_scored_on: string }[];
}

const PILLARS = ['ABS', 'AST', 'SSN', 'AC'] as const;

export const analyticsPage: PageFn = (app: App, main: HTMLElement) => {
  const ctrl = new AbortController();
  main.append(h('h1', null, app.t('ana.title')));
  if (app.can('read_stats')) main.append(rimaSection(app, ctrl.signal), lazyStructure(app, ctrl.signal));
  main.append(surveySection(app, ctrl.signal));
  return () => ctrl.abort();
};

// ---- RIMA ------------------------------------------------------------------

// The survey structure and explanation forms (./resilience.ts) load as a
// separate chunk when the page opens, so the first load stays small.
function lazyStructure(app: App, signal: AbortSignal): HTMLElement {
  const box = h('div', null, loading(app));
  import('./resilience')
    .then((m) => {
      if (!signal.aborted) box.replaceWith(m.structureSection(app, signal));
    })
    .catch((e) => box.replaceChildren(app.errorBox(e)));
  return box;
}

function rimaSection(app: App, signal: AbortSignal): HTMLElement {
  const body = h('div', null, loading(app));
  const section = h('section', { class: 'card', 'data-testid': 'rima', 'aria-labelledby': 'rima-title' },
    h('h2', { id: 'rima-title' }, app.t('ana.rima.title')),
    h('p', null, app.t('ana.rima.intro')),
    body);
  const by = (app.session?.area_code ?? 0) === 0 ? 'aimag' : 'soum';
  const show = async (version: string, models: ModelsAnswer) => {
    body.replaceChildren(loading(app));
    const data = await app.api.get<{ model_version: string; groups: RimaGroup[] }>(
      withQuery('/api/v1/rima/summary', { by, model_version: version }), signal);
    const selectId = uid('model');
    const select = h('select', { id: selectId, 'data-testid': 'rima-model' },
      models.scored.map((m) => h('option', { value: m.model_version, selected: m.model_version === data.model_version }, m.model_version)));
    select.addEventListener('change', () => void show(select.value, models).catch(fail));
    const meta = models.scored.find((m) => m.model_version === data.model_version);
    body.replaceChildren(
      h('div', { class: 'field' }, h('label', { for: selectId }, app.t('ana.rima.model')), select),
      h('p', null, meta ? h('small', null, app.t('ana.rima.scored', { n: app.num(meta.households), date: app.date(meta.last_scored_on) })) : null),
      rimaTable(app, data.groups),
    );
  };
  const fail = (e: unknown) => {
    if ((e as Error)?.name === 'AbortError') return;
    if (e instanceof ApiError && e.code === 'NOT_FOUND') {
      body.replaceChildren(h('p', { class: 'alert info', role: 'status', 'data-testid': 'rima-none' }, app.t('ana.rima.none')));
      return;
    }
    body.replaceChildren(app.errorBox(e));
  };
  app.api
    .get<ModelsAnswer>('/api/v1/rima/models', signal)
    .then((models) => {
      if (models.scored.length === 0) throw new ApiError(404, 'NOT_FOUND', '', null);
      return show(models.scored[0].model_version, models);
    })
    .catch(fail);
  return section;
}

function rimaTable(app: App, groups: RimaGroup[]): HTMLElement {
  const fmt = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? app.t('common.none') : app.num(Math.round(n * 10) / 10));
  // Both languages write decimals with a point (format.ts).
  const pillar = (n: number | undefined) => (n === undefined ? app.t('common.none') : n.toFixed(2));
  const rows = rimaRows(groups);
  return h('div', { class: 'table-wrap' },
    h('table', { 'data-testid': 'rima-table' },
      h('thead', null,
        h('tr', null,
          h('th', { scope: 'col' }, app.t('ana.rima.area')),
          h('th', { scope: 'col' }, app.t('ana.rima.households')),
          h('th', { scope: 'col' }, app.t('ana.rima.score')),
          h('th', { scope: 'col' }, app.t('ana.rima.female')),
          h('th', { scope: 'col' }, app.t('ana.rima.male')),
          h('th', { scope: 'col' }, app.t('ana.rima.q1')),
          PILLARS.map((p) => h('th', { scope: 'col', title: app.t('ana.rima.pillars') }, app.t(`ana.pillar.${p}` as MessageKey))))),
      h('tbody', null,
        rows.map((r) =>
          h('tr', null,
            h('th', { scope: 'row' }, app.areaName(r.code)),
            h('td', null, app.num(r.all?.households ?? 0)),
            h('td', null, fmt(r.all?.mean_score_0_100)),
            h('td', null, fmt(r.female?.mean_score_0_100)),
            h('td', null, fmt(r.male?.mean_score_0_100)),
            h('td', null, Number.isNaN(r.leastResilientShare) ? app.t('common.none') : formatPercent(app.lang, r.leastResilientShare)),
            PILLARS.map((p) => h('td', null, pillar(r.all?.pillars[p]))))))));
}

// ---- Survey: measures and simulation ----------------------------------------

function surveySection(app: App, signal: AbortSignal): HTMLElement {
  const ids = { hh: uid('hh'), p: uid('p'), line: uid('line') };
  const households = h('input', { id: ids.hh, type: 'file', accept: '.csv,text/csv', 'data-testid': 'ana-households' });
  const persons = h('input', { id: ids.p, type: 'file', accept: '.csv,text/csv', 'data-testid': 'ana-persons' });
  const lineHint = h('small', { id: `${ids.line}-hint` });
  const lineError = h('p', { class: 'field-error', id: `${ids.line}-err`, role: 'alert' });
  const line = h('input', { id: ids.line, type: 'number', min: '1', step: '1', inputmode: 'numeric', 'data-testid': 'ana-line', 'aria-describedby': `${ids.line}-hint ${ids.line}-err` });
  const problem = h('div', { 'aria-live': 'polite' });
  app.api
    .get<LineInfo>('/api/v1/poverty/line', signal)
    .then((l) => {
      lineHint.textContent = app.t('ana.line.hint', { mnt: app.money(l.mnt), from: app.date(l.in_force_from ?? '') });
    })
    .catch(() => undefined);

  // The survey texts, read once per file choice.
  const files = async (): Promise<{ households_csv: string; persons_csv: string } | null> => {
    const hf = households.files?.[0];
    const pf = persons.files?.[0];
    if (!hf || !pf) {
      problem.replaceChildren(h('p', { class: 'alert error', role: 'alert' }, app.t('ana.survey.choose')));
      return null;
    }
    problem.replaceChildren();
    const [households_csv, persons_csv] = await Promise.all([hf.text(), pf.text()]);
    return { households_csv, persons_csv };
  };
  // The line field: a number > 0, or empty for the official line.
  const lineValue = (): number | undefined | null => {
    lineError.textContent = '';
    line.removeAttribute('aria-invalid');
    if (line.value.trim() === '') return undefined;
    const z = Number(line.value);
    if (!(z > 0)) {
      lineError.textContent = app.t('ana.err.line');
      line.setAttribute('aria-invalid', 'true');
      line.focus();
      return null;
    }
    return z;
  };
  const showLineError = (e: unknown): boolean => {
    if (e instanceof ApiError && fieldOfError(e.field, e.detail) === 'line') {
      lineError.textContent = `${app.errorText(e)} ${e.detail}`;
      line.setAttribute('aria-invalid', 'true');
      return true;
    }
    return false;
  };

  return h('div', null,
    h('section', { class: 'card', 'aria-labelledby': 'survey-title' },
      h('h2', { id: 'survey-title' }, app.t('ana.survey.title')),
      h('p', null, app.t('ana.survey.intro')),
      h('div', { class: 'field' }, h('label', { for: ids.hh }, app.t('ana.survey.households')), households),
      h('div', { class: 'field' }, h('label', { for: ids.p }, app.t('ana.survey.persons')), persons),
      h('div', { class: 'field' }, h('label', { for: ids.line }, app.t('ana.line')), line, lineHint, lineError),
      problem),
    measuresSection(app, files, lineValue, showLineError),
    simulationSection(app, files, lineValue, showLineError));
}

type Files = () => Promise<{ households_csv: string; persons_csv: string } | null>;
type LineValue = () => number | undefined | null;

function lineUsed(app: App, l: LineInfo): string {
  const source = l.parameter
    ? app.t('ana.line.official', { parameter: l.parameter, from: app.date(l.in_force_from ?? '') })
    : app.t('ana.line.given');
  return app.t('ana.line.used', { mnt: app.money(l.mnt), source });
}

function measuresSection(app: App, files: Files, lineValue: LineValue, showLineError: (e: unknown) => boolean): HTMLElement {
  const stdId = uid('std');
  const standard = h('input', { id: stdId, type: 'checkbox', checked: true });
  const submit = h('button', { type: 'submit', 'data-testid': 'ana-measures-submit' }, app.t('ana.measures.submit'));
  const out = h('div', { 'aria-live': 'polite', 'data-testid': 'ana-measures' });
  const form = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'measures-title' },
    h('h2', { id: 'measures-title' }, app.t('ana.measures.title')),
    h('div', { class: 'field check' }, standard, h('label', { for: stdId }, app.t('ana.measures.standard'))),
    submit, out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const z = lineValue();
    if (z === null) return;
    submit.disabled = true;
    try {
      const survey = await files();
      if (!survey) return;
      out.replaceChildren(h('p', { class: 'loading', role: 'status' }, app.t('ana.busy')));
      const body: Record<string, unknown> = { ...survey, by: standard.checked ? ['standard'] : [] };
      if (z !== undefined) body.line = z;
      const answer = await app.api.request<{ manifest: { poverty_line: LineInfo } }>('/api/v1/poverty/measures', { method: 'POST', body });
      out.replaceChildren(h('p', { 'data-testid': 'ana-line-used' }, lineUsed(app, answer.data.manifest.poverty_line)), measuresTable(app, answer.data));
    } catch (err) {
      out.replaceChildren();
      if (!showLineError(err)) out.replaceChildren(app.errorBox(err));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function domainName(app: App, d: string): string {
  return d === 'national' ? app.t('area.nation') : d;
}

function measuresTable(app: App, answer: unknown): HTMLElement {
  const pct = (x: number) => (Number.isNaN(x) ? app.t('common.none') : formatPercent(app.lang, x));
  return h('div', { class: 'table-wrap' },
    h('table', null,
      h('thead', null,
        h('tr', null,
          (['ana.m.domain', 'ana.m.population', 'ana.m.mean', 'ana.m.fgt0', 'ana.m.fgt1', 'ana.m.fgt2', 'ana.m.gini'] as MessageKey[]).map((k) => h('th', { scope: 'col' }, app.t(k))))),
      h('tbody', null,
        measureRows(answer).map((r) =>
          h('tr', null,
            h('th', { scope: 'row' }, domainName(app, r.domain)),
            h('td', null, app.num(Math.round(r.population))),
            h('td', null, Number.isNaN(r.mean) ? app.t('common.none') : app.money(r.mean)),
            h('td', null, pct(r.fgt0)),
            h('td', null, pct(r.fgt1)),
            h('td', null, pct(r.fgt2)),
            h('td', null, Number.isNaN(r.gini) ? app.t('common.none') : r.gini.toFixed(3)))))));
}

function simulationSection(app: App, files: Files, lineValue: LineValue, showLineError: (e: unknown) => boolean): HTMLElement {
  const errors = new Map<BenefitField, HTMLElement>();
  const inputs = new Map<BenefitField, HTMLInputElement | HTMLSelectElement>();
  const field = (name: BenefitField, label: MessageKey, control: HTMLInputElement | HTMLSelectElement, hint?: MessageKey) => {
    const id = uid(name);
    control.id = id;
    control.setAttribute('data-testid', `sim-${name}`);
    const err = h('p', { class: 'field-error', id: `${id}-err`, role: 'alert' });
    control.setAttribute('aria-describedby', hint ? `${id}-hint ${id}-err` : `${id}-err`);
    errors.set(name, err);
    inputs.set(name, control);
    return h('div', { class: 'field' }, h('label', { for: id }, app.t(label)), control, hint ? h('small', { id: `${id}-hint` }, app.t(hint)) : null, err);
  };
  const num = (value: string, attrs: Record<string, string> = {}) => h('input', { type: 'number', value, inputmode: 'numeric', ...attrs });
  const unit = h('select', null,
    h('option', { value: 'person' }, app.t('ana.sim.unit.person')),
    h('option', { value: 'household' }, app.t('ana.sim.unit.household')));
  const submit = h('button', { type: 'submit', 'data-testid': 'sim-submit' }, app.t('ana.sim.submit'));
  const out = h('div', { 'aria-live': 'polite', 'data-testid': 'sim-result' });
  const form = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'sim-title', 'data-testid': 'sim-form' },
    h('h2', { id: 'sim-title' }, app.t('ana.sim.title')),
    h('p', null, app.t('ana.sim.intro')),
    field('amount', 'ana.sim.amount', num('100000', { min: '1', step: '1000' })),
    field('unit', 'ana.sim.unit', unit),
    field('minAge', 'ana.sim.minAge', num('0', { min: '0', max: '120' })),
    field('maxAge', 'ana.sim.maxAge', num('17', { min: '0', max: '200' }), 'ana.sim.ageHint'),
    field('months', 'ana.sim.months', num('12', { min: '1', max: '12' })),
    field('takeup', 'ana.sim.takeup', num('1', { min: '0', max: '1', step: '0.05', inputmode: 'decimal' })),
    submit, out);

  const showError = (name: BenefitField, text: string) => {
    const err = errors.get(name);
    const input = inputs.get(name);
    if (err) err.textContent = text;
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    for (const [name, err] of errors) {
      err.textContent = '';
      inputs.get(name)?.removeAttribute('aria-invalid');
    }
    const value = (n: BenefitField) => inputs.get(n)?.value ?? '';
    const f: BenefitForm = {
      amount: Number(value('amount')),
      unit: value('unit') === 'household' ? 'household' : 'person',
      minAge: Number(value('minAge')),
      maxAge: Number(value('maxAge')),
      months: Number(value('months')),
      takeup: Number(value('takeup')),
      date: new Date().toISOString().slice(0, 10),
    };
    const bad = checkBenefitForm(f);
    if (bad) {
      showError(bad, app.t(`ana.err.${bad}` as MessageKey));
      return;
    }
    const z = lineValue();
    if (z === null) return;
    submit.disabled = true;
    try {
      const survey = await files();
      if (!survey) return;
      out.replaceChildren(h('p', { class: 'loading', role: 'status' }, app.t('ana.busy')));
      const body: Record<string, unknown> = { ...survey, scenario: benefitScenario(f) };
      if (z !== undefined) body.line = z;
      const answer = await app.api.request<SimulationAnswer>('/api/v1/poverty/simulations', { method: 'POST', body });
      out.replaceChildren(simulationResult(app, answer.data));
    } catch (err) {
      out.replaceChildren();
      const name = err instanceof ApiError ? fieldOfError(err.field, err.detail) : null;
      if (name === 'line') showLineError(err);
      else if (name) showError(name, `${app.errorText(err)} ${(err as ApiError).detail}`);
      else out.replaceChildren(app.errorBox(err));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function simulationResult(app: App, a: SimulationAnswer): HTMLElement {
  const r = a.reforms[0];
  if (!r) return h('p', null, app.t('common.noResults'));
  const nat = nationalOf(r);
  const pct = (x: number | null | undefined) => (x === null || x === undefined ? app.t('common.none') : formatPercent(app.lang, x));
  const count = (x: number | null | undefined) => (x === null || x === undefined ? app.t('common.none') : app.num(Math.round(x)));
  const tile = (key: MessageKey, text: string, testid: string) =>
    h('div', { class: 'tile', 'data-testid': testid }, h('span', { class: 'v', style: 'overflow-wrap: anywhere' }, text), app.t(key));
  const row = (key: MessageKey, before: string, after: string, testid: string) =>
    h('tr', { 'data-testid': testid }, h('th', { scope: 'row' }, app.t(key)), h('td', null, before), h('td', null, after));
  return h('div', null,
    h('p', { 'data-testid': 'sim-line-used' }, lineUsed(app, a.poverty_line)),
    h('div', { class: 'tiles' },
      tile('ana.sim.costMonth', app.money(r.cost_month_mnt), 'sim-cost-month'),
      tile('ana.sim.costYear', app.money(r.cost_year_mnt), 'sim-cost-year'),
      tile('ana.sim.benefHouseholds', app.num(Math.round(r.beneficiary_households)), 'sim-benef-households'),
      tile('ana.sim.benefUnits', app.num(Math.round(r.beneficiary_units)), 'sim-benef-units'),
      tile('ana.sim.persons', app.num(Math.round(r.persons_in_beneficiary_households)), 'sim-persons')),
    h('div', { class: 'table-wrap' },
      h('table', null,
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, app.t('ana.sim.measure')), h('th', { scope: 'col' }, app.t('ana.sim.before')), h('th', { scope: 'col' }, app.t('ana.sim.after')))),
        h('tbody', null,
          row('ana.sim.headcount', pct(nat?.fgt0.before), pct(nat?.fgt0.after), 'sim-headcount'),
          row('ana.sim.poor', count(nat?.poor_persons.before), count(nat?.poor_persons.after), 'sim-poor'),
          row('ana.sim.gap', app.money(r.poverty_gap_before_mnt_month), app.money(r.poverty_gap_after_mnt_month), 'sim-gap')))),
    h('p', null, app.t('ana.sim.gapPerMnt'), ': ', r.gap_closed_per_mnt_spent === null ? app.t('common.none') : app.num(Math.round(r.gap_closed_per_mnt_spent * 100) / 100)),
    h('p', null, h('small', null, app.t('ana.sim.weighted'))));
}
