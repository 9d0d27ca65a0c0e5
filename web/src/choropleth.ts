// Class breaks and colours for choropleth maps (pure, unit-tested).
// Five quantile classes on a sequential blue scale whose darkest classes
// carry white labels; areas without data are light grey.
export const CLASS_COLOURS = ['#deebf7', '#9ecae1', '#6baed6', '#3182bd', '#08519c'];
export const NO_DATA_COLOUR = '#eeeeee';

// Up to 4 increasing thresholds splitting `values` into 5 classes of about
// equal size. Duplicate thresholds are dropped.
export function quantileBreaks(values: number[], classes = CLASS_COLOURS.length): number[] {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return [];
  const breaks: number[] = [];
  for (let i = 1; i < classes; i++) {
    const b = v[Math.min(v.length - 1, Math.floor((i * v.length) / classes))];
    if (breaks.length === 0 || b > breaks[breaks.length - 1]) breaks.push(b);
  }
  if (breaks[0] === v[0]) breaks.shift();
  return breaks;
}

// The class index of `value`: the number of breaks at or below it.
export function classOf(value: number, breaks: number[]): number {
  let c = 0;
  while (c < breaks.length && value >= breaks[c]) c++;
  return c;
}

export function colourOf(value: number | undefined, breaks: number[]): string {
  if (value === undefined || !Number.isFinite(value)) return NO_DATA_COLOUR;
  return CLASS_COLOURS[Math.min(CLASS_COLOURS.length - 1, classOf(value, breaks))];
}
