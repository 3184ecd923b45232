import { describe, expect, it } from 'vitest';
import { quote } from '../../../src/go/errors.js';
import { spellName } from '../../../src/go/strings.js';

// Expected values printed by Go 1.19's fmt.Printf("%q\n", s) for the same strings.
describe('quote', () => {
  it.each([
    ['a"b\\c', String.raw`"a\"b\\c"`],
    ['\x00\x07\b\f\n\r\t\v\x1b\x7f', String.raw`"\x00\a\b\f\n\r\t\v\x1b\x7f"`],
    ['é\u00a0\u200b\ufeff', String.raw`"é\u00a0\u200b\ufeff"`],
    ['𝒜\u{e0001}', String.raw`"𝒜\U000e0001"`],
    ['ok path/x.go', '"ok path/x.go"'],
    ['\u2028', String.raw`"\u2028"`],
  ])('quotes %j as Go %%q does', (s, want) => {
    expect(quote(s)).toBe(want);
  });

  it('writes a byte that is not UTF-8 as the \\xNN Go writes', () => {
    expect(quote(spellName(Buffer.from([0x64, 0x2f, 0xfe, 0x41])))).toBe(String.raw`"d/\xfeA"`);
  });
});
