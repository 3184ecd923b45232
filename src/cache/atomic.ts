import { randomBytes } from 'node:crypto';
import type { Dirent } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { errorMessage } from '../errors.js';
import { CacheError } from './errors.js';

/**
 * writeFileAtomic writes `bytes` to `file` so that a reader sees either the old file or
 * the complete new one, never a part: write a temporary file in the same directory,
 * fsync it, rename it over `file` (atomic within one file system, POSIX rename(2)),
 * then fsync the directory so the rename survives a crash. Concurrent writers each use
 * their own temporary name; the last rename wins. `durable: false` skips both fsyncs,
 * for self-verifying entries that may be lost in a crash (a torn one reads as a miss):
 * still atomic for concurrent readers, much cheaper when thousands are written.
 */
export async function writeFileAtomic(
  file: string,
  bytes: Uint8Array,
  options: { durable?: boolean } = {},
): Promise<void> {
  const durable = options.durable ?? true;
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(8).toString('hex')}.tmp`);
  try {
    await fs.mkdir(dir, { recursive: true });
    const handle = await fs.open(tmp, 'wx', 0o644);
    try {
      await handle.writeFile(bytes);
      if (durable) await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw new CacheError('CACHE_IO', `writing ${file}: ${errorMessage(err)}`, { cause: err });
  }
  if (durable) await syncDir(dir);
}

/** syncDir fsyncs a directory; platforms that cannot open directories (Windows) skip it. */
async function syncDir(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows cannot open or fsync a directory; the rename is still atomic there.
  } finally {
    await handle?.close();
  }
}

/** readFileIfExists returns a file's bytes, or undefined when it does not exist. */
export async function readFileIfExists(file: string): Promise<Uint8Array | undefined> {
  try {
    return await fs.readFile(file);
  } catch (err) {
    if (isErrno(err, 'ENOENT') || isErrno(err, 'ENOTDIR')) return undefined;
    throw new CacheError('CACHE_IO', `reading ${file}: ${errorMessage(err)}`, { cause: err });
  }
}

function isErrno(err: unknown, code: string): boolean {
  return err instanceof Error && (err as NodeJS.ErrnoException).code === code;
}

/** isTemporaryName recognizes the names writeFileAtomic gives its temporary files. */
export function isTemporaryName(name: string): boolean {
  return name.startsWith('.') && name.endsWith('.tmp');
}

/**
 * sweepTemporaries deletes temporary files under `root` that a crashed writer left
 * and that are older than `maxAgeMs` (younger ones may belong to a live writer).
 * It returns how many it removed; files that vanish meanwhile are not errors.
 */
export async function sweepTemporaries(
  root: string,
  maxAgeMs: number,
  now = Date.now(),
): Promise<number> {
  let entries: Dirent[];
  try {
    entries = await fs.readdir(root, { recursive: true, withFileTypes: true });
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return 0;
    throw new CacheError('CACHE_IO', `reading ${root}: ${errorMessage(err)}`, { cause: err });
  }
  let removed = 0;
  for (const e of entries) {
    if (!e.isFile() || !isTemporaryName(e.name)) continue;
    const file = path.join(e.parentPath, e.name);
    const stat = await fs.stat(file).catch(() => undefined);
    if (stat === undefined || now - stat.mtimeMs < maxAgeMs) continue;
    await fs.rm(file, { force: true });
    removed++;
  }
  return removed;
}
