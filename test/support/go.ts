import { join } from 'node:path';

/**
 * goModuleEnv is a sealed module-mode environment for running the go command in tests:
 * everything under `dir` (GOPATH, GOMODCACHE, GOCACHE, GOENV), no toolchain download,
 * no private patterns, and no network unless `overrides` point GOPROXY/GOSUMDB at a
 * loopback or file:// server. The process environment is not inherited (extendEnv: false).
 */
export function goModuleEnv(
  dir: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    GOPATH: join(dir, 'gopath'),
    GOMODCACHE: join(dir, 'modcache'),
    GOCACHE: join(dir, 'cache'),
    GOENV: join(dir, 'goenv'),
    GOTOOLCHAIN: 'local',
    GOFLAGS: '-mod=mod',
    GOPROXY: 'off',
    GOSUMDB: 'off',
    GOPRIVATE: '',
    GONOPROXY: '',
    GONOSUMDB: '',
    ...overrides,
  };
}
