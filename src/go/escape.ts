/**
 * Case-encoding of module paths and versions for proxies and caches
 * (golang.org/x/mod/module module.go EscapePath…UnescapeVersion; GO-FACTS §3): every
 * upper-case ASCII letter becomes "!" plus its lower-case form, so paths stay
 * distinct on case-insensitive file systems.
 */
import { GoError, quote } from './errors.js';
import { checkPath, elemProblem } from './module.js';

/** escapePath returns the safe encoding of a valid module path (module.EscapePath); throws GoError for an invalid one. */
export function escapePath(path: string): string {
  const known = escapedPaths.get(path);
  if (known !== undefined) return known;
  checkPath(path);
  const escaped = escapeString(path);
  // A pure function of a string: valid paths are remembered (a bounded map), since a check
  // escapes each module's path for every request it sends and every file it names.
  if (escapedPaths.size >= ESCAPED_PATHS) escapedPaths.clear();
  escapedPaths.set(path, escaped);
  return escaped;
}

/** ESCAPED_PATHS bounds how many valid module paths escapePath remembers. */
const ESCAPED_PATHS = 4096;
const escapedPaths = new Map<string, string>();

/** escapeVersion returns the safe encoding of a version (module.EscapeVersion): a valid file-path element without "!". */
export function escapeVersion(v: string): string {
  if (elemProblem(v, 'file') !== undefined || v.includes('!')) {
    throw new GoError('INVALID_VERSION', `version ${quote(v)} invalid: disallowed version string`);
  }
  return escapeString(v);
}

/** unescapePath decodes an escaped module path and checks the result (module.UnescapePath). */
export function unescapePath(escaped: string): string {
  const path = unescapeString(escaped);
  if (path === undefined) {
    throw new GoError('INVALID_ESCAPE', `invalid escaped module path ${quote(escaped)}`);
  }
  try {
    checkPath(path);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new GoError(
      'INVALID_ESCAPE',
      `invalid escaped module path ${quote(escaped)}: ${reason}`,
      {},
      { cause: err },
    );
  }
  return path;
}

/** unescapeVersion decodes an escaped version and checks it is a valid file-path element (module.UnescapeVersion). */
export function unescapeVersion(escaped: string): string {
  const v = unescapeString(escaped);
  if (v === undefined) {
    throw new GoError('INVALID_ESCAPE', `invalid escaped version ${quote(escaped)}`);
  }
  const reason = elemProblem(v, 'file');
  if (reason !== undefined) {
    throw new GoError('INVALID_ESCAPE', `invalid escaped version ${quote(v)}: ${reason}`);
  }
  return v;
}

function escapeString(s: string): string {
  let out = '';
  for (const r of s) {
    if (r === '!' || r >= '\u0080') {
      // Only a non-ASCII version gets here: module.go reports "internal error: inconsistency".
      throw new GoError('INVALID_VERSION', `version ${quote(s)} invalid: not ASCII`);
    }
    out += r >= 'A' && r <= 'Z' ? `!${r.toLowerCase()}` : r;
  }
  return out;
}

function unescapeString(escaped: string): string | undefined {
  let out = '';
  let bang = false;
  for (const r of escaped) {
    if (r >= '\u0080') return undefined;
    if (bang) {
      bang = false;
      if (r < 'a' || r > 'z') return undefined;
      out += r.toUpperCase();
    } else if (r === '!') {
      bang = true;
    } else if (r >= 'A' && r <= 'Z') {
      return undefined;
    } else {
      out += r;
    }
  }
  return bang ? undefined : out;
}
