// What the cooperative pages (pages/coop.ts, pages/inkind.ts,
// pages/training.ts) share: JSON types of the API, tables, labelled fields,
// buttons that ask first, forms that keep their idempotency key until they
// succeed, and a distribution's card with its approve and pay buttons. The
// SMS pages use the tables, fields and buttons too.
import { ApiError } from './api';
import { type App } from './app';
import { h, uid, type Child } from './dom';
import type { MessageKey } from './i18n';
import { approveBlock } from './coop_logic';
import { inlineDialog } from './focus';
import { newIdempotencyKey } from './insurance_logic';

export interface DistributionJson {
  code: string;
  kind: 'payout' | 'feed' | 'in_kind';
  name: string;
  coop: string;
  item: string;
  area_code: number;
  eligibility: string;
  quantity: string;
  cutoff_on: string;
  decision: string;
  status: 'prepared' | 'approved';
  prepared_by: string;
  approved_by: string;
  households: number;
  total_quantity: number;
  total_value: number;
  delivered: number;
}

export interface EntryJson {
  entry_id: number;
  on: string;
  kind: string;
  amount: number;
  register_no: string;
  method: string;
  note: string;
  balance?: number;
  replayed?: boolean;
  in_kind?: { item: string; quantity: number; unit_price: number; price_source: string };
}

export interface PreviewJson {
  households: number;
  quantity: number;
  unit_value: number;
  total_value: number;
  available: number;
  by_soum: { code: number; households: number; quantity: number }[];
  cells: { aimag_code: number; sex: 'F' | 'M'; age_band: string; disability: boolean; households: number; quantity: number }[];
}

// A captioned table. `numFrom`: the columns from this index on are
// right-aligned numbers; `foot`: a totals row (its first cell a row header).
export function table(caption: string, head: string[], rows: Child[][], testid?: string, opts: { numFrom?: number; foot?: Child[] } = {}): HTMLElement {
  const num = (i: number) => (opts.numFrom !== undefined && i >= opts.numFrom ? 'num' : undefined);
  const foot = opts.foot;
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { 'data-testid': testid },
      h('caption', null, caption),
      h('thead', null, h('tr', null, head.map((c, i) => h('th', { scope: 'col', class: num(i) }, c)))),
      h('tbody', null, rows.map((r) => h('tr', null, r.map((c, i) => h('td', { class: num(i) }, c))))),
      foot ? h('tfoot', null, h('tr', null, foot.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c) : h('td', { class: num(i) }, c))))) : null,
    ),
  );
}

// A button that asks first (for what cannot be undone): `testid` names the
// button, `${testid}-yes` the confirmation. The question is an alert dialog
// shown in place: focus moves into it and back to the button (focus.ts).
export function confirmed(app: App, label: string, question: string, yesLabel: string, testid: string, act: () => Promise<void>): HTMLElement {
  const button = h('button', { type: 'button', 'data-testid': testid }, label);
  const yes = h('button', { type: 'button', 'data-testid': `${testid}-yes` }, yesLabel);
  const no = h('button', { type: 'button', class: 'secondary' }, app.t('common.no'));
  const q = h('p', null, question);
  const box = h('div', { class: 'alert conflict', hidden: true }, q, h('div', { class: 'actions' }, yes, no));
  const dialog = inlineDialog(box, q, button);
  button.addEventListener('click', dialog.open);
  no.addEventListener('click', dialog.close);
  yes.addEventListener('click', () => {
    yes.disabled = true;
    void act().finally(() => (yes.disabled = false));
  });
  return h('div', null, button, box);
}

// A labelled input (or select) with a place for its error beside it.
export function field(label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement): { el: HTMLElement; control: typeof control; error: HTMLElement } {
  const id = uid('f');
  control.id = id;
  const error = h('span', { class: 'field-error', id: `${id}-err`, 'aria-live': 'polite' });
  control.setAttribute('aria-describedby', `${id}-err`);
  return { el: h('div', { class: 'field' }, h('label', { for: id }, label), control, error), control, error };
}

export function select(name: string, options: [string, string][], testid?: string): HTMLSelectElement {
  return h('select', { name, 'data-testid': testid }, options.map(([v, label]) => h('option', { value: v }, label)));
}

// Shows `problem` beside the field named `name` (or clears every field).
export function markField(form: HTMLElement, name: string | null, problem: string): void {
  for (const c of form.querySelectorAll<HTMLElement>('[name]')) {
    const err = document.getElementById(`${c.id}-err`);
    const wrong = name !== null && c.getAttribute('name') === name;
    if (wrong) c.setAttribute('aria-invalid', 'true');
    else c.removeAttribute('aria-invalid');
    if (err) err.textContent = wrong ? problem : '';
  }
}

// A form whose submissions share one idempotency key until one succeeds: a
// retry after a lost answer records nothing twice; the next entry gets a
// new key.
export class KeyedForm {
  private key = newIdempotencyKey();
  constructor(private readonly app: App) {}
  async post<T>(path: string, body: unknown): Promise<T> {
    const r = await this.app.api.request<T>(path, { method: 'POST', body, idempotencyKey: this.key });
    this.key = newIdempotencyKey();
    return r.data;
  }
}

export function dateToday(): string {
  return new Date().toISOString().slice(0, 10);
}

// A distribution's summary with its approve button (disabled, with the
// reason, for its maker) and, for an approved payout or feed, "pay every
// household". `after` reloads the page's view.
export function distributionCard(app: App, d: DistributionJson, after: () => void, linesHref?: string): HTMLElement {
  const status = app.t(`dist.status.${d.status}` as MessageKey);
  const card = h(
    'article',
    { class: 'card', 'data-testid': `dist-${d.code}`, 'data-status': d.status },
    h('h3', null, `${d.name} (${d.code})`),
    h('p', null, h('strong', null, status), ' · ', app.t('dist.preparedBy', { user: d.prepared_by }), d.approved_by ? [', ', app.t('dist.approvedBy', { user: d.approved_by })] : null),
    h('p', null, h('code', null, d.eligibility), ' → ', d.quantity, ` · ${app.t('dist.cutoff')}: ${app.date(d.cutoff_on)}`),
  );
  if (d.status === 'approved') {
    card.append(
      h('p', null, app.t('dist.households', { n: app.num(d.households), value: app.money(d.total_value) }), ' · ', app.t('dist.delivered', { n: app.num(d.delivered), total: app.num(d.households) })),
    );
  }
  const out = h('div', { 'aria-live': 'polite' });
  const actions = h('div', { class: 'actions' });
  const block = app.session ? approveBlock(d, app.session.username) : 'maker';
  if (app.can('manage_coop') && d.status === 'prepared') {
    const button = h('button', { type: 'button', 'data-testid': 'dist-approve', disabled: block !== null }, app.t('dist.approve'));
    if (block === 'maker') actions.append(button, h('small', { 'data-testid': 'dist-maker' }, app.t('dist.approve.maker')));
    else actions.append(button);
    button.addEventListener('click', () => {
      button.disabled = true;
      app.api
        .request(`/api/v1/distributions/${encodeURIComponent(d.code)}/approve`, { method: 'POST', body: {} })
        .then(after)
        .catch((e) => {
          button.disabled = false;
          out.replaceChildren(app.errorBox(e));
        });
    });
  }
  if (app.can('manage_coop') && d.status === 'approved' && d.kind !== 'in_kind' && d.delivered < d.households) {
    const pay = h('button', { type: 'button', 'data-testid': 'dist-pay-all' }, app.t('dist.payAll'));
    pay.addEventListener('click', () => {
      pay.disabled = true;
      app.api
        .request<{ delivered: number }>(`/api/v1/distributions/${encodeURIComponent(d.code)}/deliveries/all`, { method: 'POST', body: { date: dateToday() } })
        .then((r) => {
          out.replaceChildren(h('p', { class: 'alert info', role: 'status' }, app.t('dist.paid', { n: app.num(r.data.delivered) })));
          setTimeout(after, 600);
        })
        .catch((e) => {
          pay.disabled = false;
          out.replaceChildren(app.errorBox(e));
        });
    });
    actions.append(pay);
  }
  if (linesHref && d.status === 'approved') actions.append(h('a', { href: linesHref }, app.t('dist.open')));
  card.append(actions, out);
  return card;
}

// The error text of a failed form submission, beside its field when the
// server named one.
export function showFormError(app: App, form: HTMLElement, out: HTMLElement, e: unknown): void {
  if (e instanceof ApiError && e.field) markField(form, e.field, app.errorText(e));
  out.replaceChildren(app.errorBox(e));
}
