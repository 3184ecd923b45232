import { describe, expect, it } from 'vitest';
import { quote } from '../../../src/go/errors.js';
import { fields, spellBytes } from '../../../src/go/strings.js';

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
    expect(quote(spellBytes(Buffer.from([0x64, 0x2f, 0xfe, 0x41])))).toBe(String.raw`"d/\xfeA"`);
  });
});

// Go 1.19.8: fmt.Printf("%q", s) and len(strings.Fields("a "+s+" b")) for the same bytes.
describe('spellBytes', () => {
  it.each([
    [[0x61, 0xff, 0x62], String.raw`"a\xffb"`],
    [[0xc3, 0xa9, 0xff], String.raw`"é\xff"`],
    [[0xc0, 0x80], String.raw`"\xc0\x80"`],
    [[0xed, 0xa0, 0x80], String.raw`"\xed\xa0\x80"`],
    [[0xe2, 0x82, 0x28], String.raw`"\xe2\x82("`],
    [[0xf0, 0x9f, 0x98, 0x80], '"😀"'],
    [[0xf4, 0x90, 0x80, 0x80], String.raw`"\xf4\x90\x80\x80"`],
    [[0xe0, 0x80, 0x80], String.raw`"\xe0\x80\x80"`],
    [[0xf0, 0x80, 0x80, 0x80], String.raw`"\xf0\x80\x80\x80"`],
    [[0xc2], String.raw`"\xc2"`],
    [[0xc2, 0xa0, 0x78], String.raw`"\u00a0x"`],
    [[0x80, 0xbf], String.raw`"\x80\xbf"`],
  ])('spells %j so that quote writes %s, as Go does', (bytes, want) => {
    const s = spellBytes(new Uint8Array(bytes));
    expect(quote(s)).toBe(want);
    expect(fields(`a ${s} b`)).toHaveLength(3);
  });

  it('is TextDecoder for UTF-8 text', () => {
    const text = 'example.com/a v1.0.0 h1:x\n\u00e9\u{1f600}\n';
    expect(spellBytes(new TextEncoder().encode(text))).toBe(text);
  });
});
