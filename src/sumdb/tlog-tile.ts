/**
 * Tiles: the fixed-size blocks in which a tiled transparency log serves its stored
 * hashes (x/mod/sumdb/tlog/tile.go; https://research.swtch.com/tlog#tiling_a_log).
 * A tile of height H at level L holds up to 2^H hashes of tree level H·L; data tiles
 * (L = -1 here, "data" in paths) hold the records themselves.
 */
import { SumdbError } from './errors.js';
import { HASH_SIZE, MAX_TREE_SIZE, nodeHash, type Hash } from './tlog-hash.js';
import { splitStoredHashIndex, storedHashIndex } from './tlog.js';

/** Tile names one tile: height h (1..30), level l (-1 = data), number n, width w (1..2^h). */
export interface Tile {
  readonly h: number;
  readonly l: number;
  readonly n: number;
  readonly w: number;
}

/** DEFAULT_TILE_HEIGHT is the height the go command always uses (x/mod sumdb/client.go). */
export const DEFAULT_TILE_HEIGHT = 8;

/** tileForIndex returns the smallest tile of height h holding the stored hash `index` (x/mod tile.go TileForIndex). */
export function tileForIndex(h: number, index: number): Tile {
  return locate(h, index).tile;
}

function locate(h: number, index: number): { tile: Tile; start: number; end: number } {
  const split = splitStoredHashIndex(index);
  const l = Math.floor(split.level / h);
  const level = split.level - l * h;
  const n = Math.floor((split.n * 2 ** level) / 2 ** h);
  const inTile = split.n - (n * 2 ** h) / 2 ** level;
  const tile = { h, l, n, w: (inTile + 1) * 2 ** level };
  return { tile, start: inTile * 2 ** level * HASH_SIZE, end: tile.w * HASH_SIZE };
}

/** hashFromTile returns the stored hash `index` from the data of tile t (x/mod tile.go HashFromTile). */
export function hashFromTile(t: Tile, data: Uint8Array, index: number): Hash {
  if (t.h < 1 || t.h > 30 || t.l < 0 || t.l >= 64 || t.w < 1 || t.w > 2 ** t.h) {
    throw new SumdbError('TILE_MALFORMED', `invalid tile ${tilePath(t)}`);
  }
  if (data.length < t.w * HASH_SIZE) {
    throw new SumdbError(
      'TILE_MALFORMED',
      `data length ${data.length} too short for tile ${tilePath(t)}`,
    );
  }
  const { tile, start, end } = locate(t.h, index);
  if (t.l !== tile.l || t.n !== tile.n || t.w < tile.w) {
    throw new SumdbError(
      'TILE_MALFORMED',
      `index ${index} is in ${tilePath(tile)} not ${tilePath(t)}`,
    );
  }
  return runHash(data, start, end);
}

/**
 * tileHash returns the Merkle hash of a power-of-two run of hashes within a tile. Results are
 * memoized per tile buffer (a pure function of bytes that are never mutated), because every
 * lookup re-proves the same cached tiles.
 */
export function tileHash(data: Uint8Array): Hash {
  return runHash(data, 0, data.length);
}

const memo = new WeakMap<Uint8Array, Map<number, Hash>>();

function runHash(data: Uint8Array, start: number, end: number): Hash {
  if (end - start === HASH_SIZE) return data.slice(start, end);
  let m = memo.get(data);
  if (m === undefined) {
    m = new Map();
    memo.set(data, m);
  }
  const key = start * 2 ** 32 + end;
  let h = m.get(key);
  if (h === undefined) {
    const mid = start + (end - start) / 2;
    h = nodeHash(runHash(data, start, mid), runHash(data, mid, end));
    m.set(key, h);
  }
  return h;
}

/** newTiles lists the tiles that change when a tree grows from oldSize to newSize (x/mod tile.go NewTiles). */
export function newTiles(h: number, oldSize: number, newSize: number): Tile[] {
  const tiles: Tile[] = [];
  const full = 2 ** h;
  for (let level = 0; Math.floor(newSize / 2 ** (h * level)) > 0; level++) {
    const oldN = Math.floor(oldSize / 2 ** (h * level));
    const newN = Math.floor(newSize / 2 ** (h * level));
    const last = Math.floor(newN / full);
    for (let n = Math.floor(oldN / full); n < last; n++) tiles.push({ h, l: level, n, w: full });
    const maxW = newN - last * full;
    const minW = oldN > last * full ? oldN - last * full : 1;
    for (let w = minW; w <= maxW; w++) tiles.push({ h, l: level, n: last, w });
  }
  return tiles;
}

/** readTileData assembles the bytes of hash tile t from stored hashes (x/mod tile.go ReadTileData). */
export function readTileData(t: Tile, read: (index: number) => Hash): Uint8Array {
  const out = new Uint8Array(t.w * HASH_SIZE);
  const start = t.n * 2 ** t.h;
  for (let i = 0; i < t.w; i++) out.set(read(storedHashIndex(t.h * t.l, start + i)), i * HASH_SIZE);
  return out;
}

/** tilePath renders tile/H/L/NNN[.p/W] with N in 3-digit groups, `x` on all but the last (x/mod tile.go Path). */
export function tilePath(t: Tile): string {
  let n = t.n;
  let nStr = pad3(n % 1000);
  while (n >= 1000) {
    n = Math.floor(n / 1000);
    nStr = `x${pad3(n % 1000)}/${nStr}`;
  }
  const p = t.w === 2 ** t.h ? '' : `.p/${t.w}`;
  const l = t.l === -1 ? 'data' : String(t.l);
  return `tile/${t.h}/${l}/${nStr}${p}`;
}

function pad3(n: number): string {
  return String(n).padStart(3, '0');
}

/**
 * parseTilePath parses a tile path; only the canonical form tilePath would produce
 * is accepted (x/mod tile.go ParseTilePath). Paths come from clients: bounded parsing.
 */
export function parseTilePath(path: string): Tile {
  const bad = () =>
    new SumdbError(
      'TILE_PATH_MALFORMED',
      `malformed tile path ${JSON.stringify(path.slice(0, 100))}`,
    );
  const f = path.split('/');
  if (f.length < 4 || f.length > 12 || f[0] !== 'tile') throw bad();
  const h = smallInt(f[1]);
  const isData = f[2] === 'data';
  const l = isData ? 0 : smallInt(f[2]);
  if (h === undefined || l === undefined || h < 1 || h > 30 || l > 63) throw bad();
  let w = 2 ** h;
  const dotP = f[f.length - 2] ?? '';
  if (dotP.endsWith('.p')) {
    const ww = smallInt(f[f.length - 1]);
    if (ww === undefined || ww <= 0 || ww >= w) throw bad();
    w = ww;
    f[f.length - 2] = dotP.slice(0, -2);
    f.pop();
  }
  let n = 0;
  for (const s of f.slice(3)) {
    const nn = smallInt(s.startsWith('x') ? s.slice(1) : s);
    if (nn === undefined || nn >= 1000) throw bad();
    n = n * 1000 + nn;
    if (n > MAX_TREE_SIZE) throw bad();
  }
  const t = { h, l: isData ? -1 : l, n, w };
  if (tilePath(t) !== path) throw bad();
  return t;
}

function smallInt(s: string | undefined): number | undefined {
  if (s === undefined || s.length === 0 || s.length > 4 || !/^[0-9]+$/.test(s)) return undefined;
  return Number(s);
}

/**
 * tileParent returns the tile k levels above t that covers it in a tree of size n,
 * trimmed to the tree, or undefined when the tree has no such tile (x/mod tile.go tileParent).
 */
export function tileParent(t: Tile, k: number, n: number): Tile | undefined {
  const l = t.l + k;
  const tn = Math.floor(t.n / 2 ** (k * t.h));
  const full = 2 ** t.h;
  const max = Math.floor(n / 2 ** (l * t.h));
  let w = full;
  if (tn * full + w >= max) {
    if (tn * full >= max) return undefined;
    w = max - tn * full;
  }
  return { h: t.h, l, n: tn, w };
}

/** sameTile reports whether two tiles name the same thing. */
export function sameTile(a: Tile, b: Tile): boolean {
  return a.h === b.h && a.l === b.l && a.n === b.n && a.w === b.w;
}
