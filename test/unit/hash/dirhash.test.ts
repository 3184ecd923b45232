import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hash1, hash1FromDigests, hashGoMod } from '../../../src/hash/dirhash.js';
import { ZipError } from '../../../src/hash/errors.js';

const hex = (s: string) => createHash('sha256').update(s).digest('hex');
const htop = (s: string) => 'h1:' + createHash('sha256').update(s).digest('base64');
const openText = (name: string) => [new TextEncoder().encode('data for ' + name)];

describe('hash1', () => {
  // Source: x/mod sumdb/dirhash/hash_test.go TestHash1.
  it('hashes the sorted lines "hex  name\\n"', async () => {
    const want = htop(`${hex('data for abc')}  abc\n${hex('data for xyz')}  xyz\n`);
    expect(await hash1(['xyz', 'abc'], openText)).toBe(want);
  });

  it('refuses a name containing a newline', async () => {
    await expect(hash1(['xyz', 'a\nbc'], openText)).rejects.toMatchObject({
      code: 'HASH_NAME_NEWLINE',
    });
    await expect(hash1(['a\nbc'], openText)).rejects.toBeInstanceOf(ZipError);
  });

  // GO-FACTS §1 (verified with Go 1.19.8): U+FF21 sorts before U+1F600 in UTF-8 byte
  // order although its UTF-16 code unit is larger than the surrogate 0xD83D.
  it('sorts names by UTF-8 bytes, not UTF-16 code units', async () => {
    const a = '\uff21';
    const b = '\u{1f600}';
    const want = htop(`${hex('data for ' + a)}  ${a}\n${hex('data for ' + b)}  ${b}\n`);
    expect(await hash1([b, a], openText)).toBe(want);
    expect([b, a].sort()).toEqual([b, a]); // JS order differs, so the test can fail
  });

  it('hashes duplicate names once per occurrence', () => {
    const d = createHash('sha256').update('x').digest();
    const want = htop(`${d.toString('hex')}  a\n${d.toString('hex')}  a\n`);
    expect(
      hash1FromDigests([
        { name: 'a', digest: d },
        { name: 'a', digest: d },
      ]),
    ).toBe(want);
  });

  it('reads content chunk by chunk', async () => {
    const chunks = async function* () {
      yield new TextEncoder().encode('data for ');
      yield new TextEncoder().encode('abc');
    };
    expect(await hash1(['abc'], () => chunks())).toBe(htop(`${hex('data for abc')}  abc\n`));
  });

  it('takes a digest as bytes or lowercase hex alike, and refuses anything else', () => {
    const d = createHash('sha256').update('x').digest();
    const want = htop(`${d.toString('hex')}  a\n`);
    expect(hash1FromDigests([{ name: 'a', digest: d }])).toBe(want);
    expect(hash1FromDigests([{ name: 'a', digest: d.toString('hex') }])).toBe(want);
    for (const digest of ['ab', d.toString('hex').toUpperCase(), d.toString('hex') + '00']) {
      expect(() => hash1FromDigests([{ name: 'a', digest }])).toThrow(/not a SHA-256 digest/);
    }
    expect(() => hash1FromDigests([{ name: 'a', digest: d.subarray(1) }])).toThrow(
      /not a SHA-256 digest/,
    );
  });

  it('checks names for newlines in sorted order, as Go does', () => {
    const d = new Uint8Array(32);
    const names = (err: unknown) => (err as ZipError).entry;
    let thrown: unknown;
    try {
      hash1FromDigests([
        { name: 'b\n', digest: d },
        { name: 'a\n', digest: d },
      ]);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ code: 'HASH_NAME_NEWLINE' });
    expect(names(thrown)).toBe(JSON.stringify('a\n'));
  });

  it('refuses a name with a lone surrogate', () => {
    const d = new Uint8Array(32);
    expect(() => hash1FromDigests([{ name: '\ud800', digest: d }])).toThrow(ZipError);
  });
});

describe('hashGoMod', () => {
  // GO-FACTS §1, verified with Go 1.19.8.
  it.each([
    ['', 'h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY='],
    ['module example.com/x\n', 'h1:cq1Wlc5Q/3TKMd9Nt+I/D/H5kAJrHbzSCzH20/f7O0w='],
  ])('hashes %j as %s', (text, want) => {
    expect(hashGoMod(new TextEncoder().encode(text))).toBe(want);
  });

  it('does not normalize line endings', () => {
    const lf = hashGoMod(new TextEncoder().encode('module m\n'));
    const crlf = hashGoMod(new TextEncoder().encode('module m\r\n'));
    expect(crlf).not.toBe(lf);
  });
});
