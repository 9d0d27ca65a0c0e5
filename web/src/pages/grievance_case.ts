// One complaint (#/grievance/<id>): what it is, its next steps (the moves
// the server allows from its state, with the text a resolution or reason
// needs and the version read, so a concurrent change is refused plainly),
// the letters to print, notes, the complainant's consent and referral to a
// service of the directory, the fixes asked of other parts of the system,
// and its timeline. A complaint the caller may not see is "not found".
import { ApiError } from '../api';
import { loading, type App } from '../app';
import { h, uid } from '../dom';
import type { MessageKey } from '../i18n';
import { letterUrl, mayNameAccused, needsText, type Action, type CaseSummaryJson } from '../grievance_logic';
import { categoryLabel, check, fill, type CategoryJson } from './grievance_common';

interface CaseView extends CaseSummaryJson {
  complainant: { anonymous: boolean; name: string; register_no: string; phone: string; contact: string };
  summary: string;
  outcome: string;
  actions: Action[];
  events: { id: number; at: string; actor: string; kind: string; to: string | null; text: string }[];
  notices: { id: number; kind: string; channel: string; status: string; created_at: string }[];
  attachments: { id: number; file_name: string; size: number; added_by: string; added_at: string }[];
  consents: { id: number; given: boolean; share_contact: boolean; share_details: boolean; how: string }[];
  referrals: { id: number; service: string; referred_at: string }[];
  fixes: { id: number; kind: string; capability: string; target: string; state: string }[];
  services: { code: string; kind: string; name_mn: string; name_en: string; phone: string; verified: boolean }[];
}

export function caseSection(app: App, section: HTMLElement, id: number, names: Promise<Map<string, CategoryJson>>, signal: AbortSignal): void {
  const status = h('div', { 'aria-live': 'polite', 'data-testid': 'grv-case-status' });
  const render = async () => {
    fill(section, loading(app));
    try {
      const [v, cats] = await Promise.all([app.api.get<CaseView>(`/api/v1/grievances/${id}`, signal), names]);
      fill(section, 
        h('p', null, h('a', { href: '#/grievance' }, app.t('grv.case.back'))),
        facts(app, v, cats),
        status,
        actionsForm(app, v, status, render),
        letters(app, v, status, render),
        v.services.length ? referral(app, v, status, render) : null,
        fixes(app, v),
        accusedForm(app, v, status, render),
        noteForm(app, v, status, render),
        attachments(app, v, status, render),
        timeline(app, v),
      );
    } catch (e) {
      if (signal.aborted) return;
      if (e instanceof ApiError && (e.status === 404 || e.status === 403)) {
        fill(section, h('p', { class: 'alert error', role: 'alert', 'data-testid': 'grv-not-found' }, app.t('grv.notFound')), h('p', null, h('a', { href: '#/grievance' }, app.t('grv.case.back'))));
      } else {
        fill(section, app.errorBox(e));
      }
    }
  };
  void render();
}

// Runs a change; on success shows `done` and renders again.
async function change(app: App, status: HTMLElement, run: () => Promise<unknown>, rerender: () => Promise<void>, done?: string): Promise<void> {
  try {
    await run();
    await rerender();
    fill(status, done ? h('p', { class: 'alert info', role: 'status' }, done) : null);
  } catch (e) {
    fill(status, app.errorBox(e));
  }
}

function facts(app: App, v: CaseView, cats: Map<string, CategoryJson>): HTMLElement {
  const who = v.complainant.anonymous ? app.t('grv.case.anonymous') : [v.complainant.name, v.complainant.register_no, v.complainant.phone].filter(Boolean).join(', ') || app.t('common.none');
  const row = (k: MessageKey, value: string | HTMLElement) => [h('dt', null, app.t(k)), h('dd', null, value)];
  return h(
    'div',
    { class: 'card' },
    h(
      'h2',
      { 'data-testid': 'grv-reference' },
      v.reference,
      ' ',
      h('span', { class: 'badge', 'data-testid': 'grv-state' }, app.t(`grv.state.${v.state}` as MessageKey)),
      v.confidential ? [' ', h('span', { class: 'badge confidential', 'data-testid': 'grv-confidential' }, app.t('grv.confidential'))] : null,
    ),
    h(
      'div',
      { class: 'facts' },
      h(
        'dl',
        null,
        row('grv.col.category', categoryLabel(app, cats, v.category)),
        row('grv.col.received', `${app.date(v.received_on)} (${app.t(`grv.channel.${v.channel}` as MessageKey)}), ${app.unitFull(v.soum_code)}`),
        row('grv.col.level', app.t(`grv.level.${v.level}` as MessageKey)),
        row('grv.col.answerBy', app.t('grv.case.deadlines', { ack: app.date(v.acknowledge_by), answer: app.date(v.resolve_by) })),
        row('grv.case.complainant', who),
        row('grv.col.assigned', v.assigned_to || app.t('common.none')),
        v.accused_officer ? row('grv.case.accused', h('span', { 'data-testid': 'grv-accused-name' }, v.accused_officer)) : null,
        row('grv.case.summary', h('span', { 'data-testid': 'grv-summary-text', class: 'prewrap' }, v.summary)),
        v.outcome ? row('grv.case.outcome', h('span', { class: 'prewrap' }, v.outcome)) : null,
      ),
    ),
  );
}

function actionsForm(app: App, v: CaseView, status: HTMLElement, rerender: () => Promise<void>): HTMLElement | null {
  if (!v.actions.length) return null;
  const textId = uid('grv-text');
  const text = h('textarea', { id: textId, rows: '2', 'data-testid': 'grv-action-text' });
  const buttons = v.actions.map((a) =>
    h(
      'button',
      {
        type: 'button',
        class: a === 'reject' || a === 'reopen' ? 'secondary' : null,
        'data-testid': `grv-do-${a}`,
        onclick: () => {
          if (needsText(a) && !text.value.trim()) {
            text.setAttribute('aria-invalid', 'true');
            text.focus();
            return;
          }
          void change(app, status, () => app.api.request(`/api/v1/grievances/${v.id}/actions`, { method: 'POST', body: { action: a, text: text.value.trim() || undefined, version: v.version } }), rerender);
        },
      },
      app.t(`grv.action.${a}` as MessageKey),
    ),
  );
  return h('section', { class: 'card', 'data-testid': 'grv-actions' }, h('h3', null, app.t('grv.case.actions')), h('div', { class: 'field' }, h('label', { for: textId }, app.t('grv.case.text')), text), h('div', { class: 'actions' }, buttons));
}

function letters(app: App, v: CaseView, status: HTMLElement, rerender: () => Promise<void>): HTMLElement {
  const items = v.notices.map((n) =>
    h(
      'li',
      { 'data-testid': 'grv-notice', 'data-status': n.status },
      `${app.t(`grv.notice.${n.kind}` as MessageKey)} (${n.channel === 'sms' ? app.t('grv.channel.sms') : app.t('grv.contact.letter')}, ${app.date(n.created_at)}): ${app.t(`grv.notice.${n.status}` as MessageKey)} `,
      n.channel === 'letter' ? h('a', { href: letterUrl(v.id, n.id), target: '_blank', rel: 'noopener', 'data-testid': 'grv-letter-link' }, app.t('grv.notice.open')) : null,
      n.channel === 'letter' && n.status === 'to_print'
        ? [' ', h('button', { type: 'button', class: 'secondary', 'data-testid': 'grv-mark-printed', onclick: () => void change(app, status, () => app.api.request(`/api/v1/grievances/${v.id}/notices/${n.id}/printed`, { method: 'POST' }), rerender) }, app.t('grv.notice.markPrinted'))]
        : null,
    ),
  );
  return h('section', { class: 'card' }, h('h3', null, app.t('grv.case.letters')), items.length ? h('ul', null, items) : h('p', null, app.t('grv.case.noLetters')));
}

function referral(app: App, v: CaseView, status: HTMLElement, rerender: () => Promise<void>): HTMLElement {
  const last = v.consents[v.consents.length - 1];
  const consentNow = last
    ? `${app.t(last.given ? 'grv.consent.given' : 'grv.consent.refused')}${last.share_contact ? `; ${app.t('grv.consent.contact')}` : ''}${last.share_details ? `; ${app.t('grv.consent.details')}` : ''}`
    : app.t('grv.consent.none');
  const given = h('input', { type: 'checkbox', 'data-testid': 'grv-consent-given' });
  const contact = h('input', { type: 'checkbox', 'data-testid': 'grv-consent-contact' });
  const details = h('input', { type: 'checkbox', 'data-testid': 'grv-consent-details' });
  const howId = uid('grv-how');
  const how = h('select', { id: howId }, ['verbal', 'written'].map((x) => h('option', { value: x }, app.t(`grv.consent.${x}` as MessageKey))));
  const consentForm = h(
    'form',
    { 'data-testid': 'grv-consent-form', novalidate: true },
    check(app.t('grv.consent.given'), given),
    check(app.t('grv.consent.contact'), contact),
    check(app.t('grv.consent.details'), details),
    h('div', { class: 'field' }, h('label', { for: howId }, app.t('grv.consent.how')), how),
    h('button', { type: 'submit', class: 'secondary' }, app.t('grv.consent.record')),
  );
  consentForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = { given: given.checked, share_contact: given.checked && contact.checked, share_details: given.checked && details.checked, how: how.value };
    void change(app, status, () => app.api.request(`/api/v1/grievances/${v.id}/consents`, { method: 'POST', body }), rerender);
  });
  const serviceId = uid('grv-service');
  const service = h(
    'select',
    { id: serviceId, 'data-testid': 'grv-service' },
    v.services.map((s) => h('option', { value: s.code }, `${app.lang === 'mn' ? s.name_mn : s.name_en}${s.phone ? ` (${s.phone})` : ''}${s.verified ? '' : ` — ${app.t('grv.referral.unverified')}`}`)),
  );
  const shareContact = h('input', { type: 'checkbox', 'data-testid': 'grv-share-contact' });
  const shareDetails = h('input', { type: 'checkbox', 'data-testid': 'grv-share-details' });
  const decide = h('input', { type: 'checkbox', 'data-testid': 'grv-refer-decide' });
  const referForm = h(
    'form',
    { 'data-testid': 'grv-refer-form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: serviceId }, app.t('grv.referral.service')), service),
    check(app.t('grv.referral.shareContact'), shareContact),
    check(app.t('grv.referral.shareDetails'), shareDetails),
    v.state === 'under_review' ? check(app.t('grv.referral.decide'), decide) : null,
    h('button', { type: 'submit', 'data-testid': 'grv-refer-submit' }, app.t('grv.referral.submit')),
  );
  referForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const chosen = v.services.find((s) => s.code === service.value);
    const body = { service: service.value, share_contact: shareContact.checked, share_details: shareDetails.checked, decide: decide.checked };
    void change(app, status, () => app.api.request(`/api/v1/grievances/${v.id}/referrals`, { method: 'POST', body }), rerender, app.t('grv.referral.done', { service: chosen ? (app.lang === 'mn' ? chosen.name_mn : chosen.name_en) : service.value }));
  });
  // Open at once for a confidential complaint (a survivor), folded away
  // otherwise.
  return h(
    'details',
    { class: 'card', 'data-testid': 'grv-referral', open: v.confidential },
    h('summary', null, app.t('grv.case.referral')),
    h('h3', null, app.t('grv.case.consent')),
    h('p', { 'data-testid': 'grv-consent-now' }, consentNow),
    consentForm,
    h('h3', null, app.t('grv.case.referral')),
    referForm,
    v.referrals.length ? h('ul', null, v.referrals.map((r) => h('li', { 'data-testid': 'grv-referral-item' }, `${r.service} — ${app.date(r.referred_at)}`))) : null,
  );
}

function fixes(app: App, v: CaseView): HTMLElement | null {
  if (!v.fixes.length) return null;
  return h(
    'section',
    { class: 'card' },
    h('h3', null, app.t('grv.case.fixes')),
    h('ul', null, v.fixes.map((f) => h('li', null, `${f.kind} ${f.target}: ${app.t(`grv.fix.${f.state}` as MessageKey)}`))),
  );
}

// Names the officer the complaint is about (once): from then on the server
// keeps the case from them and bars them from deciding its fixes.
function accusedForm(app: App, v: CaseView, status: HTMLElement, rerender: () => Promise<void>): HTMLElement | null {
  if (!mayNameAccused(app.session, v.accused_officer)) return null;
  const userId = uid('grv-accused');
  const hintId = uid('grv-accused-hint');
  const user = h('input', { id: userId, name: 'accused_officer', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': hintId, 'data-testid': 'grv-accused-user' });
  const form = h(
    'form',
    { novalidate: true, 'data-testid': 'grv-accused-form' },
    h('p', { id: hintId, class: 'hint' }, app.t('grv.accused.hint')),
    h('div', { class: 'field' }, h('label', { for: userId }, app.t('grv.accused.user')), user),
    h('button', { type: 'submit', class: 'secondary', 'data-testid': 'grv-accused-submit' }, app.t('grv.accused.submit')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const who = user.value.trim();
    if (!who) {
      user.setAttribute('aria-invalid', 'true');
      user.focus();
      return;
    }
    void change(app, status, () => app.api.request(`/api/v1/grievances/${v.id}/accused`, { method: 'POST', body: { accused_officer: who } }), rerender, app.t('grv.accused.done', { user: who }));
  });
  return h('details', { class: 'card', 'data-testid': 'grv-accused' }, h('summary', null, app.t('grv.accused.title')), form);
}

function noteForm(app: App, v: CaseView, status: HTMLElement, rerender: () => Promise<void>): HTMLElement {
  const noteId = uid('grv-note');
  const text = h('textarea', { id: noteId, rows: '2', 'data-testid': 'grv-note-text' });
  const form = h('form', { class: 'card', novalidate: true }, h('div', { class: 'field' }, h('label', { for: noteId }, app.t('grv.case.note')), text), h('button', { type: 'submit', class: 'secondary', 'data-testid': 'grv-note-add' }, app.t('grv.case.addNote')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!text.value.trim()) return;
    void change(app, status, () => app.api.request(`/api/v1/grievances/${v.id}/notes`, { method: 'POST', body: { text: text.value.trim() } }), rerender);
  });
  return form;
}

function attachments(app: App, v: CaseView, status: HTMLElement, rerender: () => Promise<void>): HTMLElement {
  const fileId = uid('grv-file');
  const file = h('input', { id: fileId, type: 'file', 'data-testid': 'grv-file' });
  const form = h(
    'form',
    { class: 'card', novalidate: true },
    h('h3', null, app.t('grv.case.attachments')),
    v.attachments.length
      ? h(
          'ul',
          null,
          v.attachments.map((a) => h('li', { 'data-testid': 'grv-attachment' }, h('a', { href: `/api/v1/grievances/${v.id}/attachments/${a.id}` }, a.file_name), ` (${app.t('grv.case.kb', { n: app.num(Math.ceil(a.size / 1024)) })}, ${a.added_by}, ${app.date(a.added_at)})`)),
        )
      : null,
    h('div', { class: 'field' }, h('label', { for: fileId }, app.t('grv.case.attach')), file),
    h('button', { type: 'submit', class: 'secondary', 'data-testid': 'grv-attach' }, app.t('grv.case.attachSubmit')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = file.files?.[0];
    if (!f) return;
    void change(
      app,
      status,
      () => app.api.request(`/api/v1/grievances/${v.id}/attachments?name=${encodeURIComponent(f.name)}`, { method: 'POST', rawBody: f, contentType: f.type || 'application/octet-stream' }),
      rerender,
    );
  });
  return form;
}

function timeline(app: App, v: CaseView): HTMLElement {
  return h(
    'section',
    null,
    h('h3', null, app.t('grv.case.timeline')),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { 'data-testid': 'grv-timeline' },
        h(
          'tbody',
          null,
          v.events.map((e) =>
            h(
              'tr',
              null,
              h('td', null, app.date(e.at)),
              h('td', null, e.actor),
              h('td', null, app.t(`grv.event.${e.kind}` as MessageKey), e.to && e.kind === 'transition' ? ` → ${app.t(`grv.state.${e.to}` as MessageKey)}` : ''),
              h('td', { class: 'prewrap' }, e.kind === 'transition' || e.kind === 'note' || e.kind === 'category' || e.kind === 'referral' ? e.text : ''),
            ),
          ),
        ),
      ),
    ),
  );
}
