// A household with its members and herd; editing with validation beside the
// fields and optimistic concurrency: the save carries If-Match with the
// version we loaded, and a 412 is shown plainly with the current values.
import { ApiError } from '../api';
import { loading, type App, type PageFn } from '../app';
import { memberRecordsSection } from './coop_reports';
import { append, h, uid } from '../dom';
import { errorSummary } from '../focus';
import type { MessageKey } from '../i18n';
import { parseHouseholdView, type HouseholdView, type PersonJson } from '../registry_json';
import { Units } from '../units';
import {
  SPECIES_FIELDS,
  formFromHousehold,
  householdFromForm,
  validateHousehold,
  type FieldProblem,
  type HouseholdForm,
  type HouseholdJson,
} from '../validate';

const speciesKey: Record<(typeof SPECIES_FIELDS)[number], MessageKey> = {
  camels: 'species.camel',
  horses: 'species.horse',
  cattle: 'species.cattle',
  sheep: 'species.sheep',
  goats: 'species.goat',
};

export const householdPage: PageFn = (app: App, main: HTMLElement, id: string) => {
  const ctrl = new AbortController();
  const url = `/api/v1/households/${encodeURIComponent(id)}`;
  main.append(h('p', null, h('a', { href: '#/registry' }, `← ${app.t('common.back')}`)), loading(app));
  const load = async (): Promise<{ view: HouseholdView; etag: string | null }> => {
    const r = await app.api.request<unknown>(url, { signal: ctrl.signal });
    return { view: parseHouseholdView(r.data), etag: r.etag };
  };
  load()
    .then(({ view, etag }) => {
      main.lastElementChild?.remove();
      showView(app, main, url, view, etag, load);
    })
    .catch((e) => {
      if ((e as Error)?.name === 'AbortError') return;
      main.lastElementChild?.replaceWith(app.errorBox(e));
    });
  return () => ctrl.abort();
};

function showView(
  app: App,
  main: HTMLElement,
  url: string,
  view: HouseholdView,
  etag: string | null,
  load: () => Promise<{ view: HouseholdView; etag: string | null }>,
): void {
  const hh = view.household;
  const section = h('section', { 'data-testid': 'household-view' });
  const version = view.version;
  append(section, [
    h('h1', null, app.t('hh.title', { id: hh.household_id }), version !== null ? h('small', { class: 'version' }, ` ${app.t('reg.version', { v: version })}`) : null),
    hh.active === false && hh.deactivated_on ? h('p', { class: 'alert info' }, app.t('hh.deactivated', { date: app.date(hh.deactivated_on), reason: hh.deactivation_reason ?? '' })) : null,
    householdFacts(app, hh),
    h('h2', null, app.t('reg.members')),
    membersTable(app, view.members),
    memberRecordsSection(app, view.members.map((m) => m.register_no)),
  ]);
  if (app.can('write_register') && hh.active !== false) {
    const edit = h('button', { type: 'button', 'data-testid': 'edit-household' }, app.t('common.edit'));
    edit.addEventListener('click', () => {
      section.replaceWith(editForm(app, url, view, etag, load));
    });
    section.append(h('p', null, edit));
  }
  main.append(section);
}

function householdFacts(app: App, hh: HouseholdJson): HTMLElement {
  const row = (label: string, value: string) => [h('dt', null, label), h('dd', null, value)];
  return h(
    'div',
    { class: 'facts' },
    h(
      'dl',
      null,
      row(app.t('hh.soum'), app.unitFull(hh.soum_code)),
      row(app.t('hh.currentSoum'), app.unitFull(hh.current_soum_code)),
      row(app.t('hh.bag'), hh.bag || app.t('common.none')),
      row(app.t('hh.herder'), hh.herder ? app.t('common.yes') : app.t('common.no')),
      row(app.t('hh.cooperative'), hh.cooperative || app.t('common.none')),
      row(app.t('hh.phone'), hh.phone || app.t('common.none')),
    ),
    h(
      'table',
      { class: 'herd' },
      h('caption', null, app.t('reg.herd')),
      h('tbody', null, SPECIES_FIELDS.map((s) => h('tr', null, h('th', { scope: 'row' }, app.t(speciesKey[s])), h('td', { class: 'num' }, app.num(hh[s]))))),
    ),
  );
}

function membersTable(app: App, members: PersonJson[]): HTMLElement {
  if (members.length === 0) return h('p', null, app.t('common.noResults'));
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { 'data-testid': 'members' },
      h(
        'thead',
        null,
        h('tr', null, ['person.register_no', 'person.name', 'person.sex', 'person.birth_date', 'person.relation', 'person.herder', 'person.disability'].map((k) => h('th', { scope: 'col' }, app.t(k as MessageKey)))),
      ),
      h(
        'tbody',
        null,
        members.map((p) =>
          h(
            'tr',
            { class: p.active === false ? 'inactive' : null },
            h('td', null, p.register_no),
            h('td', null, [p.family_name, p.father_name, p.given_name].filter(Boolean).join(' ')),
            h('td', null, app.t(`sex.${p.sex}` as MessageKey)),
            h('td', null, app.date(p.birth_date)),
            h('td', null, app.t(`relation.${p.relation}` as MessageKey)),
            h('td', null, p.herder ? app.t('common.yes') : app.t('common.no')),
            h('td', null, p.disability ? app.t('common.yes') : app.t('common.no')),
          ),
        ),
      ),
    ),
  );
}

function editForm(
  app: App,
  url: string,
  view: HouseholdView,
  etagAtLoad: string | null,
  load: () => Promise<{ view: HouseholdView; etag: string | null }>,
): HTMLElement {
  let etag = etagAtLoad;
  const hh = view.household;
  const initial = formFromHousehold(hh);
  const inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  const errors = new Map<string, HTMLElement>();
  const area = app.session?.area_code ?? 0;
  const soums = Units.sortByName(app.lang, app.units.soumsIn(area));
  const labels = new Map<string, string>();
  const field = (name: keyof HouseholdForm, label: string, control: HTMLInputElement | HTMLSelectElement) => {
    const id = uid(name);
    const errId = `${id}-err`;
    control.id = id;
    control.name = name;
    control.setAttribute('aria-describedby', errId);
    inputs.set(name, control);
    labels.set(name, label);
    const err = h('span', { id: errId, class: 'field-error', 'aria-live': 'polite' });
    errors.set(name, err);
    return h('div', { class: 'field' }, h('label', { for: id }, label), control, err);
  };
  const text = (name: keyof HouseholdForm, inputmode?: string) =>
    h('input', { value: String(initial[name]), inputmode: inputmode ?? null, autocomplete: 'off' });
  const soumSelect = (name: 'soum_code' | 'current_soum_code') => {
    const current = Number(initial[name]);
    const list = soums.some((u) => u.code === current) ? soums : [...soums, ...(app.units.get(current) ? [app.units.get(current)!] : [])];
    return h('select', null, list.map((u) => h('option', { value: String(u.code), selected: u.code === current }, app.unitFull(u.code))));
  };
  const herderBox = h('input', { type: 'checkbox', checked: initial.herder, id: uid('herder') });
  const banner = h('div', { 'aria-live': 'assertive', 'data-testid': 'edit-status' });
  const save = h('button', { type: 'submit', 'data-testid': 'save-household' }, app.t('common.save'));
  const cancel = h('button', { type: 'button', class: 'secondary', onclick: () => app.go(`household/${encodeURIComponent(hh.household_id)}`) }, app.t('common.cancel'));
  const form = h(
    'form',
    { class: 'card edit', novalidate: true, 'data-testid': 'household-form' },
    h('h1', null, app.t('hh.title', { id: hh.household_id })),
    banner,
    h(
      'fieldset',
      null,
      h('legend', null, app.t('reg.household')),
      field('soum_code', app.t('hh.soum'), soumSelect('soum_code')),
      field('current_soum_code', app.t('hh.currentSoum'), soumSelect('current_soum_code')),
      field('bag', app.t('hh.bag'), text('bag')),
      h('div', { class: 'field check' }, herderBox, h('label', { for: herderBox.id }, app.t('hh.herder'))),
      field('cooperative', app.t('hh.cooperative'), text('cooperative')),
      field('phone', app.t('hh.phone'), text('phone', 'tel')),
      field('lat', app.t('hh.lat'), text('lat', 'decimal')),
      field('lon', app.t('hh.lon'), text('lon', 'decimal')),
    ),
    h('fieldset', { class: 'herd-fields' }, h('legend', null, app.t('reg.herd')), SPECIES_FIELDS.map((s) => field(s, app.t(speciesKey[s]), text(s, 'numeric')))),
    h('div', { class: 'actions' }, save, cancel),
  );

  const readForm = (): HouseholdForm => {
    const v = (k: string) => inputs.get(k)!.value;
    return {
      soum_code: v('soum_code'),
      current_soum_code: v('current_soum_code'),
      bag: v('bag'),
      cooperative: v('cooperative'),
      phone: v('phone'),
      lat: v('lat'),
      lon: v('lon'),
      camels: v('camels'),
      horses: v('horses'),
      cattle: v('cattle'),
      sheep: v('sheep'),
      goats: v('goats'),
      herder: herderBox.checked,
    };
  };
  const showProblems = (problems: Record<string, FieldProblem>) => {
    for (const [name, el] of errors) {
      const p = problems[name];
      el.textContent = p ? app.t(p.key, p.params) : '';
      const input = inputs.get(name)!;
      if (p) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    }
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const values = readForm();
    const problems = validateHousehold(values, (c) => {
      const u = app.units.get(c);
      return !!u && (u.level === 'soum' || u.level === 'district');
    });
    showProblems(problems);
    const bad = Object.keys(problems);
    if (bad.length > 0) {
      const summary = errorSummary(
        app.t('hh.invalid'),
        bad.map((name) => ({ id: inputs.get(name)!.id, label: labels.get(name) ?? name, message: errors.get(name)!.textContent ?? '' })),
      );
      banner.replaceChildren(summary);
      summary.focus();
      return;
    }
    banner.replaceChildren();
    save.disabled = true;
    try {
      // No members are sent, so only the household's own fields change.
      const body = { household: householdFromForm(hh.household_id, values), members: [] };
      await app.api.request(url, { method: 'PUT', body, ifMatch: etag ?? undefined });
      app.flash = 'hh.saved';
      app.go(`household/${encodeURIComponent(hh.household_id)}`);
    } catch (err) {
      save.disabled = false;
      if (err instanceof ApiError && err.status === 412) {
        // Fetch the current version so the officer sees what changed; the
        // next save deliberately overwrites that version.
        let current: { view: HouseholdView; etag: string | null } | null = null;
        try {
          current = await load();
          etag = current.etag;
        } catch {
          current = null;
        }
        const v = current?.view.version ?? err.currentVersion ?? '?';
        if (!current && err.currentEtag) etag = err.currentEtag;
        banner.replaceChildren(
          h(
            'div',
            { class: 'alert conflict', role: 'alert', 'data-testid': 'conflict' },
            h('h2', null, app.t('hh.conflict.title')),
            h('p', null, app.t('hh.conflict.body', { v })),
            current ? householdFacts(app, current.view.household) : null,
          ),
        );
        banner.focus();
      } else if (err instanceof ApiError && err.code === 'INVALID_ARGUMENT' && err.field && inputs.has(err.field.replace(/^household\./, ''))) {
        // The server names one field ("household.phone"): show its words there.
        const name = err.field.replace(/^household\./, '');
        errors.get(name)!.textContent = err.detail;
        inputs.get(name)!.setAttribute('aria-invalid', 'true');
        banner.replaceChildren(app.errorBox(err));
        inputs.get(name)!.focus();
      } else {
        banner.replaceChildren(app.errorBox(err));
      }
    }
  });
  banner.tabIndex = -1;
  return form;
}
