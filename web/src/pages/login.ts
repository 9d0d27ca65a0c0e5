// Login: user name and password; the server sets an HttpOnly session cookie
// and tells who we are (role and area), from which the menu is derived.
import { ApiError } from '../api';
import { type App, type PageFn } from '../app';
import { h, uid } from '../dom';
import { sessionFromJson } from '../session';

export const loginPage: PageFn = (app: App, main: HTMLElement) => {
  const userId = uid('user');
  const passId = uid('pass');
  const user = h('input', { id: userId, name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const pass = h('input', { id: passId, name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const status = h('div', { 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit' }, app.t('login.submit'));
  const form = h(
    'form',
    { class: 'card narrow', 'data-testid': 'login-form', novalidate: true },
    h('h1', null, app.t('login.title')),
    h('div', { class: 'field' }, h('label', { for: userId }, app.t('login.username')), user),
    h('div', { class: 'field' }, h('label', { for: passId }, app.t('login.password')), pass),
    status,
    submit,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    status.textContent = '';
    submit.disabled = true;
    submit.textContent = app.t('login.busy');
    try {
      const r = await app.api.request<unknown>('/api/v1/session', {
        method: 'POST',
        body: { username: user.value.trim(), password: pass.value },
      });
      app.session = sessionFromJson(r.data);
      app.go(app.homePage());
    } catch (err) {
      submit.disabled = false;
      submit.textContent = app.t('login.submit');
      pass.value = '';
      if (err instanceof ApiError && err.status === 401) {
        status.replaceChildren(h('p', { class: 'alert error', role: 'alert' }, app.t('login.failed')));
      } else if (err instanceof ApiError && (err.status === 429 || err.status === 503) && err.retryAfterSeconds !== null && /failed login/i.test(err.detail)) {
        // The server slows repeated failures for an account or an address.
        status.replaceChildren(
          h('p', { class: 'alert error', role: 'alert' }, app.t('login.throttled', { seconds: err.retryAfterSeconds })),
        );
      } else {
        status.replaceChildren(app.errorBox(err));
      }
      pass.focus();
    }
  });
  main.append(form, h('p', { class: 'narrow' }, h('a', { href: '#/complain', 'data-testid': 'complain-link' }, app.t('cmp.link'))));
  user.focus();
};
