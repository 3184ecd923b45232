import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProxyClient } from '../../../src/proxy/client.js';
import { ProxyError } from '../../../src/proxy/errors.js';
import type { HttpClient } from '../../../src/proxy/http.js';
import { startProxyServer, type ProxyServer } from '../../../src/testing/proxy-server.js';
import { fakeVersion, fastHttp, tempDir } from './helpers.js';

const M = 'example.test/Upper/mod';
const V = 'v1.2.3';

let proxy: ProxyServer;
let http: HttpClient;
let tmp: { dir: string; cleanup: () => Promise<void> };
let n = 0;

beforeAll(async () => {
  proxy = await startProxyServer({ name: 'A' });
  proxy.put(M, V, fakeVersion(M, V));
  proxy.put(M, 'v1.3.0-rc.1', fakeVersion(M, 'v1.3.0-rc.1'));
  http = fastHttp();
  tmp = await tempDir();
});
afterAll(async () => {
  await http.close();
  await proxy.stop();
  await tmp.cleanup();
});
afterEach(() => {
  proxy.faults.length = 0;
  proxy.requests.length = 0;
});

const client = () => new ProxyClient(proxy.url, http);
const dest = () => join(tmp.dir, `z${n++}.zip`);

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ProxyError) return err.code;
    throw err;
  }
  return 'resolved';
}

describe('when the proxy answers honestly', () => {
  it('escapes upper case as ! and sends ! as %21 on the wire, as Go 1.19 does', async () => {
    await client().mod(M, V);
    expect(proxy.requests[0]?.target).toBe('/example.test/%21upper/mod/@v/v1.2.3.mod');
  });

  it('reads list, info, latest and mod', async () => {
    const c = client();
    expect((await c.list(M)).map((l) => l.version)).toEqual([V, 'v1.3.0-rc.1']);
    expect(await c.info(M, V)).toEqual({ Version: V, Time: '2024-01-02T03:04:05Z' });
    expect((await c.latest(M)).Version).toBe('v1.3.0-rc.1');
    expect((await c.mod(M, V)).toString()).toBe(`module ${M}\n`);
  });

  it('streams the zip to a file and hashes it on the way', async () => {
    const file = await client().zip(M, V, dest());
    const bytes = await readFile(file.path);
    expect(bytes.equals(fakeVersion(M, V).zip)).toBe(true);
    expect(file.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('asks for a .mod once per client, and hands each caller its own copy', async () => {
    const c = client();
    const [a, b] = await Promise.all([c.mod(M, V), c.mod(M, V)]);
    a.fill(0);
    expect((await c.mod(M, V)).toString()).toBe(`module ${M}\n`);
    expect(b.toString()).toBe(`module ${M}\n`);
    expect(proxy.requests.filter((r) => r.path.endsWith('.mod'))).toHaveLength(1);
    await client().mod(M, V);
    expect(proxy.requests.filter((r) => r.path.endsWith('.mod'))).toHaveLength(2);
  });

  it('does not remember a failed .mod: the next ask goes to the proxy again', async () => {
    const c = client();
    proxy.faults.push({ endpoint: 'mod', fault: { kind: 'status', status: 404 }, times: 1 });
    expect(await codeOf(c.mod(M, V))).toBe('NOT_FOUND');
    expect((await c.mod(M, V)).toString()).toBe(`module ${M}\n`);
    expect(proxy.requests).toHaveLength(2);
  });

  it('skips list lines that are not valid, non-pseudo semver, as Go does', async () => {
    const body = `v1.0.0 2019-01-01T00:00:00Z\nnonsense\nv1.0.1-0.20190101000000-abcdefabcdef\n\nv2.0.0+incompatible\n`;
    proxy.faults.push({ endpoint: 'list', fault: { kind: 'body', body } });
    expect(await client().list(M)).toEqual([
      { version: 'v1.0.0', time: '2019-01-01T00:00:00Z' },
      { version: 'v2.0.0+incompatible' },
    ]);
  });
});

describe('when @latest is not found', () => {
  it('falls back to the list line with the latest time, then its .info (proxy.go:383)', async () => {
    proxy.faults.push({ endpoint: 'latest', fault: { kind: 'status', status: 404 } });
    const list = `v1.3.0-rc.1 2024-01-01T00:00:00Z\n${V} 2024-06-01T00:00:00Z\nv9.0.0\n`;
    proxy.faults.push({ endpoint: 'list', fault: { kind: 'body', body: list } });
    expect((await client().latest(M)).Version).toBe(V);
    expect(proxy.requests.map((r) => r.path.split('/@')[1])).toEqual([
      'latest',
      'v/list',
      `v/${V}.info`,
    ]);
  });

  it('is NOT_FOUND when no list line has a time', async () => {
    proxy.faults.push({ endpoint: 'latest', fault: { kind: 'status', status: 410 } });
    expect(await codeOf(client().latest(M))).toBe('NOT_FOUND');
  });
});

describe('when the proxy misbehaves', () => {
  it('reports 404 and 410 as NOT_FOUND with the status', async () => {
    expect(await codeOf(client().mod(M, 'v9.9.9'))).toBe('NOT_FOUND');
    proxy.faults.push({ endpoint: 'mod', fault: { kind: 'status', status: 410 } });
    const err = await client()
      .mod(M, V)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProxyError);
    expect((err as ProxyError).status).toBe(410);
    expect((err as ProxyError).kind).toBe('unavailable');
    expect((err as ProxyError).isNotFound).toBe(true);
  });

  it('includes up to 8 lines of a text/plain error body, as Go does', async () => {
    const body = Array.from({ length: 10 }, (_, i) => `line ${i}`).join('\n');
    proxy.faults.push({ endpoint: 'mod', fault: { kind: 'status', status: 404, body } });
    const err = (await client()
      .mod(M, V)
      .catch((e: unknown) => e)) as ProxyError;
    expect(err.message).toContain('404\n\tline 0');
    expect(err.message).toContain('line 7');
    expect(err.message).not.toContain('line 8');
  });

  it('retries a 500 and succeeds when the next answer is good', async () => {
    proxy.faults.push({ endpoint: 'mod', fault: { kind: 'status', status: 500 }, times: 1 });
    expect((await client().mod(M, V)).toString()).toBe(`module ${M}\n`);
    expect(proxy.requests).toHaveLength(2);
  });

  it('gives up on a persistent 500 with HTTP_STATUS after its retries', async () => {
    proxy.faults.push({ endpoint: 'mod', fault: { kind: 'status', status: 503 } });
    expect(await codeOf(client().mod(M, V))).toBe('HTTP_STATUS');
    expect(proxy.requests).toHaveLength(2);
  });

  it('never retries a 404', async () => {
    proxy.faults.push({ endpoint: 'mod', fault: { kind: 'status', status: 404 } });
    expect(await codeOf(client().mod(M, V))).toBe('NOT_FOUND');
    expect(proxy.requests).toHaveLength(1);
  });

  it('refuses an HTML page served with 200, naming the proxy', async () => {
    for (const endpoint of ['mod', 'zip', 'info', 'list'] as const) {
      proxy.faults.push({ endpoint, fault: { kind: 'html' }, times: 1 });
    }
    const err = (await client()
      .mod(M, V)
      .catch((e: unknown) => e)) as ProxyError;
    expect(err.code).toBe('HTML_PAGE');
    expect(err.message).toContain(`${proxy.url}: proxy returned an HTML page`);
    expect(await codeOf(client().zip(M, V, dest()))).toBe('HTML_PAGE');
    expect(await codeOf(client().info(M, V))).toBe('HTML_PAGE');
    expect(await codeOf(client().list(M))).toBe('HTML_PAGE');
  });

  it('refuses info that is not JSON, lacks a version, or names another version', async () => {
    for (const body of ['{', '[]', '{"Time":"2020-01-01T00:00:00Z"}', '{"Version":"v1.0.0"}']) {
      proxy.faults.push({ endpoint: 'info', fault: { kind: 'body', body }, times: 1 });
      expect(await codeOf(client().info(M, V))).toBe('BAD_RESPONSE');
    }
  });

  it('refuses a body over the cap (declared or streamed) with TOO_LARGE', async () => {
    const small = new ProxyClient(proxy.url, http, { mod: 8, zip: 16 });
    expect(await codeOf(small.mod(M, V))).toBe('TOO_LARGE');
    const body = Buffer.alloc(64, 0x50);
    proxy.faults.push({ endpoint: 'zip', fault: { kind: 'body', body } });
    expect(await codeOf(small.zip(M, V, dest()))).toBe('TOO_LARGE');
  });

  it('times out on a hung proxy within its bounds, after one retry', async () => {
    proxy.faults.push({ endpoint: 'mod', fault: { kind: 'hang' } });
    const t0 = Date.now();
    expect(await codeOf(client().mod(M, V))).toBe('TIMEOUT');
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(proxy.requests).toHaveLength(2);
  });

  it('times out when the body stalls', async () => {
    proxy.faults.push({ endpoint: 'zip', fault: { kind: 'stall' } });
    expect(await codeOf(client().zip(M, V, dest()))).toBe('TIMEOUT');
  });

  it('stops at the caller deadline', async () => {
    proxy.faults.push({ endpoint: 'mod', fault: { kind: 'hang' } });
    const t0 = Date.now();
    expect(await codeOf(client().mod(M, V, AbortSignal.timeout(200)))).toBe('TIMEOUT');
    expect(Date.now() - t0).toBeLessThan(2_000);
  });

  it('reports a reset connection as NETWORK', async () => {
    proxy.faults.push({ endpoint: 'mod', fault: { kind: 'reset' } });
    expect(await codeOf(client().mod(M, V))).toBe('NETWORK');
  });

  it('reports a refused connection as NETWORK', async () => {
    const dead = await startProxyServer({ name: 'dead' });
    await dead.stop();
    expect(await codeOf(new ProxyClient(dead.url, http).mod(M, V))).toBe('NETWORK');
  });
});
