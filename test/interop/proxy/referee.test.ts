import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceChain, type ChainEntry } from '../../../src/proxy/chain.js';
import { ProxyClient } from '../../../src/proxy/client.js';
import { fetchModule } from '../../../src/proxy/fetch.js';
import { HttpClient } from '../../../src/proxy/http.js';
import { smallWorld, startWorld, type World } from '../../../src/testing/world/index.js';
import { tempDir } from '../../integration/proxy/helpers.js';
import { goModDownload } from './go.js';

// The referee: Go 1.19.8's own `go mod download` against the world's proxy A and sumdb.
const TAMPERED = { path: 'example.test/greet', version: 'v1.0.0' };
const STALE = { path: 'example.test/light/v2', version: 'v2.0.1' };

let world: World;
let http: HttpClient;
let tmp: { dir: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  const spec = smallWorld([
    { kind: 'tamper', proxy: 'A', ...TAMPERED },
    { kind: 'stale', proxy: 'A', ...STALE },
  ]);
  world = await startWorld({ ...spec, git: false });
  http = new HttpClient();
  tmp = await tempDir();
});
afterAll(async () => {
  await http.close();
  await world?.stop();
  await tmp.cleanup();
});

function chainOver(entries: ChainEntry[]) {
  return new SourceChain({
    entries,
    proxyFor: (u) => new ProxyClient(u, http),
    bypassesProxy: () => false,
  });
}

describe('when Go 1.19 downloads the world through proxy A and the world sumdb', () => {
  it('accepts every honest module with the hashes modguard computes, and refuses the tampered and stale ones', async () => {
    const publicVersions = world.versions.filter((v) => !v.private);
    const run = await goModDownload(
      publicVersions.map((v) => `${v.path}@${v.version}`),
      { GOPROXY: world.proxyA.url, GOSUMDB: world.sumdb.gosumdb, GOPRIVATE: 'private.test' },
    );
    const chain = chainOver([{ kind: 'url', url: world.proxyA.url, fallBackOnAnyError: false }]);
    for (const v of publicVersions) {
      const go = run.downloads.find((d) => d.Path === v.path && d.Version === v.version);
      const ours = await fetchModule(chain, v.path, v.version, tmp.dir);
      const bad = v.served.A !== undefined;
      if (bad) {
        expect(go?.Error, `${v.path}@${v.version}`).toMatch(
          /checksum mismatch[\s\S]*SECURITY ERROR/,
        );
        expect(go?.Error).toContain(`downloaded: ${ours.zipHash}`);
        expect(go?.Error).toContain(`sum.world.test: ${v.zipHash}`);
        expect(ours.zipHash).not.toBe(v.zipHash);
      } else {
        expect(go?.Error, `${v.path}@${v.version}`).toBeUndefined();
        expect([go?.Sum, go?.GoModSum]).toEqual([ours.zipHash, ours.modHash]);
        expect(ours.zipHash).toBe(v.zipHash);
      }
    }
    expect(run.exitCode).toBe(1);
    expect(publicVersions.filter((v) => v.served.A !== undefined)).toHaveLength(2);
  });
});

describe('when GOSUMDB names only the key', () => {
  it('Go reaches the sumdb through proxy B /sumdb/<name>/ and accepts an honest module', async () => {
    world.proxyB.requests.length = 0;
    const v = world.find('example.test/Upper/case', 'v1.0.0');
    const run = await goModDownload([`${v.path}@${v.version}`], {
      GOPROXY: world.proxyB.url,
      GOSUMDB: world.sumdb.verifierKey,
    });
    expect(run.downloads[0]?.Error).toBeUndefined();
    expect(run.downloads[0]?.Sum).toBe(v.zipHash);
    const paths = world.proxyB.requests.map((r) => r.path);
    expect(paths).toContain(`/sumdb/${world.sumdb.name}/supported`);
    expect(paths).toContain(`/sumdb/${world.sumdb.name}/lookup/example.test/!upper/case@v1.0.0`);
  });
});

describe('when Go and modguard use the same GOPROXY chain', () => {
  const M = 'example.test/ssh/signed';
  const V = 'v0.1.0';

  async function both(goproxy: string, entries: ChainEntry[]) {
    world.proxyA.requests.length = 0;
    world.proxyB.requests.length = 0;
    const go = await goModDownload(
      [`${M}@${V}`],
      { GOPROXY: goproxy, GOSUMDB: world.sumdb.gosumdb },
      30_000,
    );
    const goZipFrom = [world.proxyA, world.proxyB]
      .filter((p) => p.requests.some((r) => r.path.endsWith(`${V}.zip`)))
      .map((p) => p.url);
    const ours = await chainOver(entries)
      .zip(M, V, (n) => `${tmp.dir}/chain-${Date.now()}-${n}.zip`)
      .then(
        (served) => ({ source: served.source, code: undefined as string | undefined }),
        (err: { code?: string }) => ({ source: undefined, code: err.code }),
      );
    return { go, goZipFrom, ours };
  }

  const url = (u: string, pipe = false): ChainEntry => ({
    kind: 'url',
    url: u,
    fallBackOnAnyError: pipe,
  });

  it('A 404, B 200: both fall through to B', async () => {
    world.proxyA.faults.splice(0, Infinity, { path: M, fault: { kind: 'status', status: 404 } });
    const r = await both(`${world.proxyA.url},${world.proxyB.url}`, [
      url(world.proxyA.url),
      url(world.proxyB.url),
    ]);
    expect(r.go.downloads[0]?.Error).toBeUndefined();
    expect(r.goZipFrom).toEqual([world.proxyA.url, world.proxyB.url]);
    expect(r.ours.source).toBe(world.proxyB.url);
  });

  it('A 500 with a comma: both stop at A', async () => {
    world.proxyA.faults.splice(0, Infinity, { path: M, fault: { kind: 'status', status: 500 } });
    const r = await both(`${world.proxyA.url},${world.proxyB.url}`, [
      url(world.proxyA.url),
      url(world.proxyB.url),
    ]);
    expect(r.go.downloads[0]?.Error).toContain('500 Internal Server Error');
    expect(world.proxyB.requests).toHaveLength(0);
    expect(r.ours.code).toBe('HTTP_STATUS');
  });

  it('A 500 with a pipe: both fall through to B', async () => {
    world.proxyA.faults.splice(0, Infinity, { path: M, fault: { kind: 'status', status: 500 } });
    const r = await both(`${world.proxyA.url}|${world.proxyB.url}`, [
      url(world.proxyA.url, true),
      url(world.proxyB.url),
    ]);
    expect(r.go.downloads[0]?.Error).toBeUndefined();
    expect(r.goZipFrom).toEqual([world.proxyA.url, world.proxyB.url]);
    expect(r.ours.source).toBe(world.proxyB.url);
  });

  it('A hung with a pipe: Go waits past its bound; modguard times out and falls through to B', async () => {
    world.proxyA.faults.splice(0, Infinity, { path: M, fault: { kind: 'hang' } });
    const fast = new HttpClient({ timeouts: { headersMs: 1_000 }, retries: 0 });
    try {
      const go = await goModDownload(
        [`${M}@${V}`],
        {
          GOPROXY: `${world.proxyA.url}|${world.proxyB.url}`,
          GOSUMDB: world.sumdb.gosumdb,
        },
        4_000,
      );
      expect(go.timedOut).toBe(true);
      const chain = new SourceChain({
        entries: [url(world.proxyA.url, true), url(world.proxyB.url)],
        proxyFor: (u) => new ProxyClient(u, fast),
        bypassesProxy: () => false,
      });
      const served = await chain.mod(M, V);
      expect(served.source).toBe(world.proxyB.url);
      expect(served.attempts[0]?.error.code).toBe('TIMEOUT');
    } finally {
      world.proxyA.faults.length = 0;
      await fast.close();
    }
  });
});
