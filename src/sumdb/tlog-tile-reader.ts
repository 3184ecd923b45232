/**
 * tileHashReader: reading stored hashes out of downloaded tiles that are "suspect
 * until proven" (x/mod/sumdb/tlog/tile.go TileHashReader). Every tile read is
 * authenticated against a known tree (size + root hash) before any hash from it is
 * returned, and only authenticated tiles are handed to saveTiles. Tiles that fail are
 * read once more when the reader says some came from its cache (TileReader.distrust).
 */
import { SumdbError } from './errors.js';
import { HASH_SIZE, hashEqual, nodeHash, type Hash } from './tlog-hash.js';
import { storedHashIndex, subTreeIndex, type HashReader } from './tlog.js';
import {
  hashFromTile,
  tileForIndex,
  tileHash,
  tileParent,
  tilePath,
  type Tile,
} from './tlog-tile.js';

/** Tree is a tree head: its size and root hash. */
export interface Tree {
  readonly n: number;
  readonly hash: Hash;
}

/** TileReader fetches tiles (in any order, possibly in parallel) and persists authenticated ones. */
export interface TileReader {
  readonly height: number;
  readTiles(tiles: readonly Tile[]): Promise<readonly Uint8Array[]>;
  saveTiles(tiles: readonly Tile[], data: readonly Uint8Array[]): void;
  /**
   * distrust, when present, is told that `data` (as readTiles returned it for `tiles`)
   * failed verification. It forgets every cached copy among them, so that readTiles reads
   * those from the server next, and reports whether there was one: only then can reading
   * again give other bytes.
   */
  distrust?(tiles: readonly Tile[], data: readonly Uint8Array[]): boolean;
}

/** tileHashReader returns a HashReader that reads hashes of `tree` from tiles and proves them first. */
export function tileHashReader(tree: Tree, tr: TileReader): HashReader {
  return { readHashes: (indexes) => readFromTiles(tree, tr, indexes) };
}

interface Plan {
  tiles: Tile[];
  order: Map<string, number>;
  stx: number[];
  stxTile: number[];
  indexTile: number[];
  /** rootTiles is how many tiles (the first ones) hold the root subtrees; the rest are proven by parents. */
  rootTiles: number;
}

async function readFromTiles(
  tree: Tree,
  tr: TileReader,
  indexes: readonly number[],
): Promise<Hash[]> {
  if (tree.n === 0)
    throw new SumdbError('RECORD_NOT_IN_TREE', 'cannot read hashes of an empty tree');
  const plan = planTiles(tree, tr.height, indexes);
  let data = await tr.readTiles(plan.tiles);
  try {
    proveTiles(tree, plan, data);
  } catch (err) {
    // Cached tiles that fail are the cache's fault: read them from the server, once. If
    // those fail too, the server is to blame.
    if (!(err instanceof SumdbError) || tr.distrust?.(plan.tiles, data) !== true) throw err;
    data = await tr.readTiles(plan.tiles);
    proveTiles(tree, plan, data);
  }
  tr.saveTiles(plan.tiles, data);
  return indexes.map((x, i) => {
    const j = get(plan.indexTile, i);
    return hashFromTile(get(plan.tiles, j), get(data, j), x);
  });
}

/** planTiles lists the tiles holding the tree's root subtrees, then those holding each index and their ancestors. */
function planTiles(tree: Tree, h: number, indexes: readonly number[]): Plan {
  const plan: Plan = {
    tiles: [],
    order: new Map(),
    stx: subTreeIndex(0, tree.n, []),
    stxTile: [],
    indexTile: [],
    rootTiles: 0,
  };
  const add = (t: Tile): number => {
    plan.order.set(tilePath(t), plan.tiles.length);
    plan.tiles.push(t);
    return plan.tiles.length - 1;
  };
  for (const x of plan.stx) {
    const tile = must(tileParent(tileForIndex(h, x), 0, tree.n));
    plan.stxTile.push(plan.order.get(tilePath(tile)) ?? add(tile));
  }
  plan.rootTiles = plan.tiles.length;
  const limit = storedHashIndex(0, tree.n);
  for (const x of indexes) {
    if (x >= limit)
      throw new SumdbError(
        'RECORD_NOT_IN_TREE',
        `stored hash ${x} is not in tree of size ${tree.n}`,
      );
    const tile = tileForIndex(h, x);
    let k = 0;
    for (; ; k++) {
      const p = tileParent(tile, k, tree.n);
      const j = p && plan.order.get(tilePath(p));
      if (j !== undefined) {
        if (k === 0) plan.indexTile.push(j);
        break;
      }
      if (p === undefined) throw new Error(`tileHashReader: bad math for index ${x}`);
    }
    for (k--; k >= 0; k--) {
      const p = must(tileParent(tile, k, tree.n));
      if (p.w !== 2 ** p.h) throw new Error(`tileHashReader: bad math for index ${x}`);
      const j = add(p);
      if (k === 0) plan.indexTile.push(j);
    }
  }
  return plan;
}

/**
 * proveTiles checks each tile's length, then the root tiles against the tree hash, then
 * every other tile against its parent tile.
 */
function proveTiles(tree: Tree, plan: Plan, data: readonly Uint8Array[]): void {
  if (data.length !== plan.tiles.length) {
    throw new SumdbError(
      'TILE_MALFORMED',
      `tile reader returned ${data.length} tiles, want ${plan.tiles.length}`,
    );
  }
  plan.tiles.forEach((tile, i) => {
    const len = get(data, i).length;
    if (len !== tile.w * HASH_SIZE) {
      throw new SumdbError(
        'TILE_MALFORMED',
        `${tilePath(tile)} has ${len} bytes, want ${tile.w * HASH_SIZE}`,
      );
    }
  });
  const hashAt = (i: number) => {
    const j = get(plan.stxTile, i);
    return hashFromTile(get(plan.tiles, j), get(data, j), get(plan.stx, i));
  };
  let th = hashAt(plan.stx.length - 1);
  for (let i = plan.stx.length - 2; i >= 0; i--) th = nodeHash(hashAt(i), th);
  if (!hashEqual(th, tree.hash)) {
    throw new SumdbError(
      'TILE_INCONSISTENT',
      `downloaded tiles do not match tree of size ${tree.n}`,
    );
  }
  // Every tile after the root tiles is proven by its parent. The loop starts after the
  // distinct root tiles, not after the number of root subtrees: several subtrees can share
  // one tile, and starting later would leave index tiles unproven.
  for (let i = plan.rootTiles; i < plan.tiles.length; i++) {
    const tile = get(plan.tiles, i);
    const p = must(tileParent(tile, 1, tree.n));
    const j = plan.order.get(tilePath(p));
    if (j === undefined) throw new Error(`tileHashReader: lost parent of ${tilePath(tile)}`);
    const h = hashFromTile(p, get(data, j), storedHashIndex(p.l * p.h, tile.n));
    if (!hashEqual(h, tileHash(get(data, i)))) {
      throw new SumdbError(
        'TILE_INCONSISTENT',
        `downloaded ${tilePath(tile)} does not match its parent tile`,
      );
    }
  }
}

function must(t: Tile | undefined): Tile {
  if (t === undefined) throw new Error('tileHashReader: bad tile math');
  return t;
}

function get<T>(list: readonly T[], i: number): T {
  const v = list[i];
  if (v === undefined) throw new Error(`tileHashReader: index ${i} out of range`);
  return v;
}
