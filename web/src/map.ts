// Offline maps: aimag and soum polygons shipped in public/data, drawn as SVG
// with d3-geo (no tile server). Each area is a keyboard-focusable button
// labelled with its name and value.
import { geoConicEqualArea, geoPath } from 'd3-geo';
import type { FeatureCollection, Geometry } from 'geojson';
import { colourOf, quantileBreaks, CLASS_COLOURS } from './choropleth';
import { h } from './dom';

export type AreaCollection = FeatureCollection<Geometry, { nso_code: string; aimag_nso_code?: string }>;

const cache = new Map<string, Promise<AreaCollection>>();
function load(url: string): Promise<AreaCollection> {
  let p = cache.get(url);
  if (!p) {
    p = fetch(url).then((r) => {
      if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
      return r.json() as Promise<AreaCollection>;
    });
    p.catch(() => cache.delete(url));
    cache.set(url, p);
  }
  return p;
}
export const loadAimags = () => load('/data/aimags.geojson');
export const loadSoums = (aimag: number) => load(`/data/soums/${aimag}.geojson`);

export interface MapOptions {
  areas: AreaCollection;
  values: Map<number, number>;
  label: (code: number) => string; // Accessible name incl. value.
  title: string;
  selected?: number;
  onPick?: (code: number) => void;
  width?: number;
  height?: number;
}

const SVG = 'http://www.w3.org/2000/svg';

export function drawMap(opts: MapOptions): { svg: SVGSVGElement; breaks: number[] } {
  const width = opts.width ?? 640;
  const height = opts.height ?? 360;
  // Equal-area conic centred on Mongolia.
  const projection = geoConicEqualArea().parallels([43, 50]).rotate([-103, 0]);
  projection.fitExtent(
    [
      [4, 4],
      [width - 4, height - 4],
    ],
    opts.areas,
  );
  const path = geoPath(projection);
  const breaks = quantileBreaks([...opts.values.values()]);
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('class', 'map');
  svg.setAttribute('role', 'group');
  svg.setAttribute('aria-label', opts.title);
  for (const f of opts.areas.features) {
    const code = Number(f.properties.nso_code);
    const d = path(f);
    if (!d) continue;
    const p = document.createElementNS(SVG, 'path');
    p.setAttribute('d', d);
    p.setAttribute('fill', colourOf(opts.values.get(code), breaks));
    p.setAttribute('data-code', String(code));
    p.setAttribute('class', code === opts.selected ? 'area selected' : 'area');
    const name = opts.label(code);
    const t = document.createElementNS(SVG, 'title');
    t.textContent = name;
    p.appendChild(t);
    if (opts.onPick) {
      const pick = opts.onPick;
      p.setAttribute('tabindex', '0');
      p.setAttribute('role', 'button');
      p.setAttribute('aria-label', name);
      p.addEventListener('click', () => pick(code));
      p.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          pick(code);
        }
      });
    }
    svg.appendChild(p);
  }
  return { svg, breaks };
}

// The legend for `breaks` with numbers formatted by `fmt`.
export function legend(title: string, breaks: number[], fmt: (n: number) => string): HTMLElement {
  const items: HTMLElement[] = [];
  const n = breaks.length + 1;
  for (let i = 0; i < n; i++) {
    const lo = i === 0 ? null : breaks[i - 1];
    const hi = i < breaks.length ? breaks[i] : null;
    const text = lo === null ? (hi === null ? '' : `< ${fmt(hi)}`) : hi === null ? `≥ ${fmt(lo)}` : `${fmt(lo)} – ${fmt(hi)}`;
    items.push(
      h('li', null, h('span', { class: 'swatch', style: `background:${CLASS_COLOURS[i]}`, 'aria-hidden': 'true' }), text),
    );
  }
  return h('figure', { class: 'legend' }, h('figcaption', null, title), h('ul', null, items));
}
