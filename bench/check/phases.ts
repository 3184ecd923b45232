/**
 * bench/check/phases: where does a cold `modguard check` spend its time? Runs each stage
 * alone, in this process, against a bench world (world.ts): transfer only (zips from A
 * and B, bodies discarded), download to spool files, hashing the spooled zips, .mod
 * fetches, and checksum-database lookups. For profiling; not part of `npm run bench:check`.
 * Run: node --import tsx bench/check/phases.ts [MODULES] [ZIP_MIB] [CONCURRENCY]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { hashModuleZip } from '../../src/hash/zipcheck.js';
import { ProxyClient } from '../../src/proxy/client.js';
import { HttpClient } from '../../src/proxy/http.js';
import { connectSumdb } from '../../src/sumdb/connect.js';
import { openFileSource } from '../../src/vcs/dirfiles.js';
import { startBenchWorld, type BenchVersion } from './world.js';

const n = Number(process.argv[2] ?? 30);
const mib = Number(process.argv[3] ?? 30);
const concurrency = Number(process.argv[4] ?? 16);

async function pool<T>(items: readonly T[], f: (t: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let x = queue.shift(); x !== undefined; x = queue.shift()) await f(x);
    }),
  );
}

async function timeIt(name: string, f: () => Promise<void>): Promise<void> {
  const t0 = performance.now();
  await f();
  process.stdout.write(`${name.padEnd(44)} ${((performance.now() - t0) / 1000).toFixed(2)} s\n`);
}

const world = await startBenchWorld(n, mib * (1 << 20));
const spool = await mkdtemp(join(tmpdir(), 'modguard-phases-'));
const versions = world.versions;
const both = [world.proxyA.url, world.proxyB.url];
try {
  const agent = new Agent({ connections: 8 });
  await timeIt('transfer only, A+B zips (undici, dump)', () =>
    pool(versions, async (v) => {
      await Promise.all(
        both.map(async (base) => {
          const r = await agent.request({
            origin: base,
            path: `/${v.path}/@v/${v.version}.zip`,
            method: 'GET',
          });
          for await (const _ of r.body) void _;
        }),
      );
    }),
  );
  await agent.close();
  const http = new HttpClient();
  const clients = both.map((u) => new ProxyClient(u, http));
  const files: { v: BenchVersion; path: string }[] = [];
  await timeIt('download to spool, A+B zips (ProxyClient)', () =>
    pool(versions, async (v) => {
      await Promise.all(
        clients.map(async (c, i) => {
          const path = join(spool, `${v.path.replaceAll('/', '_')}-${i}.zip`);
          await c.zip(v.path, v.version, path);
          files.push({ v, path });
        }),
      );
    }),
  );
  await timeIt('hash spooled zips (hashModuleZip, x2)', () =>
    pool(files, async ({ v, path }) => {
      const src = await openFileSource(path);
      try {
        if ((await hashModuleZip(v.path, v.version, src)) !== v.zipHash)
          throw new Error('bad hash');
      } finally {
        await src.close();
      }
    }),
  );
  await timeIt('.mod from A+B', () =>
    pool(versions, async (v) => {
      await Promise.all(clients.map((c) => c.mod(v.path, v.version)));
    }),
  );
  await http.close();
  const db = connectSumdb({
    verifierKey: world.gosumdb.split(' ')[0] ?? '',
    baseUrl: world.sumdbUrl,
  });
  await timeIt('sumdb lookups (memory state)', () =>
    pool(versions, async (v) => {
      await db.client.lookup(v.path, v.version);
    }),
  );
  await db.close();
} finally {
  await rm(spool, { recursive: true, force: true });
  await world.stop();
}
