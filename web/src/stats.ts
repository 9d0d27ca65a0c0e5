// The register aggregates of GET /api/v1/stats (src/api/registry_routes.cpp)
// and the pure computations the dashboard makes from them.
export interface SexAgeCell {
  sex: 'F' | 'M';
  age_band: string; // "0-4", "5-9", ..., "60+"
  persons: number;
  with_disability: number;
}

export interface AreaStats {
  code: number; // 0 nation, aimag or soum code.
  households: number;
  herder_households: number;
  female_headed_households: number;
  persons: number;
  herders: number;
  children_0_17: number;
  with_disability: number;
  sheep_units: number;
  by_sex_age: SexAgeCell[];
}

// The areas with households, then their total with code 0.
export interface StatsResponse {
  as_of: string;
  by: 'nation' | 'aimag' | 'soum';
  areas: AreaStats[];
}

export type Measure = 'herders' | 'herder_households' | 'households' | 'persons' | 'children_0_17';
export const MEASURES: readonly Measure[] = ['herders', 'herder_households', 'households', 'persons', 'children_0_17'];

// The sum of several areas (e.g. a whole aimag from its soums). Cells are
// matched by sex and age band; the band order of the first area is kept.
export function sumAreas(areas: AreaStats[], code = 0): AreaStats {
  const total: AreaStats = {
    code,
    households: 0,
    herder_households: 0,
    female_headed_households: 0,
    persons: 0,
    herders: 0,
    children_0_17: 0,
    with_disability: 0,
    sheep_units: 0,
    by_sex_age: [],
  };
  const cells = new Map<string, SexAgeCell>();
  for (const a of areas) {
    total.households += a.households;
    total.herder_households += a.herder_households;
    total.female_headed_households += a.female_headed_households;
    total.persons += a.persons;
    total.herders += a.herders;
    total.children_0_17 += a.children_0_17;
    total.with_disability += a.with_disability;
    total.sheep_units += a.sheep_units;
    for (const c of a.by_sex_age) {
      const key = `${c.sex}|${c.age_band}`;
      let t = cells.get(key);
      if (!t) {
        t = { sex: c.sex, age_band: c.age_band, persons: 0, with_disability: 0 };
        cells.set(key, t);
        total.by_sex_age.push(t);
      }
      t.persons += c.persons;
      t.with_disability += c.with_disability;
    }
  }
  return total;
}

export interface PyramidRow {
  band: string;
  female: number;
  male: number;
}

// One row per age band, youngest first, with women and men side by side.
export function pyramid(a: AreaStats): PyramidRow[] {
  const rows = new Map<string, PyramidRow>();
  for (const c of a.by_sex_age) {
    let r = rows.get(c.age_band);
    if (!r) {
      r = { band: c.age_band, female: 0, male: 0 };
      rows.set(c.age_band, r);
    }
    if (c.sex === 'F') r.female += c.persons;
    else r.male += c.persons;
  }
  return [...rows.values()].sort((x, y) => parseInt(x.band, 10) - parseInt(y.band, 10));
}

export function bySex(a: AreaStats): { female: number; male: number } {
  let female = 0;
  let male = 0;
  for (const c of a.by_sex_age) {
    if (c.sex === 'F') female += c.persons;
    else male += c.persons;
  }
  return { female, male };
}

// Map values keyed by area code.
export function valuesOf(areas: AreaStats[], m: Measure): Map<number, number> {
  return new Map(areas.map((a) => [a.code, a[m]]));
}
