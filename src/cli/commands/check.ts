import { resolve } from 'node:path';
import { writeFileAtomic } from '../../cache/atomic.js';
import type { LineClaim } from '../../check/compare.js';
import { runCheck, type ModuleFiles } from '../../check/run.js';
import { exitStatus, type Report } from '../../check/summary.js';
import type { GoEnv } from '../../go/env.js';
import { parseGoSum, versionField } from '../../go/gosum.js';
import { renderJson } from '../../report/json.js';
import { toSarif } from '../../report/sarif.js';
import { renderText } from '../../report/text.js';
import { loadGoEnv } from '../../toolchain/goenv.js';
import { goSumAtRef } from '../../vcs/changed.js';
import { runGit } from '../../vcs/git.js';
import { findModules, readModuleFiles } from '../check/modules.js';
import { CHECK_USAGE, parseCheckOptions, type CheckOptions } from '../check/options.js';
import { openWitnesses } from '../check/witnesses.js';
import { VERSION } from '../version.js';
import type { CliIO, Command } from '../io.js';

/**
 * checkCommand is modguard's main job: cross-verify every go.sum line of the module in
 * --dir (and of a go.work workspace, and nested modules with --recursive) against two
 * proxies, the checksum database and optionally the git tag, then report findings and
 * exit 0 (nothing at or above --fail-on), 1 (something was) or 2 (usage).
 */
export const checkCommand: Command = {
  name: 'check',
  summary: 'cross-verify go.sum against two proxies, the checksum database and git tags',
  usage: CHECK_USAGE,
  run: async (args, io) => {
    const options = await parseCheckOptions(args);
    const { env } = await loadGoEnv({ processEnv: io.env });
    return runCheckCommand(options, env, io);
  },
};

/** runCheckCommand runs a check with parsed options in a given Go environment. */
export async function runCheckCommand(
  options: CheckOptions,
  env: GoEnv,
  io: CliIO,
): Promise<number> {
  return (await checkAndReport(options, env, io)).status;
}

/** checkAndReport runs a check, writes its report (stdout or --output) and returns it with the exit status. */
export async function checkAndReport(
  options: CheckOptions,
  env: GoEnv,
  io: CliIO,
): Promise<{ report: Report; status: number }> {
  const root = await repositoryRoot(options.dir);
  const dirs = await findModules(options.dir, options.recursive);
  const modules = await Promise.all(dirs.map((d) => readModuleFiles(d, root)));
  const deep =
    options.changedSince === undefined
      ? undefined
      : await changedLines(modules, root, options.changedSince);
  const witnesses = await openWitnesses(options, env, io.env);
  let report: Report;
  try {
    const progress = progressLine(io);
    const outcome = await runCheck({
      modules,
      env,
      engine: { ...witnesses.engine, ...(deep ? { deep } : {}), onProgress: progress.update },
      ...(witnesses.retractions ? { retractions: witnesses.retractions } : {}),
    });
    progress.done();
    report = outcome.report;
  } finally {
    await witnesses.close();
  }
  await emit(render(report, options, io), options, io);
  const policy = { failOn: options.failOn, allowInconclusive: options.allowInconclusive };
  return { report, status: exitStatus(report, policy) };
}

function render(report: Report, options: CheckOptions, io: CliIO): string {
  switch (options.format) {
    case 'json':
      return renderJson(report);
    case 'sarif':
      return `${JSON.stringify(toSarif(report, { version: VERSION, informationUri: 'https://github.com/modguard/modguard' }), null, 2)}\n`;
    case 'text': {
      const tty = options.output === undefined && (io.stdout as { isTTY?: boolean }).isTTY === true;
      return renderText(report, { color: tty && !('NO_COLOR' in io.env) });
    }
  }
}

async function emit(text: string, options: CheckOptions, io: CliIO): Promise<void> {
  if (options.output === undefined) {
    io.stdout.write(text);
    return;
  }
  await writeFileAtomic(resolve(options.output), new TextEncoder().encode(text));
}

/** repositoryRoot is the git work tree holding dir, so file names read as in the repository; else dir. */
async function repositoryRoot(dir: string): Promise<string> {
  try {
    return (await runGit(['rev-parse', '--show-toplevel'], { cwd: dir })).toString('utf8').trim();
  } catch {
    return resolve(dir);
  }
}

/**
 * changedLines is --changed-since: a go.sum line is checked deeply only when that exact
 * line (module, version, kind, hash) was not in the go.sum at `ref`.
 */
async function changedLines(modules: readonly ModuleFiles[], root: string, ref: string) {
  const before = new Set<string>();
  for (const m of modules) {
    const old = parseGoSum(await goSumAtRef(resolve(root, m.goSum.file), ref), m.goSum.file);
    for (const l of old.lines) before.add(lineKey(m.goSum.file, l.module, versionField(l), l.hash));
  }
  return (claim: LineClaim) =>
    !before.has(lineKey(claim.file, claim.module, versionField(claim), claim.h1));
}

function lineKey(file: string, module: string, version: string, hash: string): string {
  return [file, module, version, hash].join(' ');
}

/** progressLine writes "checked N/M go.sum lines" to stderr on a terminal, at most every 100 ms. */
function progressLine(io: CliIO) {
  const tty = (io.stderr as { isTTY?: boolean }).isTTY === true;
  let last = 0;
  let shown = false;
  return {
    update: (done: number, total: number) => {
      if (!tty || (Date.now() - last < 100 && done < total)) return;
      last = Date.now();
      shown = true;
      io.stderr.write(`\rmodguard: checked ${done}/${total} go.sum lines`);
    },
    done: () => {
      if (shown) io.stderr.write('\n');
    },
  };
}
