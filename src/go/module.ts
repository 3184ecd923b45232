/**
 * Module paths and versions as the go command checks them: golang.org/x/mod/module
 * (module.go) v0.7.0. Check functions throw GoError; predicates return booleans.
 */
import { GoError, quote } from './errors.js';
import { pathMatch } from './pathmatch.js';
import * as semver from './semver.js';
import { compareStrings, equalFoldAscii, isValidUtf8 } from './strings.js';
import { isGoLetter } from './unicode-letters.js';

export { escapePath, escapeVersion, unescapePath, unescapeVersion } from './escape.js';

export type PathKind = 'module' | 'import' | 'file';

const CODES = {
  module: 'INVALID_PATH',
  import: 'INVALID_IMPORT_PATH',
  file: 'INVALID_FILE_PATH',
} as const;

/**
 * BAD_WINDOWS_NAMES are the element stems refused on every platform because
 * Windows reserves them (module.go badWindowsNames). COM0/LPT0 were added and then
 * reverted upstream (golang/mod 6686f41, 232e49f), so they are absent here too.
 */
// prettier-ignore
const BAD_WINDOWS_NAMES = [
  'CON', 'PRN', 'AUX', 'NUL',
  'COM1', 'COM2', 'COM3', 'COM4', 'COM5', 'COM6', 'COM7', 'COM8', 'COM9',
  'LPT1', 'LPT2', 'LPT3', 'LPT4', 'LPT5', 'LPT6', 'LPT7', 'LPT8', 'LPT9',
];

const FILE_NAME_PUNCT = '!#$%&()+,-.=@[]^_{}~ ';

/**
 * checkPath throws unless path is a valid module path (module.CheckPath): ASCII
 * letters, digits and `-._~` in slash-separated elements; a first element with a dot
 * and only lower-case letters, digits, `-` and `.`; a well-formed /vN suffix.
 */
export function checkPath(path: string): void {
  const reason = pathProblem(path, 'module') ?? firstElemProblem(path);
  if (reason !== undefined) throw invalidPath('module', path, reason);
}

/** firstElemProblem is checkPath's rules for the first element and the version suffix. */
function firstElemProblem(path: string): string | undefined {
  let i = path.indexOf('/');
  if (i < 0) i = path.length;
  if (i === 0) return 'leading slash';
  const first = path.slice(0, i);
  if (!first.includes('.')) return 'missing dot in first path element';
  if (path[0] === '-') return 'leading dash in first path element';
  for (const r of first) {
    if (!firstPathOK(r)) return `invalid char ${quote(r)} in first path element`;
  }
  if (!splitPathVersion(path).ok) return 'invalid version';
  return undefined;
}

/** checkImportPath throws unless path is a valid import path (module.CheckImportPath): module rules plus `+`, any first element. */
export function checkImportPath(path: string): void {
  const reason = pathProblem(path, 'import');
  if (reason !== undefined) throw invalidPath('import', path, reason);
}

/**
 * checkFilePath throws unless path is a valid file path inside a module zip
 * (module.CheckFilePath; GO-FACTS §2.2): ASCII letters, digits, space and
 * `!#$%&()+,-.=@[]^_{}~`, or a letter by Go 1.19's unicode.IsLetter (Unicode 13); leading dots and dashes allowed.
 */
export function checkFilePath(path: string): void {
  const reason = pathProblem(path, 'file');
  if (reason !== undefined) throw invalidPath('file', path, reason);
}

/** isValidPath, isValidImportPath and isValidFilePath are the checks as predicates. */
export function isValidPath(path: string): boolean {
  try {
    checkPath(path);
    return true;
  } catch (err) {
    if (err instanceof GoError) return false;
    throw err;
  }
}
export function isValidImportPath(path: string): boolean {
  return pathProblem(path, 'import') === undefined;
}
export function isValidFilePath(path: string): boolean {
  return pathProblem(path, 'file') === undefined;
}

function invalidPath(kind: PathKind, path: string, reason: string): GoError {
  return new GoError(CODES[kind], `malformed ${kind} path ${quote(path)}: ${reason}`);
}

/** pathProblem is module.go checkPath: the reason path is invalid for kind, or undefined. */
function pathProblem(path: string, kind: PathKind): string | undefined {
  if (!isValidUtf8(path)) return 'invalid UTF-8';
  if (path === '') return 'empty string';
  if (path[0] === '-' && kind !== 'file') return 'leading dash';
  if (path.includes('//')) return 'double slash';
  if (path.endsWith('/')) return 'trailing slash';
  for (const elem of path.split('/')) {
    const reason = elemProblem(elem, kind);
    if (reason !== undefined) return reason;
  }
  return undefined;
}

/** elemProblem is module.go checkElem: the reason one path element is invalid for kind. */
export function elemProblem(elem: string, kind: PathKind): string | undefined {
  if (elem === '') return 'empty path element';
  if (/^\.+$/.test(elem)) return `invalid path element ${quote(elem)}`;
  if (elem[0] === '.' && kind === 'module') return 'leading dot in path element';
  if (elem.endsWith('.')) return 'trailing dot in path element';
  const ascii = ASCII_OK[kind];
  for (let i = 0; i < elem.length; i++) {
    const c = elem.charCodeAt(i);
    if (c < 0x80 && ascii[c] === 1) continue;
    const r = String.fromCodePoint(elem.codePointAt(i) ?? c);
    if (!charOK(r, kind)) return `invalid char ${quote(r)}`;
    i += r.length - 1;
  }
  const dot = elem.indexOf('.');
  const short = dot >= 0 ? elem.slice(0, dot) : elem;
  // Every reserved name has 3 or 4 characters.
  if (
    (short.length === 3 || short.length === 4) &&
    BAD_WINDOWS_NAMES.some((bad) => equalFoldAscii(bad, short))
  ) {
    return `${quote(short)} disallowed as path element component on Windows`;
  }
  if (kind !== 'file' && /~[0-9]+$/.test(short)) {
    return 'trailing tilde and digits in path element';
  }
  return undefined;
}

function charOK(r: string, kind: PathKind): boolean {
  switch (kind) {
    case 'module':
      return modPathOK(r);
    case 'import':
      return modPathOK(r) || r === '+';
    case 'file':
      return fileNameOK(r);
  }
}

/** ASCII_OK marks, per path kind, the ASCII characters charOK allows (a table, for speed). */
const ASCII_OK: Record<PathKind, Uint8Array> = {
  module: asciiTable('module'),
  import: asciiTable('import'),
  file: asciiTable('file'),
};

function asciiTable(kind: PathKind): Uint8Array {
  const table = new Uint8Array(0x80);
  for (let c = 0; c < 0x80; c++) table[c] = charOK(String.fromCharCode(c), kind) ? 1 : 0;
  return table;
}

function isAlnum(r: string): boolean {
  return (r >= '0' && r <= '9') || (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z');
}

function firstPathOK(r: string): boolean {
  return r === '-' || r === '.' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z');
}

function modPathOK(r: string): boolean {
  return isAlnum(r) || r === '-' || r === '.' || r === '_' || r === '~';
}

function fileNameOK(r: string): boolean {
  const c = r.codePointAt(0) ?? 0;
  if (c < 0x80) return isAlnum(r) || FILE_NAME_PUNCT.includes(r);
  return isGoLetter(c);
}

/** PathVersionSplit is splitPathVersion's result: prefix + pathMajor === path. */
export interface PathVersionSplit {
  readonly prefix: string;
  readonly pathMajor: string;
  readonly ok: boolean;
}

/**
 * splitPathVersion splits a module path into prefix and major-version suffix
 * (module.SplitPathVersion): "/vN" (N ≥ 2) or, for gopkg.in, ".vN[-unstable]".
 * ok is false for a malformed suffix such as "/v1", "/v0" or "/v2.0".
 */
export function splitPathVersion(path: string): PathVersionSplit {
  if (path.startsWith('gopkg.in/')) return splitGopkgIn(path);
  let i = path.length;
  let dot = false;
  while (i > 0 && isDigitOrDot(path[i - 1])) {
    if (path[i - 1] === '.') dot = true;
    i--;
  }
  if (i <= 1 || i === path.length || path[i - 1] !== 'v' || path[i - 2] !== '/') {
    return { prefix: path, pathMajor: '', ok: true };
  }
  const prefix = path.slice(0, i - 2);
  const pathMajor = path.slice(i - 2);
  if (dot || pathMajor.length <= 2 || pathMajor[2] === '0' || pathMajor === '/v1') {
    return { prefix: path, pathMajor: '', ok: false };
  }
  return { prefix, pathMajor, ok: true };
}

function isDigitOrDot(c: string | undefined): boolean {
  return c !== undefined && ((c >= '0' && c <= '9') || c === '.');
}

function splitGopkgIn(path: string): PathVersionSplit {
  let i = path.length;
  if (path.endsWith('-unstable')) i -= '-unstable'.length;
  while (i > 0 && (path[i - 1] ?? '') >= '0' && (path[i - 1] ?? '') <= '9') i--;
  if (i <= 1 || path[i - 1] !== 'v' || path[i - 2] !== '.') {
    return { prefix: path, pathMajor: '', ok: false };
  }
  const prefix = path.slice(0, i - 2);
  const pathMajor = path.slice(i - 2);
  if (pathMajor.length <= 2 || (pathMajor[2] === '0' && pathMajor !== '.v0')) {
    return { prefix: path, pathMajor: '', ok: false };
  }
  return { prefix, pathMajor, ok: true };
}

/**
 * checkPathMajor throws unless version v suits the path's major suffix
 * (module.CheckPathMajor): "" takes v0, v1 and +incompatible; "/vN" and ".vN" take
 * vN; gopkg.in ".v1" also takes the v0.0.0- pseudo-versions early vgo wrote.
 */
export function checkPathMajor(v: string, pathMajor: string): void {
  const reason = pathMajorProblem(v, pathMajor);
  if (reason !== undefined) {
    throw new GoError('INVALID_VERSION', `version ${quote(v)} invalid: ${reason}`);
  }
}

/** matchPathMajor reports whether checkPathMajor(v, pathMajor) would pass. */
export function matchPathMajor(v: string, pathMajor: string): boolean {
  return pathMajorProblem(v, pathMajor) === undefined;
}

function pathMajorProblem(v: string, pathMajor: string): string | undefined {
  let want = pathMajor;
  if (want.startsWith('.v') && want.endsWith('-unstable'))
    want = want.slice(0, -'-unstable'.length);
  if (v.startsWith('v0.0.0-') && want === '.v1') return undefined;
  const m = semver.major(v);
  if (want === '') {
    if (m === 'v0' || m === 'v1' || semver.build(v) === '+incompatible') return undefined;
    want = 'v0 or v1';
  } else if (want[0] === '/' || want[0] === '.') {
    if (m === want.slice(1)) return undefined;
    want = want.slice(1);
  }
  return `should be ${want}, not ${m}`;
}

/**
 * pathMajorPrefix returns the major version ("v2") named by a path suffix ("/v2",
 * ".v2", ".v2-unstable"), "" for "" (module.PathMajorPrefix). A malformed suffix is
 * a programming error upstream (panic); here it throws GoError INVALID_VERSION.
 */
export function pathMajorPrefix(pathMajor: string): string {
  if (pathMajor === '') return '';
  if (pathMajor[0] !== '/' && pathMajor[0] !== '.') {
    throw new GoError('INVALID_VERSION', `pathMajor suffix ${quote(pathMajor)} lacks separator`);
  }
  let pm = pathMajor;
  if (pm.startsWith('.v') && pm.endsWith('-unstable')) pm = pm.slice(0, -'-unstable'.length);
  const m = pm.slice(1);
  if (m !== semver.major(m)) {
    throw new GoError(
      'INVALID_VERSION',
      `pathMajor suffix ${quote(pathMajor)} is not a valid major version`,
    );
  }
  return m;
}

/** canonicalVersion is semver.canonical keeping a "+incompatible" build suffix (module.CanonicalVersion). */
export function canonicalVersion(v: string): string {
  const cv = semver.canonical(v);
  return semver.build(v) === '+incompatible' ? `${cv}+incompatible` : cv;
}

/**
 * check throws unless path is a valid module path and version a valid semantic
 * version matching the path's major suffix (module.Check).
 */
export function check(path: string, version: string): void {
  checkPath(path);
  if (!semver.isValid(version)) {
    throw new GoError(
      'INVALID_VERSION',
      `${path}@${version}: invalid version: not a semantic version`,
    );
  }
  const reason = pathMajorProblem(version, splitPathVersion(path).pathMajor);
  if (reason !== undefined) {
    throw new GoError('INVALID_VERSION', `${path}@${version}: invalid version: ${reason}`);
  }
}

/** ModuleVersion is a module path with a version (module.Version); version may end in "/go.mod". */
export interface ModuleVersion {
  readonly path: string;
  readonly version: string;
}

/**
 * compareModuleVersions is module.Sort's order: path by Go string order, then version
 * by semver (ignoring a "/go.mod"-style suffix), then the suffix ("" first).
 */
export function compareModuleVersions(a: ModuleVersion, b: ModuleVersion): number {
  if (a.path !== b.path) return compareStrings(a.path, b.path);
  const [vi, fi] = splitSuffix(a.version);
  const [vj, fj] = splitSuffix(b.version);
  if (vi !== vj) return semver.compare(vi, vj);
  return compareStrings(fi, fj);
}

function splitSuffix(v: string): [string, string] {
  const k = v.indexOf('/');
  return k >= 0 ? [v.slice(0, k), v.slice(k)] : [v, ''];
}

/** sortModuleVersions sorts list in place by compareModuleVersions (module.Sort) and returns it. */
export function sortModuleVersions<T extends ModuleVersion>(list: T[]): T[] {
  return list.sort(compareModuleVersions);
}

/**
 * matchPrefixPatterns reports whether any comma-separated glob matches a prefix of
 * target (module.MatchPrefixPatterns; GO-FACTS §4): a glob with N slashes is matched
 * by path.Match against target's first N+1 elements; a trailing "/" is trimmed,
 * empty entries skipped, malformed globs ignored, and nothing is trimmed of spaces.
 */
export function matchPrefixPatterns(globs: string, target: string): boolean {
  for (const entry of globs.split(',')) {
    const glob = entry.endsWith('/') ? entry.slice(0, -1) : entry;
    if (glob === '') continue;
    const prefix = leadingElements(target, countSlashes(glob) + 1);
    if (prefix !== undefined && pathMatch(glob, prefix)) return true;
  }
  return false;
}

function countSlashes(s: string): number {
  let n = 0;
  for (const c of s) if (c === '/') n++;
  return n;
}

/** leadingElements returns the first n slash-separated elements of target, or undefined when it has fewer. */
function leadingElements(target: string, n: number): string | undefined {
  let seen = 0;
  for (let i = 0; i < target.length; i++) {
    if (target[i] !== '/') continue;
    seen++;
    if (seen === n) return target.slice(0, i);
  }
  return seen === n - 1 ? target : undefined;
}
