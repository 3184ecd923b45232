import { randomBytes } from 'node:crypto';
import type { Dirent, Stats } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { errorMessage } from '../errors.js';
import { CacheError } from './errors.js';

/** AtomicWriteOptions tune writeFileAtomic. */
export interface AtomicWriteOptions {
  /** durable: false skips both fsyncs (see writeFileAtomic); default true */
  readonly durable?: boolean;
  /** mode is a new file's permission bits before the umask, as for open(2); default 0o644 */
  readonly mode?: number;
  /**
   * keepPermissions: when `file` is a regular file already, its replacement gets its
   * permission bits exactly (no umask; set-id bits dropped) and, where the process may
   * set them, its owner and group: a report a user made private stays private, and
   * root replacing a user's file leaves it theirs.
   */
  readonly keepPermissions?: boolean;
}

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
  options: AtomicWriteOptions = {},
): Promise<void> {
  const durable = options.durable ?? true;
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(8).toString('hex')}.tmp`);
  try {
    const old = options.keepPermissions === true ? await regularFile(file) : undefined;
    await fs.mkdir(dir, { recursive: true });
    // A kept mode is set before any byte is written: until then only we may read it.
    const handle = await fs.open(tmp, 'wx', old === undefined ? (options.mode ?? 0o644) : 0o600);
    try {
      if (old !== undefined) await copyPermissions(handle, old);
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

async function regularFile(file: string): Promise<Stats | undefined> {
  const info = await fs.stat(file).catch(() => undefined);
  return info?.isFile() === true ? info : undefined;
}

/**
 * copyPermissions gives the open file `old`'s owner and group (the group alone when
 * only it may be set, as a group member can), then its permission bits: chown(2) may
 * clear mode bits, so it goes first. A file system without owners or modes (EPERM,
 * ENOTSUP) leaves the new file as it was made, private to this user.
 */
async function copyPermissions(handle: fs.FileHandle, old: Stats): Promise<void> {
  const made = await handle.stat();
  if (made.uid !== old.uid || made.gid !== old.gid) {
    await handle.chown(old.uid, old.gid).catch(async (err: unknown) => {
      ignoreUnsupported(err);
      if (made.gid !== old.gid) await handle.chown(made.uid, old.gid).catch(ignoreUnsupported);
    });
  }
  await handle.chmod(old.mode & 0o777).catch(ignoreUnsupported);
}

function ignoreUnsupported(err: unknown): void {
  if (!isErrno(err, 'EPERM') && !isErrno(err, 'ENOTSUP')) throw err;
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
