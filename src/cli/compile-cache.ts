import { mkdirSync, statSync } from 'node:fs';
import * as module from 'node:module';
import { dirname, join } from 'node:path';
import { defaultCacheDir, type CacheDirInput } from '../cache/dirs.js';

/** NodeModuleWithCache is node:module where Node >= 22.1 has module.enableCompileCache. */
interface NodeModuleWithCache {
  readonly enableCompileCache?: (dir: string) => { status: number; message?: string };
}

/**
 * compileCacheDir is where Node's compile cache for this run goes: `compile/` in
 * modguard's default cache folder. Undefined when there is to be none: with --no-cache
 * (the run writes nothing), or when there is no user cache folder. The compile cache
 * holds V8's code for modguard's own bundles, keyed by Node to their contents and
 * Node's version, so it stays apart from the checks' cache, wherever --cache-dir puts that.
 */
export function compileCacheDir(
  args: readonly string[],
  input?: CacheDirInput,
): string | undefined {
  if (args.includes('--no-cache')) return undefined;
  try {
    return join(defaultCacheDir(input), 'compile');
  } catch {
    return undefined;
  }
}

/**
 * startCompileCache turns on Node's compile cache (Node >= 22.1) before the command's
 * bundle is loaded, so a run after the first starts from compiled code rather than
 * parsing and compiling the 1.5 MB bundle again (the zip thread is not cached). It never fails the
 * command: on Node 20, with NODE_DISABLE_COMPILE_CACHE, or in a folder that cannot be
 * written, there is simply no cache (Node reports that in a status, it does not throw).
 */
export function startCompileCache(args: readonly string[]): void {
  const enable = (module as NodeModuleWithCache).enableCompileCache;
  const dir = compileCacheDir(args);
  if (enable === undefined || dir === undefined) return;
  try {
    if (makeDir(dir)) enable(dir);
  } catch {
    // a cache is an optimization: the command runs the same without one
  }
}

/**
 * makeDir makes dir and its missing parents one at a time, and says whether it is there.
 * Not mkdirSync's recursive mode, which Node's compile cache would use: where mkdir says
 * ENOENT under a parent that exists (in /proc, as with XDG_CACHE_HOME=/proc/self) that
 * mode retries forever, and the command would never start.
 */
function makeDir(dir: string): boolean {
  const missing: string[] = [];
  for (let at = dir; ; at = dirname(at)) {
    try {
      if (statSync(at).isDirectory()) break;
      return false;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(at) === at) return false;
    }
    missing.push(at);
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return false;
    }
  }
  return true;
}
