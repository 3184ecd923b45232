/**
 * Benchmark (not a test): 1,000 sumdb lookups in a log of 1,000,000 records, cold and warm,
 * modguard's client next to the x/mod v0.7.0 sumdb.Client (the Go toolchain's client code,
 * driven by test/interop/sumdb/gohelper because `go mod download` of 1,000 modules would
 * need 1,000 module zips). Both talk to the same loopback server; tile requests are counted
 * at the server. Run: node --import tsx bench/sumdb/lookups.ts [records] [lookups]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { generateKey } from '../../src/sumdb/note.js';
import { SumdbLog } from '../../src/testing/sumdb-log.js';
import {
  goSumRecord,
  startSumdbServer,
  type RunningSumdb,
} from '../../src/testing/sumdb-server.js';
import { buildGoHelper } from '../../test/interop/sumdb/gohelper.js';

const RECORDS = Number(process.argv[2] ?? 1_000_000);
const LOOKUPS = Number(process.argv[3] ?? 1_000);
const CONCURRENCY = 16;
const worker = join(import.meta.dirname, 'client-worker.ts');

interface Row {
  client: string;
  phase: string;
  ms: number;
  requests: number;
  lookups: number;
  fullTiles: number;
  partialTiles: number;
}

function record(i: number): string {
  const h = (s: string) => `h1:${Buffer.from(s.padEnd(32, '.').slice(0, 32)).toString('base64')}`;
  return goSumRecord(`example.com/bench/m${i}`, 'v1.0.0', h(`z${i}`), h(`m${i}`));
}

/** pick returns n distinct ids in [0, max) from a fixed-seed generator, so runs compare. */
function pick(n: number, max: number, seed: number): number[] {
  const ids = new Set<number>();
  let x = seed;
  while (ids.size < n) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    ids.add(x % max);
  }
  return [...ids];
}

function count(server: RunningSumdb, client: string, phase: string, ms: number): Row {
  const req = server.state.requests.splice(0);
  const tiles = req.filter((p) => p.startsWith('/tile/'));
  const partialTiles = tiles.filter((p) => p.includes('.p/')).length;
  return {
    client,
    phase,
    ms: Math.round(ms),
    requests: req.length,
    lookups: req.filter((p) => p.startsWith('/lookup/')).length,
    fullTiles: tiles.length - partialTiles,
    partialTiles,
  };
}

/** ours runs modguard's client in its own process (bench/sumdb/client-worker.ts), like the Go one. */
async function ours(
  server: RunningSumdb,
  vkey: string,
  dir: string,
  ids: number[],
): Promise<number> {
  const input = ids.map((i) => `example.com/bench/m${i} v1.0.0\n`).join('');
  const args = ['--import', 'tsx', worker, vkey, server.url, dir, String(CONCURRENCY)];
  // The worker reports its own time, without Node and tsx start-up (about a second).
  const { stdout } = await execa('node', args, { input });
  return Number(stdout.trim());
}

async function go(
  bin: string,
  server: RunningSumdb,
  vkey: string,
  dir: string,
  ids: number[],
): Promise<number> {
  const input = ids.map((i) => `example.com/bench/m${i} v1.0.0\n`).join('');
  const start = performance.now();
  const { stdout } = await execa(bin, ['client', vkey, server.url, dir], { input });
  const ms = performance.now() - start;
  const errors = stdout.split('\n').filter((l) => l.startsWith('ERROR'));
  if (errors.length > 0) throw new Error(`go client: ${errors[0]}`);
  return ms;
}

async function main(): Promise<void> {
  const key = generateKey('bench.sumdb.test');
  const t0 = performance.now();
  const log = new SumdbLog();
  for (let i = 0; i < RECORDS; i++) log.append(record(i));
  const buildMs = performance.now() - t0;
  const rss = Math.round(process.memoryUsage().rss / 2 ** 20);
  console.log(`built log of ${RECORDS} records in ${Math.round(buildMs)} ms (rss ${rss} MiB)`);
  const server = await startSumdbServer({ signerKey: key.signerKey, log });
  const work = await mkdtemp(join(tmpdir(), 'modguard-bench-sumdb-'));
  const helper = await buildGoHelper();
  const ids = pick(LOOKUPS, RECORDS, 42);
  const other = pick(LOOKUPS * 2, RECORDS, 7)
    .filter((i) => !ids.includes(i))
    .slice(0, LOOKUPS);
  const rows: Row[] = [];
  try {
    await server.state.signedTree({ log, size: log.size });
    const mine = join(work, 'modguard');
    rows.push(count(server, 'modguard', 'cold', await ours(server, key.verifierKey, mine, ids)));
    rows.push(
      count(
        server,
        'modguard',
        'warm (same lookups)',
        await ours(server, key.verifierKey, mine, ids),
      ),
    );
    rows.push(
      count(
        server,
        'modguard',
        'warm (new lookups)',
        await ours(server, key.verifierKey, mine, other),
      ),
    );
    const theirs = join(work, 'go');
    rows.push(
      count(
        server,
        'x/mod client',
        'cold',
        await go(helper.bin, server, key.verifierKey, theirs, ids),
      ),
    );
    rows.push(
      count(
        server,
        'x/mod client',
        'warm (same lookups)',
        await go(helper.bin, server, key.verifierKey, theirs, ids),
      ),
    );
    rows.push(
      count(
        server,
        'x/mod client',
        'warm (new lookups)',
        await go(helper.bin, server, key.verifierKey, theirs, other),
      ),
    );
  } finally {
    await server.close();
    await helper.cleanup();
    await rm(work, { recursive: true, force: true });
  }
  console.table(rows);
}

await main();
