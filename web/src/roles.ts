// What each role may do, mirroring the server's policy table
// (src/auth/roles.h). The interface offers only actions the server allows;
// the server still checks every request.
//
//   permission            admin national aimag soum analyst auditor hotline gbv
//   read_register           x      x       x     x
//   write_register                 x       x     x
//   import / export                x       x     x
//   read_stats (aggregates) x      x       x     x      x
//   read_audit              x                                   x
//   manage_users            x
//   manage_response                x       x
//   write_insurance                x       x     x
//   run_analytics                  x                     x
//   record_grievance               x       x     x                   x      x
//   handle_grievance               x       x     x
//   handle_confidential                                                     x
//   read_grievance_stats    x      x       x     x      x       x           x
//   manage_coop                    x       x     x
//   freeze_indicators              x
//   edit_templates                 x
export type Role =
  | 'admin'
  | 'national_officer'
  | 'aimag_officer'
  | 'soum_officer'
  | 'analyst'
  | 'auditor'
  | 'hotline_operator'
  | 'gbv_focal_point';

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
  | 'record_grievance'
  | 'handle_grievance'
  | 'handle_confidential'
  | 'read_grievance_stats'
  | 'manage_coop'
  | 'freeze_indicators'
  | 'edit_templates';

export const ROLES: readonly Role[] = [
  'admin',
  'national_officer',
  'aimag_officer',
  'soum_officer',
  'analyst',
  'auditor',
  'hotline_operator',
  'gbv_focal_point',
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
  record_grievance: [...officers, 'hotline_operator', 'gbv_focal_point'],
  handle_grievance: officers,
  handle_confidential: ['gbv_focal_point'],
  read_grievance_stats: ['admin', ...officers, 'analyst', 'auditor', 'gbv_focal_point'],
  manage_coop: officers,
  freeze_indicators: ['national_officer'],
  edit_templates: ['national_officer'],
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
  | 'broadcasts'
  | 'templates'
  | 'monitoring'
  | 'insurance'
  | 'analytics'
  | 'indicators'
  | 'coop'
  | 'inkind'
  | 'training'
  | 'users'
  | 'audit'
  | 'grievance';

// The pages a role sees in the navigation, in order.
export function pagesFor(role: Role, serverPermissions?: readonly string[]): Page[] {
  const pages: Page[] = [];
  const c = (p: Permission) => can(role, p, serverPermissions);
  if (c('read_stats')) pages.push('dashboard');
  if (c('read_register')) pages.push('registry');
  if (c('import')) pages.push('import');
  if (c('manage_response') || c('read_register')) pages.push('response');
  if (c('manage_response')) pages.push('broadcasts', 'templates');
  // The follow-up list names persons: officers only.
  if (c('read_stats') && c('read_register')) pages.push('monitoring');
  if (c('write_insurance') || c('read_register')) pages.push('insurance');
  if (c('manage_coop') || c('read_register')) pages.push('coop', 'inkind', 'training');
  if (c('run_analytics') || c('read_stats')) pages.push('analytics');
  if (c('read_stats')) pages.push('indicators');
  if (c('manage_users')) pages.push('users');
  if (c('read_audit')) pages.push('audit');
  if (c('record_grievance') || c('handle_grievance') || c('handle_confidential') || c('read_grievance_stats')) pages.push('grievance');
  return pages;
}

// What area code a role is bound to: 0 (national), a 3-digit aimag or a
// 5-digit soum (checked again by the server).
// (The hotline operator and the focal point may be any of the three.)
export function areaKind(role: Role): 'nation' | 'aimag' | 'soum' | 'any' {
  if (role === 'aimag_officer') return 'aimag';
  if (role === 'soum_officer') return 'soum';
  if (role === 'hotline_operator' || role === 'gbv_focal_point') return 'any';
  return 'nation';
}
