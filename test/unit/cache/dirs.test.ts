import { describe, expect, it } from 'vitest';
import { defaultCacheDir, userCacheDir } from '../../../src/cache/dirs.js';
import { CacheError } from '../../../src/cache/errors.js';

describe('defaultCacheDir', () => {
  it.each([
    ['linux', {}, '/home/u', '/home/u/.cache/modguard'],
    ['linux', { XDG_CACHE_HOME: '/var/cache/u' }, '/home/u', '/var/cache/u/modguard'],
    ['linux', { XDG_CACHE_HOME: 'relative/cache' }, '/home/u', '/home/u/.cache/modguard'],
    ['linux', { XDG_CACHE_HOME: '' }, '/home/u', '/home/u/.cache/modguard'],
    ['freebsd', {}, '/home/u', '/home/u/.cache/modguard'],
    ['darwin', { XDG_CACHE_HOME: '/ignored' }, '/Users/u', '/Users/u/Library/Caches/modguard'],
    [
      'win32',
      { LocalAppData: 'C:\\Users\\u\\AppData\\Local' },
      'C:\\Users\\u',
      'C:\\Users\\u\\AppData\\Local\\modguard',
    ],
  ] as const)('on %s with %j', (platform, env, homedir, want) => {
    expect(defaultCacheDir({ platform, env, homedir })).toBe(want);
  });

  it.each([
    ['win32', {}, 'C:\\Users\\u'],
    ['linux', {}, ''],
    ['darwin', {}, ''],
  ] as const)('fails with CACHE_DIR on %s with no directory to use', (platform, env, homedir) => {
    expect(() => userCacheDir({ platform, env, homedir })).toThrow(CacheError);
    try {
      userCacheDir({ platform, env, homedir });
    } catch (err) {
      expect(err).toMatchObject({ code: 'CACHE_DIR', kind: 'unavailable' });
    }
  });

  it('uses the process environment by default', () => {
    expect(defaultCacheDir()).toMatch(/modguard$/);
  });
});
