import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sameBytes, type ZipBody } from '../../../src/proxy/zipbody.js';
import { ZipWork, type HeldZip } from '../../../src/proxy/zipwork.js';
import { splitAt } from '../../support/bytes.js';

let dir: string;
let files = 0;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modguard-zipwork-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function inFile(bytes: Buffer): Promise<ZipBody> {
  const path = join(dir, `z${files++}.zip`);
  await writeFile(path, bytes);
  return { path };
}

describe('sameBytes', () => {
  const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 251));

  it('when both hold the same bytes in different chunks, in memory and in files: equal', async () => {
    const a = { chunks: splitAt(bytes, [1, 100, 2047]) };
    const b = { chunks: splitAt(bytes, [0, 0, 999, 1000, 2999]) };
    expect(await sameBytes(a, b)).toBe(true);
    expect(await sameBytes(a, await inFile(bytes))).toBe(true);
    expect(await sameBytes(await inFile(bytes), await inFile(bytes))).toBe(true);
  });

  it('when one byte differs, first, last or at a chunk edge: different', async () => {
    for (const at of [0, 999, 1000, 2999]) {
      const other = Buffer.from(bytes);
      other[at] = (other[at] ?? 0) ^ 1;
      expect(await sameBytes({ chunks: splitAt(bytes, [1000]) }, { chunks: [other] })).toBe(false);
      expect(await sameBytes(await inFile(bytes), await inFile(other))).toBe(false);
    }
  });

  it('when one is a prefix of the other: different', async () => {
    const short = bytes.subarray(0, 2999);
    expect(await sameBytes({ chunks: [bytes] }, { chunks: [short] })).toBe(false);
    expect(await sameBytes(await inFile(short), { chunks: splitAt(bytes, [5]) })).toBe(false);
    expect(await sameBytes({ chunks: [] }, { chunks: [Buffer.alloc(0)] })).toBe(true);
  });

  it('when a file body is larger than one read: compared across reads', async () => {
    const big = Buffer.alloc((1 << 20) * 2 + 17, 3);
    const other = Buffer.from(big);
    other[(1 << 20) + 5] = 4;
    expect(await sameBytes(await inFile(big), { chunks: splitAt(big, [65536, 1 << 20]) })).toBe(
      true,
    );
    expect(await sameBytes(await inFile(big), await inFile(other))).toBe(false);
  });

  it('agrees with Buffer.equals on random bytes cut at random places', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 64 }),
        fc.uint8Array({ maxLength: 64 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        fc.boolean(),
        async (x, y, cx, cy, same) => {
          const a = Buffer.from(x);
          const b = same ? Buffer.from(x) : Buffer.from(y);
          const got = await sameBytes({ chunks: splitAt(a, cx) }, { chunks: splitAt(b, cy) });
          expect(got).toBe(a.equals(b));
        },
      ),
    );
  });
});

/** held makes a HeldZip in memory that counts its releases. */
function held(bytes: Buffer, log: string[], name: string): HeldZip {
  return {
    body: { chunks: splitAt(bytes, [3]) },
    size: bytes.length,
    release: async () => {
      log.push(name);
    },
  };
}

describe('ZipWork', () => {
  const m = 'example.com/m';
  const honest = Buffer.from('PK honest zip bytes');
  const forged = Buffer.from('PK forged zip bytes'); // same length, other bytes

  it('when two witnesses serve the same bytes: computed once, one outcome for both', async () => {
    const work = new ZipWork(2);
    const log: string[] = [];
    let runs = 0;
    const compute = async () => `h1:${++runs}`;
    const a = await work.hash(m, 'v1.0.0', held(honest, log, 'A'), compute);
    expect(log).toEqual([]); // A is kept for B to compare against
    const b = await work.hash(m, 'v1.0.0', held(Buffer.from(honest), log, 'B'), compute);
    expect([a, b, runs]).toEqual(['h1:1', 'h1:1', 1]);
    expect(log.sort()).toEqual(['A', 'B']);
  });

  it('when the bytes differ, in content or size: each is computed from its own bytes', async () => {
    const work = new ZipWork(3);
    const log: string[] = [];
    const seen: string[] = [];
    const compute = async (body: ZipBody) => {
      const text = 'chunks' in body ? Buffer.concat(body.chunks).toString() : body.path;
      seen.push(text);
      return `h1:${text}`;
    };
    const a = await work.hash(m, 'v1.0.0', held(honest, log, 'A'), compute);
    const b = await work.hash(m, 'v1.0.0', held(forged, log, 'B'), compute);
    const c = await work.hash(m, 'v1.0.0', held(Buffer.from('PK short'), log, 'C'), compute);
    expect([a, b, c]).toEqual(['h1:PK honest zip bytes', 'h1:PK forged zip bytes', 'h1:PK short']);
    expect(seen).toHaveLength(3);
    expect(log.sort()).toEqual(['A', 'B', 'C']);
  });

  it('when other versions or modules have the same bytes: not shared', async () => {
    const work = new ZipWork(1);
    let runs = 0;
    const compute = async () => `h1:${++runs}`;
    expect(await work.hash(m, 'v1.0.0', held(honest, [], 'A'), compute)).toBe('h1:1');
    expect(await work.hash(m, 'v1.0.1', held(honest, [], 'B'), compute)).toBe('h1:2');
    expect(await work.hash('example.com/o', 'v1.0.0', held(honest, [], 'C'), compute)).toBe('h1:3');
  });

  it('shares a refusal: both witnesses get the same error for the same bytes', async () => {
    const work = new ZipWork(2);
    const refuse = async (): Promise<string> => {
      throw new Error('zip refused');
    };
    await expect(work.hash(m, 'v1.0.0', held(honest, [], 'A'), refuse)).rejects.toThrow(
      'zip refused',
    );
    await expect(
      work.hash(m, 'v1.0.0', held(honest, [], 'B'), async () => 'h1:ok'),
    ).rejects.toThrow('zip refused');
  });

  it('when both arrive at once: the second waits for the first outcome and nothing is released early', async () => {
    const work = new ZipWork(2);
    const log: string[] = [];
    let finish: (h: string) => void = () => undefined;
    const slow = () => new Promise<string>((resolve) => (finish = resolve));
    const a = work.hash(m, 'v1.0.0', held(honest, log, 'A'), slow);
    const b = work.hash(m, 'v1.0.0', held(honest, log, 'B'), slow);
    await new Promise((r) => setTimeout(r, 10));
    expect(log).toEqual(['B']); // B compared equal and gave its own bytes back; A is kept
    finish('h1:slow');
    expect(await Promise.all([a, b])).toEqual(['h1:slow', 'h1:slow']);
    expect(log).toEqual(['B', 'A']);
  });

  it('when the other witness got no zip (pass): the kept zip is released', async () => {
    const work = new ZipWork(2);
    const log: string[] = [];
    await work.pass(m, 'v1.0.0');
    await work.hash(m, 'v1.0.0', held(honest, log, 'A'), async () => 'h1:a');
    expect(log).toEqual(['A']);
    await work.hash(m, 'v2.0.0', held(honest, log, 'B'), async () => 'h1:b');
    expect(log).toEqual(['A']);
    await work.pass(m, 'v2.0.0');
    expect(log).toEqual(['A', 'B']);
  });

  it('close releases what no second witness came for, spool files included', async () => {
    const work = new ZipWork(2);
    const body = await inFile(honest);
    const zip: HeldZip = {
      body,
      size: honest.length,
      release: () => rm((body as { path: string }).path, { force: true }),
    };
    await work.hash(m, 'v1.0.0', zip, async () => 'h1:a');
    expect(await readdir(dir)).toHaveLength(1);
    await work.close();
    expect(await readdir(dir)).toEqual([]);
  });
});
