/**
 * Go's path package (slash-separated paths) as x/mod zip uses it: Clean, Split, Base,
 * IsAbs. Pure string functions; see go/src/path/path.go.
 */

/**
 * cleanPath is Go's path.Clean: the shortest equivalent path by purely lexical
 * processing (collapse slashes, drop "." elements, resolve ".." where possible,
 * no trailing slash); "" becomes ".".
 */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  let dotdot = 0; // leading ".." elements that cannot be resolved
  for (const elem of p.split('/')) {
    if (elem === '' || elem === '.') continue;
    if (elem === '..') {
      if (out.length > dotdot) out.pop();
      else if (!rooted) {
        out.push('..');
        dotdot++;
      }
      continue;
    }
    out.push(elem);
  }
  const joined = out.join('/');
  if (rooted) return '/' + joined;
  return joined === '' ? '.' : joined;
}

/**
 * isCleanPath is cleanPath(p) === p. A path with no empty, "." or ".." element (a
 * leading "/" aside) is its own Clean, answered without building anything; any other
 * is cleaned and compared.
 */
export function isCleanPath(p: string): boolean {
  const from = p.startsWith('/') ? 1 : 0;
  if (p.length > from) {
    let plain = true;
    for (let start = from, i = from; i <= p.length && plain; i++) {
      if (i < p.length && p.charCodeAt(i) !== SLASH) continue;
      const len = i - start;
      const dots = p.charCodeAt(start) === DOT && (len === 1 || p.charCodeAt(start + 1) === DOT);
      plain = len > 2 || (len > 0 && !dots);
      start = i + 1;
    }
    if (plain) return true;
  }
  return cleanPath(p) === p;
}

const SLASH = 0x2f;
const DOT = 0x2e;

/** splitPath is Go's path.Split: dir (with trailing slash, or "") and base. */
export function splitPath(p: string): { dir: string; base: string } {
  const i = p.lastIndexOf('/');
  return { dir: p.slice(0, i + 1), base: p.slice(i + 1) };
}

/** basePath is Go's path.Base. */
export function basePath(p: string): string {
  if (p === '') return '.';
  if (!p.endsWith('/')) return p.slice(p.lastIndexOf('/') + 1);
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** dirPath is Go's path.Dir: Clean of everything up to the last slash. */
export function dirPath(p: string): string {
  const i = p.lastIndexOf('/');
  // The directory of a clean path is the part before its last slash.
  if (i > 0 && isCleanPath(p)) return p.slice(0, i);
  return cleanPath(p.slice(0, i + 1));
}
