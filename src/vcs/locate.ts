import { splitPathVersion } from '../go/module.js';
import type { Transport } from '../proxy/http.js';
import { discoverRepo } from './discover.js';
import { GitError } from './git.js';
import { mirrorRepo } from './mirror.js';

/** LocatedModule is where a module lives: its repository's URL, the local mirror, and its codeDir. */
export interface LocatedModule {
  readonly url: string;
  readonly gitDir: string;
  /** the module's directory in the repository, without the /vN suffix ("" = root) */
  readonly subdir: string;
  /** the repository root's import path, from go-import discovery */
  readonly root: string;
}

/**
 * LocatorOptions: where mirrors live, the go-get discovery base (default https://), and
 * the egress proxy environment discovery goes through (git reads it from the process
 * environment itself, as when the go command runs it).
 */
export interface LocatorOptions {
  readonly mirrorDir: string;
  readonly discoveryBase?: string;
  /** the web client of go-get discovery (discover.ts discoveryClient), owned by the caller */
  readonly http?: Transport;
}

/**
 * moduleLocator finds modules' git repositories as the go command does for
 * GOPROXY=direct: go-import discovery (src/vcs/discover.ts), then a bare mirror of the
 * repository (src/vcs/mirror.ts), then the module's codeDir. Each module is discovered
 * and each repository mirrored once per locator; a failure is forgotten, so a later
 * call may retry. Only git repositories are supported: another VCS is `unsupported`,
 * which callers report as such rather than as a missing module.
 */
export function moduleLocator(
  options: LocatorOptions,
): (modulePath: string) => Promise<LocatedModule> {
  const mirrors = new Map<string, Promise<string>>();
  const located = new Map<string, Promise<LocatedModule>>();
  return (modulePath) =>
    once(located, modulePath, async () => {
      const repo = await discoverRepo(modulePath, {
        base: options.discoveryBase,
        http: options.http,
      });
      if (repo.vcs === 'mod') {
        throw new GitError(
          'UNSUPPORTED_VCS',
          `${modulePath}: go-import names the module proxy ${repo.url} for ${repo.root} (mod), no repository`,
        );
      }
      if (repo.vcs !== 'git') {
        throw new GitError(
          'UNSUPPORTED_VCS',
          `${modulePath}: ${repo.vcs} repository; only git is supported`,
        );
      }
      const gitDir = await once(mirrors, repo.url, () => mirrorRepo(repo.url, options.mirrorDir));
      return { url: repo.url, gitDir, subdir: codeDir(modulePath, repo.root), root: repo.root };
    });
}

/** once memoizes a promise by key, forgetting a rejected one so a later call can retry. */
export function once<T>(
  cache: Map<string, Promise<T>>,
  key: string,
  make: () => Promise<T>,
): Promise<T> {
  let p = cache.get(key);
  if (p === undefined) {
    p = make();
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

/**
 * codeDir is the module's directory in its repository without the /vN suffix
 * (GO-FACTS §2.6, G/modfetch/coderepo.go newCodeRepo): the module path minus the
 * repository root and minus a `/vN` major suffix (gopkg.in `.vN` is never a
 * directory); "" when the root is the whole module path, /vN included.
 */
export function codeDir(module: string, root: string): string {
  if (module === root) return '';
  const split = splitPathVersion(module);
  const prefix = split.pathMajor.startsWith('/') ? split.prefix : module;
  if (prefix === root) return '';
  if (!prefix.startsWith(`${root}/`)) {
    throw new GitError('BAD_MODULE_DIR', `${module} is not inside repository root ${root}`);
  }
  return prefix.slice(root.length + 1);
}
