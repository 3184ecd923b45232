import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';

const here = resolve(import.meta.dirname, 'gohelper');

/** buildGoHelper builds test/interop/sumdb/gohelper in GOPATH mode against Debian's x/mod. */
export async function buildGoHelper(): Promise<{
  bin: string;
  dir: string;
  cleanup: () => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'modguard-gohelper-'));
  const bin = join(dir, 'gohelper');
  await execa('go', ['build', '-o', bin, '.'], {
    cwd: here,
    env: goEnv(dir, { GO111MODULE: 'off', GOPATH: `/usr/share/gocode:${join(dir, 'gopath')}` }),
    extendEnv: false,
  });
  return { bin, dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** goEnv is a hermetic environment for the go command: loopback only, temp dirs, local toolchain. */
export function goEnv(dir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    GOPATH: join(dir, 'gopath'),
    GOMODCACHE: join(dir, 'gopath', 'pkg', 'mod'),
    GOCACHE: join(dir, 'gocache'),
    GOENV: join(dir, 'goenv'),
    GOTOOLCHAIN: 'local',
    GOFLAGS: '-mod=mod',
    GOPROXY: 'off',
    GOSUMDB: 'off',
    GONOSUMDB: '',
    GONOPROXY: '',
    GOPRIVATE: '',
    GOINSECURE: '',
    GO111MODULE: 'on',
    ...extra,
  };
}
