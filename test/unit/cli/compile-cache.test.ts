import { describe, expect, it } from 'vitest';
import { compileCacheDir } from '../../../src/cli/compile-cache.js';

const linux = (env: NodeJS.ProcessEnv, homedir = '/home/gopher') => ({
  platform: 'linux' as const,
  env,
  homedir,
});

describe('compileCacheDir', () => {
  it('is compile/ in the default cache folder, whatever --cache-dir says', () => {
    expect(compileCacheDir(['check'], linux({}))).toBe('/home/gopher/.cache/modguard/compile');
    expect(
      compileCacheDir(['check', '--cache-dir', '/ci/cache'], linux({ XDG_CACHE_HOME: '/x' })),
    ).toBe('/x/modguard/compile');
  });

  it('is none with --no-cache, or without a user cache folder', () => {
    expect(compileCacheDir(['check', '--no-cache'], linux({}))).toBeUndefined();
    expect(compileCacheDir(['check'], linux({}, ''))).toBeUndefined();
  });
});
