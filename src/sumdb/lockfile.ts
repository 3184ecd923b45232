/**
 * A lock file: a file created exclusively (O_EXCL) beside what it guards, holding a token
 * of its own so that only its holder removes it.
 */
import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { errorMessage } from '../errors.js';
import { SumdbError } from './errors.js';
import { timerMs } from '../timers.js';

/** LockTimes are how long a lock file lives before it is stale, and how long a waiter waits. */
export interface LockTimes {
  readonly staleMs: number;
  readonly waitMs: number;
}

const DEFAULT_TIMES: LockTimes = { staleMs: 30_000, waitMs: 10_000 };

/**
 * lockFile creates `path` exclusively, waiting for another holder; a lock older than
 * `staleMs` (30 s) is stale and broken. A lock that cannot be had within `waitMs` (10 s:
 * held, or not removable: a directory, another user's file) is UNAVAILABLE, naming the
 * path, never a conflict to retry. It resolves to the unlock.
 */
export async function lockFile(
  path: string,
  times: LockTimes = DEFAULT_TIMES,
): Promise<() => Promise<void>> {
  const deadline = Date.now() + times.waitMs;
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
        });
      }
    }
    await breakIfStale(path, token, times.staleMs);
    if (Date.now() > deadline) {
      throw new SumdbError(
        'UNAVAILABLE',
        `could not take the lock ${path} within ${times.waitMs / 1000}s (remove it if no modguard is running)`,
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
 * breakIfStale removes a lock file older than `staleMs`. Two waiters may both find
 * it stale: each first renames it to a name of its own, so only one gets it, and one
 * that finds it got a fresh lock instead (the other waiter's, made in between) puts it
 * back.
 */
async function breakIfStale(path: string, token: string, staleMs: number): Promise<void> {
  const st = await stat(path).catch(() => undefined);
  if (st === undefined || Date.now() - st.mtimeMs <= staleMs) return;
  const aside = `${path}.${token.trim().replace(/\W/g, '')}.stale`;
  try {
    await rename(path, aside);
  } catch {
    return; // gone already, or not ours to move
  }
  const moved = await stat(aside).catch(() => undefined);
  if (moved !== undefined && Date.now() - moved.mtimeMs <= staleMs) {
    await link(aside, path).catch(() => undefined);
  }
  await unlink(aside).catch(() => undefined);
}
