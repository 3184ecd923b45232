import * as os from 'node:os';
import * as path from 'node:path';
import { CacheError } from './errors.js';

/** CacheDirInput is what the default cache directory depends on. */
export interface CacheDirInput {
  readonly platform: NodeJS.Platform;
  readonly env: NodeJS.ProcessEnv;
  readonly homedir: string;
}

/**
 * userCacheDir is the OS's per-user cache directory, as Go's os.UserCacheDir defines it:
 * `%LocalAppData%` on Windows, `~/Library/Caches` on macOS, otherwise `$XDG_CACHE_HOME`
 * when set to an absolute path (XDG Base Directory Specification: relative paths are
 * invalid and ignored), else `~/.cache`.
 */
export function userCacheDir({ platform, env, homedir }: CacheDirInput): string {
  if (platform === 'win32') {
    const local = env['LocalAppData'] ?? env['LOCALAPPDATA'];
    if (local === undefined || local === '') {
      throw new CacheError('CACHE_DIR', '%LocalAppData% is not defined');
    }
    return local;
  }
  if (homedir === '' && platform === 'darwin') {
    throw new CacheError('CACHE_DIR', 'no home directory for ~/Library/Caches');
  }
  if (platform === 'darwin') return path.posix.join(homedir, 'Library', 'Caches');
  const xdg = env['XDG_CACHE_HOME'];
  if (xdg !== undefined && path.posix.isAbsolute(xdg)) return xdg;
  if (homedir === '') throw new CacheError('CACHE_DIR', 'neither $XDG_CACHE_HOME nor $HOME is set');
  return path.posix.join(homedir, '.cache');
}

/** defaultCacheDir is modguard's cache directory: userCacheDir + "/modguard". */
export function defaultCacheDir(input?: CacheDirInput): string {
  const given = input ?? { platform: process.platform, env: process.env, homedir: homeOf() };
  const join = given.platform === 'win32' ? path.win32.join : path.posix.join;
  return join(userCacheDir(given), 'modguard');
}

function homeOf(): string {
  try {
    return os.homedir();
  } catch {
    return '';
  }
}
