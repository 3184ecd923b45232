/**
 * Temporary folders that a killed run's successor can clean up. A run removes its
 * temporary folders when it ends or is interrupted; a SIGKILL (an out-of-memory kill, a CI
 * job killed) leaves them, downloads in them, possibly hundreds of MB. So each holds its
 * owner's record (liveness.ts) in OWNER_FILE, written right after the folder is made, and
 * sweepDeadTempDirs removes the folders whose owner is provably dead.
 */
import { lstat, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_RECORD_BYTES, ownerRecord, ownerVerdict, selfFacts } from './liveness.js';

/** The temporary folders modguard makes, by the prefix of their names. */
export type TempPrefix = (typeof TEMP_PREFIXES)[number];
export const TEMP_PREFIXES = [
  'modguard-spool-',
  'modguard-vcs-',
  'modguard-git-',
  'modguard-demo-',
  'modguard-world-',
  'modguard-proxy-get-',
] as const;

/** OWNER_FILE holds a temporary folder's owner record. */
export const OWNER_FILE = '.modguard-owner';

/** How many folders one sweep looks at, at most (chosen at random when there are more). */
const SWEEP_LIMIT = 32;

/**
 * makeTempDir makes a new folder `<parent>/<prefix>XXXXXX` (mkdtemp) holding this
 * process's owner record. A record that cannot be written (a full disk) is not an
 * error: the folder is only never swept.
 */
export async function makeTempDir(prefix: TempPrefix, parent = tmpdir()): Promise<string> {
  const dir = await mkdtemp(join(parent, prefix));
  await ownerRecord()
    .then((text) => writeFile(join(dir, OWNER_FILE), text, { flag: 'wx', mode: 0o600 }))
    .catch(() => undefined);
  return dir;
}

/**
 * sweepDeadTempDirs removes the folders makeTempDir made under `parent` whose owner is
 * provably dead (liveness.ts judgeOwner), and returns their paths. It never removes a
 * folder that is not this user's, or has no readable owner record (one being made has
 * none yet, and neither has an older modguard's), or whose owner may be alive or cannot
 * be judged (another container, a system without /proc: nothing is looked at there). It
 * looks at `limit` folders at most, and never fails: it is housekeeping.
 */
export async function sweepDeadTempDirs(parent = tmpdir(), limit = SWEEP_LIMIT): Promise<string[]> {
  try {
    const uid = process.getuid?.();
    if (uid === undefined || (await selfFacts()) === undefined) return [];
    const names = (await readdir(parent)).filter(isTempDirName);
    const removed: string[] = [];
    for (const name of sample(names, limit)) {
      const dir = join(parent, name);
      if (await ownerIsDead(dir, uid).catch(() => false)) {
        await rm(dir, { recursive: true, force: true }).then(
          () => removed.push(dir),
          () => undefined,
        );
      }
    }
    return removed;
  } catch {
    return [];
  }
}

/** isTempDirName: a prefix, then mkdtemp's six characters, and nothing else. */
function isTempDirName(name: string): boolean {
  return TEMP_PREFIXES.some(
    (p) => name.startsWith(p) && /^[A-Za-z0-9]{6}$/.test(name.slice(p.length)),
  );
}

async function ownerIsDead(dir: string, uid: number): Promise<boolean> {
  const folder = await lstat(dir);
  if (!folder.isDirectory() || folder.uid !== uid) return false;
  const file = join(dir, OWNER_FILE);
  const owner = await lstat(file);
  if (!owner.isFile() || owner.uid !== uid || owner.size > MAX_RECORD_BYTES) return false;
  return (await ownerVerdict(await readFile(file, 'utf8'), owner.mtimeMs)) === 'dead';
}

/** sample is up to n of names, chosen at random (so live folders cannot hide dead ones). */
function sample(names: readonly string[], n: number): string[] {
  const keyed = names.map((name) => ({ name, key: Math.random() }));
  return keyed
    .sort((a, b) => a.key - b.key)
    .slice(0, n)
    .map((e) => e.name);
}
