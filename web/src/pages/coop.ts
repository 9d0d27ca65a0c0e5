// Cooperatives (#/coop): the cooperatives and pasture user groups of the
// officer's area with members and fund balances; registering one; the
// counts by sex and age for the results framework; feed reserves; what the
// soums of a shock event hold. One cooperative (#/coop/<code>): its
// members, a contribution to its contingency fund (cash, bank or in kind,
// with an idempotency key so a retry never records twice), its statement,
// and its payouts after a shock (prepared by one officer, approved by
// another, paid to every household once).
import { withQuery } from '../api';
import { loading, type App, type PageFn } from '../app';
import { h } from '../dom';
import type { MessageKey } from '../i18n';
import { contributionBody, METHODS, PRICED_ITEMS, ROLES, type ContributionForm, type Method } from '../coop_logic';
import { dateToday, distributionCard, field, KeyedForm, markField, select, showFormError, table, type DistributionJson, type EntryJson } from '../coop_ui';
import { coopStatsSection, eventPositionSection, warehousesSection } from './coop_reports';

interface CoopJson {
  code: string;
  name: string;
  type: string;
  soum_code: number;
  bag: string;
  registration_no: string;
  registered_on: string | null;
  members?: number | MemberJson[];
  households?: number;
  fund_balance?: number;
  history?: MemberJson[];
}

interface MemberJson {
  register_no: string;
  household_id: string;
  name: string;
  role: string;
  joined_on: string;
  left_on: string | null;
}

export const coopPage: PageFn = (app: App, main: HTMLElement, arg: string) => {
  const ctrl = new AbortController();
  if (arg) coopView(app, main, arg, ctrl.signal);
  else listView(app, main, ctrl.signal);
  return () => ctrl.abort();
};

// --- The list ---------------------------------------------------------------

function listView(app: App, main: HTMLElement, signal: AbortSignal): void {
  main.append(h('h1', null, app.t('coop.title')));
  const results = h('div', { 'data-testid': 'coop-list', 'aria-live': 'polite' }, loading(app));
  const text = h('input', { type: 'search', name: 'text' });
  const search = h('form', { role: 'search', class: 'actions', 'data-testid': 'coop-search' }, field(app.t('coop.search'), text).el, h('button', { type: 'submit' }, app.t('common.search')));
  const load = () => {
    app.api
      .get<{ total: number; items: CoopJson[] }>(withQuery('/api/v1/coop/cooperatives', { text: text.value, page_size: 200 }), signal)
      .then((r) => {
        if (!r.items.length) return results.replaceChildren(h('p', null, app.t('coop.none')));
        results.replaceChildren(
          table(
            app.t('coop.total', { n: app.num(r.total) }),
            [app.t('coop.code'), app.t('coop.name'), app.t('coop.type'), app.t('coop.soum'), app.t('coop.members'), app.t('coop.households'), app.t('coop.fund')],
            r.items.map((c) => [
              h('a', { href: `#/coop/${encodeURIComponent(c.code)}`, 'data-testid': 'coop-link' }, c.code),
              c.name,
              app.t(`coop.type.${c.type}` as MessageKey),
              app.unit(c.soum_code),
              app.num(Number(c.members ?? 0)),
              app.num(c.households ?? 0),
              app.money(c.fund_balance ?? 0),
            ]),
          ),
        );
      })
      .catch((e) => results.replaceChildren(app.errorBox(e)));
  };
  search.addEventListener('submit', (ev) => {
    ev.preventDefault();
    load();
  });
  main.append(search, results);
  if (app.can('manage_coop')) main.append(registerForm(app, load));
  main.append(coopStatsSection(app, signal), warehousesSection(app, signal), eventPositionSection(app, signal));
  load();
}

function registerForm(app: App, after: () => void): HTMLElement {
  const code = field(app.t('coop.code'), h('input', { name: 'code', required: true }));
  const name = field(app.t('coop.name'), h('input', { name: 'name', required: true }));
  const type = field(app.t('coop.type'), select('type', ['cooperative', 'pasture_user_group'].map((t) => [t, app.t(`coop.type.${t}` as MessageKey)])));
  const soum = field(app.t('coop.soum'), h('input', { name: 'soum_code', inputmode: 'numeric', value: app.session && app.session.area_code >= 10000 ? String(app.session.area_code) : '' }));
  const reg = field(app.t('coop.registrationNo'), h('input', { name: 'registration_no' }));
  const on = field(app.t('coop.registeredOn'), h('input', { name: 'registered_on', type: 'date' }));
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', { 'data-testid': 'coop-register' }, code.el, name.el, type.el, soum.el, reg.el, on.el, h('button', { type: 'submit' }, app.t('coop.register.submit')), out);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    markField(form, null, '');
    const body: Record<string, unknown> = { code: code.control.value.trim(), name: name.control.value.trim(), type: type.control.value, soum_code: Number(soum.control.value) };
    if (reg.control.value.trim()) body.registration_no = reg.control.value.trim();
    if (on.control.value) body.registered_on = on.control.value;
    app.api
      .request('/api/v1/coop/cooperatives', { method: 'POST', body })
      .then(() => {
        out.replaceChildren();
        after();
      })
      .catch((e) => showFormError(app, form, out, e));
  });
  return h('details', { class: 'card' }, h('summary', null, app.t('coop.register.title')), form);
}

// --- One cooperative --------------------------------------------------------

function coopView(app: App, main: HTMLElement, code: string, signal: AbortSignal): void {
  main.append(h('p', null, h('a', { href: '#/coop' }, `← ${app.t('coop.back')}`)));
  const body = h('div', { 'data-testid': 'coop-view' }, loading(app));
  main.append(body);
  const url = `/api/v1/coop/cooperatives/${encodeURIComponent(code)}`;
  const load = () => {
    app.api
      .get<CoopJson & { as_of: string }>(url, signal)
      .then((c) => render(app, body, c, load, signal))
      .catch((e) => body.replaceChildren(app.errorBox(e)));
  };
  load();
}

function render(app: App, body: HTMLElement, c: CoopJson & { as_of: string }, reload: () => void, signal: AbortSignal): void {
  const members = (c.members as MemberJson[]) ?? [];
  body.replaceChildren(
    h('h1', null, c.name),
    h('p', null, `${app.t(`coop.type.${c.type}` as MessageKey)} · ${app.unitFull(c.soum_code)} · ${c.code}`, c.registration_no ? ` · ${app.t('coop.registrationNo')}: ${c.registration_no}` : ''),
    h('p', { class: 'tile', 'data-testid': 'coop-balance' }, app.t('coop.balance', { date: app.date(c.as_of), amount: app.money(c.fund_balance ?? 0) })),
    table(
      app.t('coop.members'),
      [app.t('coop.registerNo'), app.t('coop.person'), app.t('coop.household'), app.t('coop.role'), app.t('coop.joined')],
      members.map((m) => [m.register_no, m.name, h('a', { href: `#/household/${encodeURIComponent(m.household_id)}` }, m.household_id), app.t(`coop.role.${m.role}` as MessageKey), app.date(m.joined_on)]),
      'coop-members',
    ),
  );
  if ((c.history ?? []).length) {
    body.append(
      h(
        'details',
        null,
        h('summary', null, app.t('coop.history')),
        table(
          app.t('coop.history'),
          [app.t('coop.registerNo'), app.t('coop.person'), app.t('coop.role'), app.t('coop.joined'), app.t('coop.left')],
          (c.history ?? []).map((m) => [m.register_no, m.name, app.t(`coop.role.${m.role}` as MessageKey), app.date(m.joined_on), m.left_on ? app.date(m.left_on) : '—']),
        ),
      ),
    );
  }
  const statement = h('section', { 'aria-labelledby': 'coop-st-h' });
  if (app.can('manage_coop')) body.append(contributeForm(app, c.code, members, reload), joinForm(app, c.code, reload));
  body.append(statement, payoutsSection(app, c.code, reload, signal));
  statementSection(app, statement, c.code, signal);
}

function joinForm(app: App, code: string, after: () => void): HTMLElement {
  const rn = field(app.t('coop.registerNo'), h('input', { name: 'register_no', required: true }));
  const role = field(app.t('coop.role'), select('role', ROLES.map((r) => [r, app.t(`coop.role.${r}` as MessageKey)])));
  const date = field(app.t('coop.date'), h('input', { name: 'joined_on', type: 'date', value: dateToday() }));
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', { 'data-testid': 'join-form' }, rn.el, role.el, date.el, h('button', { type: 'submit' }, app.t('coop.join.submit')), out);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    markField(form, null, '');
    app.api
      .request(`/api/v1/coop/cooperatives/${encodeURIComponent(code)}/members`, { method: 'POST', body: { register_no: rn.control.value.trim(), role: role.control.value, joined_on: date.control.value } })
      .then(after)
      .catch((e) => showFormError(app, form, out, e));
  });
  return h('details', { class: 'card' }, h('summary', null, app.t('coop.join.title')), form);
}

function contributeForm(app: App, code: string, members: MemberJson[], after: () => void): HTMLElement {
  const keyed = new KeyedForm(app);
  const member = field(app.t('coop.member'), select('register_no', members.map((m) => [m.register_no, `${m.name} (${m.register_no})`]), 'contribute-member'));
  const method = field(app.t('coop.method'), select('method', METHODS.map((m) => [m, app.t(`coop.method.${m}` as MessageKey)]), 'contribute-method'));
  const amount = field(app.t('coop.amount'), h('input', { name: 'amount', inputmode: 'numeric', 'data-testid': 'contribute-amount' }));
  const item = field(app.t('coop.item'), select('item', PRICED_ITEMS.map((i) => [i, app.t(`coop.item.${i}` as MessageKey)]), 'contribute-item'));
  const quantity = field(app.t('coop.quantity'), h('input', { name: 'quantity', inputmode: 'decimal', value: '1', 'data-testid': 'contribute-quantity' }));
  const date = field(app.t('coop.date'), h('input', { name: 'date', type: 'date', value: dateToday() }));
  const note = field(app.t('coop.note'), h('input', { name: 'note' }));
  const out = h('div', { 'aria-live': 'polite', 'data-testid': 'contribute-result' });
  const kindFields = () => {
    const inKind = method.control.value === 'in_kind';
    item.el.style.display = inKind ? '' : 'none';
    quantity.el.style.display = inKind ? '' : 'none';
    amount.el.querySelector('label')!.textContent = app.t(inKind ? 'coop.amount.stated' : 'coop.amount');
  };
  method.control.addEventListener('change', kindFields);
  kindFields();
  const form = h('form', { 'data-testid': 'contribute-form', class: 'card' }, h('h2', null, app.t('coop.contribute.title')), member.el, method.el, amount.el, item.el, quantity.el, date.el, note.el, h('button', { type: 'submit', 'data-testid': 'contribute-submit' }, app.t('coop.contribute.submit')), out);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    markField(form, null, '');
    const f: ContributionForm = { register_no: member.control.value, date: date.control.value, method: method.control.value as Method, amount: amount.control.value, item: item.control.value, quantity: quantity.control.value, note: note.control.value };
    const r = contributionBody(f);
    if (r.field) return markField(form, r.field, app.t('error.INVALID_ARGUMENT'));
    keyed
      .post<EntryJson>(`/api/v1/coop/cooperatives/${encodeURIComponent(code)}/fund/contributions`, r.body)
      .then((e) => {
        out.replaceChildren(h('p', { class: 'alert info', role: 'status' }, e.replayed ? app.t('coop.contribute.replayed') : app.t('coop.contribute.done', { amount: app.money(e.amount), date: app.date(e.on) })));
        setTimeout(after, 800);
      })
      .catch((e) => showFormError(app, form, out, e));
  });
  return form;
}

function statementSection(app: App, section: HTMLElement, code: string, signal: AbortSignal): void {
  const from = field(app.t('coop.from'), h('input', { name: 'from', type: 'date' }));
  const to = field(app.t('coop.to'), h('input', { name: 'to', type: 'date', value: dateToday() }));
  const out = h('div', { 'aria-live': 'polite', 'data-testid': 'coop-statement' });
  const form = h('form', { class: 'actions' }, from.el, to.el, h('button', { type: 'submit' }, app.t('coop.statement.show')));
  const load = () => {
    app.api
      .get<{ opening: number; closing: number; entries: EntryJson[] }>(withQuery(`/api/v1/coop/cooperatives/${encodeURIComponent(code)}/fund`, { from: from.control.value, to: to.control.value }), signal)
      .then((s) => {
        out.replaceChildren(
          h('p', null, `${app.t('coop.opening')}: ${app.money(s.opening)} · ${app.t('coop.closing')}: `, h('strong', { 'data-testid': 'coop-closing' }, app.money(s.closing))),
          table(
            app.t('coop.statement.title'),
            [app.t('coop.date'), app.t('coop.kind'), app.t('coop.member'), app.t('coop.amount'), app.t('coop.after')],
            s.entries.map((e) => [app.date(e.on), app.t(`coop.kind.${e.kind}` as MessageKey), e.register_no || '—', app.money(e.amount), app.money(e.balance ?? 0)]),
          ),
        );
      })
      .catch((e) => out.replaceChildren(app.errorBox(e)));
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    load();
  });
  section.replaceChildren(h('h2', { id: 'coop-st-h' }, app.t('coop.statement.title')), form, out);
  load();
}

function payoutsSection(app: App, code: string, reload: () => void, signal: AbortSignal): HTMLElement {
  const list = h('div', { 'data-testid': 'coop-payouts' }, loading(app));
  const section = h('section', null, h('h2', null, app.t('coop.payouts.title')), list);
  app.api
    .get<{ items: DistributionJson[] }>(withQuery('/api/v1/distributions', { kind: 'payout' }), signal)
    .then((r) => {
      const mine = r.items.filter((d) => d.coop === code);
      list.replaceChildren(...(mine.length ? mine.map((d) => distributionCard(app, d, reload)) : [h('p', null, app.t('coop.payouts.none'))]));
    })
    .catch((e) => list.replaceChildren(app.errorBox(e)));
  if (app.can('manage_coop')) section.append(payoutForm(app, code, reload));
  return section;
}

function payoutForm(app: App, coop: string, after: () => void): HTMLElement {
  const code = field(app.t('dist.code'), h('input', { name: 'code', required: true, 'data-testid': 'payout-code' }));
  const name = field(app.t('dist.name'), h('input', { name: 'name' }));
  const rule = field(app.t('dist.rule'), h('input', { name: 'eligibility', value: 'household.herder', 'data-testid': 'payout-rule' }));
  const amount = field(app.t('coop.payout.amount'), h('input', { name: 'quantity', value: '50000', 'data-testid': 'payout-amount' }));
  const cutoff = field(app.t('dist.cutoff'), h('input', { name: 'cutoff_on', type: 'date', value: dateToday() }));
  const decision = field(app.t('dist.decision'), h('input', { name: 'decision' }));
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'card', 'data-testid': 'payout-form' }, h('h3', null, app.t('coop.payout.prepare')), code.el, name.el, rule.el, amount.el, cutoff.el, decision.el, h('button', { type: 'submit' }, app.t('dist.prepare.submit')), out);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    markField(form, null, '');
    const body = { code: code.control.value.trim(), kind: 'payout', coop, name: name.control.value.trim() || code.control.value.trim(), eligibility: rule.control.value.trim(), quantity: amount.control.value.trim(), cutoff_on: cutoff.control.value, decision: decision.control.value.trim() };
    app.api
      .request('/api/v1/distributions', { method: 'POST', body })
      .then(after)
      .catch((e) => showFormError(app, form, out, e));
  });
  return form;
}

