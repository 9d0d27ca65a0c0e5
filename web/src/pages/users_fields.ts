// The parts of the users page's forms (pages/users.ts): a labelled field
// with its hint and its error beside it, the area picker that follows the
// role (aimag, then soum, from the units list, names in the interface
// language), the password with its strength shown as typed, and the
// summary of problems at the top of a form.
import type { App } from '../app';
import { h, uid } from '../dom';
import type { MessageKey } from '../i18n';
import { areaKind, type Role } from '../roles';
import { Units } from '../units';
import { MIN_PASSWORD_CHARS, passwordStrength, type AreaPick } from '../users_logic';
import type { FieldProblem } from '../validate';

export interface Field {
  el: HTMLElement;
  control: HTMLElement; // What gets focus when the field has a problem.
  label: string;
  show(message: string | null): void;
}

type Control = HTMLInputElement | HTMLSelectElement;

// A field: label, control, hint and the error beside it (announced, and
// named by the control's aria-describedby).
export function field(label: string, control: Control, hint?: string): Field {
  if (!control.id) control.id = uid('f');
  const errId = `${control.id}-err`;
  const hintEl = hint ? h('small', { id: `${control.id}-hint`, class: 'hint' }, hint) : null;
  const err = h('span', { id: errId, class: 'field-error', 'aria-live': 'polite' });
  control.setAttribute('aria-describedby', [hintEl?.id, errId].filter(Boolean).join(' '));
  const el = h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hintEl, err);
  return {
    el,
    control,
    label,
    show(message) {
      err.textContent = message ?? '';
      if (message) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    },
  };
}

export function problemText(app: App, p: FieldProblem): string {
  return app.t(p.key, p.params);
}

export interface AreaPicker extends Field {
  pick(): AreaPick;
  follow(role: Role | null): void;
  aimag: HTMLSelectElement;
  soum: HTMLSelectElement;
}

// Aimag then soum, shown as the role needs them: nothing for national
// roles, the aimag for an aimag officer, both for a soum officer, both
// optional for the roles that may be national, an aimag or a soum.
export function areaPicker(app: App, initial: AreaPick, testid: string): AreaPicker {
  const aimag = h('select', { id: uid('ua'), 'data-testid': `${testid}-aimag` });
  const soum = h('select', { id: uid('us'), 'data-testid': `${testid}-soum` });
  const aimags = Units.sortByName(app.lang, app.units.aimags());
  let kind: ReturnType<typeof areaKind> = 'nation';
  const fillAimags = () => {
    const none = kind === 'any' ? app.t('users.wholeCountry') : app.t('users.chooseAimag');
    const was = Number(aimag.value || initial.aimag);
    aimag.replaceChildren(h('option', { value: '0' }, none), ...aimags.map((a) => h('option', { value: String(a.code), selected: a.code === was }, a[app.lang])));
  };
  const fillSoums = (keep: number) => {
    const code = Number(aimag.value);
    const none = kind === 'any' ? app.t('users.wholeAimag') : app.t('users.chooseSoum');
    const soums = code ? Units.sortByName(app.lang, app.units.soumsOf(code)) : [];
    soum.replaceChildren(h('option', { value: '0' }, none), ...soums.map((s) => h('option', { value: String(s.code), selected: s.code === keep }, s[app.lang])));
    soum.disabled = code === 0;
  };
  const hint = h('small', { class: 'hint', id: uid('uh') });
  const err = h('span', { class: 'field-error', id: uid('ue'), 'aria-live': 'polite' });
  const aimagField = h('div', { class: 'field' }, h('label', { for: aimag.id }, app.t('users.aimag')), aimag);
  const soumField = h('div', { class: 'field' }, h('label', { for: soum.id }, app.t('users.soum')), soum);
  for (const s of [aimag, soum]) s.setAttribute('aria-describedby', `${hint.id} ${err.id}`);
  const el = h('fieldset', { class: 'area-picker' }, h('legend', null, app.t('users.area')), hint, aimagField, soumField, err);
  aimag.addEventListener('change', () => fillSoums(0));
  fillAimags();
  fillSoums(initial.soum);
  const picker: AreaPicker = {
    el,
    control: aimag,
    label: app.t('users.area'),
    aimag,
    soum,
    pick: () => ({ aimag: Number(aimag.value) || 0, soum: Number(soum.value) || 0 }),
    show(message) {
      err.textContent = message ?? '';
      const target = kind === 'soum' && Number(aimag.value) ? soum : aimag;
      picker.control = target;
      for (const s of [aimag, soum]) s.removeAttribute('aria-invalid');
      if (message) target.setAttribute('aria-invalid', 'true');
    },
    follow(role) {
      kind = role ? areaKind(role) : 'nation';
      el.hidden = kind === 'nation';
      soumField.hidden = kind === 'aimag';
      hint.textContent = kind === 'nation' ? '' : app.t(`users.areaHint.${kind}` as MessageKey);
      const keep = Number(soum.value);
      fillAimags();
      fillSoums(keep);
      picker.show(null);
    },
  };
  return picker;
}

export interface PasswordField extends Field {
  input: HTMLInputElement;
  update(): void;
}

// A new password with its strength shown as it is typed (the server's
// rules for the account `username()`).
export function passwordField(app: App, label: string, username: () => string, testid: string): PasswordField {
  const input = h('input', { id: uid('pw'), type: 'password', autocomplete: 'new-password', minlength: String(MIN_PASSWORD_CHARS), 'data-testid': testid });
  const f = field(label, input, app.t('users.pw.hint'));
  const meter = h('meter', { min: '0', max: '4', low: '2.5', high: '3.5', optimum: '4', value: '0', 'aria-hidden': 'true' });
  const words = h('span', { 'data-testid': `${testid}-strength` });
  const strength = h('div', { class: 'pw-strength', id: `${input.id}-strength`, 'aria-live': 'polite' }, meter, ' ', words);
  input.setAttribute('aria-describedby', `${input.getAttribute('aria-describedby')} ${strength.id}`);
  f.el.insertBefore(strength, input.nextSibling);
  const update = () => {
    const s = passwordStrength(input.value, username());
    meter.value = s.score;
    meter.dataset.level = s.level;
    words.textContent = s.level === 'empty' ? '' : app.t('users.pw.strength', { level: app.t(`users.pw.level.${s.level}` as MessageKey) });
    // The reason shows beside the field once typed; cleared once mended.
    f.show(s.problem ? problemText(app, s.problem) : null);
  };
  input.addEventListener('input', update);
  return { ...f, input, update };
}

// The problems of a form at its top, each a link to its field; it takes
// focus so a screen reader reads it at once.
// A refusal that concerns no field is shown there as `other`.
export function errorSummary(app: App): { el: HTMLElement; show(items: Array<[Field, string]>, other?: HTMLElement): void } {
  const el = h('div', { class: 'alert error', role: 'alert', tabindex: '-1', hidden: true, 'data-testid': 'error-summary' });
  return {
    el,
    show(items, other) {
      el.hidden = items.length === 0 && !other;
      if (other) {
        el.replaceChildren(other);
        return el.focus();
      }
      if (items.length === 0) return el.replaceChildren();
      const links = items.map(([f, msg]) => {
        const a = h('a', { href: `#${f.control.id}` }, `${f.label}: ${msg}`);
        a.addEventListener('click', (e) => {
          e.preventDefault();
          f.control.focus();
        });
        return h('li', null, a);
      });
      el.replaceChildren(h('p', null, app.t('users.summary', { n: items.length })), h('ul', null, links));
      el.focus();
    },
  };
}
