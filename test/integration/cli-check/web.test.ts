// `modguard check` reads the checksum database as it reads the proxies, as the go command
// reads both with one web client (G/web/http.go): through the egress proxy of
// HTTPS_PROXY/HTTP_PROXY unless NO_PROXY covers the host, and with the .netrc credentials
// of the host over https only, which no report ever shows. The egress stand-in on loopback
// reaches <name>.world.test hosts on 127.0.0.1 and refuses any other target, so nothing
// here leaves the host.
import { execa } from 'execa';
import { writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTlsCert } from '../../../src/testing/keys.js';
import { startProxyServer, type ProxyServer } from '../../../src/testing/proxy-server.js';
import { handleSumdb } from '../../../src/testing/sumdb-server.js';
import {
  startEgressProxy,
  worldTestUrl,
  type EgressProxy,
} from '../../../src/testing/world/egress.js';
import { startWorld, type World } from '../../../src/testing/world/index.js';
import {
  sendText,
  startLoopbackServer,
  type LoopbackServer,
} from '../../../src/testing/world/loopback.js';
import {
  clearRequests,
  goEnvFor,
  proxyFlags,
  run,
  Temps,
  writeProject,
  type Requirement,
} from './helpers.js';

const reqs: Requirement[] = [
  { path: 'example.test/greet', version: 'v1.0.0' },
  { path: 'example.test/light/v2', version: 'v2.0.1' },
];
const SECRET = 's3cr3t-token';
const BASIC = `Basic ${Buffer.from(`me:${SECRET}`).toString('base64')}`;
const BIN = fileURLToPath(new URL('../../../src/cli/bin.ts', import.meta.url));

let world: World;
const temps = new Temps();
let home = '';
let project = '';
let egress: EgressProxy;
/** mount serves only the world's database, at /sumdb/<name>/: a GOPROXY to probe */
let mount: ProxyServer;
/** tlsDb serves the world's database over https; `refuse` makes it answer 403 instead */
let tlsDb: LoopbackServer;
let refuse = false;
let certFile = '';
let netrcFile = '';

beforeAll(async () => {
  world = await startWorld({
    git: false,
    modules: reqs.map((r) => ({ path: r.path, versions: [r.version] })),
  });
  home = await temps.make();
  project = await temps.make();
  await writeProject(world, project, reqs);
  egress = await startEgressProxy();
  const state = world.sumdb.server.state;
  mount = await startProxyServer({
    name: 'mount',
    sumdb: {
      name: world.sumdb.name,
      handle: (req, res, rest) => handleSumdb(state, req, res, rest),
    },
  });
  const tls = await createTlsCert(home);
  certFile = join(home, 'tls.crt');
  const serve = (req: IncomingMessage, res: ServerResponse) =>
    refuse
      ? sendText(res, 403, 'forbidden: those credentials do not open this database\n')
      : handleSumdb(state, req, res, decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/'));
  tlsDb = await startLoopbackServer('tls-db', serve, tls);
  netrcFile = join(home, 'netrc');
  await writeFile(netrcFile, `machine 127.0.0.1 login me password ${SECRET}\n`);
});
afterAll(async () => {
  await Promise.all([egress?.stop(), mount?.stop(), tlsDb?.stop()]);
  await world?.stop();
  await temps.cleanup();
});
beforeEach(() => {
  clearRequests(world);
  egress.tunnels.length = 0;
  egress.forwards.length = 0;
  mount.requests.length = 0;
  tlsDb.requests.length = 0;
  refuse = false;
});

const port = (url: string) => new URL(url).port;

/** check runs `modguard check --no-cache` in-process on the project with `env` added, asking `proxies`. */
function check(env: Record<string, string>, proxies: string[]) {
  return run(['check', '--dir', project, ...proxies, '--no-cache'], goEnvFor(home, env));
}

describe('when HTTPS_PROXY and HTTP_PROXY name an egress proxy', () => {
  const via = () => ({ HTTPS_PROXY: egress.url, HTTP_PROXY: egress.url });
  /** named are the world's proxies as <name>.world.test, which only the egress proxy reaches */
  const named = () => [
    ...['--proxy', worldTestUrl(world.proxyA.url, 'proxy-a')],
    ...['--proxy', worldTestUrl(world.proxyB.url, 'proxy-b')],
  ];

  it('reads the proxies and the database GOSUMDB names through it, and verifies every line', async () => {
    const gosumdb = `${world.sumdb.verifierKey} ${worldTestUrl(world.sumdb.url, 'sum')}`;
    const r = await check({ ...via(), GOSUMDB: gosumdb }, named());
    expect(r.err).toBe('');
    expect(r.out).toContain('4 go.sum lines: 4 verified');
    expect(r.code).toBe(0);
    expect(world.sumdb.server.state.requests.length).toBeGreaterThan(0);
    expect(egress.forwards).toContain(`sum.world.test:${port(world.sumdb.url)}`);
    expect(egress.forwards).toContain(`proxy-a.world.test:${world.proxyA.port}`);
    expect(egress.forwards).toContain(`proxy-b.world.test:${world.proxyB.port}`);
  });

  it('sends the /sumdb/<name>/supported probe along GOPROXY and the reads through it', async () => {
    const r = await check(
      {
        ...via(),
        GOSUMDB: world.sumdb.verifierKey,
        GOPROXY: `${worldTestUrl(mount.url, 'mount')},direct`,
      },
      named(),
    );
    expect(r.out).toContain('4 go.sum lines: 4 verified');
    expect(r.code).toBe(0);
    const paths = mount.requests.map((q) => q.path);
    expect(paths[0]).toBe(`/sumdb/${world.sumdb.name}/supported`);
    expect(paths.some((p) => p.startsWith(`/sumdb/${world.sumdb.name}/lookup/`))).toBe(true);
    expect(egress.forwards).toContain(`mount.world.test:${mount.port}`);
  });

  it('goes around it when NO_PROXY covers the host', async () => {
    // 0.0.0.0 is no loopback IP to Go, so only NO_PROXY keeps it from the egress proxy.
    const at = (url: string) => url.replace('127.0.0.1', '0.0.0.0');
    const gosumdb = `${world.sumdb.verifierKey} ${at(world.sumdb.url)}`;
    const flags = ['--proxy', at(world.proxyA.url), '--proxy', at(world.proxyB.url)];
    const r = await check({ ...via(), NO_PROXY: 'example.com, 0.0.0.0', GOSUMDB: gosumdb }, flags);
    expect(r.out).toContain('4 go.sum lines: 4 verified');
    expect(r.code).toBe(0);
    expect(world.sumdb.server.state.requests.length).toBeGreaterThan(0);
    expect([...egress.tunnels, ...egress.forwards]).toEqual([]);
  });
});

describe('when the proxies and the database are on loopback', () => {
  const via = () => ({ HTTPS_PROXY: egress.url, HTTP_PROXY: egress.url, NO_PROXY: '' });
  const named = (url: string, host: string) => url.replace('127.0.0.1', host);

  // net/http never sends a request for localhost or a loopback IP to a proxy, whatever
  // NO_PROXY says (httpproxy useProxy): a local Athens is reached directly.
  it.each(['127.0.0.1', 'localhost'])(
    'reaches them on %s directly, though HTTPS_PROXY and HTTP_PROXY are set',
    async (host) => {
      const flags = [
        '--proxy',
        named(world.proxyA.url, host),
        '--proxy',
        named(world.proxyB.url, host),
      ];
      const gosumdb = `${world.sumdb.verifierKey} ${named(world.sumdb.url, host)}`;
      const r = await check({ ...via(), GOSUMDB: gosumdb }, flags);
      expect(r.out).toContain('4 go.sum lines: 4 verified');
      expect(r.code).toBe(0);
      expect(world.proxyA.requests.length).toBeGreaterThan(0);
      expect(world.sumdb.server.state.requests.length).toBeGreaterThan(0);
      expect(egress.tunnels).toEqual([]);
      expect(egress.forwards).toEqual([]);
    },
  );
});

describe('when .netrc has credentials for the database host', () => {
  /**
   * checkProcess runs `modguard check` as a process (bin.ts through tsx): Node trusts the
   * test CA only through NODE_EXTRA_CA_CERTS, read at start-up.
   */
  function checkProcess(flags: string[] = []) {
    const env = goEnvFor(home, {
      GOSUMDB: `${world.sumdb.verifierKey} ${tlsDb.url}`,
      NETRC: netrcFile,
      NODE_EXTRA_CA_CERTS: certFile,
    });
    const args = ['--import', 'tsx', BIN, 'check', '--dir', project, ...proxyFlags(world)];
    return execa(process.execPath, [...args, '--no-cache', ...flags], {
      env,
      extendEnv: false,
      reject: false,
    });
  }

  it('sends them to the https database, not to the plain-http proxies', async () => {
    const r = await checkProcess(['--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ summary: { lines: 4, verified: 4 } });
    expect(tlsDb.requests.length).toBeGreaterThan(0);
    expect(tlsDb.requests.every((q) => q.authorization === BASIC)).toBe(true);
    const proxies = [...world.proxyA.requests, ...world.proxyB.requests];
    expect(proxies.length).toBeGreaterThan(0);
    expect(proxies.some((q) => q.hasAuthorization)).toBe(false);
  }, 60_000);

  it('never shows them in the report when the database refuses them', async () => {
    refuse = true;
    for (const format of ['text', 'json']) {
      const r = await checkProcess(['--format', format]);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toContain('403');
      expect(r.stdout).toContain('forbidden: those credentials do not open this database');
      for (const out of [r.stdout, r.stderr]) {
        expect(out).not.toContain(SECRET);
        expect(out).not.toContain(BASIC.slice('Basic '.length));
      }
    }
    expect(tlsDb.requests.length).toBeGreaterThan(0);
    expect(tlsDb.requests.every((q) => q.authorization === BASIC)).toBe(true);
  }, 60_000);
});
