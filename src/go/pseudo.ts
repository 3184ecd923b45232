/**
 * Pseudo-versions: golang.org/x/mod/module pseudo.go (GO-FACTS §2.7). The three forms:
 *   (1) vX.0.0-yyyymmddhhmmss-abcdefabcdef               no earlier tag
 *   (2) vX.Y.(Z+1)-0.yyyymmddhhmmss-abcdef[+incompatible] after release vX.Y.Z
 *   (3) vX.Y.Z-pre.0.yyyymmddhhmmss-abcdef[+incompatible] after prerelease vX.Y.Z-pre
 */
import { GoError, quote } from './errors.js';
import * as semver from './semver.js';

/** PSEUDO_VERSION_RE is pseudo.go's pseudoVersionRE (ASCII-only: JavaScript \d without /u matches 0-9). */
const PSEUDO_VERSION_RE =
  /^v[0-9]+\.(0\.0-|\d+\.\d+-([^+]*\.)?0\.)\d{14}-[A-Za-z0-9]+(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

/** isPseudoVersion reports whether v has pseudo-version syntax (module.IsPseudoVersion). */
export function isPseudoVersion(v: string): boolean {
  return countDashes(v) >= 2 && semver.isValid(v) && PSEUDO_VERSION_RE.test(v);
}

function countDashes(v: string): number {
  let n = 0;
  for (const c of v) if (c === '-') n++;
  return n;
}

/** isZeroPseudoVersion reports whether v is vX.0.0-00010101000000-000000000000 (module.IsZeroPseudoVersion). */
export function isZeroPseudoVersion(v: string): boolean {
  return v === `${semver.major(v) || 'v0'}.0.0-00010101000000-000000000000`;
}

/**
 * pseudoVersion returns the pseudo-version for revision rev at commit time t, after
 * tag `older` ("" for none) in major version `major` (module.PseudoVersion). The time
 * is formatted in UTC as yyyymmddhhmmss; build metadata of `older` is kept.
 */
export function pseudoVersion(major: string, older: string, t: Date, rev: string): string {
  const segment = `${formatTimestamp(t)}-${rev}`;
  const build = semver.build(older);
  const base = semver.canonical(older);
  if (base === '') return `${major || 'v0'}.0.0-${segment}`;
  if (semver.prerelease(base) !== '') return `${base}.0.${segment}${build}`;
  const i = base.lastIndexOf('.') + 1;
  return `${base.slice(0, i)}${incDecimal(base.slice(i))}-0.${segment}${build}`;
}

/** formatTimestamp formats t in UTC as Go's "20060102150405" layout. */
function formatTimestamp(t: Date): string {
  const pad = (n: number, w: number): string => String(n).padStart(w, '0');
  return (
    pad(t.getUTCFullYear(), 4) +
    pad(t.getUTCMonth() + 1, 2) +
    pad(t.getUTCDate(), 2) +
    pad(t.getUTCHours(), 2) +
    pad(t.getUTCMinutes(), 2) +
    pad(t.getUTCSeconds(), 2)
  );
}

/** incDecimal adds one to a decimal digit string of any length (pseudo.go incDecimal). */
export function incDecimal(decimal: string): string {
  const digits = decimal.split('');
  let i = digits.length - 1;
  for (; i >= 0 && digits[i] === '9'; i--) digits[i] = '0';
  if (i >= 0) digits[i] = String(Number(digits[i]) + 1);
  else return `1${digits.join('')}`;
  return digits.join('');
}

/** decDecimal subtracts one from a decimal digit string, "" when it would go negative (pseudo.go decDecimal). */
export function decDecimal(decimal: string): string {
  const digits = decimal.split('');
  let i = digits.length - 1;
  for (; i >= 0 && digits[i] === '0'; i--) digits[i] = '9';
  if (i < 0) return '';
  if (i === 0 && digits[i] === '1' && digits.length > 1) return digits.slice(1).join('');
  digits[i] = String(Number(digits[i]) - 1);
  return digits.join('');
}

interface PseudoParts {
  readonly base: string;
  readonly timestamp: string;
  readonly rev: string;
  readonly build: string;
}

function invalidPseudo(v: string, reason: string): GoError {
  return new GoError('INVALID_PSEUDO_VERSION', `pseudo-version ${quote(v)} invalid: ${reason}`);
}

/** parsePseudoVersion splits a pseudo-version into its parts (pseudo.go parsePseudoVersion). */
function parsePseudoVersion(v: string): PseudoParts {
  if (!isPseudoVersion(v)) throw invalidPseudo(v, 'syntax error');
  const build = semver.build(v);
  const rest = v.slice(0, v.length - build.length);
  const j = rest.lastIndexOf('-');
  const head = rest.slice(0, j);
  const rev = rest.slice(j + 1);
  const i = head.lastIndexOf('-');
  const dot = head.lastIndexOf('.');
  if (dot > i) return { base: head.slice(0, dot), timestamp: head.slice(dot + 1), rev, build };
  return { base: head.slice(0, i), timestamp: head.slice(i + 1), rev, build };
}

/** pseudoVersionRev returns the revision identifier of a pseudo-version (module.PseudoVersionRev). */
export function pseudoVersionRev(v: string): string {
  return parsePseudoVersion(v).rev;
}

/**
 * pseudoVersionTime returns the commit time encoded in a pseudo-version, in UTC
 * (module.PseudoVersionTime); a timestamp that is no real calendar time throws.
 */
export function pseudoVersionTime(v: string): Date {
  const { timestamp } = parsePseudoVersion(v);
  const n = (from: number, to: number): number => Number(timestamp.slice(from, to));
  const [year, month, day, hour, minute, second] = [
    n(0, 4),
    n(4, 6),
    n(6, 8),
    n(8, 10),
    n(10, 12),
    n(12, 14),
  ];
  const t = new Date(0);
  t.setUTCFullYear(year, month - 1, day); // unlike Date.UTC, keeps years 0–99 as they are
  t.setUTCHours(hour, minute, second, 0);
  const valid =
    t.getUTCFullYear() === year &&
    t.getUTCMonth() === month - 1 &&
    t.getUTCDate() === day &&
    t.getUTCHours() === hour &&
    t.getUTCMinutes() === minute &&
    t.getUTCSeconds() === second;
  if (!valid) throw invalidPseudo(v, `malformed time ${quote(timestamp)}`);
  return t;
}

/**
 * pseudoVersionBase returns the tag a pseudo-version was derived from, "" for form (1)
 * (module.PseudoVersionBase): vX.Y.(Z+1)-0 gives vX.Y.Z, vX.Y.Z-pre.0 gives vX.Y.Z-pre,
 * each with the pseudo-version's build suffix.
 */
export function pseudoVersionBase(v: string): string {
  const { base, build } = parsePseudoVersion(v);
  const pre = semver.prerelease(base);
  if (pre === '') {
    if (build !== '')
      throw invalidPseudo(v, `lacks base version, but has build metadata ${quote(build)}`);
    return '';
  }
  if (pre === '-0') {
    const release = base.slice(0, base.length - pre.length);
    const i = release.lastIndexOf('.');
    const patch = decDecimal(release.slice(i + 1));
    if (patch === '')
      throw invalidPseudo(v, `version before ${release} would have negative patch number`);
    return `${release.slice(0, i + 1)}${patch}${build}`;
  }
  return `${base.slice(0, -'.0'.length)}${build}`;
}
