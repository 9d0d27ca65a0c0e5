// The payroll's case panel on the response page of a plan (docs/response.md
// "Payments as cases"), over /api/v1/plans/<code>/...:
// - one payment by the beneficiary's register number: its state, who is
//   paid, the history of its attempts (reference, file, account, the
//   bank's answer) and of the actions on it; buttons to ask for a hold,
//   cancellation, release or re-issue with a reason, and a form to pay
//   another person or account;
// - the requests awaiting a second officer, with confirm and reject
//   (refused, and said so, to whoever asked: maker-checker);
// - the soum officer's follow-up list by soum, with a CSV download and a
//   printable page.
// The logic is in ../payment_cases_logic.ts (unit-tested).
import type { App } from '../app';
import { table as grid } from '../coop_ui';
import { append, h, uid } from '../dom';
import type { MessageKey } from '../i18n';
import {
  actionBody,
  approveBody,
  allowedActions,
  bySoum,
  decideBlock,
  followUpUrl,
  payeeBody,
  type ActionJson,
  type CaseJson,
  type CaseKind,
  type FollowUpJson,
} from '../payment_cases_logic';

function kindText(app: App, kind: string): string {
  return app.t(`pc.kind.${kind}` as MessageKey);
}

function actionRows(app: App, actions: ActionJson[]): string[][] {
  return actions.map((a) => [
    kindText(app, a.kind),
    app.t(`pc.actionStatus.${a.status}` as MessageKey),
    a.reason + (a.account ? ` (${a.payee_name ?? ''} ${a.payee_register_no ?? ''}, ${a.account})` : ''),
    `${a.requested_by}, ${a.requested_at.slice(0, 10)}`,
    a.decided_by ? `${a.decided_by}, ${(a.decided_at ?? '').slice(0, 10)}${a.decision_note ? `: ${a.decision_note}` : ''}` : '',
  ]);
}

// A labelled text input.
function input(label: string, testid: string, type = 'text'): { wrap: HTMLElement; el: HTMLInputElement } {
  const id = uid('pc');
  const el = h('input', { id, type, 'data-testid': testid }) as HTMLInputElement;
  return { wrap: h('div', { class: 'field' }, h('label', { for: id }, label), el), el };
}

export function paymentCasesView(app: App, base: string, n: number, manage: boolean): HTMLElement {
  const payrollBase = `${base}/payrolls/${n}`;
  const me = app.session?.username ?? '';
  const out = h('div', { 'aria-live': 'polite', 'data-testid': `pc-status-${n}` });
  const caseBox = h('div', { 'data-testid': `pc-case-${n}` });
  const pendingBox = h('div', { 'data-testid': `pc-pending-${n}` });
  const followBox = h('div', { 'data-testid': `pc-follow-up-${n}` });
  const find = input(app.t('pc.find'), `pc-find-${n}`);
  const show = h('button', { type: 'button', 'data-testid': `pc-show-${n}` }, app.t('pc.show'));

  const post = async (path: string, body: unknown, done: MessageKey) => {
    try {
      await app.api.request(path, { method: 'POST', body });
      out.replaceChildren(h('p', { class: 'alert info', role: 'status' }, app.t(done)));
      await Promise.all([showCase(), showPending(), showFollowUp()]);
    } catch (err) {
      out.replaceChildren(app.errorBox(err));
    }
  };

  const askForm = (c: CaseJson): HTMLElement | null => {
    const kinds = allowedActions(c);
    if (!manage || !kinds.length) return null;
    const reason = input(app.t('pc.reasonLabel'), `pc-reason-${n}`);
    const from = input(app.t('pc.effectiveOn'), `pc-from-${n}`);
    const buttons = kinds.map((k: CaseKind) => {
      const b = h('button', { type: 'button', 'data-testid': `pc-ask-${k}-${n}` }, app.t('pc.ask', { kind: kindText(app, k) }));
      b.addEventListener('click', () => {
        const r = actionBody(k, reason.el.value, from.el.value);
        if (r.field) {
          out.replaceChildren(h('p', { class: 'alert error', role: 'alert' }, app.t(r.field === 'reason' ? 'pc.needReason' : 'pc.badDate')));
          return;
        }
        void post(`${payrollBase}/payments/${encodeURIComponent(c.register_no)}/actions`, r.body, k === 'reissue' ? 'pc.recorded' : 'pc.asked');
      });
      return b;
    });
    return h('div', { class: 'card' }, reason.wrap, from.wrap, h('div', { class: 'actions' }, buttons));
  };

  const payeeForm = (c: CaseJson): HTMLElement | null => {
    if (!manage || c.state === 'cancelled' || c.awaiting_decision) return null;
    const payee = input(app.t('pc.payee'), `pc-payee-${n}`);
    const account = input(app.t('pc.payeeAccount'), `pc-payee-account-${n}`);
    const reason = input(app.t('pc.reasonLabel'), `pc-payee-reason-${n}`);
    const ask = h('button', { type: 'button', 'data-testid': `pc-ask-payee-${n}` }, app.t('pc.askPayee'));
    ask.addEventListener('click', () => {
      const r = payeeBody(payee.el.value, account.el.value, reason.el.value);
      if (r.field) {
        const key: MessageKey = r.field === 'payee' ? 'pc.needPayee' : r.field === 'account' ? 'pc.badAccount' : 'pc.needReason';
        out.replaceChildren(h('p', { class: 'alert error', role: 'alert' }, app.t(key)));
        return;
      }
      void post(`${base}/payees/${encodeURIComponent(c.register_no)}`, r.body, 'pc.asked');
    });
    return h('details', null, h('summary', null, app.t('pc.payeeTitle')), payee.wrap, account.wrap, reason.wrap, ask);
  };

  const showCase = async () => {
    const rn = find.el.value.trim();
    if (!rn) return;
    try {
      const c = await app.api.get<CaseJson>(`${payrollBase}/payments/${encodeURIComponent(rn)}`);
      const attempts = c.attempts.map((a) => [String(a.attempt), a.reference, `b${a.batch}`, a.account, app.t(`resp.${a.status}` as MessageKey), a.reason]);
      caseBox.replaceChildren();
      append(caseBox, [
        h('p', { 'data-testid': `pc-state-${n}` }, `${app.t('pc.state')}: ${app.t(`pc.state.${c.state}` as MessageKey)}`),
        c.awaiting_decision ? h('p', { class: 'hint' }, app.t('pc.awaiting')) : null,
        c.to_reissue ? h('p', { class: 'hint' }, app.t('pc.toReissue')) : null,
        h('p', null, app.t('pc.paidTo', { name: c.payee_name, register_no: c.payee_register_no, account: c.account })),
        c.attempts.length
          ? grid(app.t('pc.attempts'), [app.t('pc.attempt'), app.t('pc.reference'), app.t('pc.batch'), app.t('pc.account'), app.t('pc.status'), app.t('pc.reason')], attempts, `pc-attempts-${n}`)
          : h('p', null, app.t('pc.noAttempts')),
        c.actions.length
          ? grid(app.t('pc.actions'), [app.t('pc.kind'), app.t('pc.state'), app.t('pc.reason'), app.t('pc.requestedBy'), app.t('pc.decidedBy')], actionRows(app, c.actions), `pc-actions-${n}`)
          : h('p', null, app.t('pc.noActions')),
        askForm(c),
        payeeForm(c),
      ]);
    } catch (err) {
      caseBox.replaceChildren(app.errorBox(err));
    }
  };
  show.addEventListener('click', () => void showCase());

  const showPending = async () => {
    if (!manage) return;
    try {
      const r = await app.api.get<{ items: ActionJson[] }>(`${base}/actions`);
      const mine = r.items.filter((a) => a.installment === n || a.installment === null);
      if (!mine.length) {
        pendingBox.replaceChildren(h('h4', null, app.t('pc.pending')), h('p', null, app.t('pc.noPending')));
        return;
      }
      const rows = mine.map((a) => {
        const block = decideBlock(a, me);
        const note = h('input', { type: 'text', 'aria-label': app.t('pc.note'), 'data-testid': `pc-note-${a.id}` }) as HTMLInputElement;
        const cell = h('div', { class: 'actions' }, note);
        for (const verb of ['confirm', 'reject'] as const) {
          const b = h('button', { type: 'button', disabled: block !== null, 'data-testid': `pc-${verb}-${a.id}` }, app.t(verb === 'confirm' ? 'pc.confirm' : 'pc.reject'));
          b.addEventListener('click', () => void post(`${base}/actions/${a.id}/${verb}`, note.value.trim() ? { note: note.value.trim() } : {}, verb === 'confirm' ? 'pc.actionStatus.confirmed' : 'pc.actionStatus.rejected'));
          cell.append(b);
        }
        if (block === 'own') cell.append(h('p', { class: 'hint' }, app.t('pc.own')));
        return [a.register_no, kindText(app, a.kind), a.reason, a.requested_by, cell];
      });
      pendingBox.replaceChildren(grid(app.t('pc.pending'), [app.t('pc.name'), app.t('pc.kind'), app.t('pc.reason'), app.t('pc.requestedBy'), ''], rows, `pc-pending-table-${n}`));
    } catch (err) {
      pendingBox.replaceChildren(app.errorBox(err));
    }
  };

  const showFollowUp = async () => {
    try {
      const r = await app.api.get<{ items: FollowUpJson[] }>(followUpUrl(payrollBase, 'json'));
      const links = h(
        'p',
        { class: 'actions' },
        h('a', { href: followUpUrl(payrollBase, 'csv'), download: '', 'data-testid': `pc-csv-${n}` }, app.t('pc.csv')),
        ' ',
        h('a', { href: followUpUrl(payrollBase, 'html'), target: '_blank', rel: 'noopener', 'data-testid': `pc-print-${n}` }, app.t('pc.print')),
      );
      if (!r.items.length) {
        followBox.replaceChildren(h('h4', null, app.t('pc.followUp')), h('p', null, app.t('pc.noFollowUp')));
        return;
      }
      const head = [app.t('pc.name'), app.t('pc.caregiver'), app.t('pc.phone'), app.t('pc.amount'), app.t('pc.situation'), app.t('pc.lastAction')];
      followBox.replaceChildren(h('h4', null, app.t('pc.followUp')), h('p', { class: 'hint' }, app.t('pc.followUpHint')), links);
      for (const g of bySoum(r.items)) {
        const rows = g.items.map((i) => [
          `${i.name} (${i.register_no})`,
          i.payee_name ? `${i.payee_name} (${i.payee_register_no})` : '',
          i.phone,
          app.money(i.amount),
          (app.lang === 'mn' ? i.situation_text.mn : i.situation_text.en) + (i.detail ? `: ${i.detail}` : ''),
          i.last_action ? `${kindText(app, i.last_action.kind)}, ${i.last_action.requested_by}` : '',
        ]);
        followBox.append(grid(app.t('pc.soumLine', { soum: app.unitFull(g.soum_code), n: app.num(g.items.length), amount: app.money(g.amount) }), head, rows, `pc-follow-up-${g.soum_code}-${n}`));
      }
    } catch (err) {
      followBox.replaceChildren(app.errorBox(err));
    }
  };

  const card = h('section', { class: 'card', 'data-testid': `pc-panel-${n}` }, h('h4', null, app.t('pc.title')), h('p', { class: 'hint' }, app.t('pc.hint')));
  append(card, [find.wrap, show, out, caseBox, manage ? pendingBox : null, followBox]);
  void showPending();
  void showFollowUp();
  return card;
}

// Before approving a plan: who it would pay that an approved plan of the
// same event and programme already covers (GET .../covered), with the
// choice to pay them again and its reason. body() is the approval's body
// (undefined: the default, leave them out), or null when the acceptance
// has no reason (said so in the view). An approved plan shows what was
// decided.
export function overlapView(
  app: App,
  base: string,
  plan: { status: string; overlap_choice?: string | null; overlap_count?: number; overlap_reason?: string },
): { el: HTMLElement; body: () => Record<string, string> | undefined | null } {
  const el = h('div', { 'data-testid': 'pc-overlap' });
  if (plan.status === 'approved') {
    if (plan.overlap_choice && plan.overlap_count) {
      el.append(h('p', { class: 'hint' }, app.t('pc.overlapDone', { n: app.num(plan.overlap_count), choice: app.t(`pc.choice.${plan.overlap_choice}` as MessageKey), reason: plan.overlap_reason ?? '' })));
    }
    return { el, body: () => undefined };
  }
  const accept = h('input', { type: 'checkbox', 'data-testid': 'pc-accept-overlap' }) as HTMLInputElement;
  const reason = input(app.t('pc.overlapReason'), 'pc-overlap-reason');
  const error = h('p', { role: 'alert' });
  void (async () => {
    try {
      const r = await app.api.get<{ items: { plan: string; persons: number }[]; total: number }>(`${base}/covered`);
      if (!r.total) return;
      const plans = r.items.map((i) => i.plan).join(', ');
      append(el, [h('p', { class: 'alert info', 'data-testid': 'pc-covered' }, app.t('pc.covered', { n: app.num(r.total), plans })), h('label', null, accept, ' ', app.t('pc.acceptOverlap')), reason.wrap, error]);
    } catch {
      // Reading the register may be refused (not a manager): nothing shown.
    }
  })();
  return {
    el,
    body: () => {
      const r = approveBody(accept.checked, reason.el.value);
      error.replaceChildren(r.field ? app.t('pc.needReason') : '');
      return r.field ? null : r.body;
    },
  };
}
