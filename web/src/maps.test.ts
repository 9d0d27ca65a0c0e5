// The shipped offline maps: every polygon is wound as d3-geo expects (else
// it is drawn as the rest of the globe) and every area has a name.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { geoArea } from 'd3-geo';
import { describe, expect, it } from 'vitest';
import type { AreaCollection } from './map';
import { Units, type Unit } from './units';

const dir = fileURLToPath(new URL('../public/data', import.meta.url));
const read = <T>(f: string): T => JSON.parse(readFileSync(join(dir, f), 'utf8')) as T;
const units = new Units(read<Unit[]>('units.json'));
const aimags = read<AreaCollection>('aimags.geojson');
const soumFiles = readdirSync(join(dir, 'soums'));

describe('offline maps', () => {
  it('have 22 aimags and 339 soums, each with a name in both scripts', () => {
    expect(aimags.features.length).toBe(22);
    let soums = 0;
    for (const f of soumFiles) {
      const fc = read<AreaCollection>(join('soums', f));
      for (const s of fc.features) {
        const u = units.get(Number(s.properties.nso_code));
        expect(u, s.properties.nso_code).toBeDefined();
        expect(u!.aimag).toBe(Number(f.replace('.geojson', '')));
        expect(u!.mn).toMatch(/[А-ЯӨҮа-яөү]/);
        soums++;
      }
    }
    expect(soums).toBe(339);
    for (const a of aimags.features) expect(units.get(Number(a.properties.nso_code))?.en).toBeTruthy();
  });
  it('wind every polygon for d3-geo (each covers a tiny part of the sphere)', () => {
    const all = [aimags, ...soumFiles.map((f) => read<AreaCollection>(join('soums', f)))];
    for (const fc of all) {
      for (const f of fc.features) expect(geoArea(f) / (4 * Math.PI), f.properties.nso_code).toBeLessThan(0.001);
    }
  });
  it('names units in the chosen script', () => {
    expect(units.name('mn', 18140)).toBe('Тосонцэнгэл');
    expect(units.name('en', 18140)).toBe('Tosontsengel');
    expect(units.fullName('en', 18140)).toBe('Tosontsengel, Zavkhan');
    expect(units.name('en', 99999)).toBe('99999');
    expect(units.soumsIn(18140).map((u) => u.code)).toEqual([18140]);
    expect(units.soumsIn(181).length).toBeGreaterThan(20);
  });
});
