import { describe, expect, it } from 'vitest';
import { focusLost } from './focus';

describe('focusLost', () => {
  const body = { isConnected: true };
  const main = { isConnected: true };
  it('is lost on nothing, on the body and on main', () => {
    expect(focusLost(null, body, main)).toBe(true);
    expect(focusLost(body, body, main)).toBe(true);
    expect(focusLost(main, body, main)).toBe(true);
  });
  it('is lost on an element that left the page (the clicked menu link)', () => {
    expect(focusLost({ isConnected: false }, body, main)).toBe(true);
  });
  it('is kept where a page or a person put it', () => {
    expect(focusLost({ isConnected: true }, body, main)).toBe(false);
  });
});
