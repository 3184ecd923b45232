/**
 * The version the go command's `latest` query picks from a module's version list
 * (Go 1.19 cmd/go/internal/modload/query.go queryProxy and filterVersions).
 */
import { isPseudoVersion } from './pseudo.js';
import * as semver from './semver.js';

/**
 * latestListed is the version Query(path, "latest") picks from a proxy's `@v/list` when
 * every version is allowed, as CheckRetractions asks it (G/modload/modfile.go:786): the
 * highest release, else the highest pre-release, in semver order; retracted versions
 * count like any other. A `+incompatible` version counts only when the highest
 * compatible version below it has no go.mod of its own (`hasGoMod` false: the proxy
 * serves legacyGoMod), golang/go#34165. Invalid and pseudo-versions are skipped, as
 * proxyRepo.Versions does. Undefined when nothing is left: the go command then asks
 * `@latest` (repo.Latest).
 */
export async function latestListed(
  listed: readonly string[],
  hasGoMod: (version: string) => Promise<boolean>,
): Promise<string | undefined> {
  const versions = semver.sort(listed.filter((v) => semver.isValid(v) && !isPseudoVersion(v)));
  let release: string | undefined;
  let prerelease: string | undefined;
  let needIncompatible = false;
  let lastCompatible: string | undefined;
  for (const v of versions) {
    if (!needIncompatible) {
      if (!v.endsWith('+incompatible')) {
        lastCompatible = v;
      } else if (lastCompatible !== undefined) {
        if (await hasGoMod(lastCompatible)) break;
        needIncompatible = true;
      }
    }
    if (semver.prerelease(v) === '') release = v;
    else prerelease = v;
  }
  return release ?? prerelease;
}

/**
 * legacyGoMod is the go.mod the go command synthesizes for a version without one
 * (G/modfetch/coderepo.go LegacyGoMod; modfile.AutoQuote never quotes a valid path).
 */
export function legacyGoMod(path: string): string {
  return `module ${path}\n`;
}
