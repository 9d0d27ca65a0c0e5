// Copies the reference maps and unit names from ../shared/data into
// web/public/data for offline use. Coordinates are rounded to 3 decimals
// (about 100 m, below the 300 m simplification of the source) to keep the
// download small. Run once when the reference data changes:
//   node tools/prepare-data.mjs [SHARED_DATA_DIR]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const src = process.argv[2] ?? join(here, '..', '..', '..', 'shared', 'data');
const out = join(here, '..', 'public', 'data');

function round(c) {
  if (typeof c[0] === 'number') return [Math.round(c[0] * 1e3) / 1e3, Math.round(c[1] * 1e3) / 1e3];
  const r = c.map(round);
  // Drop consecutive duplicates created by rounding.
  if (typeof r[0][0] === 'number') {
    return r.filter((p, i) => i === 0 || p[0] !== r[i - 1][0] || p[1] !== r[i - 1][1]);
  }
  return r;
}

// d3-geo wants exterior rings clockwise and holes anticlockwise (the
// opposite of RFC 7946); otherwise a polygon is read as the rest of the
// globe. Orientation by the planar shoelace sum in lon/lat.
function signedArea(ring) {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    a += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  }
  return a; // < 0: clockwise.
}
function rewindPolygon(rings) {
  return rings.map((r, i) => {
    const clockwise = signedArea(r) < 0;
    return (i === 0) === clockwise ? r : [...r].reverse();
  });
}
function rewind(geometry) {
  if (geometry.type === 'Polygon') return { ...geometry, coordinates: rewindPolygon(geometry.coordinates) };
  if (geometry.type === 'MultiPolygon') return { ...geometry, coordinates: geometry.coordinates.map(rewindPolygon) };
  return geometry;
}

function shrink(file, keep) {
  const fc = JSON.parse(readFileSync(join(src, file), 'utf8'));
  return {
    type: 'FeatureCollection',
    features: fc.features.map((f) => ({
      type: 'Feature',
      properties: Object.fromEntries(keep.map((k) => [k, f.properties[k]])),
      geometry: rewind({ type: f.geometry.type, coordinates: round(f.geometry.coordinates) }),
    })),
  };
}

// RFC 4180 enough for this file (no embedded newlines).
function parseCsv(text) {
  const rows = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line) continue;
    const cells = [];
    let cur = '';
    let q = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (q) {
        if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; }
        else if (ch === '"') q = false;
        else cur += ch;
      } else if (ch === '"') q = true;
      else if (ch === ',') { cells.push(cur); cur = ''; }
      else cur += ch;
    }
    cells.push(cur);
    rows.push(cells);
  }
  return rows;
}

writeFileSync(join(out, 'aimags.geojson'),
  JSON.stringify(shrink('mn_aimags_simplified.geojson', ['nso_code'])));
// Soums are split by aimag so a drill-down loads only the aimag's own map.
const soums = shrink('mn_soums_simplified.geojson', ['nso_code', 'aimag_nso_code']);
mkdirSync(join(out, 'soums'), { recursive: true });
const byAimag = new Map();
for (const f of soums.features) {
  const a = f.properties.aimag_nso_code;
  if (!byAimag.has(a)) byAimag.set(a, []);
  byAimag.get(a).push(f);
}
for (const [a, features] of byAimag) {
  writeFileSync(join(out, 'soums', `${a}.geojson`),
    JSON.stringify({ type: 'FeatureCollection', features }));
}

const [header, ...rows] = parseCsv(readFileSync(join(src, 'mn_admin_units.csv'), 'utf8'));
const col = (n) => header.indexOf(n);
const units = rows.map((r) => ({
  code: Number(r[col('nso_code')]),
  level: r[col('level')],
  aimag: Number(r[col('aimag_nso_code')]),
  en: r[col('name_en')],
  mn: r[col('name_mn')],
}));
writeFileSync(join(out, 'units.json'), JSON.stringify(units));
console.log(`wrote ${units.length} units and two maps to ${out}`);
