/**
 * Semantic versions as the go command reads them: exactly golang.org/x/mod/semver
 * (semver.go). Versions start with "v"; "v1" and "v1.2" are shorthands for
 * "v1.0.0" and "v1.2.0"; build metadata is kept but ignored in comparisons.
 * Every function is total: an invalid version is an answer (""/false), not an error.
 */
import { compareStrings } from './strings.js';

interface Parsed {
  readonly major: string;
  readonly minor: string;
  readonly patch: string;
  readonly short: string;
  readonly prerelease: string;
  readonly build: string;
}

/** isValid reports whether v is a valid semantic version (semver.IsValid). */
export function isValid(v: string): boolean {
  return parse(v) !== undefined;
}

/**
 * canonical returns v in canonical form, "" when invalid (semver.Canonical): the
 * shorthands are completed and build metadata is dropped ("v1.2.3+meta" → "v1.2.3").
 */
export function canonical(v: string): string {
  const p = parse(v);
  if (p === undefined) return '';
  if (p.build !== '') return v.slice(0, v.length - p.build.length);
  return v + p.short;
}

/** major returns "vN" for a valid v, else "" (semver.Major). */
export function major(v: string): string {
  const p = parse(v);
  return p === undefined ? '' : v.slice(0, 1 + p.major.length);
}

/** majorMinor returns "vN.M" for a valid v, else "" (semver.MajorMinor). */
export function majorMinor(v: string): string {
  const p = parse(v);
  if (p === undefined) return '';
  const i = 1 + p.major.length;
  const j = i + 1 + p.minor.length;
  if (j <= v.length && v[i] === '.' && v.slice(i + 1, j) === p.minor) return v.slice(0, j);
  return `${v.slice(0, i)}.${p.minor}`;
}

/** prerelease returns the "-pre" part of a valid v (with its dash), else "" (semver.Prerelease). */
export function prerelease(v: string): string {
  return parse(v)?.prerelease ?? '';
}

/** build returns the "+build" part of a valid v (with its plus), else "" (semver.Build). */
export function build(v: string): string {
  return parse(v)?.build ?? '';
}

/**
 * compare returns -1, 0 or +1 as v < w, v == w, v > w (semver.Compare). An invalid
 * version is smaller than every valid one and equal to every invalid one.
 */
export function compare(v: string, w: string): number {
  const pv = parse(v);
  const pw = parse(w);
  if (pv === undefined && pw === undefined) return 0;
  if (pv === undefined) return -1;
  if (pw === undefined) return +1;
  return (
    compareInt(pv.major, pw.major) ||
    compareInt(pv.minor, pw.minor) ||
    compareInt(pv.patch, pw.patch) ||
    comparePrerelease(pv.prerelease, pw.prerelease)
  );
}

/** max returns the larger of the canonical forms of v and w (semver.Max); w on a tie. */
export function max(v: string, w: string): string {
  const cv = canonical(v);
  const cw = canonical(w);
  return compare(cv, cw) > 0 ? cv : cw;
}

/** compareForSort is semver.ByVersion's Less as a comparator: compare, then ties by bytes. */
export function compareForSort(v: string, w: string): number {
  return compare(v, w) || compareStrings(v, w);
}

/**
 * sort sorts list in place by semver.Sort's order (semver.ByVersion): by compare,
 * invalid versions first (compare ranks them lowest), ties by Go string order. Returns list.
 */
export function sort(list: string[]): string[] {
  return list.sort(compareForSort);
}

function parse(v: string): Parsed | undefined {
  if (v === '' || v[0] !== 'v') return undefined;
  const maj = parseInt(v, 1);
  if (maj === undefined) return undefined;
  const major = v.slice(1, maj);
  if (maj === v.length)
    return { major, minor: '0', patch: '0', short: '.0.0', prerelease: '', build: '' };
  if (v[maj] !== '.') return undefined;
  const min = parseInt(v, maj + 1);
  if (min === undefined) return undefined;
  const minor = v.slice(maj + 1, min);
  if (min === v.length) return { major, minor, patch: '0', short: '.0', prerelease: '', build: '' };
  if (v[min] !== '.') return undefined;
  const pat = parseInt(v, min + 1);
  if (pat === undefined) return undefined;
  return parseTail(v, pat, { major, minor, patch: v.slice(min + 1, pat) });
}

function parseTail(
  v: string,
  start: number,
  nums: Pick<Parsed, 'major' | 'minor' | 'patch'>,
): Parsed | undefined {
  let i = start;
  let prerelease = '';
  let build = '';
  if (v[i] === '-') {
    const end = parseIdents(v, i, true);
    if (end === undefined) return undefined;
    prerelease = v.slice(i, end);
    i = end;
  }
  if (v[i] === '+') {
    const end = parseIdents(v, i, false);
    if (end === undefined) return undefined;
    build = v.slice(i, end);
    i = end;
  }
  if (i !== v.length) return undefined;
  // Fields listed, not spread: V8 takes microseconds to spread into a literal here.
  const { major, minor, patch } = nums;
  return { major, minor, patch, short: '', prerelease, build };
}

/** parseInt returns the end of the decimal number at v[start], no leading zero (semver.go parseInt). */
function parseInt(v: string, start: number): number | undefined {
  let i = start;
  while (i < v.length && isDigit(v.charCodeAt(i))) i++;
  if (i === start) return undefined;
  if (v[start] === '0' && i !== start + 1) return undefined;
  return i;
}

/**
 * parseIdents scans "-a.b" (prerelease, up to "+") or "+a.b" (build, to the end) at
 * v[start]: non-empty dot-separated identifiers of [0-9A-Za-z-]; prerelease numeric
 * identifiers may not have leading zeros (semver.go parsePrerelease, parseBuild).
 */
function parseIdents(v: string, start: number, pre: boolean): number | undefined {
  let i = start + 1;
  let identStart = i;
  for (; i < v.length && !(pre && v[i] === '+'); i++) {
    const c = v.charCodeAt(i);
    if (c === 0x2e) {
      if (identStart === i || (pre && isBadNum(v.slice(identStart, i)))) return undefined;
      identStart = i + 1;
    } else if (!isIdentChar(c)) {
      return undefined;
    }
  }
  if (identStart === i || (pre && isBadNum(v.slice(identStart, i)))) return undefined;
  return i;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isIdentChar(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || isDigit(c) || c === 0x2d;
}

function isNum(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

function isBadNum(s: string): boolean {
  return s.length > 1 && s[0] === '0' && isNum(s);
}

function compareInt(x: string, y: string): number {
  if (x === y) return 0;
  if (x.length !== y.length) return x.length < y.length ? -1 : +1;
  return x < y ? -1 : +1;
}

/** comparePrerelease orders "-a.b" strings by semver precedence; "" (a release) is largest. */
function comparePrerelease(x: string, y: string): number {
  if (x === y) return 0;
  if (x === '') return +1;
  if (y === '') return -1;
  const xs = x.slice(1).split('.');
  const ys = y.slice(1).split('.');
  const n = Math.min(xs.length, ys.length);
  for (let i = 0; i < n; i++) {
    const c = compareIdent(xs[i] ?? '', ys[i] ?? '');
    if (c !== 0) return c;
  }
  return xs.length < ys.length ? -1 : +1;
}

function compareIdent(dx: string, dy: string): number {
  if (dx === dy) return 0;
  const ix = isNum(dx);
  const iy = isNum(dy);
  if (ix !== iy) return ix ? -1 : +1;
  if (ix && dx.length !== dy.length) return dx.length < dy.length ? -1 : +1;
  return dx < dy ? -1 : +1;
}
