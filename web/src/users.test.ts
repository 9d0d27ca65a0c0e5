import { describe, expect, it } from 'vitest';
import { en, mn } from './i18n';
import {
  areaCode,
  areaProblem,
  passwordProblem,
  passwordStrength,
  pickOf,
  refusedField,
  roleChange,
  sortUsers,
  usernameProblem,
  validateAccount,
  type UserJson,
} from './users_logic';

const code = (p: string, user = '') => passwordProblem(p, user)?.code ?? 'ok';

// The cases of src/auth/password_policy_test.cpp, so the meter and the
// server agree (except "common": the list is the server's).
describe('passwordProblem mirrors auth::FindPasswordProblem', () => {
  it('counts characters, not bytes', () => {
    expect(code('short')).toBe('too_short');
    expect(passwordProblem('short', '')).toEqual({ code: 'too_short', n: 5 });
    expect(code('хөх тэнгэр')).toBe('ok');
    expect(code('хөхтэнгэр')).toBe('too_short');
    expect(code('a'.repeat(1025))).toBe('too_long');
    expect(code('ө'.repeat(513))).toBe('too_long');
  });
  it('refuses repeats, sequences and keyboard rows, also two of them', () => {
    for (const p of ['aaaaaaaaaa', '1234567890', '0987654321', 'abcdefghij', 'jihgfedcba', 'abcabcabca', '1212121212', 'qwertyuiop', 'qwerty1234', 'aaaaa11111', 'abcde54321', 'asdfghjkl;', 'абвгдежзий', 'фцужэнгшүз', 'ZZZZZZZZZZZZZZZZZZZZZZZ']) {
      expect(code(p), p).toBe('trivial');
    }
  });
  it('refuses the user name, in any case or reversed, from 3 characters', () => {
    expect(code('my-dorjpalam-pass', 'dorjpalam')).toBe('contains_username');
    expect(code('xx-MALAPJROD-xx', 'dorjpalam')).toBe('contains_username');
    expect(code('new1-password', 'new1')).toBe('contains_username');
    expect(code('bo-long enough phrase', 'bo')).toBe('ok');
  });
  it('accepts phrases', () => {
    for (const p of ['correct horse battery staple', 'ten chars!', 'Gobi camel 7 tea', 'тэмээ цай 7 говь', 'xk4-Pq9z-Lm2', 'strawberry-lantern']) {
      expect(code(p, 'dorj'), p).toBe('ok');
    }
  });
  it('checks length before the name and the name before patterns', () => {
    expect(code('dorj', 'dorj')).toBe('too_short');
    expect(code('dorjdorjdorj', 'dorj')).toBe('contains_username');
  });
});

describe('passwordStrength', () => {
  it('is weak with the reason when refused', () => {
    const s = passwordStrength('short', '');
    expect(s.level).toBe('weak');
    expect(s.problem).toEqual({ key: 'users.pw.too_short', params: { n: 5, min: 10 } });
    expect(passwordStrength('abc-soum18-x', 'soum18').problem?.key).toBe('users.pw.contains_username');
  });
  it('grows with length and mixed kinds of characters', () => {
    expect(passwordStrength('', 'x').level).toBe('empty');
    expect(passwordStrength('gobicamels', 'x').level).toBe('fair');
    expect(passwordStrength('gobi camels', 'x').level).toBe('fair');
    expect(passwordStrength('Gobi camel 7', 'x').level).toBe('strong');
    expect(passwordStrength('gobicamelstea', 'x').level).toBe('good');
    expect(passwordStrength('Gobi-camel7', 'x').level).toBe('good');
    expect(passwordStrength('correct horse battery staple', 'x').level).toBe('strong');
    expect(passwordStrength('тэмээ цай 7 говь', 'x').level).toBe('strong');
  });
  it('names only messages that exist in both languages', () => {
    for (const c of ['too_short', 'too_long', 'contains_username', 'trivial']) {
      expect(en).toHaveProperty(`users.pw.${c}`);
      expect(mn).toHaveProperty(`users.pw.${c}`);
    }
  });
});

describe('areas by role (auth::CheckArea)', () => {
  const none = { aimag: 0, soum: 0 };
  const zavkhan = { aimag: 181, soum: 0 };
  const tosontsengel = { aimag: 181, soum: 18140 };
  it('sends 0 for national roles whatever was picked', () => {
    for (const r of ['admin', 'national_officer', 'analyst', 'auditor'] as const) {
      expect(areaCode(r, tosontsengel)).toBe(0);
      expect(areaProblem(r, none)).toBeNull();
    }
  });
  it('needs an aimag for an aimag officer, a soum for a soum officer', () => {
    expect(areaCode('aimag_officer', tosontsengel)).toBe(181);
    expect(areaProblem('aimag_officer', none)?.key).toBe('users.err.aimag');
    expect(areaProblem('aimag_officer', zavkhan)).toBeNull();
    expect(areaCode('soum_officer', tosontsengel)).toBe(18140);
    expect(areaProblem('soum_officer', none)?.key).toBe('users.err.aimagFirst');
    expect(areaProblem('soum_officer', zavkhan)?.key).toBe('users.err.soum');
    expect(areaProblem('soum_officer', tosontsengel)).toBeNull();
  });
  it('gives the narrowest choice for roles that may be national, an aimag or a soum', () => {
    expect(areaCode('hotline_operator', none)).toBe(0);
    expect(areaCode('gbv_focal_point', zavkhan)).toBe(181);
    expect(areaCode('gbv_focal_point', tosontsengel)).toBe(18140);
    expect(areaProblem('gbv_focal_point', none)).toBeNull();
  });
  it('changes the role with its area, clearing an old one for national roles', () => {
    expect(roleChange('analyst', tosontsengel)).toEqual({ role: 'analyst', area_code: 0 });
    expect(roleChange('aimag_officer', tosontsengel)).toEqual({ role: 'aimag_officer', area_code: 181 });
  });
  it('starts the picker from an account area', () => {
    expect(pickOf(0, () => undefined)).toEqual(none);
    expect(pickOf(181, () => undefined)).toEqual(zavkhan);
    expect(pickOf(18140, (c) => (c === 18140 ? 181 : undefined))).toEqual(tosontsengel);
    expect(pickOf(11099, () => undefined)).toEqual({ aimag: 110, soum: 11099 });
  });
});

describe('the new-account form', () => {
  it('checks the name like the server', () => {
    expect(usernameProblem('')?.key).toBe('valid.required');
    expect(usernameProblem('soum.officer_2-b')).toBeNull();
    expect(usernameProblem('has space')?.key).toBe('users.err.username');
    expect(usernameProblem('дорж')?.key).toBe('users.err.username');
    expect(usernameProblem('x'.repeat(65))?.key).toBe('users.err.username');
  });
  it('finds every problem by field', () => {
    const errs = validateAccount({ username: 'bat', password: 'bat-1234567', role: 'soum_officer', pick: { aimag: 181, soum: 0 } });
    expect(Object.keys(errs).sort()).toEqual(['area', 'password']);
    expect(errs.password.key).toBe('users.pw.contains_username');
    expect(validateAccount({ username: 'bat', password: '', role: '', pick: { aimag: 0, soum: 0 } })).toEqual({
      password: { key: 'valid.required' },
      role: { key: 'users.err.role' },
    });
    expect(validateAccount({ username: 'bat', password: 'Gobi camel 7', role: 'soum_officer', pick: { aimag: 181, soum: 18140 } })).toEqual({});
  });
  it('maps a server refusal to its field', () => {
    expect(refusedField('password', 'INVALID_ARGUMENT')).toBe('password');
    expect(refusedField('area', 'INVALID_ARGUMENT')).toBe('area');
    expect(refusedField('body.area_code', 'INVALID_ARGUMENT')).toBe('area');
    expect(refusedField(null, 'ALREADY_EXISTS')).toBe('username');
    expect(refusedField(null, 'INTERNAL')).toBeNull();
  });
});

describe('sortUsers', () => {
  it('lists enabled accounts first, then by name', () => {
    const u = (username: string, disabled: boolean): UserJson => ({ username, disabled, role: 'analyst', area_code: 0, created_at: '' });
    expect(sortUsers([u('c', true), u('b', false), u('a', true), u('d', false)]).map((x) => x.username)).toEqual(['b', 'd', 'a', 'c']);
  });
});
