import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProxyClient } from '../../../src/proxy/client.js';
import { HttpClient } from '../../../src/proxy/http.js';
import { loadNetrc } from '../../../src/proxy/netrc.js';
import { createTlsCert, type TlsCert } from '../../../src/testing/keys.js';
import { startProxyServer, type ProxyServer } from '../../../src/testing/proxy-server.js';
import { failure, fakeVersion, fastHttp, tempDir } from './helpers.js';

const M = 'example.test/private/thing';
const V = 'v1.0.0';
const SECRET = 's3cr3t-token';

let tls: TlsCert;
let secure: ProxyServer;
let plain: ProxyServer;
let other: ProxyServer;
let tmp: { dir: string; cleanup: () => Promise<void> };
const clients: HttpClient[] = [];

beforeAll(async () => {
  tmp = await tempDir();
  tls = await createTlsCert(tmp.dir);
  secure = await startProxyServer({ name: 'secure', tls });
  other = await startProxyServer({ name: 'other', tls });
  plain = await startProxyServer({ name: 'plain' });
  for (const p of [secure, other, plain]) p.put(M, V, fakeVersion(M, V));
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all([secure.stop(), other.stop(), plain.stop()]);
  await tmp.cleanup();
});
afterEach(() => {
  for (const p of [secure, other, plain]) {
    p.faults.length = 0;
    p.requests.length = 0;
  }
});

async function netrcFor(text: string) {
  const file = join(tmp.dir, `netrc-${Math.random()}`);
  await writeFile(file, text);
  return loadNetrc({ NETRC: file });
}

function http(options: Parameters<typeof fastHttp>[0] = {}) {
  const c = fastHttp({ ca: tls.cert, ...options });
  clients.push(c);
  return c;
}

describe('when credentials come from .netrc', () => {
  it('sends them over https to the matching machine (port ignored)', async () => {
    const netrc = await netrcFor(`machine 127.0.0.1 login me password ${SECRET}\n`);
    await new ProxyClient(secure.url, http({ netrc })).mod(M, V);
    const auth = secure.requests[0]?.authorization ?? '';
    expect(Buffer.from(auth.replace(/^Basic /, ''), 'base64').toString()).toBe(`me:${SECRET}`);
  });

  it('never sends them over plain http', async () => {
    const netrc = await netrcFor(`machine 127.0.0.1 login me password ${SECRET}\n`);
    await new ProxyClient(plain.url, http({ netrc })).mod(M, V);
    expect(plain.requests[0]?.hasAuthorization).toBe(false);
  });

  it('drops Authorization when a redirect changes port on the same host', async () => {
    const netrc = await netrcFor(`machine 127.0.0.1 login me password ${SECRET}\n`);
    secure.faults.push({
      endpoint: 'mod',
      fault: { kind: 'redirect', location: `${other.url}/${M}/@v/${V}.mod` },
      times: 1,
    });
    await new ProxyClient(secure.url, http({ netrc })).mod(M, V);
    expect(secure.requests[0]?.hasAuthorization).toBe(true);
    expect(other.requests[0]?.hasAuthorization).toBe(false);
  });

  it('drops Authorization when a redirect changes host, keeps it on the same host', async () => {
    const netrc = await netrcFor(`machine 127.0.0.1 login me password ${SECRET}\n`);
    const to = new URL(other.url);
    to.hostname = 'localhost';
    secure.faults.push({
      endpoint: 'mod',
      fault: { kind: 'redirect', location: `${to.origin}/${M}/@v/${V}.mod` },
      times: 1,
    });
    secure.faults.push({
      endpoint: 'info',
      fault: { kind: 'redirect', location: `/${M}/@v/${V}.mod` },
      times: 1,
    });
    await new ProxyClient(secure.url, http({ netrc })).mod(M, V);
    expect(secure.requests[0]?.hasAuthorization).toBe(true);
    expect(other.requests[0]?.hasAuthorization).toBe(false);
    await new ProxyClient(secure.url, http({ netrc })).info(M, V).catch(() => undefined);
    expect(secure.requests.at(-1)?.hasAuthorization).toBe(true);
  });
});

describe('when credentials are in the proxy URL', () => {
  it('sends them over https and never prints them', async () => {
    const u = new URL(secure.url);
    u.username = 'me';
    u.password = SECRET;
    const c = new ProxyClient(u.toString(), http());
    await c.mod(M, V);
    expect(secure.requests[0]?.hasAuthorization).toBe(true);
    const err = await failure(c.mod(M, 'v9.9.9'));
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).not.toContain(SECRET);
    expect(err.message).not.toContain('me:');
    expect(`${err.url} ${err.source} ${c.name}`).not.toContain(SECRET);
  });

  it('refuses to send them over plain http', async () => {
    const u = new URL(plain.url);
    u.username = 'me';
    u.password = SECRET;
    const err = await failure(new ProxyClient(u.toString(), http()).mod(M, V));
    expect(err.code).toBe('INSECURE_CREDENTIALS');
    expect(err.kind).toBe('usage');
    expect(err.message).not.toContain(SECRET);
    expect(plain.requests).toHaveLength(0);
  });
});

describe('when the proxy URL carries a query (a token)', () => {
  it('sends the query with every request, after the path, and never prints it', async () => {
    const c = new ProxyClient(`${plain.url}/?token=${SECRET}`, http());
    expect((await c.mod(M, V)).toString()).toBe(`module ${M}\n`);
    expect(plain.requests[0]?.target).toBe(`/${M}/@v/${V}.mod?token=${SECRET}`);
    const err = await failure(c.mod(M, 'v9.9.9'));
    expect(err.code).toBe('NOT_FOUND');
    expect(`${err.message} ${err.url} ${c.name}`).not.toContain(SECRET);
  });
});

describe('when the proxy encodes a body it was not asked to', () => {
  it('refuses it (BAD_RESPONSE) rather than hashing the encoded bytes', async () => {
    secure.faults.push({
      endpoint: 'mod',
      fault: { kind: 'body', body: gzipSync(`module ${M}\n`), contentEncoding: 'gzip' },
    });
    const err = await failure(new ProxyClient(secure.url, http()).mod(M, V));
    expect(err.code).toBe('BAD_RESPONSE');
    expect(err.message).toContain('Content-Encoding "gzip"');
  });
});

describe('when the proxy redirects', () => {
  it('follows 9 redirects: 10 requests in all, as net/http allows', async () => {
    secure.faults.push({
      endpoint: 'mod',
      fault: { kind: 'redirect', location: `/${M}/@v/${V}.mod` },
      times: 9,
    });
    expect((await new ProxyClient(secure.url, http()).mod(M, V)).toString()).toBe(`module ${M}\n`);
    expect(secure.requests).toHaveLength(10);
  });

  it('refuses a 10th redirect with REDIRECT, as net/http stops after 10 requests', async () => {
    secure.faults.push({
      endpoint: 'mod',
      fault: { kind: 'redirect', location: `/${M}/@v/${V}.mod` },
      times: 10,
    });
    expect((await failure(new ProxyClient(secure.url, http()).mod(M, V))).code).toBe('REDIRECT');
    expect(secure.requests).toHaveLength(10);
  });

  it('refuses a redirect from https to http', async () => {
    secure.faults.push({
      endpoint: 'mod',
      fault: { kind: 'redirect', location: `${plain.url}/${M}/@v/${V}.mod` },
    });
    const err = await failure(new ProxyClient(secure.url, http()).mod(M, V));
    expect(err.code).toBe('REDIRECT');
    expect(err.message).toContain('insecure http');
    expect(plain.requests).toHaveLength(0);
  });
});

describe('when many requests go to one origin', () => {
  it('keeps at most connectionsPerOrigin connections open', async () => {
    const c = http({ connectionsPerOrigin: 2 });
    const sockets = new Set<unknown>();
    plain.server.on('connection', (s) => sockets.add(s));
    plain.faults.push({ endpoint: 'mod', fault: { kind: 'slow', delayMs: 30 } });
    // one client per request: a client asks for a .mod only once
    await Promise.all(Array.from({ length: 12 }, () => new ProxyClient(plain.url, c).mod(M, V)));
    expect(plain.requests).toHaveLength(12);
    expect(sockets.size).toBeLessThanOrEqual(2);
  });
});
