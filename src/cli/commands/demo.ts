import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Report } from '../../check/summary.js';
import { resolveGoEnv } from '../../go/env.js';
import { makeTempDir } from '../../temp-dirs.js';
import { startWorld, type World } from '../../testing/world/index.js';
import { parseCommandArgs } from '../args.js';
import { parseCheckOptions } from '../check/options.js';
import { demoExpected, demoRequirements, demoWorld } from '../demo/world.js';
import { Exit, type CliIO, type Command } from '../io.js';
import { checkAndReport } from './check.js';

/**
 * demoCommand starts the local module world on loopback (two proxies, a checksum
 * database, git with signed and unsigned tags), writes a small project that requires a
 * dozen of its modules, runs `modguard check --direct` on it, prints the report and
 * stops everything. It exits 0 when the check found exactly the faults the world hides
 * (and verified every other line), 1 otherwise: the demo checks itself.
 */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'run the check on the built-in local module world (no network)',
  usage: 'modguard demo [--format text|json|sarif]',
  run: async (args, io) => {
    const { values } = parseCommandArgs(args, { format: { type: 'string' } }, { min: 0, max: 0 });
    io.stderr.write('modguard demo: starting the local module world on 127.0.0.1…\n');
    const world = await startWorld(demoWorld);
    const work = await makeTempDir('modguard-demo-');
    try {
      await writeProject(world, work);
      const report = await checkProject(world, work, values.format ?? 'text', io);
      return judge(report, io);
    } finally {
      await rm(work, { recursive: true, force: true });
      await world.stop();
    }
  },
};

async function writeProject(world: World, dir: string): Promise<void> {
  const require = demoRequirements.map((r) => `\t${r.path} ${r.version}\n`).join('');
  const goMod = `module example.test/demo\n\ngo 1.21\n\nrequire (\n${require})\n`;
  await writeFile(join(dir, 'go.mod'), goMod);
  const lines = demoRequirements.flatMap((r) => {
    const v = world.find(r.path, r.version);
    return [`${r.path} ${r.version} ${v.zipHash}`, `${r.path} ${r.version}/go.mod ${v.modHash}`];
  });
  await writeFile(join(dir, 'go.sum'), `${lines.sort().join('\n')}\n`);
}

async function checkProject(world: World, dir: string, format: string, io: CliIO) {
  const git = world.git;
  const keys = world.keys;
  if (git === undefined || keys === undefined) throw new Error('the demo world has no git');
  const goEnv = world.goEnv();
  const process = { GOSUMDB: goEnv.GOSUMDB, GOPRIVATE: goEnv.GOPRIVATE, GOPROXY: 'off' };
  const options = await parseCheckOptions([
    ...[
      '--dir',
      dir,
      '--proxy',
      `proxy A=${world.proxyA.url}`,
      '--proxy',
      `proxy B=${world.proxyB.url}`,
    ],
    ...['--direct', '--go-get-base', git.url, '--allowed-signers', keys.ssh.allowedSignersPath],
    ...['--no-cache', '--format', format],
  ]);
  const env = { ...io.env, GNUPGHOME: keys.gpg.gnupgHome };
  return (await checkAndReport(options, resolveGoEnv({ process }), { ...io, env })).report;
}

/** judge compares the report with what the world hides and says so on stderr. */
function judge(report: Report, io: CliIO): number {
  const found = (code: string, module: string) =>
    report.findings.some((f) => f.code === code && f.module === module);
  const missing = demoExpected.filter((e) => !found(e.code, e.module));
  const unexpected = report.findings.filter(
    (f) => !demoExpected.some((e) => e.code === f.code && e.module === f.module),
  );
  for (const e of demoExpected) {
    io.stderr.write(
      `demo: ${found(e.code, e.module) ? 'found' : 'MISSED'} ${e.code} ${e.module}: ${e.why}\n`,
    );
  }
  for (const f of unexpected)
    io.stderr.write(`demo: UNEXPECTED ${f.code} ${f.module ?? ''}: ${f.title}\n`);
  const ok = missing.length === 0 && unexpected.length === 0 && report.summary.inconclusive === 0;
  io.stderr.write(
    ok
      ? 'demo: the check found every planted fault and nothing else.\n'
      : 'demo: the check did not find what the world hides.\n',
  );
  return ok ? Exit.ok : Exit.failed;
}
