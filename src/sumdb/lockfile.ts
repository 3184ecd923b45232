/**
 * A lock file: a file created exclusively (O_EXCL) beside what it guards, holding its
 * holder's owner record (liveness.ts), unique to it, so that only its holder removes it
 * and a waiter can tell a dead holder's lock from a live one's.
 */
import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { errorMessage } from '../errors.js';
import { MAX_RECORD_BYTES, ownerRecord, ownerVerdict } from '../liveness.js';
import { SumdbError } from './errors.js';
import { timerMs } from '../timers.js';

/** LockTimes are how long a lock file lives before it is stale, and how long a waiter waits. */
export interface LockTimes {
  readonly staleMs: number;
  readonly waitMs: number;
}

const DEFAULT_TIMES: LockTimes = { staleMs: 30_000, waitMs: 10_000 };

/**
 * lockFile creates `path` exclusively, waiting for another holder; a lock whose holder is
 * provably dead is broken at once, a live holder's never, any other once older than
 * `staleMs` (30 s). A lock that cannot be had within `waitMs` (10 s: held, or not
 * removable: a directory, another user's file) is UNAVAILABLE, naming the path, never a
 * conflict to retry. It resolves to the unlock.
 */
export async function lockFile(
  path: string,
  times: LockTimes = DEFAULT_TIMES,
): Promise<() => Promise<void>> {
  const deadline = Date.now() + times.waitMs;
  const token = await ownerRecord();
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
    await breakIfStale(path, times.staleMs);
    if (Date.now() > deadline) {
      throw new SumdbError(
        'UNAVAILABLE',
        `could not take the lock ${path} within ${times.waitMs / 1000}s (remove it if no modguard is running)`,
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
 * breakIfStale removes a lock file whose holder is provably dead (liveness.ts: on Linux,
 * a process of this boot and pid namespace that is gone, or whose pid is another
 * process's now), at once; one whose holder is alive, never; any other (an older
 * modguard's, one from another container or machine, any on a system without /proc)
 * once it is older than `staleMs`. Two waiters may both judge it: each first renames it
 * to a name of its own, so only one gets it, and one that finds it got another lock
 * instead (the other waiter's, made in between) puts that back.
 */
async function breakIfStale(path: string, staleMs: number): Promise<void> {
  const held = await readLock(path);
  if (held === undefined || !(await breakable(held, staleMs))) return;
  const aside = `${path}.${randomBytes(6).toString('hex')}.stale`;
  try {
    await rename(path, aside);
  } catch {
    return; // gone already, or not ours to move
  }
  const moved = await readLock(aside);
  if (moved !== undefined && (moved.text !== held.text || moved.mtimeMs !== held.mtimeMs)) {
    await link(aside, path).catch(() => undefined);
  }
  await unlink(aside).catch(() => undefined);
}

interface HeldLock {
  /** the holder's record, or '' when it is not a small file */
  readonly text: string;
  readonly mtimeMs: number;
}

async function readLock(path: string): Promise<HeldLock | undefined> {
  const st = await stat(path).catch(() => undefined);
  if (st === undefined) return undefined;
  const small = st.isFile() && st.size <= MAX_RECORD_BYTES;
  const text = small ? await readFile(path, 'utf8').catch(() => '') : '';
  return { text, mtimeMs: st.mtimeMs };
}

async function breakable(held: HeldLock, staleMs: number): Promise<boolean> {
  const verdict = await ownerVerdict(held.text, held.mtimeMs);
  return verdict === 'unknown' ? Date.now() - held.mtimeMs > staleMs : verdict === 'dead';
}
