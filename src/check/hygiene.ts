import type { GoMod, GoModReplace, GoModRequire } from '../go/gomod.js';
import type { GoSum, GoSumLine, GoSumRepeat } from '../go/gosum.js';
import { goLangAtLeast } from '../go/gover.js';
import { makeFinding, type Evidence, type Finding } from './findings.js';

/** GoSumFacts is what the hygiene checks read of a parsed go.sum (src/go/gosum.ts). */
export type GoSumFacts = Pick<GoSum, 'file' | 'lines' | 'duplicates' | 'conflicts'>;

/** GoModFacts is what the hygiene checks read of a parsed go.mod (src/go/gomod.ts). */
export type GoModFacts = Pick<GoMod, 'file' | 'go' | 'require' | 'replace'>;

/**
 * checkGoSumLines reports the repeats parseGoSum found: the same line twice (MG401)
 * and the same (module, version, kind) with another hash (MG402), which the go
 * command reports as a checksum mismatch (G/modfetch/fetch.go:655).
 */
export function checkGoSumLines(sum: GoSumFacts): Finding[] {
  return [
    ...sum.duplicates.map((r) => repeatFinding('MG401', sum.file, r)),
    ...sum.conflicts.map((r) => repeatFinding('MG402', sum.file, r)),
  ];
}

function repeatFinding(code: 'MG401' | 'MG402', file: string, r: GoSumRepeat): Finding {
  const { module, version, kind, line } = r.repeat;
  const row = (l: GoSumLine): Evidence => ({
    witness: 'go.sum',
    url: `${file}:${l.line}`,
    h1: l.hash,
    error: null,
  });
  const detail =
    code === 'MG401'
      ? `${file}:${line} repeats ${file}:${r.first.line}.`
      : `${file}:${line} records ${r.repeat.hash}; ${file}:${r.first.line} records ${r.first.hash} for the same module, version and kind.`;
  return makeFinding(code, { module, version, kind, file, line }, detail, [
    row(r.first),
    row(r.repeat),
  ]);
}

/** Target is a requirement after `replace`: the module version whose go.sum lines are needed. */
export interface Target {
  readonly module: string;
  readonly version: string;
  readonly requirement: GoModRequire;
}

/**
 * effectiveTargets applies go.mod's replace directives to its requirements
 * (go.dev/ref/mod#go-mod-file-replace): a replacement naming the version wins over one
 * for every version (old.version ""); a replacement by a directory needs no go.sum
 * line and is dropped.
 */
export function effectiveTargets(
  mod: GoModFacts,
  replace: readonly GoModReplace[] = mod.replace,
): Target[] {
  const targets: Target[] = [];
  for (const req of mod.require) {
    const forPath = replace.filter((r) => r.old.path === req.path);
    const rep =
      forPath.find((r) => r.old.version === req.version) ??
      forPath.find((r) => r.old.version === '');
    if (rep === undefined) {
      targets.push({ module: req.path, version: req.version, requirement: req });
    } else if (!rep.local) {
      targets.push({ module: rep.new.path, version: rep.new.version, requirement: req });
    }
  }
  return targets;
}

/**
 * retractionTargets are the requirements whose retractions the go command checks
 * (G/modload/modfile.go CheckRetractions): every required module@version, by its own
 * path even when that version is replaced, unless a replace covers every version of
 * the module (then only the replacement would be read).
 */
export function retractionTargets(mod: GoModFacts): Target[] {
  return mod.require
    .filter((req) => !mod.replace.some((r) => r.old.path === req.path && r.old.version === ''))
    .map((req) => ({ module: req.path, version: req.version, requirement: req }));
}

/**
 * checkGoSumAgainstGoMod reports requirements with no `/go.mod` line in go.sum (MG403)
 * and, when go.mod lists every module the build uses (`go` ≥ 1.17, module graph pruning,
 * go.dev/ref/mod#graph-pruning), zip lines for versions of a required module other than
 * the required one (MG404). go.mod lines of other versions stay: the module graph
 * still reads them. In a workspace, a line any of its go.sum files holds counts, and
 * requirements on workspace modules need none; MG404 stays per module (go mod tidy's
 * view of that module alone).
 */
export function checkGoSumAgainstGoMod(
  sum: GoSumFacts,
  mod: GoModFacts,
  workspace?: WorkspaceFacts,
): Finding[] {
  const targets = effectiveTargets(mod, workspace?.replace).filter(
    (t) => workspace?.modules.has(t.requirement.path) !== true,
  );
  const recorded = new Set<string>();
  for (const lines of [sum.lines, workspace?.lines ?? []]) {
    for (const l of lines) if (l.kind === 'go.mod') recorded.add(targetKey(l));
  }
  const missing = targets
    .filter((t) => !recorded.has(targetKey(t)))
    .map((t) => missingLine(sum.file, mod.file, t));
  return [...missing, ...unneededLines(sum, mod, targets)];
}

/**
 * WorkspaceFacts is what a go.work workspace changes for checkGoSumAgainstGoMod: the go
 * command reads every workspace module's go.sum and go.work.sum as one (`lines`), and
 * a workspace module stands for every version of its path (`modules`), so requiring
 * one needs no line at all (go.dev/ref/mod#workspaces).
 */
export interface WorkspaceFacts {
  readonly lines: readonly GoSumLine[];
  readonly modules: ReadonlySet<string>;
  /** the replacements in force for every workspace module (go.work's, then the modules') */
  readonly replace: readonly GoModReplace[];
}

/** targetKey names a module version (a space never occurs in either). */
function targetKey(t: { readonly module: string; readonly version: string }): string {
  return `${t.module} ${t.version}`;
}

function missingLine(sumFile: string, modFile: string, t: Target): Finding {
  const { module, version } = t;
  const { line, path: reqPath, version: reqVersion } = t.requirement;
  const detail = `${modFile}:${line} requires ${reqPath} ${reqVersion}; ${sumFile} has no line "${module} ${version}/go.mod h1:…".`;
  const subject = { module, version, kind: 'go.mod' as const, file: modFile, line, sum: sumFile };
  return makeFinding('MG403', subject, detail);
}

function unneededLines(sum: GoSumFacts, mod: GoModFacts, targets: readonly Target[]): Finding[] {
  if (!goLangAtLeast(mod.go?.version, 17)) return [];
  const required = new Map<string, Set<string>>();
  for (const t of targets) {
    required.set(t.module, (required.get(t.module) ?? new Set()).add(t.version));
  }
  return sum.lines
    .filter((l) => l.kind === 'zip' && required.get(l.module)?.has(l.version) === false)
    .map((l) => {
      const wanted = [...(required.get(l.module) ?? [])].join(', ');
      const detail = `${mod.file} requires ${l.module} ${wanted}, so the zip hash of ${l.version} is not used.`;
      const subject = { module: l.module, version: l.version, kind: l.kind, file: sum.file };
      return makeFinding('MG404', { ...subject, line: l.line }, detail);
    });
}
