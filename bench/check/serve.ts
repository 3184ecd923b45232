/**
 * bench/check/serve: start the bench world (world.ts) and keep it up, for profiling
 * `modguard check` by hand. Writes go.mod and go.sum into DIR and prints the flags.
 * Run: node --import tsx bench/check/serve.ts DIR [MODULES] [ZIP_MIB]; stops on SIGINT/SIGTERM.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startBenchWorld } from './world.js';

const dir = process.argv[2] ?? '';
const world = await startBenchWorld(
  Number(process.argv[3] ?? 30),
  Number(process.argv[4] ?? 30) * (1 << 20),
);
await mkdir(dir, { recursive: true });
const requires = world.versions.map((v) => `\t${v.path} ${v.version}\n`).join('');
await writeFile(
  join(dir, 'go.mod'),
  `module bench.example.test/app\n\ngo 1.19\n\nrequire (\n${requires})\n`,
);
await writeFile(
  join(dir, 'go.sum'),
  world.versions
    .map((v) => `${v.path} ${v.version} ${v.zipHash}\n${v.path} ${v.version}/go.mod ${v.modHash}\n`)
    .join(''),
);
const flags = ['--proxy', world.proxyA.url, '--proxy', world.proxyB.url, '--sumdb', world.gosumdb];
await writeFile(join(dir, 'flags.json'), JSON.stringify(flags));
process.stdout.write(`${JSON.stringify(flags)}\n`);
const stop = () => void world.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.on('SIGUSR2', () => {
  const all = [...world.proxyA.requests, ...world.proxyB.requests].sort((a, b) => a.at - b.at);
  const t0 = all[0]?.at ?? 0;
  const lines = all.map((r) => `${r.at - t0} ${r.server} ${r.path}`);
  process.stdout.write(`${lines.join('\n')}\n---\n`);
  world.proxyA.requests.length = 0;
  world.proxyB.requests.length = 0;
});
