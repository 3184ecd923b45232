// HttpClient sends each request where the go command's transport would: through the
// egress proxy net/http ProxyFromEnvironment chooses for its URL, redirect hops included,
// or directly (src/go/httpproxy.ts; the Go referee is test/interop/proxy/httpproxy.test.ts).
// Servers the proxy must reach are named <name>.world.test, which only the egress
// stand-in resolves (to 127.0.0.1); 0.0.0.0, a non-loopback IP to Go that Linux connects
// to loopback, lets NO_PROXY's IP and CIDR forms be seen end to end without DNS.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { proxyConfigFromEnv } from '../../../src/go/httpproxy.js';
import { ProxyClient } from '../../../src/proxy/client.js';
import type { HttpClient } from '../../../src/proxy/http.js';
import { createTlsCert, type TlsCert } from '../../../src/testing/keys.js';
import { startProxyServer, type ProxyServer } from '../../../src/testing/proxy-server.js';
import {
  startEgressProxy,
  worldTestUrl,
  type EgressProxy,
} from '../../../src/testing/world/egress.js';
import { failure, fakeVersion, fastHttp, tempDir } from './helpers.js';

const M = 'example.test/egress/thing';
const V = 'v1.0.0';
const SECRET = 'pr0xy-s3cret';

let tls: TlsCert;
let secure: ProxyServer;
let plain: ProxyServer;
let egress: EgressProxy;
let tmp: { dir: string; cleanup: () => Promise<void> };
const clients: HttpClient[] = [];

beforeAll(async () => {
  tmp = await tempDir();
  tls = await createTlsCert(tmp.dir);
  secure = await startProxyServer({ name: 'secure', tls });
  plain = await startProxyServer({ name: 'plain' });
  for (const p of [secure, plain]) p.put(M, V, fakeVersion(M, V));
  egress = await startEgressProxy();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all([secure.stop(), plain.stop(), egress.stop()]);
  await tmp.cleanup();
});
afterEach(() => {
  for (const p of [secure, plain]) {
    p.faults.length = 0;
    p.requests.length = 0;
  }
  egress.tunnels.length = 0;
  egress.forwards.length = 0;
});

/** client is an HttpClient with the egress environment `env` (the test CA trusted). */
function client(env: Record<string, string>): HttpClient {
  const c = fastHttp({ ca: tls.cert, egress: proxyConfigFromEnv(env) });
  clients.push(c);
  return c;
}

/** via is HTTPS_PROXY and HTTP_PROXY naming the egress stand-in, and NO_PROXY. */
const via = (noProxy = '') => ({
  HTTPS_PROXY: egress.url,
  HTTP_PROXY: egress.url,
  NO_PROXY: noProxy,
});

const named = (server: ProxyServer) =>
  worldTestUrl(server.url, server === secure ? 'secure' : 'plain');
const at = (server: ProxyServer, host: string) => server.url.replace('127.0.0.1', host);

describe('when HTTPS_PROXY and HTTP_PROXY name an egress proxy', () => {
  it('tunnels an https request with CONNECT and sends an http one to it whole', async () => {
    const c = client(via());
    await new ProxyClient(named(secure), c).mod(M, V);
    await new ProxyClient(named(plain), c).mod(M, V);
    expect(egress.tunnels).toEqual([`secure.world.test:${secure.port}`]);
    expect(egress.forwards).toEqual([`plain.world.test:${plain.port}`]);
    expect(secure.requests).toHaveLength(1);
    expect(plain.requests).toHaveLength(1);
  });

  it.each(['127.0.0.1', 'localhost'])(
    'never sends it a request for %s, though NO_PROXY is empty',
    async (host) => {
      const c = client(via());
      await new ProxyClient(at(secure, host), c).mod(M, V);
      await new ProxyClient(at(plain, host), c).mod(M, V);
      expect(egress.tunnels).toEqual([]);
      expect(egress.forwards).toEqual([]);
      expect(secure.requests).toHaveLength(1);
      expect(plain.requests).toHaveLength(1);
    },
  );

  it.each([
    ['0.0.0.0', 'direct'],
    ['0.0.0.0/8', 'direct'],
    [' 0.0.0.0:PORT ', 'direct'],
    ['*', 'direct'],
    ['0.0.0.0:1', 'egress'],
    ['10.0.0.0/8, .world.test', 'egress'],
    ['', 'egress'],
  ])('with NO_PROXY=%j goes %s to 0.0.0.0', async (noProxy, want) => {
    const c = client(via(noProxy.replace('PORT', String(secure.port))));
    await new ProxyClient(at(secure, '0.0.0.0'), c).mod(M, V);
    expect(egress.tunnels).toEqual(want === 'egress' ? [`0.0.0.0:${secure.port}`] : []);
    expect(secure.requests).toHaveLength(1);
  });

  it('picks the route of every redirect hop', async () => {
    const c = client(via());
    plain.faults.push({
      endpoint: 'mod',
      fault: { kind: 'redirect', location: `${at(secure, 'localhost')}/${M}/@v/${V}.mod` },
      times: 1,
    });
    plain.faults.push({
      endpoint: 'info',
      fault: { kind: 'redirect', location: `${named(secure)}/${M}/@v/${V}.info` },
      times: 1,
    });
    await new ProxyClient(named(plain), c).mod(M, V);
    expect(egress.forwards).toEqual([`plain.world.test:${plain.port}`]);
    expect(egress.tunnels).toEqual([]);
    await new ProxyClient(at(plain, 'localhost'), c).info(M, V);
    expect(egress.forwards).toHaveLength(1);
    expect(egress.tunnels).toEqual([`secure.world.test:${secure.port}`]);
    expect(secure.requests.map((q) => q.path)).toEqual([`/${M}/@v/${V}.mod`, `/${M}/@v/${V}.info`]);
  });
});

describe('when HTTPS_PROXY names an https proxy', () => {
  it('reaches it over TLS (the CA trusted for servers trusted for it) and tunnels', async () => {
    const secured = await startEgressProxy({ tls });
    try {
      const c = client({ HTTPS_PROXY: secured.url, HTTP_PROXY: secured.url });
      await new ProxyClient(named(secure), c).mod(M, V);
      await new ProxyClient(named(plain), c).mod(M, V);
      expect(secured.tunnels).toEqual([
        `secure.world.test:${secure.port}`,
        `plain.world.test:${plain.port}`,
      ]);
    } finally {
      await secured.stop();
    }
  });
});

describe('when the proxy URL carries credentials', () => {
  it('sends them to the proxy as Proxy-Authorization, and never shows them', async () => {
    const guarded = await startEgressProxy({ credentials: { user: 'me', password: SECRET } });
    try {
      const withCredentials = (password: string) => {
        const u = new URL(guarded.url);
        u.username = 'me';
        u.password = password;
        return { HTTPS_PROXY: u.toString(), HTTP_PROXY: u.toString() };
      };
      const good = client(withCredentials(SECRET));
      await new ProxyClient(named(secure), good).mod(M, V);
      await new ProxyClient(named(plain), good).mod(M, V);
      expect(secure.requests).toHaveLength(1);
      expect(plain.requests).toHaveLength(1);
      expect(plain.requests[0]?.hasAuthorization).toBe(false);
      const bad = client(withCredentials(`${SECRET}-wrong`));
      for (const server of [secure, plain]) {
        const err = await failure(new ProxyClient(named(server), bad).mod(M, V));
        expect(err.message).toContain('407');
        expect(JSON.stringify({ ...err, message: err.message })).not.toContain(SECRET);
      }
    } finally {
      await guarded.stop();
    }
  });
});

describe('when the proxy is one modguard cannot use', () => {
  it('refuses SOCKS5 naming the variable, and still reaches loopback directly', async () => {
    const c = client({ https_proxy: `socks5://me:${SECRET}@127.0.0.1:1`, NO_PROXY: '' });
    const err = await failure(new ProxyClient(named(secure), c).mod(M, V));
    expect(err.code).toBe('EGRESS_UNSUPPORTED');
    expect(err.kind).toBe('usage');
    expect(err.message).toContain('https_proxy names a SOCKS5 proxy (socks5://127.0.0.1:1)');
    expect(err.message).not.toContain(SECRET);
    await new ProxyClient(secure.url, c).mod(M, V);
    expect(secure.requests).toHaveLength(1);
  });

  it('refuses HTTP_PROXY for http in a CGI environment, as net/http does', async () => {
    const c = client({ ...via(), REQUEST_METHOD: 'GET' });
    const err = await failure(new ProxyClient(plain.url, c).mod(M, V));
    expect(err.code).toBe('EGRESS_REFUSED');
    expect(err.message).toContain('golang.org/s/cgihttpproxy');
    expect(plain.requests).toEqual([]);
    await new ProxyClient(named(secure), c).mod(M, V);
    expect(egress.tunnels).toEqual([`secure.world.test:${secure.port}`]);
  });
});
