import { execa } from 'execa';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ownerRecord, parseStat } from '../../../src/liveness.js';
import { lockFile } from '../../../src/sumdb/lockfile.js';
import { killOwners, startOwner, type OwnerProcess } from '../owner-process.js';

// A lock whose holder is provably dead (on Linux: same boot and pid namespace, and the pid
// gone or another process) is broken at once; a live holder's never; anything else is
// stale after staleMs, as before. Every wait here is shorter than the stale age, so a lock
// taken proves it was broken for its owner's death, not its age.

const holder = resolve(import.meta.dirname, 'lock-holder.ts');
const SHORT = { staleMs: 30_000, waitMs: 1_500 };
let dir = '';
let path = '';

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modguard-lockfile-'));
  path = join(dir, 'head.lock');
});
afterEach(async () => {
  await killOwners();
  await rm(dir, { recursive: true, force: true });
});

/** hold starts a process that takes the lock and keeps it; it resolves once the lock is held. */
function hold(): Promise<OwnerProcess> {
  return startOwner(holder, [path]);
}

async function age(file: string, ms: number): Promise<void> {
  const then = new Date(Date.now() - ms);
  await utimes(file, then, then);
}

describe.runIf(process.platform === 'linux')('when the lock holder is provably dead', () => {
  it('takes the lock of a SIGKILLed holder at once', async () => {
    const child = await hold();
    const held = await readFile(path, 'utf8');
    await child.kill();
    const started = performance.now();
    const unlock = await lockFile(path, SHORT);
    const waited = performance.now() - started;
    expect(await readFile(path, 'utf8')).not.toBe(held);
    await unlock();
    expect(await readdir(dir)).toEqual([]);
    // (seen: a few milliseconds; 30 s, the stale age, before dead holders were recognized)
    expect(waited).toBeLessThan(SHORT.waitMs);
  });

  it('takes a lock whose pid lives but started at another time (a pid used again)', async () => {
    const child = await hold();
    const pid = child.pid;
    const start = parseStat(await readFile(`/proc/${pid}/stat`, 'utf8'))?.start ?? '';
    // The record a process of that pid that started a tick earlier would have written.
    const own = await ownerRecord();
    const other = own
      .replace(/ pid=\d+ /, ` pid=${pid} `)
      .replace(/ start=\d+ /, ` start=${BigInt(start) - 1n} `);
    expect(other).toContain(` pid=${pid} start=`);
    await writeFile(path, other);
    const unlock = await lockFile(path, SHORT);
    await unlock();
    expect(await readdir(dir)).toEqual([]);
  });

  it('never breaks a live holder’s lock, however old', async () => {
    const child = await hold();
    const held = await readFile(path, 'utf8');
    await age(path, 3_600_000);
    const err = await lockFile(path, { staleMs: 1_000, waitMs: 1_500 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'UNAVAILABLE' });
    expect(await readFile(path, 'utf8')).toBe(held);
    await child.kill();
    const unlock = await lockFile(path, SHORT);
    await unlock();
  });
});

describe('when nothing proves the holder dead', () => {
  const unprovable = async (): Promise<Record<string, string>> => {
    const dead = await execa('node', ['-e', 'process.stdout.write(String(process.pid))']);
    const own = await ownerRecord();
    return {
      'an older modguard’s lock': `${dead.stdout} 0a1b2c3d4e5f\n`,
      garbage: '\u0000\u00ff not a lock at all',
      empty: '',
      // A dead pid, but of another pid namespace (another container on this host).
      'another pid namespace': own
        .replace(/ pid=\d+ /, ` pid=${dead.stdout} `)
        .replace(/ pidns=pid:\[\d+\] /, ' pidns=pid:[1] '),
      // Another boot, but maybe another machine sharing the folder: its host is another.
      'another boot of another host': own
        .replace(/ pid=\d+ /, ` pid=${dead.stdout} `)
        .replace(/ boot=[\w-]+ /, ' boot=00000000-0000-0000-0000-000000000000 ')
        .replace(/ host=\S+ /, ' host=elsewhere.example '),
    };
  };

  it('waits for a fresh lock and gives up UNAVAILABLE, leaving it', async () => {
    for (const [name, text] of Object.entries(await unprovable())) {
      await writeFile(path, text);
      const err = await lockFile(path, { staleMs: 30_000, waitMs: 300 }).catch((e: unknown) => e);
      expect(err, name).toMatchObject({ code: 'UNAVAILABLE' });
      expect(await readFile(path, 'utf8'), name).toBe(text);
    }
  });

  it('breaks it once older than the stale age, leaving nothing behind', async () => {
    for (const [name, text] of Object.entries(await unprovable())) {
      await writeFile(path, text);
      await age(path, 60_000);
      const unlock = await lockFile(path, SHORT);
      await unlock();
      expect(await readdir(dir), name).toEqual([]);
    }
  });
});
