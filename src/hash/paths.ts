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

/** splitPath is Go's path.Split: dir (with trailing slash, or "") and base. */
export function splitPath(p: string): { dir: string; base: string } {
  const i = p.lastIndexOf('/');
  return { dir: p.slice(0, i + 1), base: p.slice(i + 1) };
}

/** basePath is Go's path.Base. */
export function basePath(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** dirPath is Go's path.Dir: Clean of everything up to the last slash. */
export function dirPath(p: string): string {
  return cleanPath(splitPath(p).dir);
}
