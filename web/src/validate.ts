// Field checks of the household form, the same rules the server applies
// (registry::ValidateHousehold), so an officer sees every problem beside its
// field before sending. The server checks again; its answer (one field) is
// shown the same way.
import type { MessageKey } from './i18n';

export interface HouseholdJson {
  household_id: string;
  soum_code: number;
  bag: string;
  current_soum_code: number;
  herder: boolean;
  camels: number;
  horses: number;
  cattle: number;
  sheep: number;
  goats: number;
  cooperative: string;
  phone: string;
  lat: number | null;
  lon: number | null;
  active?: boolean;
  deactivated_on?: string;
  deactivation_reason?: string;
}

export const SPECIES_FIELDS = ['camels', 'horses', 'cattle', 'sheep', 'goats'] as const;

// What the form holds: text as typed.
export type HouseholdForm = Record<
  'soum_code' | 'current_soum_code' | 'bag' | 'cooperative' | 'phone' | 'lat' | 'lon' | (typeof SPECIES_FIELDS)[number],
  string
> & { herder: boolean };

export interface FieldProblem {
  key: MessageKey;
  params?: Record<string, string | number>;
}

export function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}

// Every problem, by field name (the JSON field names).
export function validateHousehold(
  f: HouseholdForm,
  isSoum: (code: number) => boolean,
): Record<string, FieldProblem> {
  const errs: Record<string, FieldProblem> = {};
  for (const k of ['soum_code', 'current_soum_code'] as const) {
    if (!/^\d{5}$/.test(f[k].trim()) || !isSoum(Number(f[k]))) errs[k] = { key: 'valid.soum' };
  }
  for (const k of SPECIES_FIELDS) {
    const v = f[k].trim();
    if (!/^\d+$/.test(v) || Number(v) > 100000) errs[k] = { key: 'valid.integer' };
  }
  const phone = f.phone.trim();
  if (phone !== '' && !/^\d{8}$/.test(phone)) errs.phone = { key: 'valid.phone' };
  const lat = f.lat.trim();
  const lon = f.lon.trim();
  if ((lat === '') !== (lon === '')) {
    errs[lat === '' ? 'lat' : 'lon'] = { key: 'valid.latlon' };
  }
  if (lat !== '' && !(Number(lat) >= 41.5 && Number(lat) <= 52.2)) errs.lat = { key: 'valid.lat' };
  if (lon !== '' && !(Number(lon) >= 87.7 && Number(lon) <= 120)) errs.lon = { key: 'valid.lon' };
  const bagLen = utf8Length(f.bag);
  if (bagLen > 64) errs.bag = { key: 'valid.text', params: { len: bagLen, n: 64 } };
  const coopLen = utf8Length(f.cooperative);
  if (coopLen > 128) errs.cooperative = { key: 'valid.text', params: { len: coopLen, n: 128 } };
  return errs;
}

export function formFromHousehold(h: HouseholdJson): HouseholdForm {
  return {
    soum_code: String(h.soum_code),
    current_soum_code: String(h.current_soum_code),
    bag: h.bag ?? '',
    cooperative: h.cooperative ?? '',
    phone: h.phone ?? '',
    lat: h.lat === null || h.lat === undefined ? '' : String(h.lat),
    lon: h.lon === null || h.lon === undefined ? '' : String(h.lon),
    camels: String(h.camels),
    horses: String(h.horses),
    cattle: String(h.cattle),
    sheep: String(h.sheep),
    goats: String(h.goats),
    herder: h.herder,
  };
}

// The JSON to send. REQUIRES: validateHousehold(f) found nothing.
export function householdFromForm(id: string, f: HouseholdForm): HouseholdJson {
  const opt = (s: string) => (s.trim() === '' ? null : Number(s));
  return {
    household_id: id,
    soum_code: Number(f.soum_code),
    current_soum_code: Number(f.current_soum_code),
    bag: f.bag,
    cooperative: f.cooperative,
    phone: f.phone.trim(),
    lat: opt(f.lat),
    lon: opt(f.lon),
    herder: f.herder,
    camels: Number(f.camels),
    horses: Number(f.horses),
    cattle: Number(f.cattle),
    sheep: Number(f.sheep),
    goats: Number(f.goats),
  };
}
