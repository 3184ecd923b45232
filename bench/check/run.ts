/**
 * bench/check: `modguard check` of a go.sum of N modules (default 300, realistic size mix,
 * about 300 MiB of compressed zips: see world.ts) against two proxies and the checksum
 * database on loopback — cold (empty --cache-dir) and warm (the same --cache-dir again) —
 * and, in the same run, Go 1.19's `go mod download` of the same modules from proxy A with
 * the checksum database on. Wall time and peak RSS of each child process come from
 * /usr/bin/time (GNU time: `apt-get install time`).
 *
 * BENCH_CHECK_REPEAT=N repeats the three runs (a fresh cache each time) and reports the
 * fastest of each, for a machine shared with other work, and each round's cold / go ratio
 * with their median (the runs of a round share the machine's state of that minute).
 *
 * Run: `npm run bench:check` (node --import tsx bench/check/run.ts [MODULES] [ZIP_MIB]),
 * or set BENCH_CHECK_MODULES / BENCH_CHECK_MIB; a quick run: `... run.ts 30 30`.
 * The CLI measured: BENCH_CHECK_CLI=dist (dist/cli.js), a path to a built cli.js, or by
 * default fresh ncc bundles of the command's entry, the command and its zip pool thread
 * (what `npm run build` makes, ~30 s).
 *
 * "Cold" is an empty --cache-dir. Every run shares one HOME, so on Node >= 22.1 the
 * command's compile cache (src/cli/compile-cache.ts) is made by the first run and used
 * by the later ones, as by an installed command that has run before: round 1's cold run
 * is the one without it.
 */
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { startBenchWorld, type BenchWorld } from './world.js';

const modules = Number(process.argv[2] ?? process.env.BENCH_CHECK_MODULES ?? 300);
const zipMiB = Number(process.argv[3] ?? process.env.BENCH_CHECK_MIB ?? 300);
const repeat = Number(process.env.BENCH_CHECK_REPEAT ?? 1);
const goals = { coldVsGo: 0.7, warmMs: 1000, rssMiB: 300 };

/** Run is one measured child process. */
interface Run {
  readonly ms: number;
  readonly rssKiB: number;
  /** user + system CPU seconds of the child */
  readonly cpuS: number;
  readonly exitCode: number | undefined;
  readonly note: string;
}

async function main(): Promise<void> {
  const scratch = await mkdtemp(join(tmpdir(), 'modguard-bench-check-'));
  try {
    const cli = await cliPath(scratch);
    const t0 = performance.now();
    const world = await startBenchWorld(modules, zipMiB * (1 << 20));
    const buildMs = performance.now() - t0;
    try {
      const project = await writeProject(world, join(scratch, 'project'));
      const runs: { cold: Run; warm: Run; go: Run }[] = [];
      for (let i = 0; i < repeat; i++) {
        const cache = join(scratch, `cache-${i}`);
        const cold = await runModguard(cli, world, project, cache, join(scratch, 'cold.json'));
        const warm = await runModguard(cli, world, project, cache, join(scratch, 'warm.json'));
        const go = await runGo(world, join(scratch, `go-${i}`));
        runs.push({ cold, warm, go });
      }
      report(
        world,
        buildMs,
        {
          cold: best(runs.map((r) => r.cold)),
          warm: best(runs.map((r) => r.warm)),
          go: best(runs.map((r) => r.go)),
        },
        runs,
      );
    } finally {
      await world.stop();
    }
  } finally {
    await execa('chmod', ['-R', 'u+w', '--', scratch], { reject: false });
    await rm(scratch, { recursive: true, force: true });
  }
}

/** cliPath picks the CLI to measure (see the file comment). */
async function cliPath(scratch: string): Promise<string> {
  const choice = process.env.BENCH_CHECK_CLI;
  if (choice === 'dist') return resolve('dist/cli.js');
  if (choice !== undefined && choice !== '') return resolve(choice);
  const out = join(scratch, 'cli');
  const ncc = join('node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
  const build = (src: string, dir: string) =>
    execa(process.execPath, [ncc, 'build', src, '-o', dir, '--quiet', '--target', 'es2022'], {
      stdio: 'inherit',
    });
  // as in dist/ (scripts/build.mjs): the entry that turns on Node's compile cache, the
  // command it loads from beside itself, and the zip pool's thread
  const bundles: [src: string, file: string][] = [
    ['src/cli/launch.ts', 'cli.js'],
    ['src/cli/bin.ts', 'modguard.js'],
    ['src/proxy/zipworker.ts', 'zipworker.js'],
  ];
  await execa('mkdir', ['-p', '--', out]);
  for (const [src, file] of bundles) {
    const dir = join(scratch, file);
    await build(src, dir);
    await rename(join(dir, 'index.js'), join(out, file));
  }
  await writeFile(join(out, 'package.json'), '{ "type": "module" }\n');
  return join(out, 'cli.js');
}

/** writeProject writes a main module whose go.mod requires every module and whose go.sum lists them. */
async function writeProject(world: BenchWorld, dir: string): Promise<string> {
  await execa('mkdir', ['-p', '--', dir]);
  const requires = world.versions.map((v) => `\t${v.path} ${v.version}\n`).join('');
  await writeFile(
    join(dir, 'go.mod'),
    `module bench.example.test/app\n\ngo 1.19\n\nrequire (\n${requires})\n`,
  );
  const sum = world.versions
    .map((v) => `${v.path} ${v.version} ${v.zipHash}\n${v.path} ${v.version}/go.mod ${v.modHash}\n`)
    .join('');
  await writeFile(join(dir, 'go.sum'), sum);
  return dir;
}

async function runModguard(
  cli: string,
  world: BenchWorld,
  project: string,
  cache: string,
  output: string,
): Promise<Run> {
  const args = [
    ...[cli, 'check', '--dir', project, '--cache-dir', cache],
    ...['--proxy', world.proxyA.url, '--proxy', world.proxyB.url, '--sumdb', world.gosumdb],
    ...['--format', 'json', '--output', output],
  ];
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: join(cache, '..') };
  const run = await timed(process.execPath, args, env);
  const summary = await readSummary(output);
  const lines = 2 * world.versions.length;
  const ok = summary?.lines === lines && summary.verified === lines && summary.findings === 0;
  const note = summary === undefined ? 'no report' : `${summary.verified}/${lines} verified`;
  return { ...run, exitCode: ok ? run.exitCode : (run.exitCode ?? 0) + 100, note };
}

async function readSummary(file: string) {
  try {
    const json = JSON.parse(await readFile(file, 'utf8')) as {
      summary?: { lines: number; verified: number; findings: number };
    };
    return json.summary;
  } catch {
    return undefined;
  }
}

/** runGo runs `go mod download -json` of every module from proxy A with the sumdb on. */
async function runGo(world: BenchWorld, dir: string): Promise<Run> {
  await execa('mkdir', ['-p', '--', dir]);
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    GOPATH: join(dir, 'gopath'),
    GOMODCACHE: join(dir, 'modcache'),
    GOCACHE: join(dir, 'gocache'),
    GOENV: join(dir, 'goenv'),
    GOTOOLCHAIN: 'local',
    GOFLAGS: '-mod=mod',
    GO111MODULE: 'on',
    GOWORK: 'off',
    GOPRIVATE: '',
    GONOPROXY: '',
    GONOSUMDB: '',
    GOINSECURE: '',
    GOPROXY: world.proxyA.url,
    GOSUMDB: world.gosumdb,
  };
  const args = world.versions.map((v) => `${v.path}@${v.version}`);
  const run = await timed('go', ['mod', 'download', '-json', ...args], env, dir);
  return { ...run, note: run.exitCode === 0 ? `${args.length} modules downloaded` : 'failed' };
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

/** best is the fastest of repeated runs (a busy machine only ever adds time); a failure wins. */
function best(runs: readonly Run[]): Run {
  const failed = runs.find((r) => r.exitCode !== 0);
  if (failed !== undefined) return failed;
  return runs.reduce((a, b) => (b.ms < a.ms ? b : a));
}

/** timed runs a child under GNU time: wall milliseconds (measured here) and its peak RSS. */
async function timed(
  file: string,
  args: string[],
  env: Record<string, string>,
  cwd?: string,
): Promise<Omit<Run, 'note'>> {
  const stats = join(tmpdir(), `modguard-bench-time-${process.pid}-${Date.now()}`);
  // Start from a quiet disk: the kernel writing back what the previous run wrote (Go's
  // module cache is about a GiB) would otherwise be charged to this run.
  await execa('sync');
  const t0 = performance.now();
  const r = await execa('/usr/bin/time', ['-f', '%e %M %U %S', '-o', stats, '--', file, ...args], {
    env,
    extendEnv: false,
    reject: false,
    timeout: 1_800_000,
    ...(cwd ? { cwd } : {}),
  });
  const ms = performance.now() - t0;
  const [, rss, user, sys] =
    (await readFile(stats, 'utf8')).trim().split('\n').at(-1)?.split(' ') ?? [];
  await rm(stats, { force: true });
  if (r.exitCode !== 0) process.stderr.write(`${file} exited ${r.exitCode}:\n${r.stderr}\n`);
  return { ms, rssKiB: Number(rss), cpuS: Number(user) + Number(sys), exitCode: r.exitCode };
}

/**
 * report prints the best run of each kind, then every run's wall time: Go's moves with
 * the disk (it writes every zip and every extracted file; modguard's spool files are
 * removed long before writeback), so the spread says how much a ratio can be trusted.
 */
function report(
  world: BenchWorld,
  buildMs: number,
  r: { cold: Run; warm: Run; go: Run },
  all: readonly { cold: Run; warm: Run; go: Run }[],
): void {
  const mib = (b: number) => (b / (1 << 20)).toFixed(1);
  const zipBytes = world.versions.reduce((s, v) => s + v.zipBytes, 0);
  const row = (name: string, run: Run, goal: string) =>
    `| ${name.padEnd(34)} | ${(run.ms / 1000).toFixed(2).padStart(8)} s | ${run.cpuS.toFixed(2).padStart(7)} s | ${mib(run.rssKiB * 1024).padStart(7)} MiB | ${goal.padEnd(26)} | ${run.note}`;
  const ratio = r.cold.ms / r.go.ms;
  const lines = [
    `bench/check: ${world.versions.length} modules (${2 * world.versions.length} go.sum lines), ` +
      `${mib(zipBytes)} MiB of zips (${mib(world.sourceBytes)} MiB Go source + ` +
      `${mib(world.assetBytes)} MiB incompressible assets), loopback; world built in ${(buildMs / 1000).toFixed(1)} s`,
    `| ${'run'.padEnd(34)} | ${'wall'.padStart(10)} | ${'CPU'.padStart(9)} | ${'peak RSS'.padStart(11)} | ${'goal'.padEnd(26)} | result`,
    row(
      'modguard check, cold (A+B+sumdb)',
      r.cold,
      `<= ${goals.coldVsGo} x go; RSS < ${goals.rssMiB} MiB`,
    ),
    row('modguard check, warm (same cache)', r.warm, `< ${goals.warmMs / 1000} s`),
    row('go 1.19 mod download (A+sumdb)', r.go, 'reference'),
    `cold / go = ${ratio.toFixed(2)} (goal <= ${goals.coldVsGo}); ` +
      `peak RSS cold ${mib(r.cold.rssKiB * 1024)} MiB, warm ${mib(r.warm.rssKiB * 1024)} MiB; node ${process.version}, ${availableParallelism()} CPUs, load average ${loadavg()[0]?.toFixed(1)}`,
    `every run's wall (s): ` +
      (['cold', 'warm', 'go'] as const)
        .map((k) => `${k} ${all.map((x) => (x[k].ms / 1000).toFixed(2)).join(' ')}`)
        .join('; '),
  ];
  if (all.length > 1) {
    // A round's cold run and Go run follow each other within seconds: their ratio is
    // measured on one state of a machine whose speed drifts from minute to minute.
    const rounds = all.map((x) => x.cold.ms / x.go.ms);
    lines.push(
      `cold / go round by round: ${rounds.map((x) => x.toFixed(2)).join(' ')}; ` +
        `median ${median(rounds).toFixed(2)}`,
    );
  }
  process.stdout.write(lines.join('\n') + '\n');
  if ([r.cold, r.warm, r.go].some((x) => x.exitCode !== 0)) process.exitCode = 1;
}

await main();
