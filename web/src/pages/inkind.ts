// In-kind support (#/inkind): the catalogue (rams, bucks, fodder,
// equipment with unit values); the distributions of the officer's area;
// planning one with a rule (the programme's rams as the example) and its
// preview by sex and age of the household head; approval by another
// officer. One distribution (#/inkind/<code>): its households and the
// confirmation of each delivery (once per household; a retry with the same
// idempotency key records nothing twice).
import { withQuery } from '../api';
import { loading, type App, type PageFn } from '../app';
import { h } from '../dom';
import type { MessageKey } from '../i18n';
import { bySexAndBand, distributionBody, RAMS_RULE, withDisability, type DistributionForm } from '../coop_logic';
import { dateToday, distributionCard, field, KeyedForm, markField, select, showFormError, table, type DistributionJson, type PreviewJson } from '../coop_ui';

interface ItemJson {
  code: string;
  name_en: string;
  name_mn: string;
  unit: string;
  unit_value: number;
}

interface LineJson {
  household_id: string;
  soum_code: number;
  payee_register_no: string;
  payee_name: string;
  payee_sex: 'F' | 'M';
  quantity: number;
  value: number;
  delivery: { delivered_on: string; received_by: string; received_name: string; confirmed_by: string } | null;
}

export const inkindPage: PageFn = (app: App, main: HTMLElement, arg: string) => {
  const ctrl = new AbortController();
  if (arg) linesView(app, main, arg, ctrl.signal);
  else listView(app, main, ctrl.signal);
  return () => ctrl.abort();
};

function itemName(app: App, i: ItemJson): string {
  return app.lang === 'mn' ? i.name_mn : i.name_en;
}

function listView(app: App, main: HTMLElement, signal: AbortSignal): void {
  main.append(h('h1', null, app.t('ik.title')));
  const catalogue = h('section', { 'data-testid': 'ik-catalogue' }, loading(app));
  const list = h('section', { 'data-testid': 'ik-list' }, loading(app));
  main.append(catalogue, list);
  const load = () => {
    app.api
      .get<{ items: DistributionJson[] }>(withQuery('/api/v1/distributions', { kind: 'in_kind' }), signal)
      .then((r) =>
        list.replaceChildren(
          h('h2', null, app.t('ik.distributions')),
          ...(r.items.length ? r.items.map((d) => distributionCard(app, d, load, `#/inkind/${encodeURIComponent(d.code)}`)) : [h('p', null, app.t('ik.none'))]),
        ),
      )
      .catch((e) => list.replaceChildren(app.errorBox(e)));
  };
  app.api
    .get<{ items: ItemJson[] }>('/api/v1/inkind/items', signal)
    .then((r) => {
      catalogue.replaceChildren(
        table(
          app.t('ik.catalogue'),
          [app.t('coop.code'), app.t('coop.name'), app.t('ik.unit'), app.t('ik.unitValue')],
          r.items.map((i) => [i.code, itemName(app, i), app.t(`ik.unit.${i.unit}` as MessageKey), app.money(i.unit_value)]),
        ),
      );
      if (app.can('manage_coop') && r.items.length) main.append(planForm(app, r.items, load));
    })
    .catch((e) => catalogue.replaceChildren(app.errorBox(e)));
  load();
}

function previewView(app: App, p: PreviewJson): HTMLElement {
  return h(
    'div',
    { 'data-testid': 'ik-preview' },
    h('p', null, h('strong', null, app.t('dist.previewResult', { n: app.num(p.households), q: app.num(p.quantity), value: app.money(p.total_value) }))),
    table(
      app.t('dist.bySexAge'),
      [app.t('coop.stats.group'), app.t('coop.households')],
      [
        ...bySexAndBand(p.cells).map((r) => [`${app.t(`coop.sex.${r.sex}` as MessageKey)}, ${app.t('coop.age', { band: r.band })}`, app.num(r.households)]),
        [app.t('dist.withDisability'), app.num(withDisability(p.cells))],
      ],
    ),
  );
}

function planForm(app: App, items: ItemJson[], after: () => void): HTMLElement {
  const area = app.session && app.session.area_code ? String(app.session.area_code) : '';
  const code = field(app.t('dist.code'), h('input', { name: 'code', required: true, 'data-testid': 'ik-code' }));
  const name = field(app.t('dist.name'), h('input', { name: 'name' }));
  const item = field(app.t('ik.item'), select('item', items.map((i) => [i.code, itemName(app, i)]), 'ik-item'));
  const areaCode = field(app.t('dist.area'), h('input', { name: 'area_code', inputmode: 'numeric', value: area }));
  const rule = field(app.t('dist.rule'), h('textarea', { name: 'eligibility', rows: 2, 'data-testid': 'ik-rule' }, RAMS_RULE));
  const quantity = field(app.t('ik.quantity'), h('input', { name: 'quantity', value: '1' }));
  const cutoff = field(app.t('dist.cutoff'), h('input', { name: 'cutoff_on', type: 'date', value: dateToday() }));
  const decision = field(app.t('dist.decision'), h('input', { name: 'decision' }));
  const out = h('div', { 'aria-live': 'polite' });
  const preview = h('button', { type: 'button', 'data-testid': 'ik-preview-button' }, app.t('dist.preview'));
  const form = h('form', { class: 'card', 'data-testid': 'ik-plan' }, h('h2', null, app.t('ik.prepare')), code.el, name.el, item.el, areaCode.el, rule.el, quantity.el, cutoff.el, decision.el, h('div', { class: 'actions' }, preview, h('button', { type: 'submit' }, app.t('dist.prepare.submit'))), out);
  const body = () => {
    markField(form, null, '');
    const f: DistributionForm = { code: code.control.value, kind: 'in_kind', name: name.control.value, coop: '', item: item.control.value, area_code: areaCode.control.value, eligibility: rule.control.value, quantity: quantity.control.value, cutoff_on: cutoff.control.value, decision: decision.control.value };
    const r = distributionBody(f);
    if (r.field) markField(form, r.field, app.t('error.INVALID_ARGUMENT'));
    return r.body;
  };
  preview.addEventListener('click', () => {
    const b = body();
    if (!b) return;
    app.api
      .request<PreviewJson>('/api/v1/distributions/preview', { method: 'POST', body: b })
      .then((r) => out.replaceChildren(previewView(app, r.data)))
      .catch((e) => showFormError(app, form, out, e));
  });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const b = body();
    if (!b) return;
    app.api
      .request('/api/v1/distributions', { method: 'POST', body: b })
      .then(() => {
        out.replaceChildren();
        after();
      })
      .catch((e) => showFormError(app, form, out, e));
  });
  return form;
}

function linesView(app: App, main: HTMLElement, code: string, signal: AbortSignal): void {
  main.append(h('p', null, h('a', { href: '#/inkind' }, `← ${app.t('ik.back')}`)));
  const head = h('div', null, loading(app));
  const lines = h('section', { 'data-testid': 'ik-lines' });
  main.append(head, lines);
  const load = () => {
    app.api
      .get<DistributionJson>(`/api/v1/distributions/${encodeURIComponent(code)}`, signal)
      .then((d) => head.replaceChildren(h('h1', null, d.name), distributionCard(app, d, load)))
      .catch((e) => head.replaceChildren(app.errorBox(e)));
    app.api
      .get<{ total: number; items: LineJson[] }>(withQuery(`/api/v1/distributions/${encodeURIComponent(code)}/lines`, { page_size: 500 }), signal)
      .then((r) =>
        lines.replaceChildren(
          table(
            app.t('ik.lines'),
            [app.t('coop.household'), app.t('coop.soum'), app.t('ik.head'), app.t('ik.quantity'), app.t('ik.value'), app.t('ik.deliveryDate')],
            r.items.map((l) => [l.household_id, app.unit(l.soum_code), `${l.payee_name} (${l.payee_register_no})`, app.num(l.quantity), app.money(l.value), deliveryCell(app, code, l, load)]),
            'ik-lines-table',
          ),
        ),
      )
      .catch((e) => lines.replaceChildren(app.errorBox(e)));
  };
  load();
}

function deliveryCell(app: App, code: string, l: LineJson, after: () => void): HTMLElement {
  if (l.delivery) {
    return h('span', { 'data-testid': 'ik-delivered' }, app.t('ik.deliveredOn', { date: app.date(l.delivery.delivered_on), who: l.delivery.received_name }));
  }
  if (!app.can('manage_coop')) return h('span', null, app.t('ik.notDelivered'));
  const keyed = new KeyedForm(app);
  const out = h('span', { 'aria-live': 'polite' });
  const button = h('button', { type: 'button', 'data-testid': 'ik-confirm', 'data-household': l.household_id }, app.t('ik.confirm'));
  button.addEventListener('click', () => {
    button.disabled = true;
    keyed
      .post(`/api/v1/distributions/${encodeURIComponent(code)}/deliveries`, { household_id: l.household_id, date: dateToday() })
      .then(() => {
        out.replaceChildren(app.t('ik.confirmed'));
        setTimeout(after, 500);
      })
      .catch((e) => {
        button.disabled = false;
        out.replaceChildren(app.errorBox(e));
      });
  });
  return h('span', null, button, out);
}
