// The resilience survey part of the analysis page (#/analytics), loaded as
// its own chunk by ./analytics.ts: a RIMA survey's resilience structure
// under a stored model, by pillar and by profile, as bars (POST
// /api/v1/rima/reports; a model may first be fitted as a job with a
// progress bar, POST /api/v1/rima/fits) and one household's score
// explained with plain-language labels (POST /api/v1/rima/explain).
// Households are known by their survey id only.
import { ApiError } from '../api';
import { type App } from '../app';
import { barBox, barChart } from '../bars';
import { h, uid } from '../dom';
import type { MessageKey } from '../i18n';
import { pollJob, progressView } from '../jobs';
import {
  PILLARS,
  explanationPillars,
  groupKey,
  maxAbs,
  pillarBars,
  profileKey,
  profileTables,
  rimaFieldOf,
  surveyIds,
  variableKey,
  type Contribution,
  type ExplanationJson,
  type ReportJson,
  type RimaField,
} from '../resilience_logic';

// ---- RIMA: a survey's resilience structure and one household explained ------

interface StoredModel {
  model_version: string;
  created_on?: string;
  households?: number;
}

const NEW_MODEL = '__new__';

function pillarName(app: App, p: string): string {
  return (PILLARS as readonly string[]).includes(p) ? app.t(`ana.pillar.${p}` as MessageKey) : p;
}

// "+1.2" / "−0.4" / "0": points above or below the average household.
function signed(app: App, v: number): string {
  if (!Number.isFinite(v)) return app.t('common.none');
  const r = Math.round(v * 10) / 10;
  if (r === 0) return app.num(0);
  return `${r > 0 ? '+' : '−'}${app.num(Math.abs(r))}`;
}

export function structureSection(app: App, signal: AbortSignal): HTMLElement {
  const mayFit = app.can('run_analytics');
  const ids = { survey: uid('rima-survey'), model: uid('rima-model'), spec: uid('rima-spec'), hh: uid('rima-hh') };
  const errors = new Map<RimaField, HTMLElement>();
  const errorEl = (f: RimaField, id: string) => {
    const e = h('p', { class: 'field-error', id: `${id}-err`, role: 'alert' });
    errors.set(f, e);
    return e;
  };
  const survey = h('input', { id: ids.survey, type: 'file', accept: '.csv,text/csv', 'data-testid': 'rima-survey', 'aria-describedby': `${ids.survey}-err` });
  const model = h('select', { id: ids.model, 'data-testid': 'rima-model-pick', 'aria-describedby': `${ids.model}-note ${ids.model}-err` });
  const modelNote = h('small', { id: `${ids.model}-note`, 'data-testid': 'rima-model-note' });
  const spec = h('input', { id: ids.spec, type: 'file', accept: '.json,application/json', 'data-testid': 'rima-spec', 'aria-describedby': `${ids.spec}-hint ${ids.spec}-err` });
  const specField = h('div', { class: 'field', hidden: true },
    h('label', { for: ids.spec }, app.t('ana.struct.spec')), spec,
    h('small', { id: `${ids.spec}-hint` }, app.t('ana.struct.specHint')), errorEl('spec', ids.spec));
  const submit = h('button', { type: 'submit', 'data-testid': 'rima-structure-submit' }, app.t('ana.struct.submit'));
  const out = h('div', { 'aria-live': 'polite', 'data-testid': 'rima-structure' });
  // The survey's first ids are offered as suggestions (any id may be typed).
  const suggestions = h('datalist', { id: `${ids.hh}-list` });
  const household = h('input', { id: ids.hh, type: 'text', list: `${ids.hh}-list`, autocomplete: 'off', spellcheck: 'false', 'data-testid': 'rima-household', 'aria-describedby': `${ids.hh}-hint ${ids.hh}-err` });
  const householdHint = h('small', { id: `${ids.hh}-hint` });
  const inputs: Record<RimaField, HTMLElement> = { survey, spec, model, household };

  // What the page knows of the survey and the spec.
  let surveyText: string | null = null;
  let surveyIdSet: Set<string> | null = null;
  let specText: string | null = null;
  const columns = new Map<string, string>(); // Indicator name -> survey column (from a spec read here).

  const clearErrors = () => {
    for (const [f, e] of errors) {
      e.textContent = '';
      inputs[f].removeAttribute('aria-invalid');
    }
  };
  const showError = (f: RimaField, text: string) => {
    const e = errors.get(f);
    if (e) e.textContent = text;
    inputs[f].setAttribute('aria-invalid', 'true');
    inputs[f].focus();
  };
  const serverError = (err: unknown, explaining: boolean, box: HTMLElement) => {
    const f = err instanceof ApiError ? rimaFieldOf(err.field, err.code, explaining) : null;
    if (f && (f !== 'household' || explaining) && errors.has(f)) showError(f, `${app.errorText(err)} ${(err as ApiError).detail}`.trim());
    else box.replaceChildren(app.errorBox(err));
  };
  const readSpecColumns = (text: string): string | undefined => {
    try {
      const s = JSON.parse(text) as { id_column?: string; pillars?: { variables?: { name: string; column: string }[] }[]; food_security?: { name: string; column: string }[] };
      for (const p of s.pillars ?? []) for (const v of p.variables ?? []) columns.set(v.name, v.column);
      for (const v of s.food_security ?? []) columns.set(v.name, v.column);
      return s.id_column;
    } catch {
      return undefined;
    }
  };
  const indexSurvey = (idColumn?: string) => {
    if (surveyText === null) return;
    const { ids: list } = surveyIds(surveyText, idColumn);
    surveyIdSet = new Set(list);
    householdHint.textContent = list.length ? app.t('ana.explain.hint', { id: list[0] }) : '';
    suggestions.replaceChildren(...list.slice(0, 200).map((id) => h('option', { value: id })));
    if (!household.value && list.length) household.placeholder = list[0];
  };
  // The chosen files' texts, read once per choice (also when the form is
  // sent before the change handler has finished).
  let surveyFile: File | null = null;
  let specFile: File | null = null;
  const readFiles = async () => {
    const sf = spec.files?.[0] ?? null;
    if (sf !== specFile) {
      specFile = sf;
      specText = sf ? await sf.text() : null;
    }
    const f = survey.files?.[0] ?? null;
    if (f !== surveyFile) {
      surveyFile = f;
      surveyText = f ? await f.text() : null;
    }
    const specNow = model.value === NEW_MODEL ? specText : storedSpecText;
    indexSurvey(specNow ? readSpecColumns(specNow) : undefined);
  };
  survey.addEventListener('change', () => void readFiles());
  spec.addEventListener('change', () => void readFiles());
  // A stored model's spec (from the server) names the survey's id column
  // and the columns behind each indicator, for the labels and the ids.
  let storedSpecText: string | null = null;
  const syncModel = () => {
    specField.hidden = model.value !== NEW_MODEL;
    storedSpecText = null;
    const version = model.value;
    if (!version || version === NEW_MODEL) return;
    app.api
      .get<{ spec: unknown }>(`/api/v1/rima/models/${encodeURIComponent(version)}`, signal)
      .then((m) => {
        if (model.value !== version) return;
        storedSpecText = JSON.stringify(m.spec ?? {});
        indexSurvey(readSpecColumns(storedSpecText));
      })
      .catch(() => {
        // Labels fall back to the indicators' names; nothing else needs it.
      });
  };
  model.addEventListener('change', syncModel);

  // The stored models, newest first, and the option to fit one.
  const fillModels = (stored: StoredModel[], selected?: string) => {
    const opts = [...stored].reverse().map((m) => h('option', { value: m.model_version, selected: m.model_version === selected }, m.model_version));
    if (mayFit) opts.push(h('option', { value: NEW_MODEL, selected: stored.length === 0 }, app.t('ana.struct.newModel')));
    model.replaceChildren(...opts);
    if (stored.length === 0 && !mayFit) {
      modelNote.textContent = app.t('ana.struct.noModel');
      submit.disabled = true;
    }
    syncModel();
  };
  let stored: StoredModel[] = [];
  app.api
    .get<{ stored: StoredModel[] }>('/api/v1/rima/models', signal)
    .then((m) => {
      stored = m.stored ?? [];
      fillModels(stored);
    })
    .catch((e) => {
      if ((e as Error)?.name !== 'AbortError') out.replaceChildren(app.errorBox(e));
    });

  // Fits a model on the survey (a job with a progress bar); its version.
  const fit = async (surveyCsv: string): Promise<string | null> => {
    if (!specText) {
      showError('spec', app.t('ana.struct.chooseSpec'));
      return null;
    }
    let specObj: unknown;
    try {
      specObj = JSON.parse(specText);
    } catch (e) {
      showError('spec', app.t('ana.struct.badSpec', { problem: String((e as Error).message) }));
      return null;
    }
    const started = await app.api.request<{ job_id: string }>('/api/v1/rima/fits', { method: 'POST', body: { survey_csv: surveyCsv, spec: specObj, save_model: true } });
    const view = progressView(app, app.t('ana.struct.fitting'));
    out.replaceChildren(view.el);
    const result = (await pollJob(app, started.data.job_id, view, () => signal.aborted)) as { model_version?: string } | null;
    if (!result?.model_version) return null;
    stored = [...stored.filter((m) => m.model_version !== result.model_version), { model_version: result.model_version }];
    fillModels(stored, result.model_version);
    modelNote.textContent = app.t('ana.struct.fitted', { version: result.model_version });
    return result.model_version;
  };

  const form = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'rima-struct-title', 'data-testid': 'rima-structure-form' },
    h('h2', { id: 'rima-struct-title' }, app.t('ana.struct.title')),
    h('p', null, app.t('ana.struct.intro')),
    h('div', { class: 'field' }, h('label', { for: ids.survey }, app.t('ana.struct.survey')), survey, errorEl('survey', ids.survey)),
    h('div', { class: 'field' }, h('label', { for: ids.model }, app.t('ana.struct.model')), model, modelNote, errorEl('model', ids.model)),
    specField,
    submit,
    out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors();
    await readFiles();
    if (surveyText === null) {
      showError('survey', app.t('ana.struct.chooseSurvey'));
      return;
    }
    submit.disabled = true;
    try {
      let version: string | null = model.value;
      if (version === NEW_MODEL) version = await fit(surveyText);
      if (!version) return;
      out.replaceChildren(h('p', { class: 'loading', role: 'status' }, app.t('ana.busy')));
      const answer = await app.api.request<ReportJson>('/api/v1/rima/reports', { method: 'POST', body: { survey_csv: surveyText, model_version: version } });
      out.replaceChildren(structureView(app, answer.data));
    } catch (err) {
      out.replaceChildren();
      serverError(err, false, out);
    } finally {
      submit.disabled = false;
    }
  });
  if (!mayFit) return form;

  // One household explained (run_analytics).
  const explainSubmit = h('button', { type: 'submit', 'data-testid': 'rima-explain-submit' }, app.t('ana.explain.submit'));
  const explainOut = h('div', { 'aria-live': 'polite', 'data-testid': 'rima-explain' });
  const explainForm = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'rima-explain-title', 'data-testid': 'rima-explain-form' },
    h('h2', { id: 'rima-explain-title' }, app.t('ana.explain.title')),
    h('div', { class: 'field' }, h('label', { for: ids.hh }, app.t('ana.explain.household')), household, suggestions, householdHint, errorEl('household', ids.hh)),
    explainSubmit,
    explainOut);
  explainForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors();
    await readFiles();
    const id = household.value.trim();
    if (surveyText === null) {
      showError('survey', app.t('ana.struct.chooseSurvey'));
      return;
    }
    if (!model.value || model.value === NEW_MODEL) {
      showError('model', app.t('ana.explain.needModel'));
      return;
    }
    if (!id || (surveyIdSet && !surveyIdSet.has(id))) {
      showError('household', app.t('ana.explain.notInSurvey'));
      return;
    }
    explainSubmit.disabled = true;
    try {
      explainOut.replaceChildren(h('p', { class: 'loading', role: 'status' }, app.t('ana.busy')));
      const answer = await app.api.request<ExplanationJson>('/api/v1/rima/explain', { method: 'POST', body: { survey_csv: surveyText, model_version: model.value, household: id } });
      explainOut.replaceChildren(explanationView(app, answer.data, columns));
    } catch (err) {
      explainOut.replaceChildren();
      serverError(err, true, explainOut);
    } finally {
      explainSubmit.disabled = false;
    }
  });
  return h('div', null, form, explainForm);
}

// A number with a small bar under it, for table cells.
function miniBar(text: string, value: number, max: number): HTMLElement {
  const [, width] = barBox(value, max, false);
  return h('span', null, text,
    h('span', { 'aria-hidden': 'true', style: 'display:block;height:6px;background:#eef2f6;margin-top:2px' },
      h('span', { style: `display:block;height:6px;width:${width.toFixed(1)}%;background:#2a6fb0` })));
}

function structureView(app: App, r: ReportJson): HTMLElement {
  const pct = (v: number) => (Number.isFinite(v) ? `${app.num(Math.round(v * 10) / 10)}%` : app.t('common.none'));
  const overall = pillarBars(r.rsm);
  const parts: HTMLElement[] = [];
  if (r.survey) {
    parts.push(h('p', { 'data-testid': 'rima-scored' }, app.t('ana.struct.scored', { scored: app.num(r.survey.scored), rows: app.num(r.survey.rows), version: r.model_version })));
  }
  parts.push(
    h('h3', null, app.t('ana.rsm.title')),
    barChart({
      caption: app.t('ana.rsm.caption'),
      testid: 'rima-rsm',
      max: 100,
      bars: overall.map((b) => ({
        label: pillarName(app, b.pillar),
        note: app.t('ana.rsm.cor', { cor: Number.isFinite(b.cor) ? b.cor.toFixed(2) : app.t('common.none') }),
        value: b.share,
        text: pct(b.share),
        testid: `rima-rsm-${b.pillar}`,
      })),
    }),
    h('p', null, h('small', null, app.t('ana.rsm.explainer'))),
  );
  for (const t of profileTables(r.rsm_by_profile)) {
    const pk = profileKey(t.profile);
    const pillars = t.groups[0]?.pillars.map((p) => p.pillar) ?? [];
    const maxShare = Math.max(1, ...t.groups.flatMap((g) => g.pillars.map((p) => p.share)).filter(Number.isFinite));
    parts.push(
      h('div', { class: 'table-wrap' },
        h('table', { 'data-testid': `rima-profile-${t.profile}` },
          h('caption', null, app.t('ana.rsm.byProfile', { profile: pk ? app.t(pk) : t.profile })),
          h('thead', null,
            h('tr', null,
              h('th', { scope: 'col' }, app.t('ana.rsm.group')),
              h('th', { scope: 'col', class: 'num' }, app.t('ana.rsm.n')),
              h('th', { scope: 'col' }, app.t('ana.rsm.mean')),
              pillars.map((p) => h('th', { scope: 'col' }, pillarName(app, p))))),
          h('tbody', null,
            t.groups.map((g) => {
              const gk = groupKey(t.profile, g.group);
              return h('tr', null,
                h('th', { scope: 'row' }, gk ? app.t(gk) : g.group),
                h('td', { class: 'num' }, app.num(g.n)),
                h('td', null, miniBar(Number.isFinite(g.mean) ? app.num(Math.round(g.mean * 10) / 10) : app.t('common.none'), g.mean, 100)),
                g.pillars.map((p) => h('td', null, miniBar(pct(p.share), p.share, maxShare))));
            })))),
    );
  }
  return h('div', null, parts);
}

function explanationView(app: App, e: ExplanationJson, columns: Map<string, string>): HTMLElement {
  const label = (name: string) => {
    const k = variableKey(name, columns.get(name));
    return k ? app.t(k) : name;
  };
  const value = (v: number) => (Number.isFinite(v) ? app.num(Math.round(v * 100) / 100) : app.t('common.none'));
  const pillars = explanationPillars(e);
  const allVars = pillars.flatMap((p) => p.variables);
  const maxVar = maxAbs([...allVars, ...e.food_security], 0.5);
  const varBars = (list: Contribution[]) =>
    list.map((v) => ({
      label: label(v.name),
      note: `${v.name} · ${app.t('ana.explain.value')}: ${value(v.value)}`,
      value: v.points,
      text: signed(app, v.points),
    }));
  return h('div', null,
    h('p', { 'data-testid': 'rima-explain-summary' }, app.t('ana.explain.summary', {
      id: e.household,
      score: app.num(Math.round(e.score_0_100 * 10) / 10),
      quintile: app.num(e.quintile),
      average: app.num(Math.round(e.average_score_0_100 * 10) / 10),
    })),
    h('p', { 'data-testid': 'rima-explain-rci' }, app.t('ana.explain.rci', { rci: Number.isFinite(e.rci) ? e.rci.toFixed(3) : app.t('common.none') })),
    barChart({
      caption: app.t('ana.explain.pillars'),
      diverging: true,
      testid: 'rima-explain-pillars',
      max: maxAbs(pillars, 1),
      bars: pillars.map((p) => ({
        label: pillarName(app, p.name),
        note: app.t('ana.explain.pillarScore', { score: value(p.score) }),
        value: p.points,
        text: signed(app, p.points),
        testid: `rima-explain-${p.name}`,
      })),
    }),
    pillars.map((p, i) =>
      h('details', { open: i === 0, 'data-testid': `rima-explain-vars-${p.name}` },
        h('summary', null, app.t('ana.explain.indicators', { pillar: pillarName(app, p.name) })),
        barChart({ caption: app.t('ana.explain.indicators', { pillar: pillarName(app, p.name) }), diverging: true, max: maxVar, bars: varBars(p.variables) }))),
    e.food_security.length
      ? h('details', null,
          h('summary', null, app.t('ana.explain.food')),
          barChart({ caption: app.t('ana.explain.food'), diverging: true, max: maxVar, bars: varBars(e.food_security) }))
      : null);
}
