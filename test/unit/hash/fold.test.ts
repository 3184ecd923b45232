import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { equalFold, foldRune, strToFold } from '../../../src/go/fold.js';

// Go 1.19 strings.EqualFold / unicode.SimpleFold orbits (Unicode 13.0.0); the whole
// table is compared with Go in test/interop/hash/reader.test.ts.
describe('equalFold', () => {
  it.each([
    ['go.mod', 'GO.MOD', true],
    ['k', '\u212a', true], // KELVIN SIGN
    ['s', '\u017f', true], // LATIN SMALL LETTER LONG S
    ['\u00df', '\u1e9e', true], // ß and ẞ
    ['\u03c3', '\u03c2', true], // σ and final ς
    ['\u03a3', '\u03c2', true],
    ['\u00c5', '\u212b', true], // Å and ANGSTROM SIGN
    ['i', '\u0130', false], // İ has no simple fold to i
    ['ss', '\u00df', false], // full folding is not simple folding
    ['a.go', 'a.go ', false],
  ])('%j vs %j: %s', (a, b, want) => {
    expect(equalFold(a, b)).toBe(want);
  });

  it('maps A-Z to a-z and leaves plain lower-case ASCII alone', () => {
    expect(strToFold('Hello/World.GO')).toBe('hello/world.go');
    expect(strToFold('already/lower.go')).toBe('already/lower.go');
  });

  // strToFold answers ASCII names without the rune table, as Go's fast path does: it
  // must give what folding each rune gives, on any string.
  it('folds ASCII and non-ASCII strings rune by rune', () => {
    const byRune = (s: string) =>
      Array.from(s, (ch) => {
        const cp = ch.codePointAt(0) ?? 0xfffd;
        return String.fromCodePoint(foldRune(cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp));
      }).join('');
    const text = fc.oneof(
      fc.string({ unit: 'binary-ascii' }),
      fc.string({ unit: 'grapheme' }),
      fc.string({ unit: fc.constantFrom('a', 'Z', 'K', '\u212a', '\u017f', '/', '\ud800', 'é') }),
    );
    fc.assert(
      fc.property(text, (s) => strToFold(s) === byRune(s)),
      { numRuns: 2000 },
    );
  });
});
