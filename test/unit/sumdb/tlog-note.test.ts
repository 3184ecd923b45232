import { describe, expect, it } from 'vitest';
import { parseTilePath, tilePath } from '../../../src/sumdb/tlog-tile.js';
import {
  formatRecord,
  formatTree,
  parseCheckpoint,
  parseRecord,
  parseTree,
} from '../../../src/sumdb/tlog-note.js';
import { formatHash, recordHash } from '../../../src/sumdb/tlog-hash.js';

// Vectors from Debian's golang.org/x/mod v0.7.0 sumdb/tlog/tlog_test.go (tilePaths, TestTilePath)
// and sumdb/tlog/note_test.go (TestFormatTree, TestParseTree, TestFormatRecord, TestParseRecord).
describe('tile paths (TestTilePath)', () => {
  const good: [string, { h: number; l: number; n: number; w: number }][] = [
    ['tile/4/0/001', { h: 4, l: 0, n: 1, w: 16 }],
    ['tile/4/0/001.p/5', { h: 4, l: 0, n: 1, w: 5 }],
    ['tile/3/5/x123/x456/078', { h: 3, l: 5, n: 123456078, w: 8 }],
    ['tile/3/5/x123/x456/078.p/2', { h: 3, l: 5, n: 123456078, w: 2 }],
    ['tile/1/0/x003/x057/500', { h: 1, l: 0, n: 3057500, w: 2 }],
    ['tile/1/data/x003/x057/500', { h: 1, l: -1, n: 3057500, w: 2 }],
    ['tile/8/0/x001/x234/067', { h: 8, l: 0, n: 1234067, w: 256 }],
  ];
  it.each(good)('%s round-trips', (path, tile) => {
    expect(tilePath(tile)).toBe(path);
    expect(parseTilePath(path)).toEqual(tile);
  });
  const bad = [
    'tile/3/5/123/456/078',
    'tile/3/-1/123/456/078',
    'tile/0/0/000',
    'tile/31/0/000',
    'tile/8/0/001.p/256',
    'tile/8/0/001.p/0',
    'tile/8/0/1',
    'tile/8/0/x000/001',
    'tile/8/0/+01',
    'tile/8/0/001.p/05',
    'notile/8/0/001',
  ];
  it.each(bad)('%s is refused', (path) => {
    expect(() => parseTilePath(path)).toThrow(
      expect.objectContaining({ code: 'TILE_PATH_MALFORMED' }),
    );
  });
});

describe('tree notes (TestFormatTree, TestParseTree)', () => {
  const golden =
    'go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n';
  const h = recordHash(Buffer.from('hello world'));

  it('formats and parses the golden tree', () => {
    expect(formatTree({ n: 123456789012, hash: h })).toBe(golden);
    const t = parseTree(golden);
    expect(t.n).toBe(123456789012);
    expect(formatHash(t.hash)).toBe(formatHash(h));
  });

  it.each([
    `not-${golden}`,
    'go.sum database tree\n0xabcdef\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n',
    'go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBTOOBIG=\n',
    'go.sum database tree\n-1\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n',
    'go.sum database tree\n0123\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n',
  ])('refuses %j', (bad) => {
    expect(() => parseTree(bad)).toThrow(expect.objectContaining({ kind: 'invalid' }));
  });

  it('refuses a size beyond 2^50 with TREE_TOO_LARGE', () => {
    expect(() => parseTree(golden.replace('123456789012', '9223372036854775807'))).toThrow(
      expect.objectContaining({ code: 'TREE_TOO_LARGE' }),
    );
  });

  it.each([`${golden}JOE`, `${golden}JOE\n`, golden + 'JOE\n'.repeat(1000)])(
    'ignores junk on the end',
    (good) => {
      expect(parseTree(good).n).toBe(123456789012);
    },
  );

  it('parses a c2sp checkpoint with its origin and extension lines', () => {
    const cp = parseCheckpoint(
      'example.com/log\n5\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\next one\n',
    );
    expect(cp.origin).toBe('example.com/log');
    expect(cp.extensions).toEqual(['ext one']);
  });
});

describe('records (TestFormatRecord, TestParseRecord)', () => {
  it('formats the golden record and refuses bad texts', () => {
    expect(Buffer.from(formatRecord(123456789012, Buffer.from('hello, world\n'))).toString()).toBe(
      '123456789012\nhello, world\n\n',
    );
    for (const bad of ['', 'hello\nworld', 'hello\n\nworld\n', 'hello\x01world\n']) {
      expect(() => formatRecord(1, Buffer.from(bad))).toThrow(
        expect.objectContaining({ code: 'RECORD_MALFORMED' }),
      );
    }
  });

  it('parses id, text and the rest', () => {
    const r = parseRecord(
      Buffer.from('123456789012\nhello, world\n\njunk on end\x01\xff', 'latin1'),
    );
    expect(r.id).toBe(123456789012);
    expect(Buffer.from(r.text).toString()).toBe('hello, world\n');
    expect(Buffer.from(r.rest).toString('latin1')).toBe('junk on end\x01\xff');
    expect(parseRecord(Buffer.from('123456789012\nhello, world\n\n')).rest).toHaveLength(0);
  });

  // strconv.ParseInt(s, 10, 64), as x/mod ParseRecord reads the id (Go 1.19 strconv/atoi.go).
  it.each([
    ['+7', 7],
    ['007', 7],
    ['+0000000000000000000000000007', 7],
    ['0', 0],
    ['-0', 0],
    ['-7', -7],
    ['-9223372036854775808', -9223372036854775808],
    ['1125899906842624', 2 ** 50],
  ])('reads the id %j as ParseInt does', (id, want) => {
    expect(parseRecord(Buffer.from(`${id}\nhello world\n\n`)).id).toBe(want);
  });

  it.each(['0x7', '0b1', '0o7', ' 7', '7 ', '\t7', '1_000', '+', '-', '', '+-7', '7e3', '\u0667'])(
    'refuses the id %j as ParseInt does',
    (id) => {
      expect(() => parseRecord(Buffer.from(`${id}\nhello world\n\n`))).toThrow(
        expect.objectContaining({ code: 'RECORD_MALFORMED' }),
      );
    },
  );

  it('refuses ids beyond int64 as malformed, and those beyond 2^50 as too large', () => {
    for (const id of ['9223372036854775808', '-9223372036854775809', '1'.repeat(4000)]) {
      expect(() => parseRecord(Buffer.from(`${id}\nhello world\n\n`))).toThrow(
        expect.objectContaining({ code: 'RECORD_MALFORMED' }),
      );
    }
    expect(() => parseRecord(Buffer.from('9223372036854775807\nhello world\n\n'))).toThrow(
      expect.objectContaining({ code: 'TREE_TOO_LARGE' }),
    );
  });

  it.each([
    'not-123456789012\nhello, world\n\n',
    '123\nhello\x01world\n\n',
    '123\nhello\xffworld\n\n',
    '123\nhello world\n',
    '0x123\nhello world\n\n',
  ])('refuses %j', (bad) => {
    expect(() => parseRecord(Buffer.from(bad, 'latin1'))).toThrow(
      expect.objectContaining({ code: 'RECORD_MALFORMED' }),
    );
  });
});
