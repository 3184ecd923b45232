import { describe, expect, it } from 'vitest';
import { boundText, evidenceOf, MAX_QUOTED } from '../../../src/check/findings.js';
import { isValidUtf8 } from '../../../src/go/strings.js';

const answer = {
  witness: 'proxy A',
  role: 'proxy' as const,
  url: 'http://127.0.0.1:1/m/@v/v1.0.0.zip',
};

describe('boundText', () => {
  it('keeps text of at most MAX_QUOTED characters as it is', () => {
    const text = 'é'.repeat(MAX_QUOTED);
    expect(boundText(text)).toBe(text);
    expect(boundText('')).toBe('');
  });

  it('cuts longer text after MAX_QUOTED characters and says how many it cut', () => {
    const text = 'x'.repeat(MAX_QUOTED) + 'y'.repeat(1000);
    expect(boundText(text)).toBe(`${'x'.repeat(MAX_QUOTED)}… [1000 more characters cut]`);
  });

  it('counts characters, not UTF-16 units, and never cuts a character in two', () => {
    const text = '😀'.repeat(MAX_QUOTED + 3);
    const cut = boundText(text);
    expect(cut).toBe(`${'😀'.repeat(MAX_QUOTED)}… [3 more characters cut]`);
    expect(isValidUtf8(cut)).toBe(true);
  });
});

describe('evidenceOf', () => {
  it("bounds a witness's error message, keeping its code", () => {
    const message = `reading ${answer.url}: 500\n\t${'z'.repeat(100_000)}`;
    const error = { code: 'HTTP_STATUS', kind: 'unavailable' as const, message };
    const ev = evidenceOf({ ...answer, error });
    expect(ev.error).toBe(`${boundText(message)} (HTTP_STATUS)`);
    expect(ev.error?.length).toBeLessThan(MAX_QUOTED + 100);
  });
});
