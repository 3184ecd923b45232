import { describe, expect, it } from 'vitest';
import { timerMs } from '../../src/timers.js';

describe('timerMs', () => {
  it('rounds a delay up to whole milliseconds, so a timer never fires early', () => {
    expect(timerMs(0.2)).toBe(1);
    expect(timerMs(1.5)).toBe(2);
    expect(timerMs(2000)).toBe(2000);
    const deadline = Date.now() + 2000;
    const left = timerMs(deadline - Date.now());
    expect(Number.isInteger(left)).toBe(true);
    expect(left).toBeGreaterThanOrEqual(1);
    expect(left).toBeLessThanOrEqual(2000);
  });

  it('keeps delays within the small-integer range', () => {
    expect(timerMs(0)).toBe(1);
    expect(timerMs(-5)).toBe(1);
    expect(timerMs(2 ** 40)).toBe(2 ** 30 - 1);
    expect(timerMs(Infinity)).toBe(2 ** 30 - 1);
  });
});
