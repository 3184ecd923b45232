import { execa } from 'execa';
import { chown, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ownerRecord } from '../../src/liveness.js';
import { startWorld } from '../../src/testing/world/index.js';
import { makeTempDir, OWNER_FILE, sweepDeadTempDirs, TEMP_PREFIXES } from '../../src/temp-dirs.js';
import { killOwners, startOwner } from './owner-process.js';

// A temporary folder whose owner is provably dead is swept by the next run; nothing else
// ever is. `parent` stands in for os.tmpdir().

const ownerScript = resolve(import.meta.dirname, 'temp-dir-owner.ts');
let parent = '';

beforeEach(async () => {
  parent = await mkdtemp(join(tmpdir(), 'modguard-sweep-test-'));
});
afterEach(async () => {
  await killOwners();
  await rm(parent, { recursive: true, force: true });
});

/** deadRecord is the owner record of a process that has ended. */
async function deadRecord(): Promise<string> {
  const liveness = pathToFileURL(resolve(import.meta.dirname, '../../src/liveness.ts')).href;
  const script = `import(${JSON.stringify(liveness)}).then(async (l) => process.stdout.write(await l.ownerRecord()))`;
  const r = await execa('node', ['--import', 'tsx', '-e', script]);
  return `${r.stdout}\n`;
}

/** folder makes `<parent>/name` holding `owner` as its owner record (none when undefined). */
async function folder(name: string, owner?: string): Promise<string> {
  const dir = join(parent, name);
  await mkdir(dir);
  await writeFile(join(dir, 'download.zip'), 'a download');
  if (owner !== undefined) await writeFile(join(dir, OWNER_FILE), owner);
  return dir;
}

describe.runIf(process.platform === 'linux')(
  'when a run that made a temporary folder is killed',
  () => {
    it('the next sweep removes its folder, and never a live run’s', async () => {
      const killed = await startOwner(ownerScript, [parent]);
      const live = await startOwner(ownerScript, [parent]);
      expect(await readFile(join(killed.said, OWNER_FILE), 'utf8')).toContain(
        ` pid=${killed.pid} `,
      );
      await killed.kill();
      expect(await sweepDeadTempDirs(parent)).toEqual([killed.said]);
      expect(await readdir(parent)).toEqual([live.said.slice(parent.length + 1)]);
      await live.kill();
      expect(await sweepDeadTempDirs(parent)).toEqual([live.said]);
      expect(await readdir(parent)).toEqual([]);
    });

    it('keeps its own folders', async () => {
      const dirs = await Promise.all(TEMP_PREFIXES.map((prefix) => makeTempDir(prefix, parent)));
      expect(await sweepDeadTempDirs(parent)).toEqual([]);
      expect((await readdir(parent)).sort()).toEqual(
        dirs.map((d) => d.slice(parent.length + 1)).sort(),
      );
    });

    it('removes every kind of folder modguard makes, looking at `limit` at most', async () => {
      const dead = await deadRecord();
      const names = [
        ...TEMP_PREFIXES.map((prefix) => `${prefix}aaaaaa`),
        'modguard-spool-bbbbbb',
        'modguard-vcs-EEEEE9',
      ];
      for (const n of names) await folder(n, dead);
      expect(await sweepDeadTempDirs(parent, 2)).toHaveLength(2);
      expect(await readdir(parent)).toHaveLength(names.length - 2);
      expect(await sweepDeadTempDirs(parent)).toHaveLength(names.length - 2);
      expect(await readdir(parent)).toEqual([]);
    });

    it('keeps what it cannot prove abandoned, or is not a folder modguard made', async () => {
      const dead = await deadRecord();
      const own = await ownerRecord();
      const kept = [
        await folder('modguard-spool-noownr'), // being made, or an older modguard's
        await folder('modguard-spool-garbag', 'not a record\n'),
        await folder('modguard-spool-oldfmt', `${dead.split(' ')[1]?.slice(4)} 0a1b2c\n`),
        await folder('modguard-spool-othrns', dead.replace(/pidns=pid:\[\d+\]/, 'pidns=pid:[1]')),
        await folder('modguard-spool-alive0', own),
        await folder('modguard-spool-abcde', dead), // not mkdtemp's name
        await folder('modguard-spool-abcdef-x', dead),
        await folder('modguard-cache-abcdef', dead),
        await folder('other-spool-abcdef', dead),
      ];
      // A record that is a link to a dead one, a folder that is a link to a dead one.
      const linked = await folder('modguard-vcs-linked');
      await symlink(join(parent, 'modguard-cache-abcdef', OWNER_FILE), join(linked, OWNER_FILE));
      await symlink(join(parent, 'modguard-cache-abcdef'), join(parent, 'modguard-vcs-symlnk'));
      expect(await sweepDeadTempDirs(parent)).toEqual([]);
      expect((await readdir(parent)).length).toBe(kept.length + 2);
    });

    it.runIf(process.getuid?.() === 0)('keeps another user’s folder', async () => {
      const dir = await folder('modguard-spool-theirs', await deadRecord());
      // Each of the folder and its record another user's, then both.
      for (const [folderUid, recordUid] of [
        [65534, 0],
        [0, 65534],
        [65534, 65534],
      ] as const) {
        await chown(dir, folderUid, folderUid);
        await chown(join(dir, OWNER_FILE), recordUid, recordUid);
        expect(await sweepDeadTempDirs(parent)).toEqual([]);
      }
      await chown(dir, 0, 0);
      await chown(join(dir, OWNER_FILE), 0, 0);
      expect(await sweepDeadTempDirs(parent)).toEqual([dir]);
    });
  },
);

// Every folder modguard makes under the temporary folder names its owner: the demo's
// world and project, and `proxy get`'s download, as well as the check's own.
describe('the local module world', () => {
  it('makes its folder with an owner record', async () => {
    const world = await startWorld({
      git: false,
      modules: [{ path: 'example.test/owned', versions: ['v1.0.0'] }],
    });
    try {
      expect(world.dir).toMatch(/modguard-world-[A-Za-z0-9]{6}$/);
      expect(await readFile(join(world.dir, OWNER_FILE), 'utf8')).toContain(` pid=${process.pid} `);
    } finally {
      await world.stop();
    }
  });
});

describe('when the sweep cannot look', () => {
  it('returns nothing, never an error (a missing folder)', async () => {
    expect(await sweepDeadTempDirs(join(parent, 'missing'))).toEqual([]);
  });
});
