import { createServer as createHttpsServer } from 'node:https';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proxyConfigFromEnv } from '../../../src/go/httpproxy.js';
import { createTlsCert, type TlsCert } from '../../../src/testing/keys.js';
import { closeServer } from '../../../src/testing/world/loopback.js';
import type { HttpClient } from '../../../src/proxy/http.js';
import { discoverRepo, discoveryClient } from '../../../src/vcs/discover.js';
import { GitError } from '../../../src/vcs/git.js';
import { tempDir } from '../proxy/helpers.js';
import { readGoImportVectors, startVectorProxy, type VectorProxy } from './goimport-vectors.js';

const META = '<meta name="go-import" content="example.test/a git https://repo.test/a">';
const PAGE = `<html><head>${META}</head></html>\n`;
const SECRET = 'hunter2-discovery';

let proxy: VectorProxy;
let http: HttpClient;
const clients: HttpClient[] = [];
/** client is a discovery web client with these settings, closed after the tests. */
const client = (web: Parameters<typeof discoveryClient>[0]) => {
  const c = discoveryClient(web);
  clients.push(c);
  return c;
};
let tmp: { dir: string; cleanup: () => Promise<void> };
let tls: TlsCert;

beforeAll(async () => {
  proxy = await startVectorProxy();
  http = client({ egress: proxyConfigFromEnv({ HTTP_PROXY: proxy.url }) });
  tmp = await tempDir();
  tls = await createTlsCert(tmp.dir);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await proxy.stop();
  await tmp.cleanup();
});

async function answer(path: string, options: Parameters<typeof discoverRepo>[1]) {
  try {
    const r = await discoverRepo(path, options);
    return { want: `${r.root} ${r.vcs} ${r.url}` };
  } catch (err) {
    return { err: err instanceof Error ? err.message : String(err) };
  }
}

// Vectors: test/testdata/goimport, answers read from Go 1.19 cmd/go/internal/vcs
// (discovery.go, vcs.go) and checked against the go command by
// test/interop/vcs/goimport.test.ts. Pages are asked for over http through the proxy,
// as the go command asks with GOINSECURE.
describe('when a go-get page is read as the go command reads it', () => {
  for (const v of readGoImportVectors()) {
    it(v.file, async () => {
      proxy.current = v;
      const got = await answer(v.path, { base: 'http:/', http });
      if (v.wantErr === '') expect(got).toEqual({ want: v.want });
      else expect(got.err).toContain(v.wantErr);
    });
  }
});

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function serve(handler: Handler, secure = false): Promise<{ url: string; server: Server }> {
  const server = secure
    ? createHttpsServer({ key: tls.key, cert: tls.cert }, handler)
    : createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `${secure ? 'https' : 'http'}://127.0.0.1:${port}`, server };
}

describe('when the go-get page redirects', () => {
  it('follows the redirect, as net/http does', async () => {
    const s = await serve((req, res) => {
      if (req.url?.startsWith('/moved')) {
        res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
      } else res.writeHead(302, { location: `/moved${req.url ?? ''}` }).end();
    });
    try {
      expect(await answer('example.test/a', { base: s.url })).toEqual({
        want: 'example.test/a git https://repo.test/a',
      });
    } finally {
      await closeServer(s.server);
    }
  });

  it('refuses a redirect from https to http', async () => {
    const plain = await serve((_req, res) => res.writeHead(200).end(PAGE));
    const secure = await serve(
      (req, res) => res.writeHead(302, { location: `${plain.url}${req.url ?? ''}` }).end(),
      true,
    );
    try {
      const got = await answer('example.test/a', {
        base: secure.url,
        http: client({ ca: tls.cert }),
      });
      expect(got.err).toContain('redirect to insecure http');
    } finally {
      await Promise.all([closeServer(plain.server), closeServer(secure.server)]);
    }
  });
});

describe('when .netrc has credentials for the host', () => {
  const netrc = [{ machine: '127.0.0.1', login: 'me', password: SECRET }];
  const seen: (string | undefined)[] = [];
  const handler: Handler = (req, res) => {
    seen.push(req.headers.authorization);
    res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
  };

  it('sends them over https', async () => {
    const s = await serve(handler, true);
    seen.length = 0;
    try {
      const got = await answer('example.test/a', {
        base: s.url,
        http: client({ netrc, ca: tls.cert }),
      });
      expect(got).toEqual({ want: 'example.test/a git https://repo.test/a' });
      expect(seen).toEqual([`Basic ${Buffer.from(`me:${SECRET}`).toString('base64')}`]);
    } finally {
      await closeServer(s.server);
    }
  });

  it('never over plain http', async () => {
    const s = await serve(handler);
    seen.length = 0;
    try {
      await answer('example.test/a', { base: s.url, http: client({ netrc }) });
      expect(seen).toEqual([undefined]);
    } finally {
      await closeServer(s.server);
    }
  });
});

describe('when the matched root is a proper prefix of the module path', () => {
  it("asks the root's own page too", async () => {
    const v = readGoImportVectors().find((x) => x.file === 'prefix-verified.txt');
    proxy.current = v;
    proxy.asked.length = 0;
    await answer('example.test/a/b', { base: 'http:/', http });
    expect(proxy.asked).toEqual([
      'http://example.test/a/b?go-get=1',
      'http://example.test/a?go-get=1',
    ]);
  });

  it('is a GitError the caller can classify', async () => {
    const v = readGoImportVectors().find((x) => x.file === 'prefix-disagree.txt');
    proxy.current = v;
    await expect(discoverRepo('example.test/a/b', { base: 'http:/', http })).rejects.toThrow(
      GitError,
    );
  });
});
