import { execa, type ResultPromise } from 'execa';
import { existsSync, readdirSync, watch } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startWorld } from '../../../src/testing/world/index.js';
import { goEnvFor, proxyFlags, Temps, worldEnv, writeProject } from './helpers.js';

// An interrupted `modguard check` (Ctrl-C, a CI job cancelled) ends as the signal would
// have, and leaves nothing half-written behind: no temporary file beside --output.

const BIN = fileURLToPath(new URL('../../../src/cli/bin.ts', import.meta.url));
const temps = new Temps();

afterAll(() => temps.cleanup());

/**
 * bigOffline is a module whose go.sum has `n` lines no cache knows: with --offline each is
 * inconclusive, so the JSON report is large (about 700 bytes a line) and takes a while to
 * write, while nothing is asked of any server.
 */
async function bigOffline(n: number): Promise<string> {
  const dir = await temps.make();
  const lines = Array.from(
    { length: n },
    (_, i) => `example.test/big${i} v1.0.0 h1:${Buffer.alloc(32, i % 256).toString('base64')}`,
  );
  await writeFile(join(dir, 'go.mod'), 'module example.test/big\n\ngo 1.21\n');
  await writeFile(join(dir, 'go.sum'), `${lines.sort().join('\n')}\n`);
  return dir;
}

/** interruptWhen signals the child as soon as a file whose name matches appears in dir. */
function interruptWhen(dir: string, name: RegExp, child: ResultPromise, signal: NodeJS.Signals) {
  let sent = false;
  const watcher = watch(dir, (_event, file) => {
    if (sent || file === null || !name.test(file)) return;
    sent = true;
    child.kill(signal);
  });
  return {
    sent: () => sent,
    close: () => watcher.close(),
  };
}

describe('when modguard check is interrupted while it writes --output', () => {
  it('leaves the complete report or none, never its temporary file (SIGINT and SIGTERM)', async () => {
    const project = await bigOffline(20_000);
    const home = await temps.make();
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const out = await temps.make();
      const report = join(out, 'report.json');
      const child = execa(
        process.execPath,
        [
          ...['--import', 'tsx', BIN, 'check', '--dir', project, '--offline'],
          ...['--proxy', 'http://127.0.0.1:9/a', '--proxy', 'http://127.0.0.1:9/b'],
          ...['--sumdb', 'off', '--cache-dir', join(home, 'cache')],
          ...['--format', 'json', '--output', report],
        ],
        { env: goEnvFor(home), extendEnv: false, reject: false, timeout: 60_000 },
      );
      const interrupt = interruptWhen(out, /\.tmp$/, child, signal);
      const r = await child.finally(() => interrupt.close());
      expect(interrupt.sent(), r.stderr).toBe(true);
      expect(r.signal ?? r.exitCode).toBe(signal);
      const left = await readdir(out);
      expect(left.filter((f) => f !== 'report.json')).toEqual([]);
      if (left.includes('report.json')) {
        const written = JSON.parse(await readFile(report, 'utf8')) as { summary: object };
        expect(written.summary).toMatchObject({ lines: 20_000, inconclusive: 20_000 });
      }
    }
  }, 120_000);
});

describe('when modguard check --direct is interrupted while git runs', () => {
  // execa's child cleanup (signal-exit) listens for the signal too while a git child runs:
  // the interrupted run must still clean up before it ends, not die at once.
  it('removes its downloads and leaves no lock in the cache (SIGINT and SIGTERM)', async () => {
    const world = await startWorld({
      modules: [{ path: 'example.test/greet', versions: ['v1.0.0', 'v1.1.0'] }],
    });
    try {
      const git = world.git?.url ?? '';
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        const dir = await temps.make();
        const home = await temps.make();
        const tmp = await temps.make();
        const cache = join(home, 'cache');
        await writeProject(world, dir, [{ path: 'example.test/greet', version: 'v1.1.0' }]);
        const child = execa(
          process.execPath,
          [
            ...['--import', 'tsx', BIN, 'check', '--dir', dir, ...proxyFlags(world)],
            ...['--direct', '--go-get-base', git, '--cache-dir', cache],
          ],
          { env: { ...worldEnv(world, home), TMPDIR: tmp }, extendEnv: false, reject: false },
        );
        // Interrupted while git fetches into its mirror.
        const vcs = join(cache, 'vcs');
        const fetching = () =>
          existsSync(vcs) &&
          readdirSync(vcs, { recursive: true }).some((f) => String(f).endsWith('FETCH_HEAD'));
        for (let i = 0; i < 5000 && child.exitCode === null && !fetching(); i++) {
          await new Promise((r) => setTimeout(r, 2));
        }
        child.kill(signal);
        const r = await child;
        expect(r.signal, r.stderr).toBe(signal);
        // (tsx, which runs the source, keeps its own cache there)
        expect((await readdir(tmp)).filter((f) => f.startsWith('modguard'))).toEqual([]);
        const latest = join(cache, 'sumdb', 'latest');
        const locks = existsSync(latest) ? await readdir(latest) : [];
        expect(locks.filter((f) => !/^[\w.]+$/.test(f) || f.endsWith('.lock'))).toEqual([]);
      }
    } finally {
      await world.stop();
    }
  }, 120_000);
});
