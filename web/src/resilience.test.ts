import { describe, expect, it } from 'vitest';
import { barBox } from './bars';
import { en, mn } from './i18n';
import {
  csvFields,
  explanationPillars,
  groupKey,
  maxAbs,
  pillarBars,
  profileKey,
  profileTables,
  rimaFieldOf,
  surveyIds,
  variableKey,
  type ExplanationJson,
  type RsmGroupJson,
} from './resilience_logic';

const share = (cor: number, pct: number) => ({ cor_with_rci: cor, share_pct: pct });
const group = (profile: string, g: string, n: number): RsmGroupJson => ({
  profile,
  group: g,
  n,
  mean_score_0_100: 50 + n / 100,
  pillars: { AC: share(0.5, 20), ABS: share(0.6, 30), SSN: share(0.4, 15), AST: share(0.7, 35) },
});

describe('resilience structure', () => {
  it('gives the pillars in the usual order', () => {
    const bars = pillarBars({ n: 10, mean_score_0_100: 50, pillars: { AC: share(0.5, 20), ABS: share(0.6, 30), SSN: share(0.4, 15), AST: share(0.7, 35) } });
    expect(bars.map((b) => b.pillar)).toEqual(['ABS', 'AST', 'SSN', 'AC']);
    expect(bars[1]).toEqual({ pillar: 'AST', share: 35, cor: 0.7 });
  });
  it('turns missing numbers into NaN', () => {
    const bars = pillarBars({ n: 1, mean_score_0_100: null, pillars: { ABS: { cor_with_rci: null, share_pct: null } } });
    expect(Number.isNaN(bars[0].share)).toBe(true);
  });
  it('makes one table per profile with groups in order', () => {
    const t = profileTables([group('region', 'West', 300), group('region', 'East', 200), group('head_female', '1', 100), group('head_female', '0', 400)]);
    expect(t.map((x) => x.profile)).toEqual(['region', 'head_female']);
    expect(t[0].groups.map((g) => g.group)).toEqual(['East', 'West']);
    expect(t[1].groups.map((g) => g.group)).toEqual(['0', '1']);
    expect(t[1].groups[1].mean).toBe(51);
  });
  it('labels profiles and coded groups in both languages', () => {
    expect(profileKey('head_female')).toBe('rima.profile.head_female');
    expect(profileKey('district')).toBeNull();
    const k = groupKey('head_female', '1')!;
    expect(en[k]).toBe('Female-headed');
    expect(mn[k]).toBe('Эмэгтэй тэргүүнтэй');
    expect(groupKey('region', 'West')).toBeNull();
  });
});

describe('a household explained', () => {
  const e: ExplanationJson = {
    household: 'HH00001',
    model_version: 'v1',
    rci: 1.2,
    score_0_100: 43.2,
    quintile: 2,
    average_score_0_100: 50,
    pillars: [
      { name: 'AC', score: 0.1, contribution: 0, points: 1, variables: [] },
      {
        name: 'ABS',
        score: -0.3,
        contribution: 0,
        points: -4,
        variables: [
          { name: 'abs_elec', value: 1, z: 0.2, points: 0.5 },
          { name: 'abs_water', value: 28, z: -1, points: -3 },
        ],
      },
    ],
    food_security: [{ name: 'FS1', value: 43, z: 0.1, points: 0.2 }],
  };
  it('orders pillars and puts the indicators that move the score most first', () => {
    const p = explanationPillars(e);
    expect(p.map((x) => x.name)).toEqual(['ABS', 'AC']);
    expect(p[0].variables.map((v) => v.name)).toEqual(['abs_water', 'abs_elec']);
    expect(e.pillars[1].variables[0].name).toBe('abs_elec'); // The answer is not changed.
  });
  it('finds a common scale', () => {
    expect(maxAbs(e.pillars)).toBe(4);
    expect(maxAbs([], 1)).toBe(1);
  });
  it('labels indicators by name or survey column, in both languages', () => {
    expect(en[variableKey('abs_water')!]).toBe('Time to drinking water');
    expect(mn[variableKey('FS1', 'fcs')!]).toBe('Хүнсний хэрэглээний оноо');
    expect(variableKey('FS9')).toBeNull();
  });
  it('maps server errors to the field they name', () => {
    expect(rimaFieldOf('survey_csv', 'INVALID_ARGUMENT', false)).toBe('survey');
    expect(rimaFieldOf('spec', 'INVALID_ARGUMENT', false)).toBe('spec');
    expect(rimaFieldOf('model_version', 'NOT_FOUND', false)).toBe('model');
    expect(rimaFieldOf(null, 'NOT_FOUND', true)).toBe('household');
    expect(rimaFieldOf(null, 'NOT_FOUND', false)).toBe('model');
    expect(rimaFieldOf(null, 'INTERNAL', true)).toBeNull();
  });
});

describe('the survey file', () => {
  it('splits quoted CSV fields', () => {
    expect(csvFields('"a","b,c",3,"say ""hi"""')).toEqual(['a', 'b,c', '3', 'say "hi"']);
  });
  it('lists household ids of the id column', () => {
    const text = '\uFEFF"region","hhid","x"\r\n"West","HH1",1\r\n"East","HH2",2\r\n"East","HH1",3\r\n\r\n';
    expect(surveyIds(text)).toEqual({ column: 'hhid', ids: ['HH1', 'HH2'] });
    expect(surveyIds(text, 'region').ids).toEqual(['West', 'East']);
    expect(surveyIds('id,x\nA,1\nB,2\n', 'nope').ids).toEqual(['A', 'B']);
    expect(surveyIds('id,x\nA,1\nB,2\nC,3\n', undefined, 2).ids).toEqual(['A', 'B']);
  });
});

describe('bars', () => {
  it('draws bars to scale, diverging from the middle', () => {
    expect(barBox(50, 100, false)).toEqual([0, 50]);
    expect(barBox(200, 100, false)).toEqual([0, 100]);
    expect(barBox(2, 4, true)).toEqual([50, 25]);
    expect(barBox(-4, 4, true)).toEqual([0, 50]);
    expect(barBox(NaN, 4, true)).toEqual([0, 0]);
    expect(barBox(1, 0, false)).toEqual([0, 0]);
  });
});
