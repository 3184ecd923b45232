/**
 * writeSumdbFiles lays a served database out as files below `dir`, the tree a file://
 * GOPROXY holds under `sumdb/<name>/` for the go command's sumdb client to read
 * (G/modfetch/sumdb.go: `<proxy>/sumdb/<name>/supported`, then lookups and tiles below
 * `<proxy>/sumdb/<name>`; G/web/http.go getFile reads each URL's path): `supported`,
 * `latest`, `lookup/<epath>@<evers>` for every module version and every hash tile of
 * height 8 (the full ones and the partial one at the end of each level).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { escapePath, escapeVersion } from '../go/module.js';
import { formatRecord } from '../sumdb/tlog-note.js';
import { DEFAULT_TILE_HEIGHT, tilePath, type Tile } from '../sumdb/tlog-tile.js';
import type { SumdbState } from './sumdb-handler.js';

export async function writeSumdbFiles(state: SumdbState, dir: string): Promise<void> {
  const log = state.log;
  const note = Buffer.from(await state.signedTree({ log, size: log.size }));
  const put = async (rel: string, data: Uint8Array | string) => {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await writeFile(join(dir, rel), data);
  };
  await put('supported', '');
  await put('latest', note);
  for (const [path, version, id] of state.modules()) {
    const record = formatRecord(id, log.record(id) ?? new Uint8Array());
    await put(
      `lookup/${escapePath(path)}@${escapeVersion(version)}`,
      Buffer.concat([record, note]),
    );
  }
  for (const tile of hashTiles(log.size, DEFAULT_TILE_HEIGHT)) {
    await put(tilePath(tile), log.hashTile(tile) ?? new Uint8Array());
  }
}

/** hashTiles lists the hash tiles of a tree of size n: per level, the full tiles, then the partial one. */
function hashTiles(n: number, h: number): Tile[] {
  const tiles: Tile[] = [];
  for (let l = 0, count = n; count > 0; l++, count = Math.floor(count / 2 ** h)) {
    const full = Math.floor(count / 2 ** h);
    for (let i = 0; i < full; i++) tiles.push({ h, l, n: i, w: 2 ** h });
    if (count % 2 ** h > 0) tiles.push({ h, l, n: full, w: count % 2 ** h });
  }
  return tiles;
}
