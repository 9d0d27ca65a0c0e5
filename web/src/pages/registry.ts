// Registry search: register number or name prefix (Cyrillic or Latin),
// soum and herder filters; one server-side page at a time.
import { withQuery } from '../api';
import { loading, pager, type App, type PageFn } from '../app';
import { h, uid } from '../dom';
import { focusIfStillWaiting, focusQuietly } from '../focus';
import { Units } from '../units';
import type { MessageKey } from '../i18n';
import { parsePage, type HouseholdSummary, type PersonJson } from '../registry_json';

interface SearchState {
  kind: 'households' | 'persons';
  q: string;
  soum: string;
  herder: boolean;
  page: number;
}

// The search is kept in the URL (#/registry/q=..&soum=..&page=..) so the back
// button and a reload return to the same results.
function parseState(arg: string): SearchState {
  const p = new URLSearchParams(arg);
  return { kind: p.get('kind') === 'persons' ? 'persons' : 'households', q: p.get('q') ?? '', soum: p.get('soum') ?? '', herder: p.get('herder') === '1', page: Math.max(1, Number(p.get('page') ?? 1) || 1) };
}
function stateArg(s: SearchState): string {
  const p = new URLSearchParams();
  if (s.kind === 'persons') p.set('kind', 'persons');
  if (s.q) p.set('q', s.q);
  if (s.soum) p.set('soum', s.soum);
  if (s.herder) p.set('herder', '1');
  if (s.page > 1) p.set('page', String(s.page));
  return p.toString();
}

export const registryPage: PageFn = (app: App, main: HTMLElement, arg: string) => {
  const state = parseState(arg);
  const qId = uid('q');
  const soumId = uid('soum');
  const hintId = uid('hint');
  const q = h('input', { id: qId, type: 'search', name: 'q', value: state.q, 'aria-describedby': hintId, autocomplete: 'off' });
  const area = app.session?.area_code ?? 0;
  const soums = Units.sortByName(app.lang, app.units.soumsIn(area));
  const soum = h(
    'select',
    { id: soumId, name: 'soum' },
    soums.length > 1 ? h('option', { value: '' }, app.t('reg.anySoum')) : null,
    soums.map((u) => h('option', { value: String(u.code), selected: String(u.code) === state.soum }, area >= 10000 ? u[app.lang] : app.unitFull(u.code))),
  );
  const kindId = uid('kind');
  const kind = h(
    'select',
    { id: kindId, name: 'kind', 'data-testid': 'search-kind' },
    h('option', { value: 'households', selected: state.kind === 'households' }, app.t('reg.kind.households')),
    h('option', { value: 'persons', selected: state.kind === 'persons' }, app.t('reg.kind.persons')),
  );
  const herderId = uid('herder');
  const herder = h('input', { id: herderId, type: 'checkbox', checked: state.herder });
  const form = h(
    'form',
    { class: 'search', role: 'search', 'data-testid': 'registry-search' },
    h('div', { class: 'field grow' }, h('label', { for: qId }, app.t('reg.query')), q, h('small', { id: hintId }, app.t('reg.queryHint'))),
    h('div', { class: 'field' }, h('label', { for: kindId }, app.t('reg.kind')), kind),
    h('div', { class: 'field' }, h('label', { for: soumId }, app.t('reg.soum')), soum),
    h('div', { class: 'field check' }, herder, h('label', { for: herderId }, app.t('reg.herderOnly'))),
    h('button', { type: 'submit' }, app.t('common.search')),
  );
  const results = h('section', { 'aria-live': 'polite', 'data-testid': 'registry-results' });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    app.go(`registry/${stateArg({ kind: kind.value === 'persons' ? 'persons' : 'households', q: q.value.trim(), soum: soum.value, herder: herder.checked, page: 1 })}`, 'search');
  });
  main.append(h('h1', null, app.t('reg.title')), form, results);
  // After a search (or another page of results) focus waits on the results
  // and moves to their count when they come.
  const searched = app.intent === 'search';
  if (searched) focusQuietly(results);

  const ctrl = new AbortController();
  const run = async () => {
    results.replaceChildren(loading(app));
    try {
      const url = withQuery(`/api/v1/${state.kind}`, {
        q: state.q,
        soum: state.soum,
        herder: state.herder ? 'true' : undefined,
        page: state.page,
      });
      const data = await app.api.get<unknown>(url, ctrl.signal);
      const page = parsePage<HouseholdSummary | PersonJson>(data);
      const table = state.kind === 'persons' ? personsTable(app, page.items as PersonJson[], page.total) : resultsTable(app, page.items as HouseholdSummary[], page.total);
      results.replaceChildren(table, pager(app, state.page, page.total, page.pageSize, (p) => app.go(`registry/${stateArg({ ...state, page: p })}`, 'search')));
      const count = results.querySelector<HTMLElement>('[data-testid=results-count]');
      if (searched && count) focusIfStillWaiting(count, main, results);
    } catch (e) {
      if ((e as Error)?.name === 'AbortError') return;
      results.replaceChildren(app.errorBox(e));
    }
  };
  void run();
  return () => ctrl.abort();
};

function resultsTable(app: App, items: HouseholdSummary[], total: number): HTMLElement {
  if (items.length === 0) return h('p', { 'data-testid': 'results-count' }, app.t('common.noResults'));
  return h(
    'div',
    { class: 'table-wrap' },
    h('p', { 'data-testid': 'results-count' }, app.t('common.results', { n: app.num(total) })),
    h(
      'table',
      null,
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, app.t('reg.household')), h('th', { scope: 'col' }, app.t('reg.soum')), h('th', { scope: 'col' }, app.t('hh.bag')), h('th', { scope: 'col', class: 'num' }, app.t('reg.herdTotal')), h('th', { scope: 'col' }, app.t('hh.herder')))),
      h(
        'tbody',
        null,
        items.map((it) =>
          h(
            'tr',
            { class: it.active === false ? 'inactive' : null },
            h('td', null, h('a', { href: `#/household/${encodeURIComponent(it.household_id)}` }, it.household_id)),
            h('td', null, app.unitFull(it.soum_code)),
            h('td', null, it.bag || app.t('common.none')),
            h('td', { class: 'num' }, app.num(it.camels + it.horses + it.cattle + it.sheep + it.goats)),
            h('td', null, it.herder ? app.t('common.yes') : app.t('common.no'), it.active === false ? ` (${app.t('reg.inactive')})` : ''),
          ),
        ),
      ),
    ),
  );
}

function personsTable(app: App, items: PersonJson[], total: number): HTMLElement {
  if (items.length === 0) return h('p', { 'data-testid': 'results-count' }, app.t('common.noResults'));
  return h(
    'div',
    { class: 'table-wrap' },
    h('p', { 'data-testid': 'results-count' }, app.t('common.results', { n: app.num(total) })),
    h(
      'table',
      null,
      h('thead', null, h('tr', null, ['person.register_no', 'person.name', 'person.sex', 'person.birth_date', 'person.relation', 'reg.household'].map((k) => h('th', { scope: 'col' }, app.t(k as MessageKey))))),
      h(
        'tbody',
        null,
        items.map((p) =>
          h(
            'tr',
            { class: p.active === false ? 'inactive' : null },
            h('td', null, p.register_no),
            h('td', null, [p.family_name, p.father_name, p.given_name].filter(Boolean).join(' ')),
            h('td', null, app.t(`sex.${p.sex}` as MessageKey)),
            h('td', null, app.date(p.birth_date)),
            h('td', null, app.t(`relation.${p.relation}` as MessageKey)),
            h('td', null, h('a', { href: `#/household/${encodeURIComponent(p.household_id)}` }, p.household_id)),
          ),
        ),
      ),
    ),
  );
}
