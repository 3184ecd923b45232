import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SumdbLog } from '../../../src/testing/sumdb-log.js';
import { recordHash, type Hash } from '../../../src/sumdb/tlog-hash.js';
import {
  checkRecord,
  checkTree,
  proveRecord,
  proveTree,
  storedHashIndex,
} from '../../../src/sumdb/tlog.js';
import { tilePath, type Tile } from '../../../src/sumdb/tlog-tile.js';
import { tileHashReader } from '../../../src/sumdb/tlog-tile-reader.js';

function flipBit(p: readonly Hash[], k: number, bit: number): Hash[] {
  return p.map((h, i) => {
    if (i !== k) return h;
    const c = Uint8Array.from(h);
    const byte = Math.floor(bit / 8);
    c[byte] = (c[byte] ?? 0) ^ (1 << (bit % 8));
    return c;
  });
}

function logOf(leaves: readonly Uint8Array[]): SumdbLog {
  const log = new SumdbLog();
  for (const l of leaves) log.append(l);
  return log;
}

// Distinct leaves: with two equal leaves, proving one at the other's index is legitimately valid.
const leavesArb = fc.uniqueArray(fc.uint8Array({ minLength: 0, maxLength: 24 }), {
  minLength: 1,
  maxLength: 300,
  selector: (a) => Buffer.from(a).toString('hex'),
});

describe('when trees are random (fast-check)', () => {
  it('every inclusion proof verifies and any flipped bit fails', async () => {
    await fc.assert(
      fc.asyncProperty(leavesArb, fc.nat(), fc.nat(), async (leaves, pick, bit) => {
        const log = logOf(leaves);
        const t = leaves.length;
        const n = pick % t;
        const root = await log.treeHash();
        const leaf = recordHash(leaves[n] ?? new Uint8Array());
        const p = await proveRecord(t, n, log.reader);
        checkRecord(p, t, root, n, leaf);
        if (p.length > 0) {
          const k = bit % p.length;
          expect(() => checkRecord(flipBit(p, k, bit % 256), t, root, n, leaf)).toThrow(
            expect.objectContaining({ code: 'PROOF_FAILED' }),
          );
        }
        expect(() =>
          checkRecord(p, t, root, n, flipBit([leaf], 0, bit % 256)[0] ?? leaf),
        ).toThrow();
        if (t > 1) expect(() => checkRecord(p, t, root, (n + 1) % t, leaf)).toThrow();
      }),
      { numRuns: 150 },
    );
  });

  it('every consistency proof verifies and any flipped bit fails', async () => {
    await fc.assert(
      fc.asyncProperty(leavesArb, fc.nat(), fc.nat(), async (leaves, pick, bit) => {
        const log = logOf(leaves);
        const t = leaves.length;
        const n = 1 + (pick % t);
        const root = await log.treeHash();
        const old = await log.treeHash(n);
        const p = await proveTree(t, n, log.reader);
        checkTree(p, t, root, n, old);
        if (p.length > 0) {
          const k = bit % p.length;
          expect(() => checkTree(flipBit(p, k, bit % 256), t, root, n, old)).toThrow(
            expect.objectContaining({ code: 'PROOF_FAILED' }),
          );
        }
        expect(() => checkTree(p, t, flipBit([root], 0, bit % 256)[0] ?? root, n, old)).toThrow();
        expect(() => checkTree([...p, root], t, root, n, old)).toThrow();
      }),
      { numRuns: 150 },
    );
  });
});

describe('when tiles are read for random trees (fast-check)', () => {
  it('every hash read through tiles is the stored one, and any flipped bit in any tile is caught', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 4 }),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        async (size, h, pick, which, bit) => {
          const log = new SumdbLog();
          for (let i = 0; i < size; i++) log.append(`leaf ${i}\n`);
          const tree = { n: size, hash: await log.treeHash() };
          const id = pick % size;
          const tiles = (flip: boolean) => {
            const seen: Tile[] = [];
            return {
              height: h,
              seen,
              readTiles: async (list: readonly Tile[]) => {
                seen.push(...list);
                return list.map((t, k) => {
                  const d = Uint8Array.from(log.hashTile(t) ?? []);
                  if (flip && k === which % list.length) {
                    const b = bit % (d.length * 8);
                    d[Math.floor(b / 8)] = (d[Math.floor(b / 8)] ?? 0) ^ (1 << (b % 8));
                  }
                  return d;
                });
              },
              saveTiles: () => undefined,
            };
          };
          const honest = tiles(false);
          const [got] = await tileHashReader(tree, honest).readHashes([storedHashIndex(0, id)]);
          expect(Buffer.from(got ?? [])).toEqual(Buffer.from(log.hash(storedHashIndex(0, id))));
          expect(honest.seen.map(tilePath).every((p) => p.startsWith(`tile/${h}/`))).toBe(true);
          await expect(
            tileHashReader(tree, tiles(true)).readHashes([storedHashIndex(0, id)]),
          ).rejects.toMatchObject({ code: 'TILE_INCONSISTENT' });
        },
      ),
      { numRuns: 300 },
    );
  });
});
