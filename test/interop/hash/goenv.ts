import { execa } from 'execa';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** HERE is this folder: the Go referee sources live beside the tests. */
export const HERE = new URL('.', import.meta.url).pathname;

/**
 * goEnv is a closed Go environment under `tmp`: GOPATH mode for building the referee
 * against Debian's x/mod, no network (GOPROXY off unless a test points it at a
 * loopback or file:// proxy), no sumdb, temp caches.
 */
export function goEnv(tmp: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: tmp,
    GO111MODULE: 'off',
    GOPATH: `/usr/share/gocode:${join(tmp, 'gopath')}`,
    GOCACHE: join(tmp, 'gocache'),
    GOMODCACHE: join(tmp, 'modcache'),
    GOENV: 'off',
    GOFLAGS: '',
    GOPROXY: 'off',
    GOSUMDB: 'off',
    GONOSUMDB: '*',
    GOPRIVATE: '',
    GOTOOLCHAIN: 'local',
    ...extra,
  };
}

/** buildReferee compiles a Go program of this folder (GOPATH mode) and returns its path. */
export async function buildReferee(name: string): Promise<{ bin: string; tmp: string }> {
  const tmp = mkdtempSync(join(tmpdir(), `modguard-${name}-`));
  const bin = join(tmp, name);
  await execa('go', ['build', '-o', bin, '.'], {
    cwd: join(HERE, name),
    env: goEnv(tmp),
    extendEnv: false,
  });
  return { bin, tmp };
}

/** referee runs the built refhash program and returns its stdout lines. */
export async function referee(bin: string, args: string[]): Promise<string[]> {
  const { stdout } = await execa(bin, args);
  return stdout.split('\n');
}
