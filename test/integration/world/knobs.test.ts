import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchPrefixPatterns } from '../../../src/go/module.js';
import { ChainError, SourceChain, type ChainEntry } from '../../../src/proxy/chain.js';
import { ProxyClient } from '../../../src/proxy/client.js';
import { fetchModule } from '../../../src/proxy/fetch.js';
import { HttpClient } from '../../../src/proxy/http.js';
import { startWorld, type World } from '../../../src/testing/world/index.js';
import { tempDir } from '../proxy/helpers.js';

// One world, one knob per module, so each test reads one fault in isolation.
const mods = {
  tamper: 'example.test/tampered',
  stale: 'example.test/stale',
  gone404: 'example.test/gone404',
  gone410: 'example.test/gone410',
  slow: 'example.test/slow',
  hung: 'example.test/hung',
  reset: 'example.test/reset',
  html: 'example.test/html',
  moved: 'example.test/moved',
  secret: 'corp.test/secret',
};
const V = 'v1.0.0';

let world: World;
let http: HttpClient;
let tmp: { dir: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  world = await startWorld({
    modules: Object.values(mods).map((path) => ({
      path,
      versions: [V],
      private: path.startsWith('corp.test/'),
    })),
    knobs: [
      { kind: 'tamper', proxy: 'A', path: mods.tamper, version: V },
      { kind: 'stale', proxy: 'B', path: mods.stale, version: V },
      {
        kind: 'fault',
        proxy: 'A',
        rule: { path: mods.gone404, fault: { kind: 'status', status: 404 } },
      },
      {
        kind: 'fault',
        proxy: 'A',
        rule: { path: mods.gone410, fault: { kind: 'status', status: 410 } },
      },
      {
        kind: 'fault',
        proxy: 'A',
        rule: { path: mods.slow, fault: { kind: 'slow', delayMs: 300 } },
      },
      { kind: 'fault', proxy: 'A', rule: { path: mods.hung, fault: { kind: 'hang' } } },
      { kind: 'fault', proxy: 'A', rule: { path: mods.reset, fault: { kind: 'reset' } } },
      { kind: 'fault', proxy: 'A', rule: { path: mods.html, fault: { kind: 'html' } } },
      { kind: 'moved-tag', path: mods.moved, version: V },
    ],
  });
  http = new HttpClient({
    timeouts: { headersMs: 1_000, bodyMs: 1_000 },
    retries: 1,
    backoffMs: 20,
  });
  tmp = await tempDir();
});
afterAll(async () => {
  await http.close();
  await world?.stop();
  await tmp.cleanup();
});

function chain(sep: ',' | '|' = ',', goprivate = '') {
  const entries: ChainEntry[] = [
    { kind: 'url', url: world.proxyA.url, fallBackOnAnyError: sep === '|' },
    { kind: 'url', url: world.proxyB.url, fallBackOnAnyError: false },
  ];
  return new SourceChain({
    entries,
    proxyFor: (u) => new ProxyClient(u, http),
    bypassesProxy: (p) => matchPrefixPatterns(goprivate, p),
  });
}

const only = (url: string) =>
  new SourceChain({
    entries: [{ kind: 'url', url, fallBackOnAnyError: false }],
    proxyFor: (u) => new ProxyClient(u, http),
    bypassesProxy: () => false,
  });
const onlyA = () => only(world.proxyA.url);

async function chainFailure(p: Promise<unknown>): Promise<ChainError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ChainError);
  return err as ChainError;
}

describe('knob: tamper (one file altered in proxy A)', () => {
  it('A serves a zip whose h1 differs from the sumdb; B serves the honest one', async () => {
    const v = world.find(mods.tamper, V);
    const a = await fetchModule(onlyA(), mods.tamper, V, tmp.dir);
    expect(a.zipHash).toBe(v.served.A?.zipHash);
    expect(a.zipHash).not.toBe(v.zipHash);
    expect(a.modHash).toBe(v.modHash);
    const b = await fetchModule(only(world.proxyB.url), mods.tamper, V, tmp.dir);
    expect(b.zipHash).toBe(v.zipHash);
  });
});

describe('knob: stale (an older zip under the same version in proxy B)', () => {
  it('B serves the stale build, A the published one', async () => {
    const v = world.find(mods.stale, V);
    const onlyB = only(world.proxyB.url);
    expect((await fetchModule(onlyB, mods.stale, V, tmp.dir)).zipHash).toBe(v.served.B?.zipHash);
    expect((await fetchModule(onlyA(), mods.stale, V, tmp.dir)).zipHash).toBe(v.zipHash);
    expect(v.served.B?.variant).toBe('stale');
  });
});

describe.each([
  ['404', mods.gone404, 404],
  ['410', mods.gone410, 410],
])('knob: %s in proxy A', (_name, path, status) => {
  it('falls through to B with a comma, recording A as NOT_FOUND', async () => {
    const got = await fetchModule(chain(','), path, V, tmp.dir);
    expect(got.zip.source).toBe(world.proxyB.url);
    expect(got.zipHash).toBe(world.find(path, V).zipHash);
    expect(got.zip.attempts.map((a) => [a.source, a.error.code, a.error.status])).toEqual([
      [world.proxyA.url, 'NOT_FOUND', status],
    ]);
  });
});

describe('knob: slow proxy A', () => {
  it('answers late but correctly, from A', async () => {
    const t0 = Date.now();
    const got = await fetchModule(chain(), mods.slow, V, tmp.dir);
    expect(got.zip.source).toBe(world.proxyA.url);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(550);
  });
});

describe('knob: hung proxy A', () => {
  it('with a comma, ends in TIMEOUT without asking B', async () => {
    const err = await chainFailure(chain(',').mod(mods.hung, V));
    expect(err.code).toBe('TIMEOUT');
    expect(err.attempts.map((a) => a.source)).toEqual([world.proxyA.url]);
  });

  it('with a pipe, falls through to B', async () => {
    const got = await chain('|').mod(mods.hung, V);
    expect(got.source).toBe(world.proxyB.url);
    expect(got.attempts[0]?.error.code).toBe('TIMEOUT');
  });
});

describe('knob: reset connections in proxy A', () => {
  it('is a NETWORK error that a comma does not fall through', async () => {
    const err = await chainFailure(chain(',').mod(mods.reset, V));
    expect(err.code).toBe('NETWORK');
    expect((await chain('|').mod(mods.reset, V)).source).toBe(world.proxyB.url);
  });
});

describe('knob: HTML page with status 200 in proxy A', () => {
  it('is HTML_PAGE naming proxy A', async () => {
    const err = await chainFailure(chain(',').zip(mods.html, V, () => `${tmp.dir}/html.zip`));
    expect(err.code).toBe('HTML_PAGE');
    expect(err.message).toContain(`${world.proxyA.url}: proxy returned an HTML page`);
  });
});

describe('knob: moved tag', () => {
  it('git names a different commit, with different content, than was published', async () => {
    const repo = world.repos.find((r) => r.module === mods.moved)!;
    const before = repo.published.get(V)!;
    const after = repo.tags.get(V)!;
    expect(after).not.toBe(before);
    const show = (rev: string) =>
      execa('git', ['show', `${rev}:moved.go`], { cwd: `${world.dir}/git/${repo.dir}` });
    expect((await show(before)).stdout).not.toContain('Retagged');
    expect((await show(after)).stdout).toContain('Retagged = true');
    expect(world.find(mods.moved, V).movedTag).toBe(true);
  });
});

describe('knob: private module (GOPRIVATE=corp.test)', () => {
  it('is never requested from a proxy or the sumdb', async () => {
    for (const s of [world.proxyA, world.proxyB]) s.requests.length = 0;
    world.sumdb.server.state.requests.length = 0;
    const err = await chainFailure(chain('|', 'corp.test').mod(mods.secret, V));
    expect(err.code).toBe('NO_SOURCES');
    await chain('|', 'corp.test').mod(mods.tamper, V);
    const seen = [...world.proxyA.requests, ...world.proxyB.requests].map((r) => r.path);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((p) => p.includes('corp.test'))).toEqual([]);
    expect(world.sumdb.server.state.requests.filter((p) => p.includes('corp.test'))).toEqual([]);
  });

  it('exists in git only', async () => {
    expect(world.repos.some((r) => r.module === mods.secret)).toBe(true);
    expect(world.proxyA.store.has(mods.secret) || world.proxyB.store.has(mods.secret)).toBe(false);
  });
});
