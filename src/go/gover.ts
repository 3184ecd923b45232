/**
 * goLangAtLeast reports whether a go.mod or go.work `go` version ("1.21", "1.21.0",
 * "1.21rc1", "1.9") names language go1.<minor> or later: the comparison Go makes with
 * gover.Compare(gover.Lang(v), "1.<minor>"), on major and minor only. A missing or
 * unparsable version is false.
 */
export function goLangAtLeast(version: string | undefined, minor: number): boolean {
  const m = /^([0-9]+)(?:\.([0-9]+))?/.exec(version ?? '');
  if (m === null) return false;
  const major = Number(m[1]);
  return major > 1 || (major === 1 && Number(m[2] ?? '0') >= minor);
}
