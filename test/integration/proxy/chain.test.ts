import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SourceChain, ChainError, type ChainEntry } from '../../../src/proxy/chain.js';
import { ProxyClient, type ModuleSource } from '../../../src/proxy/client.js';
import { ProxyError } from '../../../src/proxy/errors.js';
import type { HttpClient } from '../../../src/proxy/http.js';
import { startProxyServer, type ProxyServer } from '../../../src/testing/proxy-server.js';
import { fetchModule } from '../../../src/proxy/fetch.js';
import { fakeVersion, fastHttp, tempDir } from './helpers.js';

const M = 'example.test/chain/mod';
const PRIV = 'private.test/secret/mod';
const V = 'v1.0.0';

let a: ProxyServer;
let b: ProxyServer;
let http: HttpClient;
let tmp: { dir: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  a = await startProxyServer({ name: 'A' });
  b = await startProxyServer({ name: 'B' });
  for (const p of [a, b]) {
    p.put(M, V, fakeVersion(M, V, p.name));
    p.put(PRIV, V, fakeVersion(PRIV, V));
  }
  http = fastHttp();
  tmp = await tempDir();
});
afterAll(async () => {
  await http.close();
  await Promise.all([a.stop(), b.stop()]);
  await tmp.cleanup();
});
afterEach(() => {
  for (const p of [a, b]) {
    p.faults.length = 0;
    p.requests.length = 0;
  }
});

const url = (u: string, pipe = false): ChainEntry => ({
  kind: 'url',
  url: u,
  fallBackOnAnyError: pipe,
});
const DIRECT: ChainEntry = { kind: 'direct', fallBackOnAnyError: false };
const OFF: ChainEntry = { kind: 'off', fallBackOnAnyError: false };

function chain(entries: ChainEntry[], extra: { direct?: ModuleSource; deadlineMs?: number } = {}) {
  return new SourceChain({
    entries,
    proxyFor: (u) => new ProxyClient(u, http),
    bypassesProxy: (p) => p.startsWith('private.test/'),
    ...extra,
  });
}

async function failure(p: Promise<unknown>): Promise<ChainError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProxyError);
  return err as ChainError;
}

describe('when entries are joined by a comma', () => {
  it('falls through on 404 and records who answered and who failed', async () => {
    a.faults.push({ path: M, fault: { kind: 'status', status: 404 } });
    const got = await chain([url(a.url), url(b.url)]).mod(M, V);
    expect(got.source).toBe(b.url);
    expect(got.attempts.map((x) => [x.source, x.error.code])).toEqual([[a.url, 'NOT_FOUND']]);
  });

  it('falls through on 410', async () => {
    a.faults.push({ path: M, fault: { kind: 'status', status: 410 } });
    expect((await chain([url(a.url), url(b.url)]).info(M, V)).source).toBe(b.url);
  });

  it('stops on a 500 without asking the next proxy', async () => {
    a.faults.push({ path: M, fault: { kind: 'status', status: 500 } });
    const err = await failure(chain([url(a.url), url(b.url)]).mod(M, V));
    expect(err.code).toBe('HTTP_STATUS');
    expect(err.attempts).toHaveLength(1);
    expect(b.requests).toHaveLength(0);
  });

  it('stops on an HTML page', async () => {
    a.faults.push({ path: M, fault: { kind: 'html' } });
    expect((await failure(chain([url(a.url), url(b.url)]).mod(M, V))).code).toBe('HTML_PAGE');
  });
});

describe('when entries are joined by a pipe', () => {
  it('falls through on a 500', async () => {
    a.faults.push({ path: M, fault: { kind: 'status', status: 500 } });
    const got = await chain([url(a.url, true), url(b.url)]).mod(M, V);
    expect(got.source).toBe(b.url);
    expect(got.attempts[0]?.error.code).toBe('HTTP_STATUS');
  });

  it('falls through a hung proxy within the timeouts', async () => {
    a.faults.push({ path: M, fault: { kind: 'hang' } });
    const t0 = Date.now();
    const got = await chain([url(a.url, true), url(b.url)]).mod(M, V);
    expect(got.source).toBe(b.url);
    expect(got.attempts[0]?.error.code).toBe('TIMEOUT');
    expect(Date.now() - t0).toBeLessThan(5_000);
  });
});

describe('when nothing answers', () => {
  it('reports the proxy error over a later not-found (Go ranking)', async () => {
    a.faults.push({ path: M, fault: { kind: 'status', status: 502 } });
    b.faults.push({ path: M, fault: { kind: 'status', status: 404 } });
    const err = await failure(chain([url(a.url, true), url(b.url)]).mod(M, V));
    expect(err.code).toBe('HTTP_STATUS');
    expect(err.attempts.map((x) => x.error.code)).toEqual(['HTTP_STATUS', 'NOT_FOUND']);
  });

  it('reports NOT_FOUND when every proxy said not found', async () => {
    const err = await failure(chain([url(a.url), url(b.url)]).mod(M, 'v9.0.0'));
    expect(err.code).toBe('NOT_FOUND');
    expect(err.attempts).toHaveLength(2);
  });

  it('ends at off with OFF, and off alone never touches the network', async () => {
    a.faults.push({ path: M, fault: { kind: 'status', status: 404 } });
    expect((await failure(chain([url(a.url), OFF]).mod(M, V))).code).toBe('OFF');
    expect((await failure(chain([OFF]).mod(M, V))).code).toBe('OFF');
  });

  it('ends at direct with DIRECT_UNSUPPORTED when no direct fetcher is given', async () => {
    a.faults.push({ path: M, fault: { kind: 'status', status: 404 } });
    expect((await failure(chain([url(a.url), DIRECT]).mod(M, V))).code).toBe('DIRECT_UNSUPPORTED');
  });

  it('gives up at the per-call deadline even with a pipe to a second hung proxy', async () => {
    a.faults.push({ path: M, fault: { kind: 'hang' } });
    b.faults.push({ path: M, fault: { kind: 'hang' } });
    const t0 = Date.now();
    const err = await failure(chain([url(a.url, true), url(b.url)], { deadlineMs: 300 }).mod(M, V));
    expect(err.code).toBe('TIMEOUT');
    expect(Date.now() - t0).toBeLessThan(2_500);
  });
});

describe('when a module is fetched whole', () => {
  it('bounds .mod and .zip together by one deadline', async () => {
    a.faults.push({ path: M, fault: { kind: 'slow', delayMs: 400 } });
    const c = chain([url(a.url)], { deadlineMs: 700 });
    expect((await c.mod(M, V)).source).toBe(a.url);
    const t0 = Date.now();
    const err = await failure(fetchModule(c, M, V, tmp.dir));
    expect(err.code).toBe('TIMEOUT');
    expect(Date.now() - t0).toBeLessThan(2_500);
  });
});

describe('when the module is private (GONOPROXY/GOPRIVATE)', () => {
  const direct: ModuleSource = {
    name: 'direct',
    list: async () => [{ version: V }],
    latest: async () => ({ Version: V }),
    info: async () => ({ Version: V }),
    mod: async () => Buffer.from(`module ${PRIV}\n`),
    zip: async () => {
      throw new ProxyError('NETWORK', 'no git here', { source: 'direct' });
    },
  };

  it('never asks a proxy and goes to direct', async () => {
    const got = await chain([url(a.url), url(b.url), DIRECT], { direct }).mod(PRIV, V);
    expect(got.source).toBe('direct');
    expect([...a.requests, ...b.requests]).toEqual([]);
  });

  it('fails with NO_SOURCES when the chain has no direct, still asking no proxy', async () => {
    const err = await failure(chain([url(a.url, true), url(b.url), OFF]).list(PRIV));
    expect(err.code).toBe('NO_SOURCES');
    expect([...a.requests, ...b.requests]).toEqual([]);
  });

  it('uses the implicit noproxy entry for private modules only', async () => {
    const noproxy: ChainEntry = { kind: 'noproxy', fallBackOnAnyError: false };
    const c = chain([noproxy, url(a.url), OFF], { direct });
    expect((await c.info(PRIV, V)).source).toBe('direct');
    expect((await c.info(M, V)).source).toBe(a.url);
    expect(a.requests.map((r) => r.path)).toEqual([`/${M}/@v/${V}.info`]);
  });
});
