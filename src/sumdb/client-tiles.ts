/**
 * ClientTiles is the sumdb client's TileReader (x/mod/sumdb/client.go tileReader,
 * readTile): it fetches the tiles a proof needs in parallel, tries a partial tile
 * and then the full tile truncated, and caches tiles only after tileHashReader has
 * authenticated them. Full tiles are immutable and cached forever; partial tiles are
 * immutable by path too, but useless once the tree grows, so they are cached for
 * `partialTileTtlMs` only. A cached tile that fails verification is distrusted: this
 * client never reads that cache entry again, reads the tile from the server instead, and
 * overwrites the entry once the server's copy is proven.
 */
import { SumdbError } from './errors.js';
import { HASH_SIZE } from './tlog-hash.js';
import { tilePath, type Tile } from './tlog-tile.js';
import type { TileReader } from './tlog-tile-reader.js';
import type { ClientOps } from './ops.js';

/** TileStats counts tile fetches from the database, for the benchmark and tests. */
export interface TileStats {
  remoteFull: number;
  remotePartial: number;
  cacheHits: number;
}

export class ClientTiles implements TileReader {
  readonly stats: TileStats = { remoteFull: 0, remotePartial: 0, cacheHits: 0 };
  private readonly memory = new Map<string, { data: Uint8Array; until: number }>();
  private readonly inflight = new Map<string, Promise<Uint8Array>>();
  private readonly saved = new Set<string>();
  private readonly writes: Promise<void>[] = [];
  /** cachedFrom maps tile data this reader returned from a cache to that cache entry's tile path */
  private readonly cachedFrom = new WeakMap<Uint8Array, string>();
  /** distrusted are tile paths whose cached copies failed verification: never read again */
  private readonly distrusted = new Set<string>();

  constructor(
    private readonly name: string,
    private readonly ops: ClientOps,
    readonly height: number,
    private readonly partialTileTtlMs: number,
  ) {}

  readTiles(tiles: readonly Tile[]): Promise<readonly Uint8Array[]> {
    return Promise.all(tiles.map((t) => this.readTile(t)));
  }

  /**
   * saveTiles keeps authenticated tiles in memory and writes each to the cache once (tiles
   * that came from the cache are not written back).
   */
  saveTiles(tiles: readonly Tile[], data: readonly Uint8Array[]): void {
    tiles.forEach((tile, i) => {
      const d = data[i];
      const path = tilePath(tile);
      if (d === undefined) return;
      const full = tile.w === 2 ** tile.h;
      this.distrusted.delete(path);
      if (!this.memory.has(path)) {
        this.memory.set(path, {
          data: d,
          until: full ? Infinity : Date.now() + this.partialTileTtlMs,
        });
      }
      if (this.saved.has(path)) return;
      this.saved.add(path);
      this.writes.push(this.ops.writeCache(this.cacheKey(tile), d).catch(() => undefined));
    });
  }

  /**
   * distrust drops the cached copies among `data` (from memory, and from this client's
   * reads of the cache) and reports whether there were any (TileReader.distrust).
   */
  distrust(_tiles: readonly Tile[], data: readonly Uint8Array[]): boolean {
    let any = false;
    for (const d of data) {
      const path = this.cachedFrom.get(d);
      if (path === undefined) continue;
      any = true;
      this.distrusted.add(path);
      this.memory.delete(path);
      this.saved.delete(path);
    }
    return any;
  }

  /** flush waits for pending cache writes. */
  async flush(): Promise<void> {
    await Promise.all(this.writes.splice(0));
  }

  private readTile(tile: Tile): Promise<Uint8Array> {
    const path = tilePath(tile);
    let p = this.inflight.get(path);
    if (p === undefined) {
      p = this.fetchTile(tile).finally(() => this.inflight.delete(path));
      this.inflight.set(path, p);
    }
    return p;
  }

  private async fetchTile(tile: Tile): Promise<Uint8Array> {
    const full: Tile = { ...tile, w: 2 ** tile.h };
    const isPartial = tile.w !== full.w;
    const cached =
      (await this.fromCache(tile, tile)) ??
      (isPartial ? await this.fromCache(full, tile) : undefined);
    if (cached !== undefined) {
      this.stats.cacheHits++;
      return cached;
    }
    try {
      return await this.fromRemote(tile);
    } catch (err) {
      if (!isPartial) throw err;
      return this.fullInstead(tile, full, err);
    }
  }

  /**
   * fullInstead reads the full tile after the partial one failed, since a completed tile may
   * be served only in full. If that fails too, the partial tile's error is the one returned,
   * as x/mod readTile returns it ("Return the error from the server fetch for the requested
   * (not full) tile"): the full tile of a tree that has not filled it yet is always missing.
   */
  private async fullInstead(tile: Tile, full: Tile, partialErr: unknown): Promise<Uint8Array> {
    let data: Uint8Array;
    try {
      data = await this.fromRemote(full);
    } catch {
      throw partialErr;
    }
    const cut = truncate(data, tile);
    if (cut !== undefined) return cut;
    const why = partialErr instanceof Error ? partialErr.message : String(partialErr);
    throw new SumdbError(
      'TILE_MALFORMED',
      `${tilePath(full)} has ${data.length} bytes, want at least ${tile.w * HASH_SIZE} (read because ${tilePath(tile)} failed: ${why})`,
    );
  }

  /**
   * fromCache returns `want` from the cached copy of `tile` (the same tile, or the full tile
   * holding it), from memory or the cache, unless that copy is distrusted. Cached tiles are
   * proven again by tileHashReader like any other; they are only skipped for re-saving.
   */
  private async fromCache(tile: Tile, want: Tile): Promise<Uint8Array | undefined> {
    const path = tilePath(tile);
    if (this.distrusted.has(path)) return undefined;
    const m = this.memory.get(path);
    const full = tile.w === 2 ** tile.h;
    const data =
      m !== undefined && m.until > Date.now()
        ? m.data
        : await this.ops.readCache(this.cacheKey(tile), full ? undefined : this.partialTileTtlMs);
    const cut = tile === want ? data : truncate(data, want);
    if (cut === undefined) return undefined;
    this.saved.add(path);
    this.cachedFrom.set(cut, path);
    return cut;
  }

  private async fromRemote(tile: Tile): Promise<Uint8Array> {
    if (tile.w === 2 ** tile.h) this.stats.remoteFull++;
    else this.stats.remotePartial++;
    return this.ops.readRemote(`/${tilePath(tile)}`);
  }

  private cacheKey(tile: Tile): string {
    return `${this.name}/${tilePath(tile)}`;
  }
}

function truncate(data: Uint8Array | undefined, tile: Tile): Uint8Array | undefined {
  const want = tile.w * HASH_SIZE;
  return data === undefined || data.length < want ? undefined : data.subarray(0, want);
}
