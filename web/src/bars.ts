// Horizontal bar charts as tables: each row has its label (a row header),
// a bar drawn to scale and the number in words, so screen readers, print
// and narrow phones get the same figures as the eye. Diverging charts put
// zero in the middle: bars to the right are above it, to the left below.
import { h } from './dom';

export interface Bar {
  label: string;
  value: number; // On the chart's scale; NaN draws no bar.
  text: string; // The value as shown.
  note?: string; // A second line under the label.
  testid?: string;
}

export interface BarChartOptions {
  caption: string;
  bars: Bar[];
  max?: number; // The value of a full bar (default: the largest |value|).
  diverging?: boolean;
  testid?: string;
}

const POSITIVE = '#2a6fb0';
const NEGATIVE = '#c2570c';

// The bar's box in percent of the track: [left, width].
export function barBox(value: number, max: number, diverging: boolean): [number, number] {
  if (!Number.isFinite(value) || !(max > 0)) return [0, 0];
  const f = Math.min(1, Math.abs(value) / max);
  if (!diverging) return [0, f * 100];
  return value >= 0 ? [50, f * 50] : [50 - f * 50, f * 50];
}

export function barChart(o: BarChartOptions): HTMLElement {
  const max = o.max ?? Math.max(0, ...o.bars.map((b) => Math.abs(b.value)).filter(Number.isFinite));
  const rows = o.bars.map((b) => {
    const [left, width] = barBox(b.value, max, !!o.diverging);
    const colour = o.diverging && b.value < 0 ? NEGATIVE : POSITIVE;
    const track = h(
      'span',
      { 'aria-hidden': 'true', style: 'display:block;position:relative;height:14px;min-width:60px;background:#eef2f6;border-radius:2px' },
      o.diverging ? h('span', { style: 'position:absolute;left:50%;top:-2px;bottom:-2px;border-left:1px solid #555' }) : null,
      h('span', { style: `position:absolute;top:0;bottom:0;left:${left.toFixed(2)}%;width:${width.toFixed(2)}%;background:${colour}` }),
    );
    return h(
      'tr',
      { 'data-testid': b.testid ?? null },
      h('th', { scope: 'row', style: 'font-weight:normal;text-align:left' }, b.label, b.note ? h('br') : null, b.note ? h('small', null, b.note) : null),
      h('td', { style: 'width:45%' }, track),
      h('td', { class: 'num', style: 'white-space:nowrap' }, b.text),
    );
  });
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'bars', 'data-testid': o.testid ?? null, style: 'width:100%' },
      h('caption', { style: 'text-align:left;font-weight:bold' }, o.caption),
      h('tbody', null, rows),
    ),
  );
}
