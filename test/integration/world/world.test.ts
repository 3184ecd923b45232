import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceChain } from '../../../src/proxy/chain.js';
import { ProxyClient } from '../../../src/proxy/client.js';
import { fetchModule } from '../../../src/proxy/fetch.js';
import { HttpClient } from '../../../src/proxy/http.js';
import { hashModuleFiles } from '../../../src/hash/modzip.js';
import { withGitModuleTree } from '../../../src/vcs/gitzip.js';
import { smallWorld, startWorld, type World } from '../../../src/testing/world/index.js';
import { tempDir } from '../proxy/helpers.js';

let world: World;
let http: HttpClient;
let tmp: { dir: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  world = await startWorld(
    smallWorld([{ kind: 'moved-tag', path: 'example.test/greet', version: 'v1.0.0' }]),
  );
  http = new HttpClient();
  tmp = await tempDir();
});
afterAll(async () => {
  await http.close();
  await world?.stop();
  await tmp.cleanup();
});

const gitEnv = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
};

describe('when the world is honest', () => {
  it('serves every public version through both proxies with the recorded hashes', async () => {
    for (const proxy of [world.proxyA, world.proxyB]) {
      const chain = new SourceChain({
        entries: [{ kind: 'url', url: proxy.url, fallBackOnAnyError: false }],
        proxyFor: (u) => new ProxyClient(u, http),
        bypassesProxy: () => false,
      });
      for (const v of world.versions.filter((x) => !x.private)) {
        const got = await fetchModule(chain, v.path, v.version, tmp.dir);
        expect([got.zipHash, got.modHash]).toEqual([v.zipHash, v.modHash]);
      }
    }
  });

  it('keeps the private module out of the proxies and the sumdb', () => {
    expect(world.proxyA.store.has('private.test/secret')).toBe(false);
    expect(world.goSum()).not.toContain('private.test');
    expect(world.goEnv()).toMatchObject({
      GOPROXY: world.proxyA.url,
      GOPRIVATE: 'private.test/secret',
    });
  });

  it('serves the sumdb standalone and under each proxy', async () => {
    const v = world.find('example.test/greet', 'v1.1.0');
    for (const base of [world.sumdb.url, `${world.proxyA.url}/sumdb/${world.sumdb.name}`]) {
      const res = await fetch(`${base}/lookup/example.test/greet@v1.1.0`);
      expect(await res.text()).toContain(`example.test/greet v1.1.0 ${v.zipHash}`);
    }
    expect((await fetch(`${world.proxyB.url}/sumdb/${world.sumdb.name}/supported`)).status).toBe(
      200,
    );
  });
});

describe('when git serves the repositories', () => {
  it('answers go-get discovery with a go-import meta tag', async () => {
    const git = world.git!;
    const res = await fetch(`${git.url}/example.test/light/v2/pkg?go-get=1`);
    expect(await res.text()).toContain(
      `<meta name="go-import" content="example.test/light git ${git.url}/example.test_light.git">`,
    );
    expect((await fetch(`${git.url}/nowhere.test/x?go-get=1`)).status).toBe(404);
  });

  it('serves tags over smart HTTP, with the moved tag on its new commit', async () => {
    const repo = world.repos.find((r) => r.module === 'example.test/greet')!;
    const { stdout } = await execa(
      'git',
      ['ls-remote', '--tags', '--', world.git!.repoUrl(repo.dir)],
      {
        env: gitEnv,
      },
    );
    const peeled = new Map(
      stdout
        .split('\n')
        .filter((l) => l.endsWith('^{}'))
        .map((l) => [l.split('\t')[1]!.replace(/^refs\/tags\/|\^\{\}$/g, ''), l.split('\t')[0]!]),
    );
    expect(peeled.get('v1.1.0')).toBe(repo.published.get('v1.1.0'));
    expect(peeled.get('v1.0.0')).toBe(repo.tags.get('v1.0.0'));
    expect(repo.tags.get('v1.0.0')).not.toBe(repo.published.get('v1.0.0'));
  });

  it('clones, and the signed tags verify with their keys', async () => {
    const keys = world.keys!;
    const clone = `${tmp.dir}/clone-greet`;
    const greet = world.repos.find((r) => r.module === 'example.test/greet')!;
    await execa('git', ['clone', '-q', '--', world.git!.repoUrl(greet.dir), clone], {
      env: gitEnv,
    });
    const gpgEnv = { ...gitEnv, GNUPGHOME: keys.gpg.gnupgHome };
    const verified = await execa('git', ['verify-tag', '--', 'v1.1.0'], {
      cwd: clone,
      env: gpgEnv,
    });
    expect(verified.stderr).toContain('Good signature');

    const sshClone = `${tmp.dir}/clone-ssh`;
    const ssh = world.repos.find((r) => r.module === 'example.test/ssh/signed')!;
    await execa('git', ['clone', '-q', '--', world.git!.repoUrl(ssh.dir), sshClone], {
      env: gitEnv,
    });
    const args = [
      '-c',
      `gpg.ssh.allowedSignersFile=${keys.ssh.allowedSignersPath}`,
      'verify-tag',
      '--',
      'v0.1.0',
    ];
    const sshVerified = await execa('git', args, { cwd: sshClone, env: gitEnv });
    expect(sshVerified.stderr).toContain('Good "git" signature');
  });

  it('builds, from each tag, the zip the proxies serve — except the moved tag', async () => {
    for (const v of world.versions) {
      const repo = world.repos.find((r) => r.module === v.path)!;
      const request = {
        repo: `${world.dir}/git/${repo.dir}`,
        ref: v.version,
        modulePath: v.path,
        version: v.version,
      };
      const h1 = await withGitModuleTree(request, (tree) =>
        hashModuleFiles(v.path, v.version, tree.files, { vendorRule: 'old' }),
      );
      if (v.movedTag) expect(h1, `${v.path}@${v.version}`).not.toBe(v.zipHash);
      else expect(h1, `${v.path}@${v.version}`).toBe(v.zipHash);
    }
    expect(world.versions.filter((v) => v.movedTag)).toHaveLength(1);
  });

  it('has unsigned annotated and lightweight tags', async () => {
    const light = world.repos.find((r) => r.module === 'example.test/light/v2')!;
    const up = world.repos.find((r) => r.module === 'example.test/Upper/case')!;
    const kind = async (dir: string, tag: string) => {
      const { stdout } = await execa('git', ['cat-file', '-t', `refs/tags/${tag}`], {
        cwd: `${world.dir}/git/${dir}`,
        env: gitEnv,
      });
      return stdout;
    };
    expect(await kind(light.dir, 'v2.0.0')).toBe('commit');
    expect(await kind(up.dir, 'v1.0.0')).toBe('tag');
  });
});
