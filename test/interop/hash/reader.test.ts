import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FOLD_RUNS_FOR_TEST } from '../../../src/go/fold.js';
import { hashZip } from '../../../src/hash/zipentry.js';
import { bufferSource } from '../../../src/hash/zipformat.js';
import { readZip } from '../../../src/hash/zipread.js';
import { craftZip, type CraftEntry } from '../../unit/hash/craft.js';
import { buildReferee, referee, goEnv, HERE } from './goenv.js';

// Referee: x/mod v0.7.0 dirhash.HashZip over Go 1.19's archive/zip, on zips we craft
// byte by byte; and Go 1.19's unicode.SimpleFold for the fold table.
let bin: string;
let tmp: string;
beforeAll(async () => ({ bin, tmp } = await buildReferee('refhash')));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const P = 'example.com/m@v1.0.0/';
const f = (name: string, text: string, extra: Partial<CraftEntry> = {}): CraftEntry => ({
  name: P + name,
  content: Buffer.from(text),
  ...extra,
});

/** withTrailing is an entry whose compressed data goes on after its deflate stream ends. */
const withTrailing = (name: string, content: Buffer, extra: Buffer): CraftEntry =>
  f(name, '', { content, data: Buffer.concat([deflateRawSync(content), extra]) });
const streamed = Buffer.concat([randomBytes(1 << 20), Buffer.alloc(5 << 20, 0x61)]);

const ZIPS: [string, Buffer][] = [
  ['plain', craftZip([f('go.mod', 'module example.com/m\n'), f('a.go', 'package m\n')])],
  [
    'zip64 records',
    craftZip([f('go.mod', 'module example.com/m\n'), f('a.go', 'package m\n')], { zip64: true }),
  ],
  [
    'data descriptors',
    craftZip([
      f('a.go', 'package m\n', { descriptor: true }),
      f('b.go', 'x', { descriptor: true }),
    ]),
  ],
  ['stored entries', craftZip([f('a.go', 'package m\n', { method: 0 })])],
  ['directory entries', craftZip([{ name: P }, { name: P + 'd/' }, f('d/a.go', 'package d\n')])],
  [
    'duplicate names (last wins)',
    craftZip([f('a.go', 'first'), f('b.go', 'b'), f('a.go', 'second')]),
  ],
  [
    'names outside the prefix',
    craftZip([{ name: 'other/x', content: Buffer.from('x') }, f('a.go', 'a')]),
  ],
  ['empty zip', craftZip([])],
  [
    'bytes after the deflate stream (small and streamed entries)',
    craftZip([
      withTrailing('a.go', Buffer.from('package m\n'), Buffer.from('trailing garbage')),
      withTrailing('big.bin', streamed, randomBytes(3 << 20)),
    ]),
  ],
];

describe('when Go reads the same zip bytes', () => {
  it.each(ZIPS)('%s: hashZip equals dirhash.HashZip', async (name, zip) => {
    const file = join(tmp, `${name.replaceAll(' ', '-')}.zip`);
    writeFileSync(file, zip);
    const [theirs] = await referee(bin, ['hashzip', file]);
    expect(await hashZip(await readZip(bufferSource(zip)))).toBe(theirs);
  });
});

describe('when Go folds case', () => {
  it('src/go/fold.ts holds exactly Go 1.19 unicode.SimpleFold orbits', async () => {
    const { stdout } = await execa('go', ['run', '.'], {
      cwd: join(HERE, 'foldtable'),
      env: goEnv(tmp),
      extendEnv: false,
    });
    const lines = stdout.split('\n').filter((l) => !l.startsWith('#'));
    expect(lines).toEqual(FOLD_RUNS_FOR_TEST.map((r) => r.join(',')));
    expect(readFileSync(join(HERE, 'foldtable', 'main.go'), 'utf8')).toContain('SimpleFold');
  });
});
