// The checksum database is read with the web settings of the GOPROXY reads: the go command
// reads both with one web client (G/web/http.go), so the same .netrc credentials go to the
// database (over https only, to the matching host) through the same egress proxy
// (HTTPS_PROXY/HTTP_PROXY/NO_PROXY, net/http ProxyFromEnvironment) — the
// `<proxy>/sumdb/<name>/supported` probe (G/modfetch/sumdb.go dbDial) as much as the
// lookups and tiles. Everything here runs on loopback: the egress stand-in reaches
// <name>.world.test hosts on 127.0.0.1 and refuses any other target.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGoProxy } from '../../../src/go/goproxy.js';
import { proxyConfigFromEnv } from '../../../src/go/httpproxy.js';
import { loadNetrc, type NetrcEntry } from '../../../src/proxy/netrc.js';
import { dialSumdb, type DialOptions } from '../../../src/sumdb/connect.js';
import { generateKey } from '../../../src/sumdb/note.js';
import { createTlsCert, type TlsCert } from '../../../src/testing/keys.js';
import { startProxyServer, type SumdbMount } from '../../../src/testing/proxy-server.js';
import { SumdbState, handleSumdb } from '../../../src/testing/sumdb-server.js';
import {
  startEgressProxy,
  worldTestUrl,
  type EgressProxy,
} from '../../../src/testing/world/egress.js';
import {
  sendText,
  startLoopbackServer,
  type LoopbackServer,
} from '../../../src/testing/world/loopback.js';
import { logOf, recordFor } from './helpers.js';

const NAME = 'web.sumdb.test';
const key = generateKey(NAME);
const state = new SumdbState(logOf(300), key.signerKey);
const SECRET = 's3cr3t-token';
const BASIC = `Basic ${Buffer.from(`me:${SECRET}`).toString('base64')}`;
const mount: SumdbMount = {
  name: NAME,
  handle: (req, res, rest) => handleSumdb(state, req, res, rest),
};

let tmp = '';
let tls: TlsCert;
let netrc: NetrcEntry[];
let db: LoopbackServer;
let tlsDb: LoopbackServer;
let refusing: LoopbackServer;
let proxy: LoopbackServer;
let tlsProxy: LoopbackServer;
const servers: LoopbackServer[] = [];

function serveDb(req: IncomingMessage, res: ServerResponse): Promise<void> {
  return handleSumdb(state, req, res, decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/'));
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'modguard-sumdb-web-'));
  tls = await createTlsCert(tmp);
  await writeFile(join(tmp, 'netrc'), `machine 127.0.0.1 login me password ${SECRET}\n`);
  netrc = await loadNetrc({ NETRC: join(tmp, 'netrc') });
  db = await startLoopbackServer('db', serveDb);
  tlsDb = await startLoopbackServer('tls-db', serveDb, tls);
  refusing = await startLoopbackServer(
    'refusing',
    (_req, res) => sendText(res, 403, 'forbidden: these credentials are not allowed here\n'),
    tls,
  );
  proxy = await startProxyServer({ name: 'proxy', sumdb: mount });
  tlsProxy = await startProxyServer({ name: 'tls-proxy', sumdb: mount, tls });
  servers.push(db, tlsDb, refusing, proxy, tlsProxy);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await rm(tmp, { recursive: true, force: true });
});

/**
 * lookup dials the database as `opts` say and proves m7's record; `dialed` is called once
 * the database is chosen, before any read of it. It returns the lines or the error.
 */
async function lookup(
  opts: Omit<DialOptions, 'verifierKey'>,
  dialed: () => void = () => {},
): Promise<{ lines?: readonly string[]; error?: unknown }> {
  let c;
  try {
    c = await dialSumdb({ verifierKey: key.verifierKey, ...opts });
    dialed();
    return { lines: (await c.client.lookup('example.com/m7', 'v1.0.7')).lines };
  } catch (error) {
    return { error };
  } finally {
    await c?.close();
  }
}

const m7 = recordFor(7).trimEnd().split('\n');

/** withEgress runs body with an egress proxy on loopback, stopped afterwards. */
async function withEgress(body: (e: EgressProxy) => Promise<void>) {
  const e = await startEgressProxy();
  try {
    await body(e);
  } finally {
    await e.stop();
  }
}

/** via is the egress environment of HTTPS_PROXY and HTTP_PROXY both naming e, and NO_PROXY. */
const via = (e: EgressProxy, noProxy = '') =>
  proxyConfigFromEnv({ HTTPS_PROXY: e.url, HTTP_PROXY: e.url, NO_PROXY: noProxy });

/** at renames a loopback server's URL to host (0.0.0.0: a non-loopback IP to Go, local to Linux). */
const at = (server: LoopbackServer, host: string) => server.url.replace('127.0.0.1', host);

describe('when an egress proxy is configured', () => {
  it('reads a database named by URL through it, over http and https', async () => {
    await withEgress(async (e) => {
      const plainUrl = worldTestUrl(db.url, 'db');
      const plain = await lookup({ url: plainUrl, proxies: [], http: { egress: via(e) } });
      expect(plain).toEqual({ lines: m7 });
      const secure = await lookup({
        url: worldTestUrl(tlsDb.url, 'tls-db'),
        proxies: [],
        http: { egress: via(e), ca: tls.cert },
      });
      expect(secure).toEqual({ lines: m7 });
      expect(e.forwards.length).toBeGreaterThan(0);
      expect(new Set(e.forwards)).toEqual(new Set([`db.world.test:${db.port}`]));
      expect(e.tunnels.length).toBeGreaterThan(0);
      expect(new Set(e.tunnels)).toEqual(new Set([`tls-db.world.test:${tlsDb.port}`]));
    });
  });

  it('sends the supported probe through it, then the lookups and tiles of that proxy', async () => {
    await withEgress(async (e) => {
      proxy.requests.length = 0;
      let probeRoute: string[] = [];
      const got = await lookup(
        {
          proxies: parseGoProxy(`${worldTestUrl(proxy.url, 'proxy')},direct`),
          http: { egress: via(e) },
        },
        () => (probeRoute = [...e.forwards]),
      );
      expect(got).toEqual({ lines: m7 });
      expect(probeRoute).toEqual([`proxy.world.test:${proxy.port}`]);
      expect(e.forwards.length).toBeGreaterThan(1);
      expect(new Set(e.forwards)).toEqual(new Set([`proxy.world.test:${proxy.port}`]));
      const paths = proxy.requests.map((r) => r.path);
      expect(paths[0]).toBe(`/sumdb/${NAME}/supported`);
      expect(paths).toContain(`/sumdb/${NAME}/lookup/example.com/m7@v1.0.7`);
      expect(paths.some((p) => p.startsWith(`/sumdb/${NAME}/tile/`))).toBe(true);
    });
  });

  it('goes around it to a host NO_PROXY covers', async () => {
    await withEgress(async (e) => {
      const probed = await lookup({
        proxies: parseGoProxy(`${at(tlsProxy, '0.0.0.0')},direct`),
        http: { egress: via(e, '0.0.0.0'), ca: tls.cert },
      });
      const named = await lookup({
        url: at(db, '0.0.0.0'),
        proxies: [],
        http: { egress: via(e, '10.0.0.0/8,0.0.0.0/32') },
      });
      expect(probed).toEqual({ lines: m7 });
      expect(named).toEqual({ lines: m7 });
      expect([...e.tunnels, ...e.forwards]).toEqual([]);
    });
  });

  it.each(['127.0.0.1', 'localhost'])(
    'never sends it the probe or a read for %s, though NO_PROXY is empty',
    async (host) => {
      await withEgress(async (e) => {
        const probed = await lookup({
          proxies: parseGoProxy(`${at(tlsProxy, host)},direct`),
          http: { egress: via(e), ca: tls.cert },
        });
        const named = await lookup({ url: at(db, host), proxies: [], http: { egress: via(e) } });
        expect(probed).toEqual({ lines: m7 });
        expect(named).toEqual({ lines: m7 });
        expect([...e.tunnels, ...e.forwards]).toEqual([]);
      });
    },
  );
});

describe('when .netrc has credentials for the host', () => {
  it('sends them with the supported probe and every read over https', async () => {
    tlsProxy.requests.length = 0;
    const got = await lookup({
      proxies: parseGoProxy(`${tlsProxy.url},direct`),
      http: { netrc, ca: tls.cert },
    });
    expect(got).toEqual({ lines: m7 });
    expect(tlsProxy.requests[0]?.path).toBe(`/sumdb/${NAME}/supported`);
    expect(tlsProxy.requests.length).toBeGreaterThan(2);
    expect(tlsProxy.requests.map((r) => r.authorization)).toEqual(
      tlsProxy.requests.map(() => BASIC),
    );
  });

  it('sends them to a database named by an https URL', async () => {
    tlsDb.requests.length = 0;
    expect(await lookup({ url: tlsDb.url, proxies: [], http: { netrc, ca: tls.cert } })).toEqual({
      lines: m7,
    });
    expect(tlsDb.requests.length).toBeGreaterThan(0);
    expect(tlsDb.requests.every((r) => r.authorization === BASIC)).toBe(true);
  });

  it('never sends them over plain http', async () => {
    proxy.requests.length = 0;
    const got = await lookup({ proxies: parseGoProxy(`${proxy.url},direct`), http: { netrc } });
    expect(got).toEqual({ lines: m7 });
    expect(proxy.requests.length).toBeGreaterThan(2);
    expect(proxy.requests.some((r) => r.hasAuthorization)).toBe(false);
  });

  it('keeps them out of the error when the database refuses them', async () => {
    refusing.requests.length = 0;
    const direct = await lookup({ url: refusing.url, proxies: [], http: { netrc, ca: tls.cert } });
    const probed = await lookup({
      proxies: parseGoProxy(refusing.url),
      http: { netrc, ca: tls.cert },
    });
    expect(refusing.requests.map((r) => r.authorization)).toEqual([BASIC, BASIC]);
    for (const got of [direct, probed]) {
      expect(got.error).toMatchObject({ code: 'UNAVAILABLE', kind: 'unavailable' });
      const text = `${String(got.error)} ${JSON.stringify(got.error)} ${String((got.error as Error).cause)}`;
      expect(text).toContain('403');
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(BASIC.slice('Basic '.length));
    }
  });
});
