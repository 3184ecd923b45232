/**
 * go.sum files: parsing with every malformed line reported, and formatting exactly as
 * the go command writes them (Go 1.19 cmd/go/internal/modfetch/fetch.go readGoSum,
 * WriteGoSum; GO-FACTS §1 "go.sum parsing"). go.sum is attacker-controlled input (it
 * arrives in pull requests): nothing here throws on its content.
 */
import { GoError, quote } from './errors.js';
import { canonicalVersion, check, compareModuleVersions } from './module.js';
import { compareStrings, fields } from './strings.js';

/** GoSumLine is one `module version[/go.mod] hash` line; version never carries "/go.mod". */
export interface GoSumLine {
  readonly module: string;
  readonly version: string;
  readonly kind: 'zip' | 'go.mod';
  readonly hash: string;
  /** line is the 1-based line number in the file. */
  readonly line: number;
}

/** GoSumRepeat pairs a line with the earlier line for the same (module, version, kind). */
export interface GoSumRepeat {
  readonly first: GoSumLine;
  readonly repeat: GoSumLine;
}

/**
 * GoSum is everything a go.sum said, including what was wrong with it:
 * `lines` are the well-formed lines in file order (repeats included); `errors` one
 * GoError per malformed line; `duplicates` repeats with the same hash; `conflicts`
 * repeats with a different hash (the go command fails with "checksum mismatch" for
 * any h1: that differs from the real one, fetch.go haveModSumLocked); `legacy` the
 * lines the go command drops silently (the empty go.mod hash, fetch.go:485).
 */
export interface GoSum {
  readonly file: string;
  readonly lines: readonly GoSumLine[];
  readonly errors: readonly GoError[];
  readonly duplicates: readonly GoSumRepeat[];
  readonly conflicts: readonly GoSumRepeat[];
  readonly legacy: readonly GoSumLine[];
}

/** EMPTY_GO_MOD_HASH is the h1: of an empty go.mod that an old go command bug wrote (fetch.go emptyGoModHash). */
export const EMPTY_GO_MOD_HASH = 'h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=';

const GO_MOD_SUFFIX = '/go.mod';
const H1 = /^h1:[A-Za-z0-9+/]{43}=$/;
const BASE64_STD = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * parseGoSum reads a go.sum the way the go command does — split on "\n", then
 * strings.Fields, blank lines skipped, exactly three fields — and then checks each
 * field strictly: module.Check on path and version, a canonical version (optionally
 * "+incompatible", optionally "/go.mod"), and an `h1:` hash of exactly 32 bytes in
 * padded standard base64. It never throws on content; see GoSum. Go reads go.sum as
 * bytes and keeps a three-field line whatever they are (readGoSum); `text` is those
 * bytes spelled by spellBytes, so a byte that is not UTF-8 fails module.CheckPath as in
 * Go ("invalid UTF-8") and every message quotes it as Go's %q does (\xNN).
 */
export function parseGoSum(text: string, file = 'go.sum'): GoSum {
  const lines: GoSumLine[] = [];
  const errors: GoError[] = [];
  const duplicates: GoSumRepeat[] = [];
  const conflicts: GoSumRepeat[] = [];
  const legacy: GoSumLine[] = [];
  const seen = new Map<string, GoSumLine>();
  text.split('\n').forEach((raw, index) => {
    const parsed = parseLine(raw, { file, line: index + 1 });
    if (parsed === undefined) return;
    if (parsed instanceof GoError) return void errors.push(parsed);
    if (parsed.legacy) return void legacy.push(parsed.entry);
    const entry = parsed.entry;
    const key = `${entry.module} ${entry.version} ${entry.kind}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, entry);
    else (first.hash === entry.hash ? duplicates : conflicts).push({ first, repeat: entry });
    lines.push(entry);
  });
  return { file, lines, errors, duplicates, conflicts, legacy };
}

/**
 * parseLine parses one line: undefined when blank, a GoError when malformed. A line
 * with the empty go.mod hash is `legacy` before any check, as readGoSum drops it first.
 */
function parseLine(
  raw: string,
  at: { file: string; line: number },
): { entry: GoSumLine; legacy: boolean } | GoError | undefined {
  const f = fields(raw);
  if (f.length === 0) return undefined;
  const [module, versionField, hash] = f;
  if (f.length !== 3 || module === undefined || versionField === undefined || hash === undefined) {
    return new GoError('GOSUM_SYNTAX', `wrong number of fields ${f.length}, want 3`, at);
  }
  const kind = versionField.endsWith(GO_MOD_SUFFIX) ? 'go.mod' : 'zip';
  const version = kind === 'go.mod' ? versionField.slice(0, -GO_MOD_SUFFIX.length) : versionField;
  const entry: GoSumLine = { module, version, kind, hash, line: at.line };
  if (hash === EMPTY_GO_MOD_HASH) return { entry, legacy: true };
  const problem = moduleProblem(module, version) ?? hashProblem(hash);
  if (problem !== undefined) return new GoError('GOSUM_SYNTAX', problem, at);
  return { entry, legacy: false };
}

function moduleProblem(module: string, version: string): string | undefined {
  if (canonicalVersion(version) !== version) {
    return `${quote(module)} ${quote(version)}: version is not canonical semver`;
  }
  try {
    check(module, version);
    return undefined;
  } catch (err) {
    if (err instanceof GoError) return err.message;
    throw err;
  }
}

function hashProblem(hash: string): string | undefined {
  const colon = hash.indexOf(':');
  if (colon < 0) return `hash ${quote(hash)} has no algorithm prefix, want "h1:"`;
  const prefix = hash.slice(0, colon + 1);
  if (prefix !== 'h1:') return `unknown hash algorithm ${quote(prefix)}, want "h1:"`;
  if (H1.test(hash)) return undefined;
  if (!BASE64_STD.test(hash.slice(colon + 1)) || (hash.length - colon - 1) % 4 !== 0) {
    return `hash ${quote(hash)} is not padded standard base64`;
  }
  return `hash ${quote(hash)} is not 32 bytes (a SHA-256)`;
}

/**
 * goSumError folds every problem of a parsed go.sum into one GoError (report
 * everything, then fail once), or returns undefined when there is none. Duplicates
 * are harmless and not counted; conflicts are.
 */
export function goSumError(sum: GoSum): GoError | undefined {
  const messages = [
    ...sum.errors.map((e) => e.message),
    ...sum.conflicts.map(
      ({ first, repeat }) =>
        `${sum.file}:${repeat.line}: ${repeat.module} ${versionField(repeat)}: hash ${repeat.hash} conflicts with line ${first.line}: ${first.hash}`,
    ),
  ];
  if (messages.length === 0) return undefined;
  const head =
    messages.length === 1 ? 'malformed go.sum' : `malformed go.sum (${messages.length} problems)`;
  return new GoError('GOSUM_SYNTAX', `${head}:\n${messages.join('\n')}`, { file: sum.file });
}

/** versionField is the second go.sum field of a line: the version, plus "/go.mod" for a go.mod hash. */
export function versionField(line: Pick<GoSumLine, 'version' | 'kind'>): string {
  return line.kind === 'go.mod' ? `${line.version}${GO_MOD_SUFFIX}` : line.version;
}

/**
 * formatGoSum writes lines as the go command's WriteGoSum does: keys in module.Sort
 * order (path, then semver, the go.mod line after the zip line), each key's hashes
 * sorted and de-duplicated, one `path version hash\n` per line.
 */
export function formatGoSum(
  lines: readonly Pick<GoSumLine, 'module' | 'version' | 'kind' | 'hash'>[],
): string {
  const byKey = new Map<string, { path: string; version: string; hashes: Set<string> }>();
  for (const l of lines) {
    const version = versionField(l);
    const key = `${l.module} ${version}`;
    const entry = byKey.get(key) ?? { path: l.module, version, hashes: new Set<string>() };
    entry.hashes.add(l.hash);
    byKey.set(key, entry);
  }
  const keys = [...byKey.values()].sort(
    (a, b) => compareModuleVersions(a, b) || compareStrings(a.version, b.version),
  );
  let out = '';
  for (const { path, version, hashes } of keys) {
    for (const h of [...hashes].sort(compareStrings)) out += `${path} ${version} ${h}\n`;
  }
  return out;
}
