import { open } from 'node:fs/promises';
import { hashModuleZip } from '../hash/zipcheck.js';
import { chunksSource } from '../hash/zipformat.js';
import { openFileSource } from '../vcs/dirfiles.js';
import { ownedCopy, PoolUnavailable, zipPool, type ZipPool } from './zippool.js';

/** ZipBody is a downloaded zip: in memory as chunks, or in a file. */
export type ZipBody = { readonly chunks: readonly Uint8Array[] } | { readonly path: string };

/**
 * hashZipBody is what modguard runs on a zip a proxy served: x/mod's zip rules for
 * module@version, then dirhash.HashZip (hashModuleZip), on a pool thread (zippool.ts)
 * when one is available, else here; from memory (chunks are copied once, to move to
 * the thread) or from its file.
 */
export async function hashZipBody(
  module: string,
  version: string,
  body: ZipBody,
  pool: ZipPool = zipPool,
): Promise<string> {
  try {
    return await pool.hash(
      module,
      version,
      'chunks' in body ? { bytes: ownedCopy(body.chunks) } : body,
    );
  } catch (err) {
    if (!(err instanceof PoolUnavailable)) throw err;
  }
  if ('chunks' in body) return hashModuleZip(module, version, chunksSource(body.chunks));
  return hashZipFile(module, version, body.path);
}

/** hashZipFile is hashModuleZip of a zip in a file, read through openFileSource. */
export async function hashZipFile(module: string, version: string, path: string): Promise<string> {
  const file = await openFileSource(path);
  try {
    return await hashModuleZip(module, version, file);
  } finally {
    await file.close();
  }
}

/** COMPARE_READ: a zip in a file is compared this many bytes at a time. */
const COMPARE_READ = 1 << 20;

/** sameBytes reports whether two zips hold the same bytes, wherever each of them is. */
export async function sameBytes(a: ZipBody, b: ZipBody): Promise<boolean> {
  if (
    'chunks' in a && 'chunks' in b
      ? a.chunks === b.chunks
      : 'path' in a && 'path' in b && a.path === b.path
  ) {
    return true; // one download's bytes, held by two (a followed download: FollowSink)
  }
  const ia = pieces(a);
  const ib = pieces(b);
  try {
    let pa = await next(ia);
    let pb = await next(ib);
    while (pa !== undefined && pb !== undefined) {
      const n = Math.min(pa.length, pb.length);
      if (Buffer.compare(pa.subarray(0, n), pb.subarray(0, n)) !== 0) return false;
      pa = n < pa.length ? pa.subarray(n) : await next(ia);
      pb = n < pb.length ? pb.subarray(n) : await next(ib);
    }
    return pa === undefined && pb === undefined;
  } finally {
    await ia.return(undefined);
    await ib.return(undefined);
  }
}

/** next is the next non-empty piece, or undefined at the end. */
async function next(it: AsyncGenerator<Uint8Array>): Promise<Uint8Array | undefined> {
  for (;;) {
    const r = await it.next();
    if (r.done === true) return undefined;
    if (r.value.length > 0) return r.value;
  }
}

/**
 * pieces yields a body's bytes in order. A file is read into one buffer, reused: a piece
 * is valid until the next one is asked for, which is how sameBytes uses them.
 */
async function* pieces(body: ZipBody): AsyncGenerator<Uint8Array> {
  if ('chunks' in body) {
    yield* body.chunks;
    return;
  }
  const fh = await open(body.path, 'r');
  try {
    const buf = Buffer.allocUnsafe(COMPARE_READ);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) return;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}
