// Picking affected soums and their severity on the declare-event form
// (pages/response.ts): the map and the list share one state, a map from
// soum code to severity (soums not in it are not affected). Pure, no DOM;
// unit-tested in ./severity_pick.test.ts.

export type PickSeverity = 'very_high' | 'high' | 'medium' | 'low';

// A click (or Enter/Space) on a soum moves it along this cycle; null is
// "not affected".
export const SEVERITY_CYCLE: readonly (PickSeverity | null)[] = [null, 'low', 'medium', 'high', 'very_high'];

// Fill colours by severity (a sequential orange-red scale, darkest for the
// worst); unaffected soums are light grey.
export const SEVERITY_COLOURS: Readonly<Record<PickSeverity, string>> = {
  low: '#fdd49e',
  medium: '#fc8d59',
  high: '#d7301f',
  very_high: '#7f0000',
};
export const UNAFFECTED_COLOUR = '#f2f2f2';

export function severityColour(s: PickSeverity | null | undefined): string {
  return s ? SEVERITY_COLOURS[s] : UNAFFECTED_COLOUR;
}

// The severity after `s` in the cycle (very high -> not affected).
export function nextSeverity(s: PickSeverity | null | undefined): PickSeverity | null {
  const i = SEVERITY_CYCLE.indexOf(s ?? null);
  return SEVERITY_CYCLE[(i + 1) % SEVERITY_CYCLE.length];
}

// Sets the severity of `code` in `picked` (null removes it); returns it.
export function setSeverity(picked: Map<number, PickSeverity>, code: number, s: PickSeverity | null): PickSeverity | null {
  if (s) picked.set(code, s);
  else picked.delete(code);
  return s;
}

// Moves `code` one step along the cycle in `picked`; returns its new
// severity (null: no longer affected).
export function cycleSeverity(picked: Map<number, PickSeverity>, code: number): PickSeverity | null {
  return setSeverity(picked, code, nextSeverity(picked.get(code)));
}

// A list <select> value ('' or a severity) as a severity; anything else is
// "not affected".
export function severityOf(value: string): PickSeverity | null {
  return (SEVERITY_CYCLE as readonly (string | null)[]).includes(value) && value !== '' ? (value as PickSeverity) : null;
}
