import { realpath } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { LineClaim, LineResult } from '../../check/compare.js';
import type { UrlSource } from '../../check/config.js';
import { runCheck, type ModuleFiles, type Retractions } from '../../check/run.js';
import { exitStatus, type Report } from '../../check/summary.js';
import type { GoEnv } from '../../go/env.js';
import { parseGoSumdb } from '../../go/gosumdb.js';
import { parseGoSum, versionField } from '../../go/gosum.js';
import { renderJson } from '../../report/json.js';
import { toSarif } from '../../report/sarif.js';
import { renderText } from '../../report/text.js';
import { errorMessage, UsageError } from '../../errors.js';
import { loadGoEnv } from '../../toolchain/goenv.js';
import { goSumAt, revisionAt } from '../../vcs/changed.js';
import { GitError, runGit } from '../../vcs/git.js';
import { findModules, readModuleFiles, readWorkspaceSum, workspaceFile } from '../check/modules.js';
import {
  CHECK_USAGE,
  parseCheckOptions,
  splitProxyArg,
  type CheckOptions,
} from '../check/options.js';
import { refuseInput, standardStream, writeReport } from '../check/output.js';
import { onTerminate, progressLine, signalStatus, useColor } from '../check/terminal.js';
import { openWitnesses } from '../check/witnesses.js';
import { VERSION } from '../version.js';
import { Exit, type CliIO, type Command } from '../io.js';

/**
 * checkCommand is modguard's main job: cross-verify every go.sum line of the module in
 * --dir (and of a go.work workspace, and nested modules with --recursive) against two
 * proxies, the checksum database and optionally the git tag, then report findings and
 * exit 0 (nothing at or above --fail-on), 1 (something was) or 2 (usage, or the check
 * could not run at all: a bad Go environment, an unreadable file, an --output that
 * cannot be written). Exit 1 thus always comes with a report that says why. A cache
 * that cannot be written is told on stderr and the run goes on without it, except
 * the checksum database's tree head: the lookup that could not store it is
 * inconclusive, naming the file. An interrupted run ends by its signal.
 */
export const checkCommand: Command = {
  name: 'check',
  summary: 'cross-verify go.sum against two proxies, the checksum database and git tags',
  usage: CHECK_USAGE,
  run: async (args, io) => {
    const options = await parseCheckOptions(args);
    try {
      const env = loadGoEnv({ processEnv: io.env }).then((e) => e.env);
      return await runCheckCommand(options, env, io);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      io.stderr.write(`modguard check: ${errorMessage(err)}\n`);
      return Exit.usage;
    }
  },
};

/** runCheckCommand runs a check with parsed options in a given Go environment. */
export async function runCheckCommand(
  options: CheckOptions,
  env: GoEnv | Promise<GoEnv>,
  io: CliIO,
): Promise<number> {
  return (await checkAndReport(options, env, io)).status;
}

/** CheckResult is a finished check: the report, each line's verdict and the exit status. */
export interface CheckResult {
  readonly report: Report;
  readonly results: readonly LineResult[];
  readonly status: number;
}

/**
 * checkAndReport runs a check, writes its report (stdout, or --output replaced
 * atomically once the report is complete) and returns it with the exit status.
 * Everything that can be refused as usage is refused before any witness is asked. The
 * Go environment may still be on its way (`go env` runs while the files are read); when
 * both fail, its error is the one thrown, as if it had been read first.
 */
export async function checkAndReport(
  options: CheckOptions,
  goEnv: GoEnv | Promise<GoEnv>,
  io: CliIO,
): Promise<CheckResult> {
  const [envRead, modulesRead] = await Promise.allSettled([goEnv, readModules(options, io.env)]);
  if (envRead.status === 'rejected') throw envRead.reason;
  if (modulesRead.status === 'rejected') throw modulesRead.reason;
  const env = envRead.value;
  const { root, modules, workspace } = modulesRead.value;
  const changed =
    options.changedSince === undefined
      ? undefined
      : await changedLines(modules, root, options.changedSince);
  const witnesses = await openWitnesses(options, env, io.env);
  const retractions: Retractions = (m) =>
    changed === undefined || changed.modules.has(m)
      ? witnesses.retractions(m)
      : Promise.resolve(undefined);
  const progress = progressLine(io.stderr);
  // Interrupted, the run still removes its downloads, keeps what it verified, and
  // finishes writing --output if it had begun: it leaves nothing half-written.
  let writing: Promise<void> | undefined;
  const termination = onTerminate(async () => {
    await Promise.allSettled([witnesses.close(), writing]);
  });
  let outcome;
  let closing: unknown;
  try {
    try {
      const engine = { ...witnesses.engine, onProgress: progress.update };
      outcome = await runCheck({
        modules,
        workspace,
        env,
        engine: changed === undefined ? engine : { ...engine, deep: changed.deep },
        retractions,
        ...sumdbOff(options),
        witnessUrls: witnessUrls(options),
      });
    } finally {
      progress.done();
      // A failure to clean up is told, after the report: it must not take the report along.
      closing = await witnesses.close().then(
        () => undefined,
        (err: unknown) => err,
      );
    }
    // An interrupted run's report tells what the interruption cut short: none is written.
    if (termination.signal !== undefined) {
      return { ...outcome, status: signalStatus(termination.signal) };
    }
    writing = emit(render(outcome.report, options, io), options, io);
    await writing;
  } finally {
    termination.stop();
  }
  const { report, results } = outcome;
  for (const problem of witnesses.problems()) {
    io.stderr.write(`modguard: cache: ${problem} (the check ran without it)\n`);
  }
  if (closing !== undefined) io.stderr.write(`modguard: cleaning up: ${errorMessage(closing)}\n`);
  if (changed !== undefined) noteSkipped(results, changed.deep, options, io);
  const policy = { failOn: options.failOn, allowInconclusive: options.allowInconclusive };
  return { report, results, status: exitStatus(report, policy) };
}

/**
 * readModules reads every module --dir names (its workspace under GOWORK, --recursive)
 * and the workspace's go.work.sum, with file names relative to the repository root.
 */
async function readModules(options: CheckOptions, processEnv: NodeJS.ProcessEnv) {
  const top = await repositoryRoot(options.dir);
  const workFile = await workspaceFile(options.dir, processEnv['GOWORK']);
  const { dirs, workReplace } = await findModules(options.dir, options.recursive, workFile);
  // Outside git, names are relative to the folder holding every file read (a go.work
  // above --dir included), so that none starts with "../".
  const root = top.git
    ? top.path
    : commonAncestor([top.path, ...dirs, ...(workFile === undefined ? [] : [dirname(workFile)])]);
  const workSum = workFile === undefined ? undefined : await readWorkspaceSum(workFile, root);
  const modules = await Promise.all(dirs.map((d) => readModuleFiles(d, root)));
  if (options.output !== undefined) {
    const read = dirs.flatMap((d) => [join(d, 'go.sum'), join(d, 'go.mod')]);
    if (workFile !== undefined) read.push(workFile, join(dirname(workFile), 'go.work.sum'));
    await refuseInput(options.output, read);
  }
  return {
    root,
    modules: workSum === undefined ? modules : [...modules, workSum],
    workspace: workFile === undefined ? undefined : { replace: workReplace },
  };
}

/** noteSkipped says on stderr how many lines --changed-since left unchecked, and why. */
function noteSkipped(
  results: readonly LineResult[],
  deep: (claim: LineClaim) => boolean,
  options: CheckOptions,
  io: CliIO,
): void {
  const n = results.filter((r) => r.verdict === 'skipped' && !deep(r.claim)).length;
  if (n === 0) return;
  io.stderr.write(
    `modguard: ${n} go.sum ${n === 1 ? 'line' : 'lines'} skipped: unchanged since ` +
      `${JSON.stringify(options.changedSince)} and not in the cache of verified lines\n`,
  );
}

function render(report: Report, options: CheckOptions, io: CliIO): string {
  switch (options.format) {
    case 'json':
      return renderJson(report);
    case 'sarif':
      return `${JSON.stringify(toSarif(report, { version: VERSION, informationUri: 'https://github.com/modguard/modguard' }), null, 2)}\n`;
    case 'text':
      return renderText(report, {
        color: useColor(io.stdout, io.env, options.output !== undefined),
      });
  }
}

/** emit writes the report to stdout (or stderr: --output /dev/stderr), or to --output (writeReport). */
async function emit(text: string, options: CheckOptions, io: CliIO): Promise<void> {
  const output = options.output;
  const stream = output === undefined ? 1 : standardStream(output);
  if (output === undefined || stream !== undefined) {
    (stream === 2 ? io.stderr : io.stdout).write(text);
    return;
  }
  await writeReport(output, new TextEncoder().encode(text));
}

/**
 * repositoryRoot is the git work tree holding dir, so file names read as in the
 * repository; else dir. Both are real paths (no symbolic links), as git reports them.
 */
async function repositoryRoot(dir: string): Promise<{ path: string; git: boolean }> {
  let real: string;
  try {
    real = await realpath(dir);
  } catch (err) {
    throw new UsageError(`--dir ${dir}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    const top = await runGit(['rev-parse', '--show-toplevel'], { cwd: real });
    return { path: await realpath(top.toString('utf8').trim()), git: true };
  } catch {
    return { path: real, git: false };
  }
}

/** commonAncestor is the deepest folder holding every one of the (absolute) paths. */
function commonAncestor(paths: readonly string[]): string {
  let common = paths[0] ?? sep;
  for (const p of paths) {
    while (p !== common && !p.startsWith(common.endsWith(sep) ? common : common + sep)) {
      common = dirname(common);
    }
  }
  return common;
}

/**
 * changedLines is --changed-since: a go.sum line is checked deeply only when that exact
 * line (module, version, kind, hash) was not in the go.sum at `ref`; `modules` are the
 * modules with such a line, the only ones whose retractions are looked up. A directory
 * outside git, or a ref that names no commit, is a usage error (exit 2): checking
 * everything instead would hide the mistake, checking nothing would pass unchecked lines.
 */
async function changedLines(modules: readonly ModuleFiles[], root: string, ref: string) {
  const before = new Set<string>();
  const changed = new Set<string>();
  const revision = await refused(revisionAt(root, ref));
  for (const m of modules) {
    const file = m.goSum.file;
    const old = parseGoSum(await refused(goSumAt(revision, resolve(root, file))), file);
    for (const l of old.lines) before.add(lineKey(file, l.module, versionField(l), l.hash));
    for (const l of parseGoSum(m.goSum.text, file).lines) {
      if (!before.has(lineKey(file, l.module, versionField(l), l.hash))) changed.add(l.module);
    }
  }
  const deep = (claim: LineClaim) =>
    !before.has(lineKey(claim.file, claim.module, versionField(claim), claim.h1));
  return { deep, modules: changed };
}

/** refused turns git's refusal of a --changed-since REF or folder into a usage error. */
async function refused<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    const refused = err instanceof GitError && err.code !== 'GIT_FAILED';
    if (refused) throw new UsageError(err.message);
    throw err;
  }
}

function lineKey(file: string, module: string, version: string, hash: string): string {
  return [file, module, version, hash].join(' ');
}

/** sumdbOff says how modguard's options turned its checksum database off, if they did. */
function sumdbOff(options: CheckOptions): { sumdbOff?: string } {
  if (options.sumdb === undefined || parseGoSumdb(options.sumdb).off !== true) return {};
  const said =
    options.sumdbFrom === '--sumdb' ? '--sumdb off' : `"sumdb": "off" in ${options.sumdbFrom}`;
  return { sumdbOff: said };
}

/**
 * witnessUrls are the URLs modguard's own witnesses are read from, each named by where
 * it was given ("--proxy", `"proxies" in --config FILE`, "--sumdb"…), for MG506. The
 * default proxies (https) are not given by anyone, and not listed.
 */
function witnessUrls(options: CheckOptions): UrlSource[] {
  const named = (from: string, flag: string, key: string) =>
    from === flag ? flag : `"${key}" in ${from}`;
  const urls: UrlSource[] = [];
  if (options.proxiesFrom !== undefined) {
    const name = named(options.proxiesFrom, '--proxy', 'proxies');
    for (const arg of options.proxies) urls.push({ name, url: splitProxyArg(arg).url });
  }
  if (options.sumdb !== undefined && options.sumdbFrom !== undefined) {
    const db = parseGoSumdb(options.sumdb);
    if (db.off !== true && db.url !== undefined) {
      urls.push({ name: named(options.sumdbFrom, '--sumdb', 'sumdb'), url: db.url });
    }
  }
  return urls;
}
