import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { hashGoMod } from '../../../src/hash/dirhash.js';
import { hashModuleZip } from '../../../src/hash/zipcheck.js';
import { readZip } from '../../../src/hash/zipread.js';
import { ChainError } from '../../../src/proxy/chain.js';
import { chainFromEnv } from '../../../src/proxy/config.js';
import { directSource } from '../../../src/proxy/direct.js';
import { ProxyError } from '../../../src/proxy/errors.js';
import { fetchModule } from '../../../src/proxy/fetch.js';
import { startGitServer, type GitServer } from '../../../src/testing/git-server.js';
import { startEgressProxy, worldTestUrl } from '../../../src/testing/world/egress.js';
import { smallWorld, startWorld, type World } from '../../../src/testing/world/index.js';
import { OWNER_FILE } from '../../../src/temp-dirs.js';
import { openFileSource } from '../../../src/vcs/dirfiles.js';
import { capture } from '../../support/streams.js';
import { makeBareRepo, tempDir, type RepoSteps } from './helpers.js';

const MOVED = { path: 'example.test/greet', version: 'v1.0.0' };
const PRIVATE = 'private.test/secret';

let world: World;
let gitUrl: string;
let tmp: { dir: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  // Proxy B is the dead proxy: it answers every request 404 (the `fault` rule matches all).
  world = await startWorld(
    smallWorld([
      { kind: 'moved-tag', ...MOVED },
      { kind: 'fault', proxy: 'B', rule: { fault: { kind: 'status', status: 404 } } },
    ]),
  );
  gitUrl = world.git?.url ?? '';
  tmp = await tempDir();
});
afterAll(async () => {
  await world?.stop();
  await tmp.cleanup();
});

async function zipHash(path: string, version: string, file: string): Promise<string> {
  const source = await openFileSource(file);
  try {
    return await hashModuleZip(path, version, source);
  } finally {
    await source.close();
  }
}

async function caught(p: Promise<unknown>): Promise<ProxyError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProxyError);
  return err as ProxyError;
}

describe('when the direct source reads the world git server', () => {
  it('builds every version with the h1 the proxies serve, except the moved tag', async () => {
    const direct = directSource({ mirrorDir: join(tmp.dir, 'm1'), discoveryBase: gitUrl });
    expect(direct.name).toBe('direct');
    for (const [i, v] of world.versions.entries()) {
      const label = `${v.path}@${v.version}`;
      const mod = await direct.mod(v.path, v.version);
      const zip = await direct.zip(v.path, v.version, join(tmp.dir, `w${i}.zip`));
      expect(zip.path).toBe(join(tmp.dir, `w${i}.zip`));
      const h1 = await zipHash(v.path, v.version, zip.path);
      expect(hashGoMod(mod), label).toBe(v.modHash);
      if (v.movedTag) expect(h1, label).not.toBe(v.zipHash);
      else expect(h1, label).toBe(v.zipHash);
    }
    expect(world.versions.filter((v) => v.movedTag)).toHaveLength(1);
  });

  it('reports the zip file size and sha256 honestly', async () => {
    const direct = directSource({ mirrorDir: join(tmp.dir, 'm2'), discoveryBase: gitUrl });
    const dest = join(tmp.dir, 'sized.zip');
    const body = await direct.zip('example.test/light/v2', 'v2.0.1', dest);
    const bytes = await readFile(dest);
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect({ size: body.size, sha256: body.sha256 }).toEqual({ size: bytes.length, sha256: sha });
  });

  it('lists, stats and picks the latest from the tags', async () => {
    const direct = directSource({ mirrorDir: join(tmp.dir, 'm3'), discoveryBase: gitUrl });
    expect(await direct.list('example.test/greet')).toEqual([
      { version: 'v1.0.0' },
      { version: 'v1.1.0' },
    ]);
    expect(await direct.list('example.test/light/v2')).toEqual([
      { version: 'v2.0.0' },
      { version: 'v2.0.1' },
    ]);
    // The world commits version i at 2024-01-(1+i) 12:00 UTC (src/testing/world/build.ts).
    expect(await direct.info('example.test/greet', 'v1.1.0')).toEqual({
      Version: 'v1.1.0',
      Time: '2024-01-02T12:00:00Z',
    });
    expect(await direct.latest('example.test/light/v2')).toEqual({
      Version: 'v2.0.1',
      Time: '2024-01-02T12:00:00Z',
    });
    // The world's proxies serve the same .info for an untouched tag.
    const res = await fetch(`${world.proxyA.url}/example.test/greet/@v/v1.1.0.info`);
    expect(await direct.info('example.test/greet', 'v1.1.0')).toEqual(await res.json());
  });

  it('answers NOT_FOUND for a missing repository or tag, and names direct', async () => {
    const direct = directSource({ mirrorDir: join(tmp.dir, 'm4'), discoveryBase: gitUrl });
    const noRepo = await caught(direct.mod('nowhere.test/x', 'v1.0.0'));
    expect([noRepo.code, noRepo.source]).toEqual(['NOT_FOUND', 'direct']);
    const noTag = await caught(direct.zip('example.test/greet', 'v1.9.9', join(tmp.dir, 'x.zip')));
    expect([noTag.code, noTag.source]).toEqual(['NOT_FOUND', 'direct']);
    expect((await caught(direct.info('example.test/greet', 'v1.2.0'))).code).toBe('NOT_FOUND');
    // A version the path cannot have (v9 of an unsuffixed path) is invalid, not missing.
    const invalid = await caught(direct.mod('example.test/greet', 'v9.9.9'));
    expect(invalid.code).toBe('BAD_RESPONSE');
    expect(invalid.message).toContain('example.test/greet');
  });

  it('asks go-get discovery through the egress proxy of the environment, as the proxies', async () => {
    const egress = await startEgressProxy();
    const env = {
      HOME: tmp.dir,
      GOPROXY: 'direct',
      HTTPS_PROXY: egress.url,
      HTTP_PROXY: egress.url,
    };
    const viaEgress = worldTestUrl(gitUrl, 'git');
    const named = await chainFromEnv(env, {
      vcs: { mirrorDir: join(tmp.dir, 'm9'), discoveryBase: viaEgress },
    });
    const local = await chainFromEnv(env, {
      vcs: { mirrorDir: join(tmp.dir, 'm10'), discoveryBase: gitUrl },
    });
    try {
      expect((await named.chain.list('example.test/greet')).value).toHaveLength(2);
      expect(egress.forwards).toEqual([`git.world.test:${new URL(gitUrl).port}`]);
      // a loopback host never goes through the egress proxy
      expect((await local.chain.list('example.test/greet')).value).toHaveLength(2);
      expect(egress.forwards).toHaveLength(1);
      expect(egress.tunnels).toEqual([]);
    } finally {
      await Promise.all([named.close(), local.close(), egress.stop()]);
    }
  });

  it('answers an unreachable discovery base as unavailable, not as not-found', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused.
    const dead = 'http://127.0.0.1:1';
    const direct = directSource({ mirrorDir: join(tmp.dir, 'm5'), discoveryBase: dead });
    const err = await caught(direct.list('example.test/greet'));
    expect(err.code).toBe('NETWORK');
    expect(err.kind).toBe('unavailable');
    expect(err.message).toMatch(/^direct: /);
  });
});

describe('when a GOPROXY chain reaches direct', () => {
  const env = () => ({ HOME: tmp.dir, NETRC: join(tmp.dir, 'no-netrc'), GOFLAGS: '' });

  it('falls through to direct on a 404 with `,`, but not on a 500', async () => {
    const setup = await chainFromEnv(env(), {
      goproxy: `${world.proxyB.url},direct`,
      vcs: { discoveryBase: gitUrl },
      http: { retries: 0 },
    });
    const fault500 = {
      path: 'example.test/Upper/case',
      fault: { kind: 'status', status: 500 },
    } as const;
    try {
      const v = world.find('example.test/Upper/case', 'v1.0.0');
      const got = await fetchModule(setup.chain, v.path, v.version, tmp.dir);
      expect([got.mod.source, got.zip.source]).toEqual(['direct', 'direct']);
      expect([got.modHash, got.zipHash]).toEqual([v.modHash, v.zipHash]);
      expect(got.zip.attempts.map((a) => [a.source, a.error.code])).toEqual([
        [world.proxyB.url, 'NOT_FOUND'],
      ]);
      world.proxyB.faults.unshift({ ...fault500, fault: { ...fault500.fault } });
      const err = await caught(setup.chain.info(v.path, v.version));
      expect([err.code, err.status]).toEqual(['HTTP_STATUS', 500]);
      expect(err).toBeInstanceOf(ChainError);
      expect((err as ChainError).attempts.map((a) => a.source)).toEqual([world.proxyB.url]);
    } finally {
      const i = world.proxyB.faults.findIndex(
        (f) => f.fault.kind === 'status' && f.fault.status === 500,
      );
      if (i >= 0) world.proxyB.faults.splice(i, 1);
      await setup.close();
    }
  });

  it('sends a GOPRIVATE module straight to direct, never to a proxy', async () => {
    const v = world.find(PRIVATE, 'v1.0.0');
    const setup = await chainFromEnv(
      { ...env(), GOPROXY: `${world.proxyA.url},direct`, GOPRIVATE: PRIVATE },
      { vcs: { mirrorDir: join(tmp.dir, 'm-private'), discoveryBase: gitUrl } },
    );
    try {
      world.proxyA.requests.length = 0;
      const got = await fetchModule(setup.chain, v.path, v.version, tmp.dir);
      expect([got.modHash, got.zipHash]).toEqual([v.modHash, v.zipHash]);
      expect([got.mod.source, got.zip.source, got.zip.attempts]).toEqual(['direct', 'direct', []]);
      expect((await setup.chain.list(v.path)).value).toEqual([{ version: 'v1.0.0' }]);
      expect(world.proxyA.requests).toEqual([]);
    } finally {
      await setup.close();
    }
  });

  it('keeps its mirrors in a temporary directory that close() removes', async () => {
    // os.tmpdir() follows TMPDIR: point it at an empty directory of our own while the
    // chain is made, so the mirror directory it creates can be seen.
    const own = join(tmp.dir, 'own-tmp');
    await mkdir(own);
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = own;
    let setup: Awaited<ReturnType<typeof chainFromEnv>> | undefined;
    try {
      setup = await chainFromEnv(env(), { goproxy: 'direct', vcs: { discoveryBase: gitUrl } });
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    try {
      const served = await setup.chain.info('example.test/greet', 'v1.1.0');
      expect(served.source).toBe('direct');
      const [mirrors, ...rest] = await readdir(own);
      expect([mirrors?.startsWith('modguard-vcs-'), rest]).toEqual([true, []]);
      // One mirror, and the owner's record for a sweep after a SIGKILL.
      const inside = await readdir(join(own, mirrors ?? ''));
      expect(inside.filter((f) => f !== OWNER_FILE)).toHaveLength(1);
      const owner = await readFile(join(own, mirrors ?? '', OWNER_FILE), 'utf8');
      expect(owner).toContain(` pid=${process.pid} `);
    } finally {
      await setup.close();
    }
    expect(await readdir(own)).toEqual([]);
  });

  it('runs `modguard proxy get --proxy direct --go-get-base URL`', async () => {
    const v = world.find('example.test/ssh/signed', 'v0.1.0');
    const c = capture({ ...env(), GOPROXY: 'off' });
    const args = ['proxy', 'get', `${v.path}@${v.version}`, '--proxy', 'direct'];
    const code = await main([...args, '--go-get-base', gitUrl], c.io);
    expect([code, c.err()]).toEqual([0, '']);
    expect(c.out()).toContain(`go.mod  ${v.modHash}  from direct`);
    expect(c.out()).toContain(`zip     ${v.zipHash}  from direct`);
  });

  it('refuses a --go-get-base that is not an http(s) URL', async () => {
    const c = capture(env());
    const code = await main(
      ['proxy', 'get', 'example.test/greet@v1.1.0', '--go-get-base', 'file:///etc'],
      c.io,
    );
    expect(code).not.toBe(0);
    expect(c.err()).toContain('--go-get-base');
  });
});

/**
 * Repositories built here for what the world does not have: a subdirectory module
 * (tags `sub/vX.Y.Z`), v2+ tags of a root module without go.mod (+incompatible), a
 * root go.mod declaring /v3. Their paths are VCS-qualified (`….git`), so the go command
 * finds them without go-get discovery (G/vcs/vcs.go vcsPaths) and, through a git
 * `url.<base>.insteadOf` on the loopback server, is the referee: no other host is asked.
 */
describe('when the repository has subdirectory modules and +incompatible tags', () => {
  const MONO = 'mono.test/repo.git';
  const MODDED = 'modded.test/m.git';
  let server: GitServer;
  const repo = (name: string, steps: RepoSteps) => makeBareRepo(tmp.dir, name, steps);

  beforeAll(async () => {
    await repo('mono', [
      [{ 'a.go': 'package a\n', LICENSE: 'root license\n' }, ['v1.0.0', 'v1.0', 'junk']],
      [{ 'sub/go.mod': `module ${MONO}/sub\n`, 'sub/s.go': 'package s\n' }, ['sub/v1.0.0']],
      [{ 'a.go': 'package a // 2\n' }, ['v2.0.0', 'sub/v1.1.0-pre']],
      [{ 'b.go': 'package a\n' }, ['v2.1.0', 'v0.0.0-20240101000000-abcdefabcdef']],
      [{ 'go.mod': `module ${MONO}/v3\n` }, ['v3.0.0']],
    ]);
    await repo('modded', [
      [{ 'go.mod': `module ${MODDED}\n` }, ['v1.1.0']],
      [{ 'a.go': 'package m\n' }, ['v2.0.0']],
    ]);
    server = await startGitServer(join(tmp.dir, 'srv'), [
      { root: MONO, dir: 'mono.git' },
      { root: MODDED, dir: 'modded.git' },
    ]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const LISTS: Record<string, string[]> = {
    // v3's latest tag has a go.mod: no v3.0.0+incompatible; `v1.0`, `junk` and the
    // pseudo-version-like tag are skipped.
    [MONO]: ['v1.0.0', 'v2.0.0+incompatible', 'v2.1.0+incompatible'],
    [`${MONO}/v2`]: ['v2.0.0', 'v2.1.0'],
    [`${MONO}/v3`]: ['v3.0.0'],
    [`${MONO}/sub`]: ['v1.0.0', 'v1.1.0-pre'],
    // The latest compatible tag v1.1.0 has a go.mod: v2.0.0 is not offered (golang/go#34189).
    [MODDED]: ['v1.1.0'],
  };
  const BUILDS = [
    [MONO, 'v1.0.0'],
    [MONO, 'v2.1.0+incompatible'],
    [`${MONO}/v3`, 'v3.0.0'],
    [`${MONO}/sub`, 'v1.0.0'],
    [`${MONO}/sub`, 'v1.1.0-pre'],
    [MODDED, 'v1.1.0'],
  ] as const;

  it('lists canonical tags under codeDir, with +incompatible rules of coderepo.go', async () => {
    const direct = directSource({ mirrorDir: join(tmp.dir, 'm6'), discoveryBase: server.url });
    for (const [path, want] of Object.entries(LISTS)) {
      expect(
        (await direct.list(path)).map((l) => l.version),
        path,
      ).toEqual(want);
    }
  });

  it('serves a subdirectory module and a go.mod-less one as the go command would', async () => {
    const direct = directSource({ mirrorDir: join(tmp.dir, 'm7'), discoveryBase: server.url });
    expect(await direct.latest(`${MONO}/sub`)).toEqual({
      Version: 'v1.0.0',
      Time: '2024-03-02T05:06:07Z',
    });
    expect((await direct.mod(MONO, 'v2.0.0+incompatible')).toString()).toBe(`module ${MONO}\n`);
    const dest = join(tmp.dir, 'sub.zip');
    await direct.zip(`${MONO}/sub`, 'v1.0.0', dest);
    // The root LICENSE is added to a subdirectory module that has none (coderepo.go:1113).
    expect((await listZipNames(dest)).sort()).toEqual(
      ['LICENSE', 'go.mod', 's.go'].map((f) => `${MONO}/sub@v1.0.0/${f}`),
    );
  });

  it('agrees with the go command (GOPROXY=direct) on lists, .info, go.mod and zip h1', async () => {
    const go = await goReferee(server.url);
    const direct = directSource({ mirrorDir: join(tmp.dir, 'm8'), discoveryBase: server.url });
    for (const path of Object.keys(LISTS)) {
      expect(await go.versions(path), path).toEqual(LISTS[path]);
    }
    const downloaded = await go.download(BUILDS.map(([p, v]) => `${p}@${v}`));
    for (const [i, [path, version]] of BUILDS.entries()) {
      const want = downloaded[i];
      const zip = await direct.zip(path, version, join(tmp.dir, `ref${i}.zip`));
      const got = {
        Sum: await zipHash(path, version, zip.path),
        GoModSum: hashGoMod(await direct.mod(path, version)),
        Info: await direct.info(path, version),
      };
      expect(got, `${path}@${version}`).toEqual({
        Sum: want?.Sum,
        GoModSum: want?.GoModSum,
        Info: pick(JSON.parse(await readFile(want?.Info ?? '', 'utf8')) as Record<string, unknown>),
      });
    }
  });
});

/** pick keeps the .info fields a proxy serves (Go adds Origin for direct fetches). */
function pick(info: Record<string, unknown>) {
  return { Version: info.Version, Time: info.Time };
}

interface GoDownload {
  readonly Sum: string;
  readonly GoModSum: string;
  readonly Info: string;
}

/**
 * goReferee runs Go 1.19 with GOPROXY=direct against the loopback git server: module
 * `<host>/<name>.git` is fetched from `https://<host>/<name>`, which the git config
 * rewrites to `<server>/<name>.git`. Every cache and setting is in a temporary directory.
 */
async function goReferee(serverUrl: string) {
  const home = join(tmp.dir, 'go');
  await mkdir(join(home, 'main'), { recursive: true });
  await writeFile(join(home, 'main', 'go.mod'), 'module referee.test/main\n\ngo 1.19\n');
  // Both schemes Go may ping go to the loopback server; GIT_ALLOW_PROTOCOL keeps Go and
  // git off every other scheme (git://, ssh), so a failure never looks up a public name.
  const rewrite = (dir: string, repo: string) =>
    `[url "${serverUrl}/${dir}"]\n\tinsteadOf = https://${repo}\n\tinsteadOf = http://${repo}\n`;
  await writeFile(
    join(home, 'gitconfig'),
    rewrite('mono.git', 'mono.test/repo') + rewrite('modded.git', 'modded.test/m'),
  );
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    GIT_CONFIG_GLOBAL: join(home, 'gitconfig'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ALLOW_PROTOCOL: 'https:http',
    GO111MODULE: 'on',
    GOPROXY: 'direct',
    GOSUMDB: 'off',
    GONOSUMDB: '*',
    GOPRIVATE: '',
    GONOPROXY: '',
    GOPATH: join(home, 'path'),
    GOMODCACHE: join(home, 'path', 'mod'),
    GOCACHE: join(home, 'cache'),
    GOENV: 'off',
    GOTOOLCHAIN: 'local',
    GOFLAGS: '-mod=mod',
  };
  const go = async (args: string[]) =>
    (await execa('go', args, { cwd: join(home, 'main'), env, extendEnv: false })).stdout;
  return {
    versions: async (path: string) =>
      (await go(['list', '-m', '-versions', '-retracted', '-f', '{{join .Versions " "}}', path]))
        .split(' ')
        .filter((v) => v !== ''),
    download: async (targets: string[]) =>
      JSON.parse(
        `[${(await go(['mod', 'download', '-json', ...targets])).replace(/\}\n\{/g, '},{')}]`,
      ) as GoDownload[],
  };
}

async function listZipNames(file: string): Promise<string[]> {
  const source = await openFileSource(file);
  try {
    return (await readZip(source)).entries.map((e) => e.name);
  } finally {
    await source.close();
  }
}
