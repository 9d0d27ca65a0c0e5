// Trainings and businesses (#/training): the trainings of the officer's
// area with their attendees, the businesses started after them with their
// seed funds, recording a training and who attended it. The counts by sex
// and age are on the cooperatives page (pages/coop_reports.ts).
import { loading, type App, type PageFn } from '../app';
import { h } from '../dom';
import type { MessageKey } from '../i18n';
import { parseRegisterNos, TOPICS } from '../coop_logic';
import { dateToday, field, markField, select, showFormError, table } from '../coop_ui';

interface TrainingJson {
  code: string;
  topic: string;
  title: string;
  soum_code: number;
  place: string;
  starts_on: string;
  ends_on: string;
  attendees: number;
}

interface BusinessJson {
  code: string;
  name: string;
  sector: string;
  soum_code: number;
  started_on: string;
  owner_name: string;
  seed_balance: number;
}

export const trainingPage: PageFn = (app: App, main: HTMLElement) => {
  const ctrl = new AbortController();
  main.append(h('h1', null, app.t('tr.title')));
  const trainings = h('section', { 'data-testid': 'tr-list' }, loading(app));
  const businesses = h('section', { 'data-testid': 'tr-businesses' }, loading(app));
  main.append(trainings, businesses);
  const load = () => {
    app.api
      .get<{ items: TrainingJson[] }>('/api/v1/trainings', ctrl.signal)
      .then((r) =>
        trainings.replaceChildren(
          r.items.length
            ? table(
                app.t('tr.trainings'),
                [app.t('coop.code'), app.t('tr.topic'), app.t('tr.name'), app.t('coop.soum'), app.t('tr.dates'), app.t('tr.attendees')],
                r.items.map((t) => [t.code, app.t(`tr.topic.${t.topic}` as MessageKey), t.title, app.unit(t.soum_code), `${app.date(t.starts_on)} – ${app.date(t.ends_on)}`, app.num(t.attendees)]),
              )
            : h('p', null, app.t('tr.none')),
        ),
      )
      .catch((e) => trainings.replaceChildren(app.errorBox(e)));
    app.api
      .get<{ items: BusinessJson[] }>('/api/v1/businesses', ctrl.signal)
      .then((r) =>
        businesses.replaceChildren(
          r.items.length
            ? table(
                app.t('tr.businesses'),
                [app.t('coop.code'), app.t('coop.name'), app.t('tr.sector'), app.t('tr.started'), app.t('tr.owner'), app.t('tr.seed')],
                r.items.map((b) => [b.code, b.name, b.sector, app.date(b.started_on), b.owner_name, app.money(b.seed_balance)]),
              )
            : h('p', null, app.t('tr.none')),
        ),
      )
      .catch((e) => businesses.replaceChildren(app.errorBox(e)));
  };
  if (app.can('manage_coop')) main.append(createForm(app, load), attendForm(app, load));
  load();
  return () => ctrl.abort();
};

function createForm(app: App, after: () => void): HTMLElement {
  const code = field(app.t('coop.code'), h('input', { name: 'code', required: true }));
  const topic = field(app.t('tr.topic'), select('topic', TOPICS.map((t) => [t, app.t(`tr.topic.${t}` as MessageKey)])));
  const title = field(app.t('tr.name'), h('input', { name: 'title', required: true }));
  const soum = field(app.t('coop.soum'), h('input', { name: 'soum_code', inputmode: 'numeric', value: app.session && app.session.area_code >= 10000 ? String(app.session.area_code) : '' }));
  const place = field(app.t('tr.place'), h('input', { name: 'place' }));
  const from = field(app.t('tr.from'), h('input', { name: 'starts_on', type: 'date', value: dateToday() }));
  const to = field(app.t('tr.to'), h('input', { name: 'ends_on', type: 'date', value: dateToday() }));
  const trainer = field(app.t('tr.trainer'), h('input', { name: 'trainer' }));
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'card', 'data-testid': 'tr-create' }, h('h2', null, app.t('tr.create')), code.el, topic.el, title.el, soum.el, place.el, from.el, to.el, trainer.el, h('button', { type: 'submit' }, app.t('tr.submit')), out);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    markField(form, null, '');
    const body = { code: code.control.value.trim(), topic: topic.control.value, title: title.control.value.trim(), soum_code: Number(soum.control.value), place: place.control.value.trim(), starts_on: from.control.value, ends_on: to.control.value, trainer: trainer.control.value.trim() };
    app.api
      .request('/api/v1/trainings', { method: 'POST', body })
      .then(after)
      .catch((e) => showFormError(app, form, out, e));
  });
  return form;
}

function attendForm(app: App, after: () => void): HTMLElement {
  const code = field(app.t('coop.code'), h('input', { name: 'code', required: true }));
  const people = field(app.t('tr.attend'), h('textarea', { name: 'attendees', rows: 4 }));
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'card', 'data-testid': 'tr-attend' }, h('h2', null, app.t('tr.attend.submit')), code.el, people.el, h('button', { type: 'submit' }, app.t('tr.attend.submit')), out);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    markField(form, null, '');
    const attendees = parseRegisterNos(people.control.value).map((rn) => ({ register_no: rn }));
    if (!attendees.length) return markField(form, 'attendees', app.t('error.INVALID_ARGUMENT'));
    app.api
      .request<{ added: number; already: number }>(`/api/v1/trainings/${encodeURIComponent(code.control.value.trim())}/attendance`, { method: 'POST', body: { attendees } })
      .then((r) => {
        out.replaceChildren(h('p', { class: 'alert info', role: 'status' }, app.t('tr.attend.done', { added: app.num(r.data.added), already: app.num(r.data.already) })));
        after();
      })
      .catch((e) => showFormError(app, form, out, e));
  });
  return form;
}
