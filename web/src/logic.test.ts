// Front-end logic: validation, choropleth classes, aggregates, roles,
// session and registry JSON.
import { describe, expect, it } from 'vitest';
import { CLASS_COLOURS, NO_DATA_COLOUR, classOf, colourOf, quantileBreaks } from './choropleth';
import { parseJob } from './jobs';
import { parseHouseholdView, parsePage } from './registry_json';
import { can, pagesFor, ROLES } from './roles';
import { sessionFromJson } from './session';
import { bySex, pyramid, sumAreas, valuesOf, type AreaStats } from './stats';
import { formFromHousehold, householdFromForm, utf8Length, validateHousehold, type HouseholdJson } from './validate';

const household: HouseholdJson = {
  household_id: 'H1',
  soum_code: 18140,
  bag: '3-р баг',
  current_soum_code: 18140,
  herder: true,
  camels: 0,
  horses: 12,
  cattle: 5,
  sheep: 230,
  goats: 180,
  cooperative: '',
  phone: '99112233',
  lat: null,
  lon: null,
};
const isSoum = (c: number) => c === 18140 || c === 18101;

describe('validateHousehold', () => {
  it('accepts a household read from the server', () => {
    expect(validateHousehold(formFromHousehold(household), isSoum)).toEqual({});
  });
  it('reports every bad field at once', () => {
    const f = { ...formFromHousehold(household), sheep: '-1', goats: '1.5', phone: '1234', soum_code: '99999', lat: '47' };
    const e = validateHousehold(f, isSoum);
    expect(Object.keys(e).sort()).toEqual(['goats', 'lon', 'phone', 'sheep', 'soum_code']);
    expect(e.lon.key).toBe('valid.latlon');
    expect(e.phone.key).toBe('valid.phone');
  });
  it('checks coordinates inside Mongolia and head counts up to 100,000', () => {
    const f = { ...formFromHousehold(household), lat: '40', lon: '121', horses: '100001' };
    const e = validateHousehold(f, isSoum);
    expect(e.lat.key).toBe('valid.lat');
    expect(e.lon.key).toBe('valid.lon');
    expect(e.horses.key).toBe('valid.integer');
  });
  it('counts text length in UTF-8 bytes as the server does', () => {
    expect(utf8Length('баг')).toBe(6);
    const f = { ...formFromHousehold(household), bag: 'б'.repeat(33) };
    expect(validateHousehold(f, isSoum).bag).toEqual({ key: 'valid.text', params: { len: 66, n: 64 } });
  });
  it('round-trips form and JSON', () => {
    expect(householdFromForm('H1', formFromHousehold(household))).toEqual(household);
    const f = { ...formFromHousehold(household), lat: '47.5', lon: ' 96.1 ' };
    expect(householdFromForm('H1', f)).toMatchObject({ lat: 47.5, lon: 96.1 });
  });
});

describe('choropleth', () => {
  it('splits values into five classes', () => {
    const values = Array.from({ length: 100 }, (_, i) => i);
    const b = quantileBreaks(values);
    expect(b).toEqual([20, 40, 60, 80]);
    expect(classOf(0, b)).toBe(0);
    expect(classOf(99, b)).toBe(4);
    expect(colourOf(99, b)).toBe(CLASS_COLOURS[4]);
  });
  it('greys out areas without data and copes with equal values', () => {
    expect(colourOf(undefined, [1])).toBe(NO_DATA_COLOUR);
    expect(quantileBreaks([5, 5, 5])).toEqual([]);
    expect(colourOf(5, [])).toBe(CLASS_COLOURS[0]);
    expect(quantileBreaks([])).toEqual([]);
  });
});

const area = (code: number, f: number, m: number): AreaStats => ({
  code,
  households: 10,
  herder_households: 4,
  female_headed_households: 2,
  persons: f + m,
  herders: 6,
  children_0_17: 3,
  with_disability: 1,
  sheep_units: 100,
  by_sex_age: [
    { sex: 'F', age_band: '5-9', persons: f - 1, with_disability: 0 },
    { sex: 'F', age_band: '0-4', persons: 1, with_disability: 0 },
    { sex: 'M', age_band: '0-4', persons: m, with_disability: 1 },
  ],
});

describe('stats', () => {
  it('sums areas cell by cell', () => {
    const t = sumAreas([area(18101, 5, 4), area(18140, 3, 2)], 181);
    expect(t.code).toBe(181);
    expect(t.persons).toBe(14);
    expect(t.households).toBe(20);
    expect(bySex(t)).toEqual({ female: 8, male: 6 });
  });
  it('orders the pyramid from the youngest band', () => {
    expect(pyramid(area(1, 5, 4))).toEqual([
      { band: '0-4', female: 1, male: 4 },
      { band: '5-9', female: 4, male: 0 },
    ]);
  });
  it('keys map values by area', () => {
    expect(valuesOf([area(18101, 5, 4)], 'herders').get(18101)).toBe(6);
  });
});

describe('roles', () => {
  it('never offers the register to an analyst, an auditor or an admin', () => {
    for (const r of ['analyst', 'auditor', 'admin'] as const) {
      expect(can(r, 'read_register')).toBe(false);
      expect(pagesFor(r)).not.toContain('registry');
    }
  });
  it('gives each role its pages', () => {
    expect(pagesFor('analyst')).toEqual(['dashboard', 'analytics', 'indicators', 'grievance']);
    expect(pagesFor('auditor')).toEqual(['audit', 'grievance']);
    expect(pagesFor('admin')).toEqual(['dashboard', 'analytics', 'indicators', 'users', 'audit', 'grievance']);
    expect(pagesFor('soum_officer')).toEqual(['dashboard', 'registry', 'import', 'response', 'monitoring', 'insurance', 'coop', 'inkind', 'training', 'analytics', 'indicators', 'grievance']);
    // Complaints only: the hotline records, the focal point handles the
    // confidential ones; neither reads the register.
    expect(pagesFor('hotline_operator')).toEqual(['grievance']);
    expect(pagesFor('gbv_focal_point')).toEqual(['grievance']);
    expect(can('gbv_focal_point', 'handle_confidential')).toBe(true);
    expect(can('national_officer', 'handle_confidential')).toBe(false);
    expect(pagesFor('national_officer')).toContain('response');
    for (const r of ROLES) expect(pagesFor(r).length).toBeGreaterThan(0);
  });
  it('lets the server narrow permissions', () => {
    expect(can('national_officer', 'write_register', ['read_register'])).toBe(false);
  });
});

describe('session', () => {
  it('reads the login answer and GET /api/v1/session', () => {
    expect(sessionFromJson({ token: 't', expires_at: 'x', user: { username: 'ana', role: 'analyst', area_code: 0 } })).toMatchObject({ username: 'ana', role: 'analyst', area_code: 0 });
    expect(sessionFromJson({ username: 'so', role: 'soum_officer', area_code: 18140 }).area_code).toBe(18140);
  });
  it('refuses an answer without a known role', () => {
    expect(() => sessionFromJson({ username: 'x', role: 'root' })).toThrow();
    expect(() => sessionFromJson(null)).toThrow();
  });
});

describe('registry JSON', () => {
  it('reads a page', () => {
    expect(parsePage({ items: [household], total: 120, page: 2, page_size: 50 })).toMatchObject({ total: 120, page: 2, pageSize: 50 });
  });
  it('reads a household view', () => {
    const v = parseHouseholdView({ household, members: [], version: 4 });
    expect(v.version).toBe(4);
    expect(v.household.household_id).toBe('H1');
  });
  it('reads a job and clamps its progress', () => {
    expect(parseJob({ job_id: 'j', state: 'running', progress: 1.5, phase: 'x' })).toMatchObject({ state: 'running', progress: 1 });
    expect(parseJob({ state: 'weird' }).state).toBe('queued');
  });
});
