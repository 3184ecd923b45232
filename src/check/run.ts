import type { GoEnv } from '../go/env.js';
import { parseGoMod, type GoMod, type GoModReplace } from '../go/gomod.js';
import { parseGoSum, type GoSum } from '../go/gosum.js';
import { claimOf, type LineClaim, type LineResult } from './compare.js';
import { checkConfig, type UrlSource } from './config.js';
import { checkClaims, type EngineOptions } from './engine.js';
import { makeFinding, type Finding } from './findings.js';
import {
  checkGoSumAgainstGoMod,
  checkGoSumLines,
  retractionTargets,
  type WorkspaceFacts,
} from './hygiene.js';
import { mapBounded } from './pool.js';
import { checkRetracted, type RetractRange } from './retract.js';
import { summarize, type Report } from './summary.js';

/** SourceFile is a file's display name (relative to the repository root, `/`-separated) and text. */
export interface SourceFile {
  readonly file: string;
  readonly text: string;
}

/** ModuleFiles is one Go module to check: its go.sum and, when present, its go.mod. */
export interface ModuleFiles {
  readonly goSum: SourceFile;
  readonly goMod?: SourceFile;
}

/**
 * Retractions gives the retract directives of a module's latest go.mod (asked of a
 * proxy), or undefined when they could not be had; the check then says nothing.
 */
export type Retractions = (module: string) => Promise<readonly RetractRange[] | undefined>;

/** CheckInput is everything one `modguard check` reads, as values. */
export interface CheckInput {
  readonly modules: readonly ModuleFiles[];
  /**
   * the modules are a go.work workspace's (with its go.work.sum as a module without
   * go.mod): their go.sum files count as one, and the go.work's replace directives
   * and every module's apply to all, as for the go command in workspace mode
   */
  readonly workspace?: { readonly replace: readonly GoModReplace[] };
  readonly env: GoEnv;
  readonly engine: EngineOptions;
  readonly retractions?: Retractions;
  /**
   * how modguard's own checksum database was turned off (e.g. "--sumdb off"), when its
   * options did so; reported as MG507 unless GOSUMDB is off too (MG501)
   */
  readonly sumdbOff?: string;
  /**
   * the URLs modguard's own witnesses are read from (its proxies, its checksum database
   * URL), each named by where it was given: checked as GOPROXY and GOSUMDB are (MG506)
   */
  readonly witnessUrls?: readonly UrlSource[];
}

/** CheckOutcome is the report plus each line's verdict (for counters and the cache). */
export interface CheckOutcome {
  readonly report: Report;
  readonly results: readonly LineResult[];
}

/**
 * runCheck checks every module: go.sum and go.mod as written (MG4xx), the Go
 * environment (MG5xx), every well-formed go.sum line against the witnesses (MG1xx–3xx,
 * MG7xx) and the required versions against their retractions (MG601). Malformed
 * lines are findings (MG405, MG406), never a crash: everything is reported, then the
 * caller fails once.
 */
export async function runCheck(input: CheckInput): Promise<CheckOutcome> {
  const parsed = input.modules.map(parseModule);
  const workspace =
    input.workspace === undefined ? undefined : workspaceFacts(parsed, input.workspace.replace);
  const extra: Finding[] = parsed.flatMap((p) => fileFindings(p, workspace));
  const modules = [...new Set(parsed.flatMap((p) => p.sum.lines.map((l) => l.module)))].sort();
  const configFile = parsed[0]?.mod?.file ?? parsed[0]?.sum.file ?? 'go.mod';
  extra.push(...checkConfig(input.env, modules, configFile, input.witnessUrls));
  if (input.sumdbOff !== undefined && input.env.sumdb.off !== true) {
    const detail = `${input.sumdbOff}: no line was checked against a checksum database.`;
    extra.push(makeFinding('MG507', { file: configFile }, detail));
  }
  const claims: LineClaim[] = parsed.flatMap((p) => p.sum.lines.map((l) => claimOf(l, p.sum.file)));
  // Retractions and lines are asked at once: neither needs the other's answers.
  const [retracted, results] = await Promise.all([
    input.retractions === undefined ? [] : retractionFindings(parsed, input.retractions),
    checkClaims(claims, input.engine),
  ]);
  return { report: summarize(results, [...extra, ...retracted]), results };
}

interface ParsedModule {
  readonly sum: GoSum;
  readonly mod?: GoMod;
}

function parseModule(m: ModuleFiles): ParsedModule {
  const sum = parseGoSum(m.goSum.text, m.goSum.file);
  return m.goMod === undefined ? { sum } : { sum, mod: parseGoMod(m.goMod.text, m.goMod.file) };
}

/**
 * workspaceFacts is what the go command reads as one in workspace mode: every go.sum,
 * the workspace modules, and the replacements (G/modload/init.go): go.work's, then
 * every module's for a path go.work does not replace.
 */
function workspaceFacts(
  parsed: readonly ParsedModule[],
  workReplace: readonly GoModReplace[],
): WorkspaceFacts {
  const modules = new Set<string>();
  for (const { mod } of parsed) if (mod?.module !== undefined) modules.add(mod.module.path);
  const byWork = new Set(workReplace.map((r) => r.old.path));
  const replace = [
    ...workReplace,
    ...parsed.flatMap(({ mod }) => mod?.replace ?? []).filter((r) => !byWork.has(r.old.path)),
  ];
  return { lines: parsed.flatMap((p) => p.sum.lines), modules, replace };
}

/** fileFindings reports what is wrong with the files themselves, before any witness is asked. */
function fileFindings({ sum, mod }: ParsedModule, workspace?: WorkspaceFacts): Finding[] {
  const findings = sum.errors.map((e) =>
    makeFinding('MG405', { file: sum.file, line: e.line ?? undefined }, e.message),
  );
  findings.push(...checkGoSumLines(sum));
  if (mod === undefined) return findings;
  if (mod.errors.length > 0) {
    const first = mod.errors[0];
    const detail = mod.errors.map((e) => e.message).join('\n');
    findings.push(makeFinding('MG406', { file: mod.file, line: first?.line ?? undefined }, detail));
    return findings;
  }
  findings.push(...checkGoSumAgainstGoMod(sum, mod, workspace));
  return findings;
}

async function retractionFindings(
  parsed: readonly ParsedModule[],
  retractions: Retractions,
): Promise<Finding[]> {
  const targets = parsed.flatMap(({ mod }) =>
    mod === undefined || mod.errors.length > 0
      ? []
      : retractionTargets(mod).map((t) => ({ ...t, file: mod.file })),
  );
  const perTarget = await mapBounded(targets, 8, async (t) => {
    const ranges = await retractions(t.module);
    if (ranges === undefined) return [];
    const subject = {
      module: t.module,
      version: t.version,
      file: t.file,
      line: t.requirement.line,
    };
    return checkRetracted(subject, ranges);
  });
  return perTarget.flat();
}
