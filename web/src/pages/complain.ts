// The herders' complaint form (#/complain), without logging in: what it is
// about, the soum, the complaint, anonymous unless they give a name and a
// way to answer them. The answer is a number and a tracking code shown once;
// the same page follows a complaint with both. A repeat of the same sending
// (a double click, a retry) is recorded once (Idempotency-Key).
import { ApiError, errorFromResponse } from '../api';
import { type App, type PageFn } from '../app';
import { append, h, uid } from '../dom';
import type { MessageKey } from '../i18n';
import { intakeBody, trackUrl } from '../grievance_logic';
import { newIdempotencyKey } from '../insurance_logic';
import { Units } from '../units';
import { check, fill } from './grievance_common';

interface PublicCategory {
  code: string;
  name_mn: string;
  name_en: string;
  description_mn: string;
  description_en: string;
}

export const complainPage: PageFn = (app: App, main: HTMLElement) => {
  append(main, [
    h('h1', null, app.t('cmp.title')),
    h('p', null, app.t('cmp.intro')),
    sendForm(app),
    trackForm(app),
    app.session ? null : h('p', null, h('a', { href: '#/login' }, app.t('cmp.login'))),
  ]);
};

function sendForm(app: App): HTMLElement {
  const ids = { category: uid('cmp-cat'), soum: uid('cmp-soum'), summary: uid('cmp-sum'), name: uid('cmp-name'), phone: uid('cmp-phone') };
  const category = h('select', { id: ids.category, 'data-testid': 'cmp-category', required: true });
  const soums = Units.sortByName(app.lang, app.units.soumsIn(0));
  const soum = h('select', { id: ids.soum, 'data-testid': 'cmp-soum', required: true }, h('option', { value: '' }, app.t('cmp.pickSoum')), soums.map((u) => h('option', { value: String(u.code) }, app.unitFull(u.code))));
  const summary = h('textarea', { id: ids.summary, rows: '4', 'data-testid': 'cmp-summary', required: true });
  const anonymous = h('input', { type: 'checkbox', checked: true, 'data-testid': 'cmp-anonymous' });
  const name = h('input', { id: ids.name, 'data-testid': 'cmp-name', autocomplete: 'name' });
  const phone = h('input', { id: ids.phone, inputmode: 'tel', 'data-testid': 'cmp-phone', autocomplete: 'tel' });
  const identity = h('fieldset', { hidden: true }, h('div', { class: 'field' }, h('label', { for: ids.name }, app.t('grv.intake.name')), name), h('div', { class: 'field' }, h('label', { for: ids.phone }, app.t('grv.intake.phone')), phone));
  anonymous.addEventListener('change', () => {
    identity.hidden = anonymous.checked;
  });
  const status = h('div', { 'aria-live': 'polite', 'data-testid': 'cmp-status' });
  const submit = h('button', { type: 'submit', 'data-testid': 'cmp-submit' }, app.t('cmp.submit'));
  const form = h(
    'form',
    { class: 'card', novalidate: true, 'data-testid': 'cmp-form' },
    h('div', { class: 'field' }, h('label', { for: ids.category }, app.t('grv.intake.category')), category),
    h('div', { class: 'field' }, h('label', { for: ids.soum }, app.t('cmp.soum')), soum),
    h('div', { class: 'field' }, h('label', { for: ids.summary }, app.t('grv.intake.summary')), summary),
    check(app.t('grv.intake.anonymous'), anonymous),
    identity,
    status,
    submit,
  );
  void app.api
    .get<{ items: PublicCategory[] }>('/api/v1/public/grievance-categories')
    .then((d) => fill(category, h('option', { value: '' }, app.t('common.none')), d.items.map((c) => h('option', { value: c.code }, app.lang === 'mn' ? c.name_mn : c.name_en))))
    .catch((e) => fill(status, app.errorBox(e)));
  // One key per complaint typed: a retry of the same sending is recorded once.
  let key = newIdempotencyKey();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const { body, problems } = intakeBody({
      channel: '',
      category: category.value,
      soum: soum.value,
      summary: summary.value,
      anonymous: anonymous.checked,
      name: name.value,
      registerNo: '',
      phone: phone.value,
      contact: '',
      confidential: false,
      aboutOfficer: '',
    });
    if (!body) {
      fill(status, h('p', { class: 'alert error', role: 'alert' }, problems.map((p) => app.t(p.key)).join(', ')));
      return;
    }
    submit.disabled = true;
    try {
      const res = await fetch('/api/v1/public/grievances', {
        method: 'POST',
        headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'Idempotency-Key': key },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw errorFromResponse(res.status, res.headers, text);
      const got = JSON.parse(text) as { reference: string; tracking_code: string; resolve_by: string };
      fill(status, h('p', { class: 'alert info', role: 'status', 'data-testid': 'cmp-done' }, app.t('cmp.done', { reference: got.reference, code: got.tracking_code, date: app.date(got.resolve_by) })));
      summary.value = name.value = phone.value = '';
      key = newIdempotencyKey();
    } catch (err) {
      fill(status, app.errorBox(err));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function trackForm(app: App): HTMLElement {
  const refId = uid('cmp-ref');
  const codeId = uid('cmp-code');
  const reference = h('input', { id: refId, 'data-testid': 'cmp-track-reference', autocomplete: 'off' });
  const code = h('input', { id: codeId, 'data-testid': 'cmp-track-code', autocomplete: 'off' });
  const out = h('div', { 'aria-live': 'polite', 'data-testid': 'cmp-track-result' });
  const form = h(
    'form',
    { class: 'card', novalidate: true, 'data-testid': 'cmp-track' },
    h('h2', null, app.t('cmp.track.title')),
    h('div', { class: 'actions' }, h('div', { class: 'field' }, h('label', { for: refId }, app.t('cmp.track.reference')), reference), h('div', { class: 'field' }, h('label', { for: codeId }, app.t('cmp.track.code')), code)),
    out,
    h('button', { type: 'submit', class: 'secondary' }, app.t('cmp.track.submit')),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const t = await app.api.get<{ state: string; resolve_by: string; answer: string }>(trackUrl(reference.value, code.value));
      fill(out, 
        h('p', { class: 'alert info', role: 'status' }, app.t('cmp.track.state', { state: app.t(`grv.state.${t.state}` as MessageKey), date: app.date(t.resolve_by) })),
        t.answer ? h('pre', { class: 'letter', 'data-testid': 'cmp-answer' }, t.answer) : null,
      );
    } catch (err) {
      fill(out, err instanceof ApiError && err.status === 404 ? h('p', { class: 'alert error', role: 'alert' }, app.t('cmp.track.notFound')) : app.errorBox(err));
    }
  });
  return form;
}
