// The map picker's severity cycle and shared state (./severity_pick.ts).
import { describe, expect, it } from 'vitest';
import { cycleSeverity, nextSeverity, setSeverity, severityColour, severityOf, SEVERITY_COLOURS, UNAFFECTED_COLOUR, type PickSeverity } from './severity_pick';
import { soumsCsv, SEVERITIES } from './pages/response';

describe('nextSeverity', () => {
  it('cycles none -> low -> medium -> high -> very high -> none', () => {
    expect(nextSeverity(null)).toBe('low');
    expect(nextSeverity(undefined)).toBe('low');
    expect(nextSeverity('low')).toBe('medium');
    expect(nextSeverity('medium')).toBe('high');
    expect(nextSeverity('high')).toBe('very_high');
    expect(nextSeverity('very_high')).toBeNull();
  });
});

describe('cycleSeverity', () => {
  it('fills and empties the shared state, one soum at a time', () => {
    const picked = new Map<number, PickSeverity>();
    expect(cycleSeverity(picked, 18140)).toBe('low');
    expect(cycleSeverity(picked, 18110)).toBe('low');
    expect(cycleSeverity(picked, 18110)).toBe('medium');
    expect([...picked]).toEqual([
      [18140, 'low'],
      [18110, 'medium'],
    ]);
    // The state is what the form submits.
    expect(soumsCsv([...picked].map(([code, severity]) => ({ code, severity })))).toBe('soum_code,severity\n18110,medium\n18140,low\n');
    for (let i = 0; i < 3; i++) cycleSeverity(picked, 18110);
    expect(picked.has(18110)).toBe(false);
    expect(picked.get(18140)).toBe('low');
  });

  it('continues from a severity chosen on the list', () => {
    const picked = new Map<number, PickSeverity>();
    setSeverity(picked, 18125, 'high');
    expect(cycleSeverity(picked, 18125)).toBe('very_high');
    expect(cycleSeverity(picked, 18125)).toBeNull();
    expect(picked.size).toBe(0);
  });
});

describe('setSeverity and severityOf', () => {
  it('reads list values; empty or unknown means not affected', () => {
    const picked = new Map<number, PickSeverity>([[18149, 'low']]);
    expect(setSeverity(picked, 18149, severityOf(''))).toBeNull();
    expect(picked.size).toBe(0);
    expect(severityOf('very_high')).toBe('very_high');
    expect(severityOf('extreme')).toBeNull();
    for (const s of SEVERITIES) expect(severityOf(s)).toBe(s);
  });
});

describe('severityColour', () => {
  it('gives each severity its own colour, grey when not affected', () => {
    expect(severityColour(null)).toBe(UNAFFECTED_COLOUR);
    expect(severityColour(undefined)).toBe(UNAFFECTED_COLOUR);
    const colours = SEVERITIES.map((s) => severityColour(s));
    expect(new Set([...colours, UNAFFECTED_COLOUR]).size).toBe(5);
    expect(colours).toEqual(SEVERITIES.map((s) => SEVERITY_COLOURS[s]));
  });
});
