import { describe, expect, it } from 'vitest';
import { SumdbLog } from '../../../src/testing/sumdb-log.js';
import { SumdbError } from '../../../src/sumdb/errors.js';
import { recordHash, type Hash } from '../../../src/sumdb/tlog-hash.js';
import {
  checkRecord,
  checkTree,
  proveRecord,
  proveTree,
  splitStoredHashIndex,
  storedHashCount,
  storedHashIndex,
  treeHash,
} from '../../../src/sumdb/tlog.js';
import {
  hashFromTile,
  newTiles,
  tileForIndex,
  tilePath,
  type Tile,
} from '../../../src/sumdb/tlog-tile.js';
import { tileHashReader, type TileReader } from '../../../src/sumdb/tlog-tile-reader.js';

function throwsCode(f: () => unknown, code: string): void {
  let caught: unknown;
  try {
    f();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(SumdbError);
  expect((caught as SumdbError).code).toBe(code);
}

function flip(p: readonly Hash[], k: number): Hash[] {
  return p.map((h, i) => {
    if (i !== k) return h;
    const c = Uint8Array.from(h);
    c[0] = (c[0] ?? 0) ^ 1;
    return c;
  });
}

/** memoryTiles is a TileReader over a map of tile bytes, counting unsaved tiles like x/mod's testTilesStorage. */
function memoryTiles(h: number, tiles: Map<string, Uint8Array>) {
  const state = { unsaved: 0 };
  const reader: TileReader = {
    height: h,
    readTiles: async (list: readonly Tile[]) => {
      state.unsaved += list.length;
      return list.map((t) => tiles.get(tilePath(t)) ?? new Uint8Array());
    },
    saveTiles: (list) => {
      state.unsaved -= list.length;
    },
  };
  return { reader, state };
}

// Port of x/mod v0.7.0 sumdb/tlog/tlog_test.go TestTree (height 2, 100 leaves "leaf %d"),
// reduced to 40 leaves to keep the suite fast; the full-size walk runs in the property tests.
describe('when a tree grows one leaf at a time (TestTree)', () => {
  it('stored hashes, tiles, record proofs and tree proofs all agree', async () => {
    const log = new SumdbLog();
    const trees: Hash[] = [];
    const leaves: Hash[] = [];
    const tiles = new Map<string, Uint8Array>();
    const H = 2;
    for (let i = 0; i < 40; i++) {
      const data = Buffer.from(`leaf ${i}`);
      log.append(data);
      leaves.push(recordHash(data));
      const th = await log.treeHash();
      trees.push(th);
      for (const t of newTiles(H, i, i + 1)) {
        const d = hashTileBytes(log, t);
        tiles.set(tilePath(t), d);
      }
      for (let j = 0; j <= i; j++) {
        const p = await proveRecord(i + 1, j, log.reader);
        checkRecord(p, i + 1, th, j, at(leaves, j));
        for (let k = 0; k < p.length; k++)
          throwsCode(() => checkRecord(flip(p, k), i + 1, th, j, at(leaves, j)), 'PROOF_FAILED');
      }
      const { reader, state } = memoryTiles(H, tiles);
      const thr = tileHashReader({ n: i + 1, hash: th }, reader);
      for (let j = 0; j <= i; j++) {
        const [h] = await thr.readHashes([storedHashIndex(0, j)]);
        expect(Buffer.from(h ?? [])).toEqual(Buffer.from(at(leaves, j)));
        const tp = await proveTree(i + 1, j + 1, thr);
        expect(Buffer.from(await treeHash(j + 1, thr))).toEqual(Buffer.from(at(trees, j)));
        checkTree(tp, i + 1, th, j + 1, at(trees, j));
        for (let k = 0; k < tp.length; k++)
          throwsCode(() => checkTree(flip(tp, k), i + 1, th, j + 1, at(trees, j)), 'PROOF_FAILED');
      }
      expect(state.unsaved).toBe(0);
      await expect(thr.readHashes([(i + 1) * 2])).rejects.toMatchObject({
        code: 'RECORD_NOT_IN_TREE',
      });
    }
  });
});

function hashTileBytes(log: SumdbLog, t: Tile): Uint8Array {
  const d = log.hashTile(t);
  if (d === undefined) throw new Error(`no tile ${tilePath(t)}`);
  return d;
}

function at<T>(list: readonly T[], i: number): T {
  const v = list[i];
  if (v === undefined) throw new Error(`no element ${i}`);
  return v;
}

describe('stored hash indices', () => {
  it('split inverts index for levels 0..9 and n 0..99 (TestSplitStoredHashIndex)', () => {
    for (let l = 0; l < 10; l++) {
      for (let n = 0; n < 100; n++)
        expect(splitStoredHashIndex(storedHashIndex(l, n))).toEqual({ level: l, n });
    }
  });

  it('counts the hashes of a tree', () => {
    // 1 leaf: 1 hash; 2 leaves: 3; 3 leaves: 4; 4 leaves: 7 (every complete subtree stored once).
    expect([0, 1, 2, 3, 4, 5, 8].map(storedHashCount)).toEqual([0, 1, 3, 4, 7, 8, 15]);
  });

  it('stays exact at the 2^50 bound and reads hashes from the right tile', () => {
    const n = 2 ** 50 - 1;
    expect(splitStoredHashIndex(storedHashIndex(0, n))).toEqual({ level: 0, n });
    expect(tileForIndex(8, storedHashIndex(0, 1000))).toEqual({ h: 8, l: 0, n: 3, w: 233 });
  });

  it('when the tree size is beyond 2^50, refuses it', async () => {
    await expect(treeHash(2 ** 51, { readHashes: async () => [] })).rejects.toMatchObject({
      code: 'TREE_TOO_LARGE',
    });
  });

  it('when hashFromTile gets the wrong tile, refuses it', () => {
    throwsCode(
      () =>
        hashFromTile({ h: 8, l: 0, n: 1, w: 256 }, new Uint8Array(256 * 32), storedHashIndex(0, 3)),
      'TILE_MALFORMED',
    );
  });
});
