// The rules of the users page (pages/users.ts) without the DOM: the
// password policy as the server applies it (auth::FindPasswordProblem in
// src/auth/password_policy.cpp), the strength shown as the administrator
// types, the area each role needs (auth::CheckArea) and the checks of the
// account forms. The server checks everything again; in particular only
// it holds the list of common passwords, so a password the meter accepts
// may still be refused as common (shown beside the field the same way).
import type { MessageKey } from './i18n';
import { areaKind, isRole, type Role } from './roles';
import { utf8Length, type FieldProblem } from './validate';

export interface UserJson {
  username: string;
  role: string;
  area_code: number;
  disabled: boolean;
  created_at: string;
  updated_at?: string;
}

export const MIN_PASSWORD_CHARS = 10;
const MAX_PASSWORD_BYTES = 1024;

export type PasswordCode = 'too_short' | 'too_long' | 'contains_username' | 'trivial';

// Keyboard rows (Latin, Russian and Mongolian Cyrillic) and the digit row,
// as in the server's KeyboardRows().
const KEYBOARD_ROWS = ['1234567890-=', 'qwertyuiop[]', "asdfghjkl;'", 'zxcvbnm,./', 'йцукенгшщзхъ', 'фывапролджэ', 'ячсмитьбю', 'фцужэнгшүзкъ', 'йыбөахролдпё', 'ячёсмитьвю'];

function onKeyboardRow(s: string[]): boolean {
  const fwd = s.join('');
  const rev = [...s].reverse().join('');
  return KEYBOARD_ROWS.some((row) => row.includes(fwd) || row.includes(rev));
}

// One unit repeated, a run of steps of +1 or -1, or neighbouring keys.
function trivial(s: string[]): boolean {
  const n = s.length;
  if (n < 3) return false;
  for (let period = 1; period <= n / 2; period++) {
    let repeats = true;
    for (let i = period; i < n && repeats; i++) repeats = s[i] === s[i - period];
    if (repeats) return true;
  }
  for (const step of [-1, 1]) {
    let run = true;
    for (let i = 1; i < n && run; i++) run = s[i].codePointAt(0)! - s[i - 1].codePointAt(0)! === step;
    if (run) return true;
  }
  return onKeyboardRow(s);
}

function oneOrTwoTrivialRuns(s: string[]): boolean {
  if (trivial(s)) return true;
  if (s.length > 64) return false;
  for (let cut = 3; cut + 3 <= s.length; cut++) {
    if (trivial(s.slice(0, cut)) && trivial(s.slice(cut))) return true;
  }
  return false;
}

// The first of the server's rules the password breaks (in its order), or
// null; the common-password list is the server's alone.
export function passwordProblem(password: string, username: string): { code: PasswordCode; n?: number } | null {
  if (utf8Length(password) > MAX_PASSWORD_BYTES) return { code: 'too_long' };
  const lower = password.toLowerCase();
  const cps = [...lower];
  if (cps.length < MIN_PASSWORD_CHARS) return { code: 'too_short', n: cps.length };
  const name = username.trim().toLowerCase();
  if (utf8Length(name) >= 3 && (lower.includes(name) || lower.includes([...name].reverse().join('')))) {
    return { code: 'contains_username' };
  }
  if (oneOrTwoTrivialRuns(cps)) return { code: 'trivial' };
  return null;
}

export type StrengthLevel = 'empty' | 'weak' | 'fair' | 'good' | 'strong';

// How strong the password looks: 'weak' when a rule refuses it, otherwise
// by its length and the kinds of characters it mixes (lower and upper case
// letters, digits, others: spaces and punctuation).
export function passwordStrength(password: string, username: string): { level: StrengthLevel; score: number; problem: FieldProblem | null } {
  if (password === '') return { level: 'empty', score: 0, problem: null };
  const p = passwordProblem(password, username);
  if (p) return { level: 'weak', score: 1, problem: { key: `users.pw.${p.code}` as MessageKey, params: p.n === undefined ? undefined : { n: p.n, min: MIN_PASSWORD_CHARS } } };
  const chars = [...password].length;
  const kinds = [/\p{Ll}/u, /\p{Lu}/u, /\p{N}/u, /[^\p{L}\p{N}]/u].filter((re) => re.test(password)).length;
  if (chars >= 16 || (chars >= 12 && kinds >= 3)) return { level: 'strong', score: 4, problem: null };
  if (chars >= 12 || kinds >= 3) return { level: 'good', score: 3, problem: null };
  return { level: 'fair', score: 2, problem: null };
}

// The user name rule of the server (CheckUsername).
export function usernameProblem(name: string): FieldProblem | null {
  if (name === '') return { key: 'valid.required' };
  return /^[A-Za-z0-9._-]{1,64}$/.test(name) ? null : { key: 'users.err.username' };
}

// What the area picker holds: an aimag (0: none) and a soum (0: none).
export interface AreaPick {
  aimag: number;
  soum: number;
}

// The code to send for a role: 0 for national roles; the aimag for an aimag
// officer; the soum for a soum officer; the narrowest chosen for roles that
// may be national, an aimag or a soum.
export function areaCode(role: Role, pick: AreaPick): number {
  switch (areaKind(role)) {
    case 'nation':
      return 0;
    case 'aimag':
      return pick.aimag;
    case 'soum':
      return pick.soum;
    case 'any':
      return pick.soum || pick.aimag;
  }
}

// Why the pick does not suit the role (auth::CheckArea), or null.
export function areaProblem(role: Role, pick: AreaPick): FieldProblem | null {
  const kind = areaKind(role);
  if (kind === 'aimag' && !pick.aimag) return { key: 'users.err.aimag' };
  if (kind === 'soum' && !pick.aimag) return { key: 'users.err.aimagFirst' };
  if (kind === 'soum' && !pick.soum) return { key: 'users.err.soum' };
  return null;
}

// The picker's initial state for an account's area code, given the aimag
// a soum belongs to (the units list; the code's first 3 digits otherwise).
export function pickOf(code: number, aimagOf: (soum: number) => number | undefined): AreaPick {
  if (code >= 10000) return { aimag: aimagOf(code) ?? Math.floor(code / 100), soum: code };
  if (code >= 100) return { aimag: code, soum: 0 };
  return { aimag: 0, soum: 0 };
}

export interface AccountForm {
  username: string;
  password: string;
  role: string;
  pick: AreaPick;
}

// Every problem of the new-account form, by field: username, password,
// role, area.
export function validateAccount(f: AccountForm): Record<string, FieldProblem> {
  const errs: Record<string, FieldProblem> = {};
  const u = usernameProblem(f.username);
  if (u) errs.username = u;
  const p = f.password === '' ? { key: 'valid.required' as MessageKey } : passwordStrength(f.password, f.username).problem;
  if (p) errs.password = p;
  if (!isRole(f.role)) errs.role = { key: 'users.err.role' };
  else {
    const a = areaProblem(f.role, f.pick);
    if (a) errs.area = a;
  }
  return errs;
}

// The form field a server refusal concerns: its "field" (area_code and
// area are the picker), or the user name when the name is taken.
export function refusedField(field: string | null, code: string): 'username' | 'password' | 'role' | 'area' | null {
  const f = (field ?? '').replace(/^.*\./, '');
  if (f === 'username' || f === 'password' || f === 'role') return f;
  if (f === 'area' || f === 'area_code') return 'area';
  if (code === 'ALREADY_EXISTS') return 'username';
  return null;
}

// The body of PATCH /api/v1/users/{name} that changes the role; the area
// always goes with it, so a national role clears an old area.
export function roleChange(role: Role, pick: AreaPick): { role: Role; area_code: number } {
  return { role, area_code: areaCode(role, pick) };
}

// Accounts in a stable order: enabled first, then by name.
export function sortUsers(users: UserJson[]): UserJson[] {
  return [...users].sort((a, b) => Number(a.disabled) - Number(b.disabled) || a.username.localeCompare(b.username));
}
