// The session as the server describes it (POST/GET /api/v1/session).
import type { Session } from './app';
import { isRole } from './roles';

// Accepts {"user": {...}} or the fields at the top level. Throws if the
// server did not say who we are (the interface never guesses a role).
export function sessionFromJson(data: unknown): Session {
  const top = (data ?? {}) as Record<string, unknown>;
  const u = (typeof top.user === 'object' && top.user !== null ? top.user : top) as Record<string, unknown>;
  const role = String(u.role ?? '');
  if (!isRole(role) || typeof u.username !== 'string') {
    throw new Error('the server did not return the session user and role');
  }
  const area = Number(u.area_code ?? u.area ?? 0);
  const perms = Array.isArray(u.permissions) ? u.permissions.map(String) : Array.isArray(top.permissions) ? top.permissions.map(String) : undefined;
  return {
    username: u.username,
    role,
    area_code: Number.isFinite(area) ? area : 0,
    expires_at: typeof top.expires_at === 'string' ? top.expires_at : undefined,
    permissions: perms,
  };
}
