// Administration (admins): accounts, their roles and areas; create one,
// change its role and area, set a new password, disable / enable it
// (GET/POST /api/v1/users, PATCH /api/v1/users/{username}). Areas are
// picked from the aimag and soum lists; problems show beside their field
// with a summary at the top; every change is announced and its row updated.
import { ApiError } from '../api';
import { loading, type App, type PageFn } from '../app';
import { h, uid } from '../dom';
import type { MessageKey } from '../i18n';
import { inLanguage } from '../indicators_logic';
import { ROLES, isRole, type Role } from '../roles';
import { areaCode, areaProblem, passwordStrength, pickOf, refusedField, roleChange, sortUsers, validateAccount, type UserJson } from '../users_logic';
import { areaPicker, errorSummary, field, passwordField, problemText, type Field } from './users_fields';

export const usersPage: PageFn = (app: App, main: HTMLElement) => {
  const list = h('section', { 'aria-busy': 'false' });
  const status = h('div', { role: 'status', 'aria-live': 'polite', 'data-testid': 'users-status' });
  const say = (text: string) => status.replaceChildren(h('p', { class: 'alert info' }, text));
  const refresh = async () => {
    list.replaceChildren(loading(app));
    try {
      const data = await app.api.get<{ items: UserJson[] }>('/api/v1/users');
      list.replaceChildren(usersTable(app, sortUsers(data.items), say, status));
    } catch (e) {
      list.replaceChildren(app.errorBox(e));
    }
  };
  main.append(h('h1', null, app.t('users.title')), status, list, h('h2', null, app.t('users.add')), createForm(app, say, () => void refresh()));
  void refresh();
};

const roleName = (app: App, role: string) => (isRole(role) ? app.t(`role.${role}` as MessageKey) : role);

function roleSelect(app: App, current: string | null, testid: string): HTMLSelectElement {
  return h(
    'select',
    { id: uid('ur'), 'data-testid': testid },
    current ? null : h('option', { value: '' }, app.t('users.chooseRole')),
    ROLES.map((r) => h('option', { value: r, selected: r === current }, roleName(app, r))),
  );
}

// Shows a server refusal beside the field it concerns (and in the summary),
// in the interface language where the server gives both; true if shown.
function showRefusal(app: App, e: unknown, fields: Record<string, Field>, role: string, summary: ReturnType<typeof errorSummary>): boolean {
  if (!(e instanceof ApiError)) return false;
  const which = refusedField(e.field, e.code);
  const f = which ? fields[which] : undefined;
  if (!which || !f) return false;
  let text = inLanguage(e.detail, app.lang);
  if (which === 'username') text = app.t(e.code === 'ALREADY_EXISTS' ? 'users.err.taken' : 'users.err.username');
  if (which === 'role') text = app.t('users.err.role');
  if (which === 'area') {
    const p = isRole(role) ? areaProblem(role, { aimag: 0, soum: 0 }) : null;
    text = p ? problemText(app, p) : app.errorText(e);
  }
  if (which === 'password' && !/[А-Яа-яӨөҮү]/.test(text) && app.lang === 'mn') text = app.errorText(e);
  f.show(text);
  summary.show([[f, text]]);
  return true;
}

function createForm(app: App, say: (text: string) => void, refresh: () => void): HTMLElement {
  const user = h('input', { id: uid('nu'), autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', 'data-testid': 'user-name' });
  const role = roleSelect(app, null, 'user-role');
  const picker = areaPicker(app, { aimag: 0, soum: 0 }, 'user');
  const fields: Record<string, Field> = {
    username: field(app.t('users.username'), user, app.t('users.usernameHint')),
    password: passwordField(app, app.t('users.password'), () => user.value.trim(), 'user-password'),
    role: field(app.t('users.role'), role),
    area: picker,
  };
  const pw = fields.password as ReturnType<typeof passwordField>;
  user.addEventListener('input', () => pw.input.value && pw.update());
  role.addEventListener('change', () => picker.follow(isRole(role.value) ? role.value : null));
  picker.follow(null);
  const summary = errorSummary(app);
  const submit = h('button', { type: 'submit' }, app.t('users.create'));
  const form = h('form', { class: 'card', novalidate: true, 'data-testid': 'user-form' }, summary.el, ...Object.values(fields).map((f) => f.el), submit);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const values = { username: user.value.trim(), password: pw.input.value, role: role.value, pick: picker.pick() };
    const problems = validateAccount(values);
    for (const [name, f] of Object.entries(fields)) f.show(problems[name] ? problemText(app, problems[name]) : null);
    summary.show(Object.entries(problems).map(([name, p]) => [fields[name], problemText(app, p)]));
    if (Object.keys(problems).length > 0) return;
    const body = { username: values.username, password: values.password, role: values.role, area_code: areaCode(values.role as Role, values.pick) };
    submit.disabled = true;
    try {
      await app.api.request('/api/v1/users', { method: 'POST', body });
      say(app.t('users.created.ok', { user: body.username }));
      user.value = '';
      pw.input.value = '';
      pw.update();
      refresh();
    } catch (err) {
      if (!showRefusal(app, err, fields, values.role, summary)) summary.show([], app.errorBox(err));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function usersTable(app: App, users: UserJson[], say: (text: string) => void, status: HTMLElement): HTMLElement {
  const cols: MessageKey[] = ['users.username', 'users.role', 'users.area', 'users.created', 'users.status', 'users.actions'];
  const tbody = h('tbody');
  for (const u of users) tbody.append(...userRows(app, u, say, status));
  return h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'users' }, h('thead', null, h('tr', null, cols.map((k) => h('th', { scope: 'col' }, app.t(k))))), tbody));
}

// An account's row and the row below it where it is changed (hidden until
// asked for). After a change both are replaced by the account's new state.
function userRows(app: App, u: UserJson, say: (text: string) => void, status: HTMLElement): HTMLElement[] {
  const self = u.username === app.session?.username;
  const editorId = uid('ued');
  const change = h('button', { type: 'button', class: 'secondary', 'aria-expanded': 'false', 'aria-controls': editorId, 'data-testid': 'user-change' }, app.t('users.change'));
  const toggle = h('button', { type: 'button', class: 'secondary', 'data-testid': 'user-toggle' }, u.disabled ? app.t('users.enable') : app.t('users.disable'));
  const row = h(
    'tr',
    { class: u.disabled ? 'inactive' : null, 'data-user': u.username },
    h('th', { scope: 'row' }, u.username, self ? ` ${app.t('users.you')}` : null),
    h('td', null, roleName(app, u.role)),
    h('td', null, app.areaName(u.area_code)),
    h('td', null, app.date(u.created_at)),
    h('td', null, u.disabled ? app.t('users.disabled') : app.t('users.active')),
    // An admin does not change their own account from here.
    h('td', { class: 'row-actions' }, self ? null : [change, ' ', toggle]),
  );
  const panel = h('td', { colspan: '6' });
  const editor = h('tr', { id: editorId, class: 'user-editor', hidden: true, 'data-editor': u.username }, panel);
  const replace = (next: UserJson, message: string) => {
    const fresh = userRows(app, next, say, status);
    row.replaceWith(fresh[0]);
    editor.replaceWith(fresh[1]);
    say(message);
    fresh[0].querySelector<HTMLButtonElement>('[data-testid=user-change]')?.focus();
  };
  const patch = async (body: Record<string, unknown>) => (await app.api.request<UserJson>(`/api/v1/users/${encodeURIComponent(u.username)}`, { method: 'PATCH', body })).data;
  const open = (content: HTMLElement[], focus: HTMLElement) => {
    panel.replaceChildren(...content);
    editor.hidden = false;
    change.setAttribute('aria-expanded', 'true');
    focus.focus();
  };
  const close = () => {
    editor.hidden = true;
    change.setAttribute('aria-expanded', 'false');
    change.focus();
  };
  change.addEventListener('click', () => {
    if (!editor.hidden) return close();
    const forms = [roleForm(app, u, patch, replace, close), passwordForm(app, u, patch, replace)];
    open([h('h3', null, app.t('users.changeFor', { user: u.username })), h('div', { class: 'user-forms' }, forms)], forms[0].querySelector('select')!);
  });
  toggle.addEventListener('click', async () => {
    if (!u.disabled) return open(confirmDisable(app, u, patch, replace, close), panel);
    toggle.disabled = true;
    try {
      replace(await patch({ disabled: false }), app.t('users.enabled.ok', { user: u.username }));
    } catch (e) {
      toggle.disabled = false;
      status.replaceChildren(app.errorBox(e));
    }
  });
  return [row, editor];
}

type Patch = (body: Record<string, unknown>) => Promise<UserJson>;
type Replace = (next: UserJson, message: string) => void;

function confirmDisable(app: App, u: UserJson, patch: Patch, replace: Replace, close: () => void): HTMLElement[] {
  const yes = h('button', { type: 'button', class: 'danger', 'data-testid': 'user-confirm-disable' }, app.t('users.disableYes', { user: u.username }));
  const no = h('button', { type: 'button', class: 'secondary', onclick: close }, app.t('common.cancel'));
  const out = h('div', { 'aria-live': 'polite' });
  yes.addEventListener('click', async () => {
    yes.disabled = true;
    try {
      replace(await patch({ disabled: true }), app.t('users.disabled.ok', { user: u.username }));
    } catch (e) {
      yes.disabled = false;
      out.replaceChildren(app.errorBox(e));
    }
  });
  setTimeout(() => yes.focus());
  return [h('p', { class: 'alert conflict' }, app.t('users.confirmDisable', { user: u.username })), h('div', { class: 'actions' }, yes, no), out];
}

function roleForm(app: App, u: UserJson, patch: Patch, replace: Replace, close: () => void): HTMLElement {
  const role = roleSelect(app, u.role, 'user-new-role');
  const picker = areaPicker(app, pickOf(u.area_code, (c) => app.units.get(c)?.aimag), 'user-new');
  const fields: Record<string, Field> = { role: field(app.t('users.newRole'), role), area: picker };
  const follow = () => picker.follow(isRole(role.value) ? role.value : null);
  role.addEventListener('change', follow);
  follow();
  const summary = errorSummary(app);
  const save = h('button', { type: 'submit' }, app.t('users.saveRole'));
  const form = h(
    'form',
    { class: 'card', novalidate: true, 'data-testid': 'user-role-form' },
    summary.el,
    fields.role.el,
    picker.el,
    h('p', { class: 'hint' }, app.t('users.roleHint')),
    h('div', { class: 'actions' }, save, h('button', { type: 'button', class: 'secondary', onclick: close }, app.t('common.cancel'))),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const r = role.value as Role;
    const p = areaProblem(r, picker.pick());
    picker.show(p ? problemText(app, p) : null);
    summary.show(p ? [[picker, problemText(app, p)]] : []);
    if (p) return;
    save.disabled = true;
    try {
      const next = await patch(roleChange(r, picker.pick()));
      replace(next, app.t('users.roleChanged', { user: u.username, role: roleName(app, next.role), area: app.areaName(next.area_code) }));
    } catch (err) {
      save.disabled = false;
      if (!showRefusal(app, err, fields, r, summary)) summary.show([], app.errorBox(err));
    }
  });
  return form;
}

function passwordForm(app: App, u: UserJson, patch: Patch, replace: Replace): HTMLElement {
  const pw = passwordField(app, app.t('users.newPassword'), () => u.username, 'user-new-password');
  const summary = errorSummary(app);
  const save = h('button', { type: 'submit' }, app.t('users.setPassword'));
  const form = h('form', { class: 'card', novalidate: true, 'data-testid': 'user-password-form' }, summary.el, pw.el, h('p', { class: 'hint' }, app.t('users.passwordHint')), save);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const s = passwordStrength(pw.input.value, u.username);
    const problem = pw.input.value === '' ? app.t('valid.required') : s.problem ? problemText(app, s.problem) : '';
    if (problem) {
      pw.show(problem);
      return summary.show([[pw, problem]]);
    }
    summary.show([]);
    save.disabled = true;
    try {
      replace(await patch({ password: pw.input.value }), app.t('users.passwordSet', { user: u.username }));
    } catch (err) {
      save.disabled = false;
      if (!showRefusal(app, err, { password: pw }, u.role, summary)) summary.show([], app.errorBox(err));
    }
  });
  return form;
}
