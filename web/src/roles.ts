// What each role may do, mirroring the server's policy table
// (src/auth/roles.h). The interface offers only actions the server allows;
// the server still checks every request.
//
//   permission            admin national aimag soum analyst auditor
//   read_register           x      x       x     x
//   write_register                 x       x     x
//   import / export                x       x     x
//   read_stats (aggregates) x      x       x     x      x
//   read_audit              x                                   x
//   manage_users            x
//   manage_response                x       x
//   write_insurance                x       x     x
//   run_analytics                  x                     x
//   manage_coop                    x       x     x
export type Role =
  | 'admin'
  | 'national_officer'
  | 'aimag_officer'
  | 'soum_officer'
  | 'analyst'
  | 'auditor';

export type Permission =
  | 'read_register'
  | 'write_register'
  | 'import'
  | 'export'
  | 'read_stats'
  | 'read_audit'
  | 'manage_users'
  | 'manage_response'
  | 'write_insurance'
  | 'run_analytics'
  | 'manage_coop';

export const ROLES: readonly Role[] = [
  'admin',
  'national_officer',
  'aimag_officer',
  'soum_officer',
  'analyst',
  'auditor',
];

const officers: readonly Role[] = ['national_officer', 'aimag_officer', 'soum_officer'];

const table: Record<Permission, readonly Role[]> = {
  read_register: officers,
  write_register: officers,
  import: officers,
  export: officers,
  read_stats: ['admin', ...officers, 'analyst'],
  read_audit: ['admin', 'auditor'],
  manage_users: ['admin'],
  manage_response: ['national_officer', 'aimag_officer'],
  write_insurance: officers,
  run_analytics: ['national_officer', 'analyst'],
  manage_coop: officers,
};

export function isRole(s: string): s is Role {
  return (ROLES as readonly string[]).includes(s);
}

// The server may send permissions with the session; when it does they win.
export function can(role: Role, p: Permission, serverPermissions?: readonly string[]): boolean {
  if (serverPermissions) return serverPermissions.includes(p);
  return table[p].includes(role);
}

export type Page =
  | 'dashboard'
  | 'registry'
  | 'import'
  | 'response'
  | 'insurance'
  | 'analytics'
  | 'coop'
  | 'inkind'
  | 'training'
  | 'users'
  | 'audit';

// The pages a role sees in the navigation, in order.
export function pagesFor(role: Role, serverPermissions?: readonly string[]): Page[] {
  const pages: Page[] = [];
  const c = (p: Permission) => can(role, p, serverPermissions);
  if (c('read_stats')) pages.push('dashboard');
  if (c('read_register')) pages.push('registry');
  if (c('import')) pages.push('import');
  if (c('manage_response') || c('read_register')) pages.push('response');
  if (c('write_insurance') || c('read_register')) pages.push('insurance');
  if (c('manage_coop') || c('read_register')) pages.push('coop', 'inkind', 'training');
  if (c('run_analytics') || c('read_stats')) pages.push('analytics');
  if (c('manage_users')) pages.push('users');
  if (c('read_audit')) pages.push('audit');
  return pages;
}

// What area code a role is bound to: 0 (national), a 3-digit aimag or a
// 5-digit soum (checked again by the server).
export function areaKind(role: Role): 'nation' | 'aimag' | 'soum' {
  if (role === 'aimag_officer') return 'aimag';
  if (role === 'soum_officer') return 'soum';
  return 'nation';
}
