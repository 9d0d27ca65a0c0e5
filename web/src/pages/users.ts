// Administration (admins): accounts, their roles and areas; create,
// disable / enable (GET/POST /api/v1/users, PATCH /api/v1/users/{username}).
import { loading, type App, type PageFn } from '../app';
import { h, uid } from '../dom';
import type { MessageKey } from '../i18n';
import { ROLES, areaKind, type Role } from '../roles';

interface UserJson {
  username: string;
  role: string;
  area_code: number;
  disabled: boolean;
  created_at: string;
}

export const usersPage: PageFn = (app: App, main: HTMLElement) => {
  const list = h('section', { 'aria-live': 'polite' });
  const status = h('div', { 'aria-live': 'polite' });
  main.append(h('h1', null, app.t('users.title')), list, h('h2', null, app.t('users.add')), status, createForm(app, status, () => void refresh()));
  const refresh = async () => {
    list.replaceChildren(loading(app));
    try {
      const data = await app.api.get<{ items: UserJson[] }>('/api/v1/users');
      list.replaceChildren(table(app, data.items, () => void refresh(), status));
    } catch (e) {
      list.replaceChildren(app.errorBox(e));
    }
  };
  void refresh();
};

function table(app: App, users: UserJson[], refresh: () => void, status: HTMLElement): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { 'data-testid': 'users' },
      h('thead', null, h('tr', null, ['users.username', 'users.role', 'users.area', 'users.created', 'users.disabled'].map((k) => h('th', { scope: 'col' }, app.t(k as MessageKey))), h('td', null))),
      h(
        'tbody',
        null,
        users.map((u) => {
          const toggle = h('button', { type: 'button', class: 'secondary' }, u.disabled ? app.t('users.enable') : app.t('users.disable'));
          toggle.addEventListener('click', async () => {
            toggle.disabled = true;
            try {
              await app.api.request(`/api/v1/users/${encodeURIComponent(u.username)}`, { method: 'PATCH', body: { disabled: !u.disabled } });
              refresh();
            } catch (e) {
              toggle.disabled = false;
              status.replaceChildren(app.errorBox(e));
            }
          });
          // An admin does not disable their own account from here.
          const self = u.username === app.session?.username;
          return h(
            'tr',
            { class: u.disabled ? 'inactive' : null },
            h('td', null, u.username),
            h('td', null, ROLES.includes(u.role as Role) ? app.t(`role.${u.role}` as MessageKey) : u.role),
            h('td', null, app.areaName(u.area_code)),
            h('td', null, app.date(u.created_at)),
            h('td', null, u.disabled ? app.t('common.yes') : app.t('common.no')),
            h('td', null, self ? null : toggle),
          );
        }),
      ),
    ),
  );
}

function createForm(app: App, status: HTMLElement, refresh: () => void): HTMLElement {
  const ids = { user: uid('nu'), pass: uid('np'), role: uid('nr'), area: uid('na'), hint: uid('nh') };
  const user = h('input', { id: ids.user, autocomplete: 'off', required: true, autocapitalize: 'none' });
  const pass = h('input', { id: ids.pass, type: 'password', autocomplete: 'new-password', required: true, minlength: '10' });
  const role = h('select', { id: ids.role }, ROLES.map((r) => h('option', { value: r }, app.t(`role.${r}` as MessageKey))));
  const area = h('input', { id: ids.area, inputmode: 'numeric', 'aria-describedby': ids.hint, autocomplete: 'off' });
  const areaField = h('div', { class: 'field' }, h('label', { for: ids.area }, app.t('users.area')), area, h('small', { id: ids.hint }, app.t('users.areaHint')));
  const syncArea = () => {
    const national = areaKind(role.value as Role) === 'nation';
    areaField.hidden = national;
    if (national) area.value = '';
  };
  role.addEventListener('change', syncArea);
  syncArea();
  const form = h(
    'form',
    { class: 'card', novalidate: true, 'data-testid': 'user-form' },
    h('div', { class: 'field' }, h('label', { for: ids.user }, app.t('users.username')), user),
    h('div', { class: 'field' }, h('label', { for: ids.pass }, app.t('users.password')), pass),
    h('div', { class: 'field' }, h('label', { for: ids.role }, app.t('users.role')), role),
    areaField,
    h('button', { type: 'submit' }, app.t('users.create')),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body: Record<string, unknown> = { username: user.value.trim(), password: pass.value, role: role.value };
    if (area.value.trim()) body.area_code = Number(area.value.trim());
    try {
      await app.api.request('/api/v1/users', { method: 'POST', body });
      status.replaceChildren(h('p', { class: 'alert info', role: 'status' }, app.t('users.created.ok', { user: String(body.username) })));
      user.value = '';
      pass.value = '';
      area.value = '';
      refresh();
    } catch (err) {
      status.replaceChildren(app.errorBox(err));
    }
  });
  return form;
}
