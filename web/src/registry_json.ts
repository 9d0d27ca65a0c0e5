// Reading the registry API's JSON (src/api/codec.cpp: household and person
// fields as in the interchange CSV).
import type { HouseholdJson } from './validate';

export interface PersonJson {
  register_no: string;
  household_id: string;
  family_name: string;
  father_name: string;
  given_name: string;
  sex: 'F' | 'M';
  birth_date: string;
  relation: string;
  disability: boolean;
  herder: boolean;
  phone: string;
  bank_account: string;
  active?: boolean;
}

export type HouseholdSummary = HouseholdJson;

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

function obj(x: unknown): Record<string, unknown> {
  return typeof x === 'object' && x !== null ? (x as Record<string, unknown>) : {};
}

// A page of results: {"items"|"households"|"persons": [...], "total", "page",
// "page_size"}.
export function parsePage<T = HouseholdSummary>(data: unknown): Page<T> {
  const d = obj(data);
  const items = (Array.isArray(d.items) ? d.items : Array.isArray(d.households) ? d.households : Array.isArray(d.persons) ? d.persons : []) as T[];
  const total = Number(d.total ?? items.length);
  const page = Number(d.page ?? 1);
  const pageSize = Number(d.page_size ?? (items.length || 50));
  return { items, total, page, pageSize };
}

export interface HouseholdView {
  household: HouseholdJson;
  members: PersonJson[];
  version: number | null;
}

// {"household": {...}, "members": [...], "version": N} or the household's
// fields at the top level with "members" beside them.
export function parseHouseholdView(data: unknown): HouseholdView {
  const d = obj(data);
  const hh = (typeof d.household === 'object' && d.household !== null ? d.household : d) as HouseholdJson;
  const members = (Array.isArray(d.members) ? d.members : Array.isArray(obj(d.household).members) ? (obj(d.household).members as unknown[]) : []) as PersonJson[];
  const v = d.version ?? obj(d.household).version;
  return { household: hh, members, version: v === undefined || v === null ? null : Number(v) };
}
