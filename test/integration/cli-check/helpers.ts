import { execa } from 'execa';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../../src/cli/main.js';
import type { World } from '../../../src/testing/world/index.js';

/** Captured is what one in-process `modguard` run wrote and returned. */
export interface Captured {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** run runs `modguard <argv>` in-process through main() with captured streams and `env`. */
export async function run(
  argv: string[],
  env: NodeJS.ProcessEnv,
  tty: { stdout?: boolean; stderr?: boolean } = {},
): Promise<Captured> {
  const stdout = Object.assign(new PassThrough(), { isTTY: tty.stdout === true });
  const stderr = Object.assign(new PassThrough(), { isTTY: tty.stderr === true });
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await main(argv, { stdout, stderr, env });
  return { code, out, err };
}

/** Temps hands out temporary directories and removes them all at once. */
export class Temps {
  private readonly dirs: string[] = [];

  async make(prefix = 'modguard-cli-check-'): Promise<string> {
    const d = await mkdtemp(join(tmpdir(), prefix));
    this.dirs.push(d);
    return d;
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  }
}

/**
 * goEnvFor is the explicit environment a test gives modguard: loopback GOSUMDB (or
 * the given value), GOPROXY=off (so nothing is probed for a sumdb), no GOENV file,
 * temp GOPATH/GOCACHE, and PATH so `go env -json` runs.
 */
export function goEnvFor(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    GOENV: 'off',
    GOPATH: join(home, 'gopath'),
    GOCACHE: join(home, 'gocache'),
    GOMODCACHE: join(home, 'gopath', 'pkg', 'mod'),
    GOTOOLCHAIN: 'local',
    GOFLAGS: '',
    GOPROXY: 'off',
    GOSUMDB: 'off',
    GOPRIVATE: '',
    GONOPROXY: '',
    GONOSUMDB: '',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    ...extra,
  };
}

/** worldEnv is goEnvFor with the world's checksum database as GOSUMDB. */
export function worldEnv(world: World, home: string): NodeJS.ProcessEnv {
  return goEnvFor(home, { GOSUMDB: world.sumdb.gosumdb });
}

/** proxyFlags points --proxy at the world's proxies A and B. */
export function proxyFlags(world: World): string[] {
  return ['--proxy', world.proxyA.url, '--proxy', world.proxyB.url];
}

/** Requirement is one module version a test project requires. */
export interface Requirement {
  readonly path: string;
  readonly version: string;
}

/** goSumLines are the honest go.sum lines (zip and go.mod) of the requirements, sorted. */
export function goSumLines(world: World, reqs: readonly Requirement[]): string[] {
  return reqs
    .flatMap((r) => {
      const v = world.find(r.path, r.version);
      return [`${r.path} ${r.version} ${v.zipHash}`, `${r.path} ${r.version}/go.mod ${v.modHash}`];
    })
    .sort();
}

/** writeProject writes go.mod and go.sum of a module requiring `reqs` into `dir`. */
export async function writeProject(
  world: World,
  dir: string,
  reqs: readonly Requirement[],
  module = 'example.test/project',
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const require = reqs.map((r) => `\t${r.path} ${r.version}\n`).join('');
  await writeFile(join(dir, 'go.mod'), `module ${module}\n\ngo 1.21\n\nrequire (\n${require})\n`);
  await writeFile(join(dir, 'go.sum'), `${goSumLines(world, reqs).join('\n')}\n`);
}

/** writeFiles writes `files` (path → text) below `dir`. */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
}

/** git runs git in `cwd` with a fixed identity and no user or system configuration. */
export async function git(cwd: string, args: string[]): Promise<string> {
  const result = await execa('git', args, {
    cwd,
    env: {
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 'modguard test',
      GIT_AUTHOR_EMAIL: 'test@example.test',
      GIT_COMMITTER_NAME: 'modguard test',
      GIT_COMMITTER_EMAIL: 'test@example.test',
    },
  });
  return result.stdout;
}

/** clearRequests forgets what the world's servers were asked so far. */
export function clearRequests(world: World): void {
  world.proxyA.requests.length = 0;
  world.proxyB.requests.length = 0;
  world.sumdb.server.state.requests.length = 0;
}

/** requestCount is how many requests the proxies and the checksum database received. */
export function requestCount(world: World): { a: number; b: number; sumdb: number } {
  return {
    a: world.proxyA.requests.length,
    b: world.proxyB.requests.length,
    sumdb: world.sumdb.server.state.requests.length,
  };
}
