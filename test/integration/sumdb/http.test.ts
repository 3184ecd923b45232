// The sumdb's HTTP adapter against loopback servers that redirect. Go reads the database
// with cmd/go's web client, which follows redirects (G/web/http.go
// securityPreservingHTTPClient: https → http refused, "stopped after 10 redirects" once 10
// requests were made); modguard follows them with the proxy client's rules (src/proxy/http.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSumdb } from '../../../src/sumdb/connect.js';
import { generateKey } from '../../../src/sumdb/note.js';
import { createTlsCert, type TlsCert } from '../../../src/testing/keys.js';
import { SumdbState, handleSumdb } from '../../../src/testing/sumdb-server.js';
import { startLoopbackServer, type LoopbackServer } from '../../../src/testing/world/loopback.js';
import { logOf, recordFor } from './helpers.js';

const NAME = 'redirected.sumdb.test';
const key = generateKey(NAME);
const state = new SumdbState(logOf(300), key.signerKey);
const STATUSES = [301, 302, 303, 307, 308];
const SECRET = 's3cr3t-token';
let tls: TlsCert;
let tmp = '';
let db: LoopbackServer;
let tlsDb: LoopbackServer;
const servers: LoopbackServer[] = [];

/** serveDb answers the database below /db/. */
function serveDb(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
  return handleSumdb(state, req, res, path.slice('/db'.length));
}

/**
 * hops answers /hop/K/REST with a redirect to /hop/K-1/REST (relative, each of the five
 * redirect statuses in turn), and /hop/0/REST with one to `${target()}/db/REST`: a read
 * below /hop/K takes K+1 redirects.
 */
function hops(target: () => string) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const m = /^\/hop\/(\d+)\/(.*)$/.exec(req.url ?? '');
    const k = Number(m?.[1] ?? 0);
    const rest = m?.[2] ?? '';
    const location = k === 0 ? `${target()}/db/${rest}` : `/hop/${k - 1}/${rest}`;
    res.writeHead(STATUSES[k % STATUSES.length] ?? 302, { location });
    res.end();
  };
}

async function start(name: string, handler: ReturnType<typeof hops>, secure = false) {
  const s = await startLoopbackServer(name, handler, secure ? tls : undefined);
  servers.push(s);
  return s;
}

/** lookup reads m7 through baseUrl with a fresh client; it returns the lines or the error. */
async function lookup(baseUrl: string): Promise<{ lines?: readonly string[]; error?: unknown }> {
  const c = connectSumdb({ verifierKey: key.verifierKey, baseUrl, http: { ca: tls.cert } });
  try {
    return { lines: (await c.client.lookup('example.com/m7', 'v1.0.7')).lines };
  } catch (error) {
    return { error };
  } finally {
    await c.close();
  }
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'modguard-sumdb-http-'));
  tls = await createTlsCert(tmp);
  db = await start('db', serveDb);
  tlsDb = await start('tls-db', serveDb, true);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await rm(tmp, { recursive: true, force: true });
});

describe('when the database answers with redirects', () => {
  it('follows 301, 302, 303, 307 and 308, relative and absolute, up to 9 of them', async () => {
    const r = await start(
      'hops',
      hops(() => db.url),
    );
    const got = await lookup(`${r.url}/hop/8`);
    expect(got.error).toBeUndefined();
    expect(got.lines).toEqual(recordFor(7).trimEnd().split('\n'));
  });

  it('stops at the 10th redirect (10 requests) as UNAVAILABLE naming the URL, never verified', async () => {
    const r = await start(
      'loop',
      hops(() => db.url),
    );
    const got = await lookup(`${r.url}/hop/9`);
    expect(got.error).toMatchObject({ code: 'UNAVAILABLE', kind: 'unavailable' });
    expect(String(got.error)).toContain(`${r.url}/hop/9/lookup/example.com/m7@v1.0.7`);
    expect(String(got.error)).toMatch(/stopped after 10 requests/);
    expect(r.requests).toHaveLength(10);
  });

  it('refuses a redirect from https to http', async () => {
    const r = await start(
      'downgrade',
      hops(() => db.url),
      true,
    );
    db.requests.length = 0;
    const got = await lookup(`${r.url}/hop/0`);
    expect(got.error).toMatchObject({ code: 'UNAVAILABLE' });
    expect(String(got.error)).toContain('redirect to insecure http');
    expect(db.requests).toEqual([]);
  });

  it('sends credentials of the URL over https to its host and port only', async () => {
    const r = await start(
      'secure-hops',
      hops(() => tlsDb.url),
      true,
    );
    const base = new URL(`${r.url}/hop/1`);
    base.username = 'me';
    base.password = SECRET;
    tlsDb.requests.length = 0;
    const got = await lookup(base.toString());
    expect(got.error).toBeUndefined();
    // Both hops on the redirector carry them; the database on another port never sees them.
    expect(r.requests.every((q) => q.authorization?.startsWith('Basic ') === true)).toBe(true);
    expect(tlsDb.requests.length).toBeGreaterThan(0);
    expect(tlsDb.requests.some((q) => q.hasAuthorization)).toBe(false);
  });
});
