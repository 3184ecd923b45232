/**
 * bench/proxy: download+hash throughput through loopback for 200 modules (realistic size
 * mix), modguard's proxy client against Go 1.19's `go mod download`, from the same proxy
 * in the same run. Run: `npm run bench:proxy` (node --import tsx bench/proxy/run.ts [N]).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SourceChain } from '../../src/proxy/chain.js';
import { ProxyClient } from '../../src/proxy/client.js';
import { fetchModule } from '../../src/proxy/fetch.js';
import { HttpClient } from '../../src/proxy/http.js';
import { startWorld, type World } from '../../src/testing/world/index.js';
import { goModDownload } from '../../test/interop/proxy/go.js';
import { benchModules } from './sizes.js';

const n = Number(process.argv[2] ?? 200);
const concurrency = 8;

async function main(): Promise<void> {
  const t0 = performance.now();
  const modules = benchModules(n);
  const sourceMiB = modules.reduce((sum, m) => sum + (m.size ?? 0), 0) / (1 << 20);
  const world = await startWorld({ modules, git: false });
  const buildMs = performance.now() - t0;
  try {
    const zipBytes = world.versions.reduce((sum, v) => sum + zipSize(world, v.path, v.version), 0);
    const ours = await runModguard(world);
    const go = await runGo(world);
    report({ buildMs, zipBytes, sourceMiB, ours, go });
  } finally {
    await world.stop();
  }
}

function zipSize(world: World, path: string, version: string): number {
  return world.proxyA.store.get(path)?.get(version)?.zip.length ?? 0;
}

async function runModguard(world: World): Promise<{ ms: number; mismatches: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'modguard-bench-'));
  const http = new HttpClient({ connectionsPerOrigin: concurrency });
  const chain = new SourceChain({
    entries: [{ kind: 'url', url: world.proxyA.url, fallBackOnAnyError: false }],
    proxyFor: (u) => new ProxyClient(u, http),
    bypassesProxy: () => false,
  });
  const queue = [...world.versions];
  let mismatches = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let v = queue.shift(); v !== undefined; v = queue.shift()) {
        const got = await fetchModule(chain, v.path, v.version, dir);
        if (got.zipHash !== v.zipHash || got.modHash !== v.modHash) mismatches++;
        await rm(got.zip.value.path);
      }
    }),
  );
  const ms = performance.now() - t0;
  await http.close();
  await rm(dir, { recursive: true, force: true });
  return { ms, mismatches };
}

async function runGo(world: World): Promise<{ ms: number; mismatches: number; errors: number }> {
  const t0 = performance.now();
  const run = await goModDownload(
    world.versions.map((v) => `${v.path}@${v.version}`),
    { GOPROXY: world.proxyA.url, GOSUMDB: 'off' },
    600_000,
  );
  const ms = performance.now() - t0;
  let mismatches = 0;
  let errors = 0;
  for (const v of world.versions) {
    const d = run.downloads.find((x) => x.Path === v.path && x.Version === v.version);
    if (d?.Error !== undefined || d === undefined) errors++;
    else if (d.Sum !== v.zipHash || d.GoModSum !== v.modHash) mismatches++;
  }
  return { ms, mismatches, errors };
}

function report(r: {
  buildMs: number;
  zipBytes: number;
  sourceMiB: number;
  ours: { ms: number; mismatches: number };
  go: { ms: number; mismatches: number; errors: number };
}): void {
  const mib = r.zipBytes / (1 << 20);
  const row = (name: string, ms: number, extra: string) =>
    `${name.padEnd(28)} ${(ms / 1000).toFixed(2).padStart(7)} s  ${(mib / (ms / 1000)).toFixed(1).padStart(7)} MiB/s  ${(n / (ms / 1000)).toFixed(1).padStart(7)} modules/s  ${extra}`;
  const lines = [
    `bench/proxy: ${n} modules, ${mib.toFixed(1)} MiB of zips (${r.sourceMiB.toFixed(1)} MiB of source), loopback, concurrency ${concurrency}`,
    `world build (generate, zip, hash): ${(r.buildMs / 1000).toFixed(2)} s`,
    row('modguard fetch+hash', r.ours.ms, `hash mismatches ${r.ours.mismatches}`),
    row(
      'go 1.19 mod download',
      r.go.ms,
      `hash mismatches ${r.go.mismatches}, errors ${r.go.errors}`,
    ),
    `node ${process.version}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  if (r.ours.mismatches + r.go.mismatches + r.go.errors > 0) process.exitCode = 1;
}

await main();
