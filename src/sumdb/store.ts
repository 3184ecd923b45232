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
import { mkdir, open, readFile, stat, unlink, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { errorMessage } from '../errors.js';
import { SumdbError } from './errors.js';
import type { ClientOps } from './ops.js';
import { lockFile } from './lockfile.js';

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
    const unlock = await lockFile(`${path}.lock`);
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
