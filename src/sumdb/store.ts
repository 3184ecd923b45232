/**
 * StateStore keeps a sumdb client's state in a directory (the config and cache halves
 * of x/mod's ClientOps):
 *   <dir>/latest/<name>        the newest verified signed tree head (compare-and-swap)
 *   <dir>/cache/<name>/...     authenticated lookups and tiles
 * (<name> URL-encoded into one path element). Every write is atomic (temp file +
 * rename); writers of the tree head serialize on an exclusive lock file, so concurrent
 * processes never lose or corrupt a head: a writer whose expected old head is no longer
 * there gets STATE_CONFLICT and must re-verify (client.ts mergeLatest does).
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { errorMessage } from '../errors.js';
import { SumdbError } from './errors.js';
import type { ClientOps } from './ops.js';
import { timerMs } from '../timers.js';

const STALE_LOCK_MS = 30_000;
const LOCK_WAIT_MS = 10_000;

export class StateStore implements Omit<ClientOps, 'readRemote'> {
  private readonly prefix: string;
  /** the writes under way, which close waits for */
  private readonly writing = new Set<Promise<void>>();
  private closed = false;

  constructor(
    readonly dir: string,
    readonly name: string,
  ) {
    this.prefix = `${name}/`;
  }

  /** latestPath is the file holding the newest verified tree head. */
  get latestPath(): string {
    return join(this.dir, 'latest', encodeURIComponent(this.name));
  }

  async readConfig(file: string): Promise<Uint8Array> {
    return (await readIfExists(this.configPath(file))) ?? new Uint8Array();
  }

  /** writeConfig replaces the head only if it still equals `old`, under an exclusive lock file. */
  writeConfig(file: string, old: Uint8Array, data: Uint8Array): Promise<void> {
    return this.write(() => this.swapConfig(this.configPath(file), old, data));
  }

  private async swapConfig(path: string, old: Uint8Array, data: Uint8Array): Promise<void> {
    await naming(path, async () => void (await mkdir(dirname(path), { recursive: true })));
    const unlock = await lock(`${path}.lock`);
    try {
      const current = (await readIfExists(path)) ?? new Uint8Array();
      if (!Buffer.from(current).equals(Buffer.from(old))) {
        throw new SumdbError(
          'STATE_CONFLICT',
          `${path} changed while this process verified a newer tree head`,
        );
      }
      await naming(path, () => writeAtomic(path, data, true));
    } finally {
      await unlock();
    }
  }

  async readCache(file: string, maxAgeMs?: number): Promise<Uint8Array | undefined> {
    const path = this.cachePath(file);
    if (maxAgeMs !== undefined) {
      const st = await stat(path).catch(() => undefined);
      if (st === undefined || Date.now() - st.mtimeMs > maxAgeMs) return undefined;
    }
    return readIfExists(path);
  }

  writeCache(file: string, data: Uint8Array): Promise<void> {
    return this.write(async () => {
      const path = this.cachePath(file);
      await naming(path, async () => {
        await mkdir(dirname(path), { recursive: true });
        await writeAtomic(path, data, false);
      });
    });
  }

  /**
   * close waits for the writes under way and refuses any later one (UNAVAILABLE), so
   * that a process ending once it is closed (an interrupted check) leaves no lock file
   * or temporary file behind, and no stale lock for the next run to wait on.
   */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.writing]);
  }

  private write(work: () => Promise<void>): Promise<void> {
    if (this.closed) {
      return Promise.reject(
        new SumdbError('UNAVAILABLE', `${this.dir}: the state store is closed`),
      );
    }
    const done = work();
    this.writing.add(done);
    const forget = () => void this.writing.delete(done);
    done.then(forget, forget);
    return done;
  }

  /** configPath is where `NAME/latest` is kept; no other config file exists. */
  configPath(file: string): string {
    if (file !== `${this.name}/latest`)
      throw new SumdbError('STATE_CONFLICT', `unknown config file ${file}`);
    return this.latestPath;
  }

  /** cachePath maps "NAME/tile/8/0/001" below <dir>/cache, refusing anything that could escape it. */
  private cachePath(file: string): string {
    const rest = file.startsWith(this.prefix) ? file.slice(this.prefix.length) : undefined;
    const parts = rest?.split('/') ?? [];
    const ok =
      parts.length > 0 &&
      parts.every((p) => p !== '' && p !== '.' && p !== '..' && !/[\\\0:]/.test(p));
    if (!ok)
      throw new SumdbError('STATE_CONFLICT', `refusing cache file name ${JSON.stringify(file)}`);
    return join(this.dir, 'cache', encodeURIComponent(this.name), ...parts);
  }
}

async function readIfExists(path: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SumdbError('UNAVAILABLE', `reading ${path}: ${errorMessage(err)}`, {
      cause: err,
      local: path,
    });
  }
}

/**
 * writeAtomic writes via a temp file and rename, so readers see the old or the new file,
 * never a torn one. `durable` adds an fsync (the tree head); cache entries skip it, since
 * they are proven again whenever they are used.
 */
async function writeAtomic(path: string, data: Uint8Array, durable: boolean): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fh = await open(tmp, 'wx', 0o644);
  try {
    try {
      await fh.writeFile(data);
      if (durable) await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (err) {
    // A full disk fails the write: the temporary file is ours to remove.
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/**
 * naming runs a write of `path`, turning what the file system refused (a full disk, a
 * folder that cannot be written) into UNAVAILABLE naming the file, and marked as this
 * machine's failure (ModguardError.local), as every file error of the store is.
 */
async function naming(path: string, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (err) {
    if (err instanceof SumdbError) throw err;
    throw new SumdbError('UNAVAILABLE', `writing ${path}: ${errorMessage(err)}`, {
      cause: err,
      local: path,
    });
  }
}

/**
 * lock creates `path` exclusively, waiting for another holder; a lock older than 30 s is
 * stale and broken. A lock that cannot be had within 10 s (held, or not removable: a
 * directory, another user's file) is UNAVAILABLE, naming the path, never a conflict to
 * retry.
 */
async function lock(path: string): Promise<() => Promise<void>> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  const token = `${process.pid} ${randomBytes(6).toString('hex')}\n`;
  for (;;) {
    try {
      await createLock(path, token);
      return async () => {
        const held = await readFile(path, 'utf8').catch(() => '');
        if (held === token) await unlink(path).catch(() => undefined);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new SumdbError('UNAVAILABLE', `taking the lock ${path}: ${errorMessage(err)}`, {
          cause: err,
          local: path,
        });
      }
    }
    await breakIfStale(path, token);
    if (Date.now() > deadline) {
      throw new SumdbError(
        'UNAVAILABLE',
        `could not take the lock ${path} within ${LOCK_WAIT_MS / 1000}s (remove it if no modguard is running)`,
        { local: path },
      );
    }
    await new Promise((r) => setTimeout(r, timerMs(5 + Math.random() * 20)));
  }
}

/**
 * createLock creates the lock file holding token, or fails with EEXIST when it is held.
 * A lock file it created but could not write (a full disk) is removed, not left to
 * hold every later writer off until it is stale.
 */
async function createLock(path: string, token: string): Promise<void> {
  const fh = await open(path, 'wx', 0o644);
  try {
    await fh.writeFile(token);
  } catch (err) {
    await fh.close().catch(() => undefined);
    await unlink(path).catch(() => undefined);
    throw err;
  }
  await fh.close();
}

/**
 * breakIfStale removes a lock file older than STALE_LOCK_MS. Two waiters may both find
 * it stale: each first renames it to a name of its own, so only one gets it, and one
 * that finds it got a fresh lock instead (the other waiter's, made in between) puts it
 * back.
 */
async function breakIfStale(path: string, token: string): Promise<void> {
  const st = await stat(path).catch(() => undefined);
  if (st === undefined || Date.now() - st.mtimeMs <= STALE_LOCK_MS) return;
  const aside = `${path}.${token.trim().replace(/\W/g, '')}.stale`;
  try {
    await rename(path, aside);
  } catch {
    return; // gone already, or not ours to move
  }
  const moved = await stat(aside).catch(() => undefined);
  if (moved !== undefined && Date.now() - moved.mtimeMs <= STALE_LOCK_MS) {
    await link(aside, path).catch(() => undefined);
  }
  await unlink(aside).catch(() => undefined);
}
