import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GoError } from '../../../src/go/errors.js';
import { EMPTY_GO_MOD_HASH, formatGoSum, goSumError, parseGoSum } from '../../../src/go/gosum.js';
import { spellBytes } from '../../../src/go/strings.js';

const testdata = join(import.meta.dirname, 'testdata');
const H_A = 'h1:cq1Wlc5Q/3TKMd9Nt+I/D/H5kAJrHbzSCzH20/f7O0w=';
const H_B = 'h1:6yULJ656Px+3vBD8DxQVa3kxgyrAnzto9xy5taEt/CY=';

describe('when parsing go.sum files the go command wrote', () => {
  // Sources: golang.org/x/mod v0.7.0 go.sum, Go 1.19 src/go.sum and src/cmd/go.sum
  // (Debian golang-golang-x-mod-dev, golang-1.19-src), copied verbatim.
  it.each(['xmod-v0.7.0.go.sum', 'go1.19-std.go.sum', 'go1.19-cmd.go.sum'])(
    '%s parses cleanly and formats back byte for byte',
    (name) => {
      const text = readFileSync(join(testdata, name), 'utf8');
      const sum = parseGoSum(text, name);
      expect(sum.errors).toEqual([]);
      expect(sum.conflicts).toEqual([]);
      expect(sum.lines.length).toBe(text.trim().split('\n').length);
      expect(goSumError(sum)).toBeUndefined();
      expect(formatGoSum(sum.lines)).toBe(text);
    },
  );

  it('reads the fields, kind and line number', () => {
    const sum = parseGoSum(
      `\nexample.com/a v1.0.0 ${H_A}\r\nexample.com/a  v1.0.0/go.mod\t${H_B}\n`,
    );
    expect(sum.lines).toEqual([
      { module: 'example.com/a', version: 'v1.0.0', kind: 'zip', hash: H_A, line: 2 },
      { module: 'example.com/a', version: 'v1.0.0', kind: 'go.mod', hash: H_B, line: 3 },
    ]);
  });
});

// Source: Go 1.19 cmd/go/internal/modfetch/fetch.go readGoSum, plus modguard's strict field checks.
describe('when a go.sum line is malformed', () => {
  it.each([
    ['example.com/a v1.0.0', /go\.sum:1: wrong number of fields 2/],
    [`example.com/a v1.0.0 ${H_A} extra`, /wrong number of fields 4/],
    [`Example.com/a v1.0.0 ${H_A}`, /malformed module path/],
    [`example.com/a 1.0.0 ${H_A}`, /not canonical semver/],
    [`example.com/a v1.0 ${H_A}`, /not canonical semver/],
    [`example.com/a v1.0.0+meta ${H_A}`, /not canonical semver/],
    [`example.com/a v2.0.0 ${H_A}`, /should be v0 or v1, not v2/],
    [`example.com/a v1.0.0/go.sum ${H_A}`, /not canonical semver/],
    [`example.com/a v1.0.0 h2:abc`, /unknown hash algorithm "h2:"/],
    [`example.com/a v1.0.0 sha256`, /no algorithm prefix/],
    [`example.com/a v1.0.0 h1:abc`, /not padded standard base64/],
    [`example.com/a v1.0.0 h1:${'A'.repeat(40)}====`, /not padded standard base64/],
    [`example.com/a v1.0.0 h1:${'A'.repeat(44)}`, /not 32 bytes/],
    [`example.com/a v1.0.0 h1:${'-'.repeat(43)}=`, /not padded standard base64/],
  ])('%j is reported', (line, message) => {
    const sum = parseGoSum(`${line}\n`);
    expect(sum.lines).toEqual([]);
    expect(sum.errors).toHaveLength(1);
    const err = sum.errors[0]!;
    expect(err).toBeInstanceOf(GoError);
    expect(err.code).toBe('GOSUM_SYNTAX');
    expect(err.file).toBe('go.sum');
    expect(err.line).toBe(1);
    expect(err.message).toMatch(message);
  });

  it('accepts +incompatible and pseudo-versions', () => {
    const sum = parseGoSum(
      `example.com/a v2.0.0+incompatible ${H_A}\nexample.com/a/v3 v3.0.1-0.20060102150405-abcdefabcdef/go.mod ${H_B}\n`,
    );
    expect(sum.errors).toEqual([]);
    expect(sum.lines.map((l) => l.version)).toEqual([
      'v2.0.0+incompatible',
      'v3.0.1-0.20060102150405-abcdefabcdef',
    ]);
  });

  it('reports every bad line, then fails once', () => {
    const sum = parseGoSum(`bad\nexample.com/a v1.0.0 ${H_A}\n\nworse line here too\n`, 'x/go.sum');
    expect(sum.errors.map((e) => e.line)).toEqual([1, 4]);
    expect(sum.lines).toHaveLength(1);
    const err = goSumError(sum);
    expect(err?.message).toMatch(/\(2 problems\)/);
    expect(err?.message).toMatch(/x\/go\.sum:1: /);
    expect(err?.message).toMatch(/x\/go\.sum:4: /);
  });
});

describe('when a line holds bytes that are not UTF-8', () => {
  // Go keeps such a line (readGoSum splits bytes); module.CheckPath then refuses the path.
  // Messages: Go 1.19.8 with x/mod v0.7.0, fmt.Println(module.CheckPath(path)).
  const spell = (...parts: (string | number[])[]) =>
    spellBytes(
      Buffer.concat(
        parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))),
      ),
    );

  it('reports it malformed, quoting each byte as Go does, not as U+FFFD', () => {
    const sum = parseGoSum(
      spell('example.com/', [0xff], ` v1.0.0 ${H_A}\nexample.com/é`, [0xff], ` 1.0 ${H_A}\n`),
    );
    expect(sum.errors.map((e) => e.message)).toEqual([
      String.raw`go.sum:1: malformed module path "example.com/\xff": invalid UTF-8`,
      String.raw`go.sum:2: "example.com/é\xff" "1.0": version is not canonical semver`,
    ]);
  });

  it('splits fields as Go does: a lone 0xA0 byte is not a space, U+00A0 is', () => {
    expect(parseGoSum(spell('example.com/a', [0xa0], `v1.0.0 ${H_A}\n`)).errors[0]?.message).toBe(
      'go.sum:1: wrong number of fields 2, want 3',
    );
    expect(parseGoSum(spell('example.com/a', [0xc2, 0xa0], `v1.0.0 ${H_A}\n`)).lines).toHaveLength(
      1,
    );
  });
});

describe('when a key repeats', () => {
  it('reports duplicates as data and formats them once', () => {
    const sum = parseGoSum(`example.com/a v1.0.0 ${H_A}\nexample.com/a v1.0.0 ${H_A}\n`);
    expect(sum.duplicates).toHaveLength(1);
    expect(sum.duplicates[0]?.first.line).toBe(1);
    expect(sum.duplicates[0]?.repeat.line).toBe(2);
    expect(goSumError(sum)).toBeUndefined();
    expect(formatGoSum(sum.lines)).toBe(`example.com/a v1.0.0 ${H_A}\n`);
  });

  it('reports conflicts and fails on them', () => {
    const sum = parseGoSum(
      `example.com/a v1.0.0 ${H_A}\nexample.com/a v1.0.0/go.mod ${H_A}\nexample.com/a v1.0.0 ${H_B}\n`,
    );
    expect(sum.conflicts).toHaveLength(1);
    expect(sum.conflicts[0]?.first.hash).toBe(H_A);
    expect(sum.conflicts[0]?.repeat.hash).toBe(H_B);
    expect(goSumError(sum)?.message).toMatch(/go\.sum:3: .*conflicts with line 1/);
    // WriteGoSum keeps both hashes, sorted.
    expect(formatGoSum(sum.lines)).toBe(
      `example.com/a v1.0.0 ${H_B}\nexample.com/a v1.0.0 ${H_A}\nexample.com/a v1.0.0/go.mod ${H_A}\n`,
    );
  });

  it('sets aside the legacy empty go.mod hash as the go command does (fetch.go:485)', () => {
    const sum = parseGoSum(
      `example.com/a v1.0.0/go.mod ${EMPTY_GO_MOD_HASH}\nNot/A/Path x ${EMPTY_GO_MOD_HASH}\n`,
    );
    expect(sum.lines).toEqual([]);
    expect(sum.errors).toEqual([]);
    expect(sum.legacy.map((l) => l.line)).toEqual([1, 2]);
  });
});

describe('formatGoSum (fetch.go WriteGoSum order)', () => {
  it('sorts by path, then semver, zip before go.mod', () => {
    const text = [
      `example.com/b v1.0.0 ${H_A}`,
      `example.com/a v1.10.0/go.mod ${H_A}`,
      `example.com/a v1.10.0 ${H_A}`,
      `example.com/a v1.9.0 ${H_A}`,
      `example.com/a v1.9.0-rc.1 ${H_A}`,
    ].join('\n');
    expect(formatGoSum(parseGoSum(text).lines).split('\n')).toEqual([
      `example.com/a v1.9.0-rc.1 ${H_A}`,
      `example.com/a v1.9.0 ${H_A}`,
      `example.com/a v1.10.0 ${H_A}`,
      `example.com/a v1.10.0/go.mod ${H_A}`,
      `example.com/b v1.0.0 ${H_A}`,
      '',
    ]);
  });
});

const hashArb = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .map((b) => `h1:${Buffer.from(b).toString('base64')}`);
const modArb = fc.constantFrom(
  'example.com/a',
  'example.com/A',
  'example.com/a/v2',
  'rsc.io/q',
  'gopkg.in/x.v1',
);
const verArb = fc.constantFrom(
  'v0.1.0',
  'v1.0.0',
  'v1.10.0',
  'v2.0.0',
  'v2.0.0+incompatible',
  'v1.0.0-pre',
  'v0.0.0-20060102150405-abcdefabcdef',
);
const lineArb = fc.oneof(
  fc
    .tuple(modArb, verArb, fc.boolean(), hashArb)
    .map(([m, v, g, h]) => `${m} ${v}${g ? '/go.mod' : ''} ${h}`),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constant(''),
);

describe('when go.sum is arbitrary text (property)', () => {
  it('never throws, and every problem is a GoError with a line', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 20 }), (ls) => {
        const sum = parseGoSum(ls.join('\n'));
        for (const e of sum.errors) {
          expect(e).toBeInstanceOf(GoError);
          expect(e.line).toBeGreaterThan(0);
        }
      }),
    );
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => void parseGoSum(s)));
  });

  it('format∘parse∘format = format', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 20 }), (ls) => {
        const once = formatGoSum(parseGoSum(ls.join('\n')).lines);
        const twice = formatGoSum(parseGoSum(once).lines);
        expect(twice).toBe(once);
        expect(parseGoSum(once).errors).toEqual([]);
      }),
    );
  });
});
