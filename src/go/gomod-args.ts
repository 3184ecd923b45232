/**
 * Directive arguments of go.mod: quoted strings, versions and replace targets
 * (golang.org/x/mod/modfile rule.go parseString, parseVersion, parseReplace,
 * IsDirectoryPath). Problems are thrown as DirectiveError and become GoErrors
 * naming file:line in gomod.ts.
 */
import { GoError, quote } from './errors.js';
import { canonicalVersion, checkPathMajor, splitPathVersion } from './module.js';
import { unquoteGo } from './unquote.js';

/** GoModReplace is one replace directive; new.version is "" for a local directory target. */
export interface GoModReplace {
  readonly old: { readonly path: string; readonly version: string };
  readonly new: { readonly path: string; readonly version: string };
  readonly local: boolean;
  readonly line: number;
}

/** DirectiveError is one directive's problem, before it gets its file:line. */
export class DirectiveError extends Error {}

/** fail throws a DirectiveError with message. */
export function fail(message: string): never {
  throw new DirectiveError(message);
}

/** parseString is rule.go parseString: a "quoted" Go string, or a bare token without quotes. */
export function parseString(token: string): string {
  if (token.startsWith('"')) {
    const s = unquoteGo(token);
    if (s === undefined) fail(`invalid quoted string: ${token}`);
    return s;
  }
  if (/["'`]/.test(token)) fail('invalid quoted string: unquoted string cannot contain quote');
  return token;
}

/**
 * moduleVersion parses a version for path as modfile.Parse with cmd/go's fixer
 * (modload/init.go fixVersion) does: valid semver, canonicalized, of a path that
 * splits, matching the path's major suffix (v2.0.0+incompatible for a v0/v1 path).
 */
export function moduleVersion(path: string, token: string): string {
  const v = parseVersionToken(path, token);
  const split = splitPathVersion(path);
  if (!split.ok) fail(`${path}: invalid module path`);
  try {
    checkPathMajor(v, split.pathMajor);
  } catch (err) {
    if (err instanceof GoError) fail(`${path}: ${err.message}`);
    throw err;
  }
  return v;
}

function parseVersionToken(path: string, token: string): string {
  const t = parseString(token);
  const cv = canonicalVersion(t);
  if (cv === '')
    fail(`${path === '' ? '' : `${path}@`}${t}: invalid version: must be of the form v1.2.3`);
  return cv;
}

/** replaceDirective is rule.go parseReplace: `old [v] => new v` or `old [v] => ./dir`. */
export function replaceDirective(args: string[], at: number): GoModReplace {
  const arrow = args.length >= 2 && args[1] === '=>' ? 1 : 2;
  if (args.length < arrow + 2 || args.length > arrow + 3 || args[arrow] !== '=>') {
    fail(
      'usage: replace module/path [v1.2.3] => other/module v1.4\n\t or replace module/path [v1.2.3] => ../local/directory',
    );
  }
  const oldPath = parseString(args[0] ?? '');
  const split = splitPathVersion(oldPath);
  if (!split.ok) fail(`${oldPath}: invalid module path`);
  const oldVersion = arrow === 2 ? moduleVersion(oldPath, args[1] ?? '') : '';
  const newPath = parseString(args[arrow + 1] ?? '');
  const local = isDirectoryPath(newPath);
  if (args.length === arrow + 2) {
    if (!local) {
      if (newPath.includes('@'))
        fail("replacement module must match format 'path version', not 'path@version'");
      fail(
        'replacement module without version must be directory path (rooted or starting with . or ..)',
      );
    }
    if (newPath.includes('\\'))
      fail('replacement directory appears to be Windows path (on a non-windows system)');
    return {
      old: { path: oldPath, version: oldVersion },
      new: { path: newPath, version: '' },
      local,
      line: at,
    };
  }
  // cmd/go's fixer holds the replacement's version to its path's major too.
  const newVersion = moduleVersion(newPath, args[arrow + 2] ?? '');
  if (local) fail(`replacement module directory path ${quote(newPath)} cannot have version`);
  return {
    old: { path: oldPath, version: oldVersion },
    new: { path: newPath, version: newVersion },
    local,
    line: at,
  };
}

/**
 * isDirectoryPath reports whether a replacement target is a directory rather than a
 * module path (modfile rule.go IsDirectoryPath, x/mod v0.14, which Go ≥ 1.22 uses):
 * "." or "..", "./…", "../…" (either slash), a rooted path, or a Windows drive path
 * "C:…". Go 1.19 (x/mod v0.7.0) read bare "." and ".." as module paths and refused
 * them; nested modules that point back at their parent with `=> ..` are common.
 */
export function isDirectoryPath(ns: string): boolean {
  return (
    ns === '.' ||
    ns === '..' ||
    ns.startsWith('./') ||
    ns.startsWith('../') ||
    ns.startsWith('/') ||
    ns.startsWith('.\\') ||
    ns.startsWith('..\\') ||
    ns.startsWith('\\') ||
    (ns.length >= 2 && /^[A-Za-z]:/.test(ns))
  );
}
