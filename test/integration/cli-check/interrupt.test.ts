import { execa, type ResultPromise } from 'execa';
import { watch } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { goEnvFor, Temps } from './helpers.js';

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
