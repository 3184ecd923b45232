import { execa } from 'execa';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, type World } from '../../../src/testing/world/index.js';
import { goEnvFor, proxyFlags, Temps, worldEnv, writeProject } from './helpers.js';
import { cliWorld, honest, tampered } from './world.js';

// The committed bundle, as the Action and the installed command run it: dist/cli.js
// must find dist/zipworker.js beside it and hash the proxies' zips there. Node writes
// one CPU profile per thread (--cpu-prof), which shows which scripts each thread ran.

const ROOT = new URL('../../../', import.meta.url).pathname;
let world: World;
const temps = new Temps();

beforeAll(async () => {
  world = await startWorld(cliWorld);
});
afterAll(async () => {
  await world?.stop();
  await temps.cleanup();
});

/** scriptsPerThread lists, for each thread's profile, the file names of the scripts it ran. */
async function scriptsPerThread(dir: string): Promise<string[][]> {
  const profiles = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile'));
  return Promise.all(
    profiles.map(async (f) => {
      const p = JSON.parse(await readFile(join(dir, f), 'utf8')) as {
        nodes: { callFrame: { url: string } }[];
      };
      const urls = new Set(p.nodes.map((n) => n.callFrame.url.split('/').at(-1) ?? ''));
      return [...urls].filter((u) => u.endsWith('.js')).sort();
    }),
  );
}

describe('when the built command checks a project', () => {
  it('hashes the zips on dist/zipworker.js, and reports as from source', async () => {
    const dir = await temps.make();
    const home = await temps.make();
    const profiles = await temps.make();
    await writeProject(world, dir, [...honest, tampered]);
    const out = join(dir, 'report.json');
    const r = await execa(
      process.execPath,
      [
        ...['--cpu-prof', '--cpu-prof-dir', profiles, join(ROOT, 'dist', 'cli.js'), 'check'],
        ...['--dir', dir, ...proxyFlags(world), '--no-cache', '--format', 'json'],
        ...['--output', out],
      ],
      { env: worldEnv(world, home), extendEnv: false, reject: false, timeout: 60_000 },
    );
    expect(r.exitCode, r.stderr).toBe(1); // the tampered zip is a finding
    const report = JSON.parse(await readFile(out, 'utf8')) as {
      summary: { lines: number; verified: number };
      findings: { code: string; module: string }[];
    };
    expect(report.summary).toMatchObject({ lines: 8, verified: 7 });
    expect(report.findings.map((f) => f.module)).toContain('example.test/yaml');
    const threads = await scriptsPerThread(profiles);
    expect(threads.filter((s) => s.includes('zipworker.js'))).toHaveLength(1);
    expect(threads.filter((s) => s.includes('cli.js') && s.includes('modguard.js'))).toHaveLength(
      1,
    );
    // --no-cache: not even Node's compile cache is written
    expect(await readdir(home)).not.toContain('.cache');
  });
});

/** HAS_COMPILE_CACHE: module.enableCompileCache came with Node 22.1. */
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const HAS_COMPILE_CACHE = major > 22 || (major === 22 && minor >= 1);

describe('when the built command starts', () => {
  it(`keeps Node's compile cache of the command in its cache folder (Node ${process.versions.node})`, async () => {
    const home = await temps.make();
    const run = () =>
      execa(process.execPath, [join(ROOT, 'dist', 'cli.js'), '--version'], {
        env: goEnvFor(home),
        extendEnv: false,
      });
    const first = await run();
    expect(first.stdout).toMatch(/^modguard /);
    const dir = join(home, '.cache', 'modguard', 'compile');
    if (!HAS_COMPILE_CACHE) {
      expect(await readdir(home)).not.toContain('.cache');
      return;
    }
    const [version, ...others] = await readdir(dir);
    expect(others).toEqual([]);
    const entries = await readdir(join(dir, version ?? ''));
    expect(entries).toHaveLength(1); // the command's bundle, dist/modguard.js
    expect((await run()).stdout).toBe(first.stdout);
  });

  it('starts where the cache folder cannot be made (XDG_CACHE_HOME in /proc)', async () => {
    // Node's recursive mkdir retries forever where mkdir says ENOENT under a parent that
    // exists, as in /proc: the command must start anyway, without a compile cache.
    const home = await temps.make();
    const r = await execa(process.execPath, [join(ROOT, 'dist', 'cli.js'), '--version'], {
      env: { ...goEnvFor(home), XDG_CACHE_HOME: '/proc/self/modguard-test' },
      extendEnv: false,
      reject: false,
      timeout: 15_000,
    });
    expect(r.timedOut).toBe(false);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^modguard /);
  });
});

describe('when the built command is interrupted', () => {
  it('removes its downloads and ends as the signal would have (SIGINT and SIGTERM)', async () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const dir = await temps.make();
      const home = await temps.make();
      const tmp = await temps.make();
      await writeProject(world, dir, honest);
      world.proxyA.requests.length = 0;
      const stall = {
        path: 'example.test/greet',
        endpoint: 'zip' as const,
        fault: { kind: 'stall' as const },
      };
      world.proxyA.faults.push(stall);
      try {
        const child = execa(
          process.execPath,
          [join(ROOT, 'dist', 'cli.js'), 'check', '--dir', dir, ...proxyFlags(world), '--no-cache'],
          { env: { ...worldEnv(world, home), TMPDIR: tmp }, extendEnv: false, reject: false },
        );
        // Wait until the stalled download has begun: the spool directory exists by then.
        for (
          let i = 0;
          i < 200 && !world.proxyA.requests.some((r) => r.target.endsWith('.zip'));
          i++
        ) {
          await new Promise((r) => setTimeout(r, 25));
        }
        expect((await readdir(tmp)).filter((n) => n.startsWith('modguard-spool-'))).toHaveLength(1);
        child.kill(signal);
        const r = await child;
        expect(r.signal).toBe(signal);
        expect(await readdir(tmp)).toEqual([]);
      } finally {
        world.proxyA.faults.splice(world.proxyA.faults.indexOf(stall), 1);
      }
    }
  });
});
