import { execa } from 'execa';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startWorld } from '../../../src/testing/world/index.js';
import { proxyFlags, Temps, worldEnv, writeProject } from './helpers.js';

// A `modguard check` killed outright (SIGKILL: an out-of-memory kill, a CI job killed)
// cannot clean up: the next check removes the temporary folders it left.

const BIN = fileURLToPath(new URL('../../../src/cli/bin.ts', import.meta.url));
const temps = new Temps();

afterAll(() => temps.cleanup());

/** modguardFolders are the entries of `tmp` modguard made (tsx keeps its cache there too). */
async function modguardFolders(tmp: string): Promise<string[]> {
  return (await readdir(tmp)).filter((f) => f.startsWith('modguard-')).sort();
}

describe.runIf(process.platform === 'linux')('when modguard check was SIGKILLed', () => {
  it('the next check removes the temporary folders it left, and nothing else', async () => {
    const module = { path: 'example.test/greet', version: 'v1.1.0' };
    // Proxy A holds the first zip download (the killed run's) and never answers it.
    const hang = { path: module.path, endpoint: 'zip', fault: { kind: 'hang' }, times: 1 } as const;
    const world = await startWorld({
      git: false,
      modules: [{ path: module.path, versions: [module.version] }],
      knobs: [{ kind: 'fault', proxy: 'A', rule: hang }],
    });
    try {
      const dir = await temps.make();
      const home = await temps.make();
      const tmp = await temps.make();
      await writeProject(world, dir, [module]);
      const check = () =>
        execa(
          process.execPath,
          ['--import', 'tsx', BIN, 'check', '--dir', dir, '--no-cache', ...proxyFlags(world)],
          { env: { ...worldEnv(world, home), TMPDIR: tmp }, extendEnv: false, reject: false },
        );
      // A folder without an owner record (being made, or an older modguard's) is kept.
      await mkdir(join(tmp, 'modguard-spool-unknwn'));

      const killed = check();
      const asked = () => world.proxyA.requests.some((r) => r.path.endsWith('.zip'));
      for (let i = 0; i < 3000 && killed.exitCode === null && !asked(); i++) {
        await new Promise((r) => setTimeout(r, 5));
      }
      killed.kill('SIGKILL');
      expect((await killed).signal).toBe('SIGKILL');
      const left = await modguardFolders(tmp);
      expect(left.filter((f) => f.startsWith('modguard-spool-'))).toHaveLength(2);

      const next = await check();
      expect(next.exitCode, next.stderr).toBe(0);
      expect(await modguardFolders(tmp)).toEqual(['modguard-spool-unknwn']);
    } finally {
      await world.stop();
    }
  }, 60_000);
});
