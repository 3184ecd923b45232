import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveGoEnv } from '../../../src/go/env.js';
import { chainFromEnv, credentials, webSettings } from '../../../src/proxy/config.js';
import { ProxyError } from '../../../src/proxy/errors.js';
import { startProxyServer, type ProxyServer } from '../../../src/testing/proxy-server.js';
import { fakeVersion, tempDir } from './helpers.js';

const M = 'example.test/cfg';
const V = 'v1.0.0';

let tmp: { dir: string; cleanup: () => Promise<void> };
let proxy: ProxyServer;

beforeAll(async () => {
  tmp = await tempDir();
  proxy = await startProxyServer({ name: 'A' });
  proxy.put(M, V, fakeVersion(M, V));
});
afterAll(async () => {
  await proxy.stop();
  await tmp.cleanup();
});

describe('chainFromEnv', () => {
  it('uses GOPROXY from the environment, and --proxy over it', async () => {
    const setup = await chainFromEnv({ HOME: tmp.dir, GOPROXY: 'off' }, { goproxy: proxy.url });
    try {
      expect((await setup.chain.info(M, V)).source).toBe(proxy.url);
    } finally {
      await setup.close();
    }
  });

  it('refuses GOAUTH modes it cannot run, and reads no .netrc with GOAUTH=off', async () => {
    const bad = await chainFromEnv({ HOME: tmp.dir, GOAUTH: 'git /srv' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ProxyError);
    expect((bad as ProxyError).code).toBe('AUTH_UNSUPPORTED');
    const netrc = join(tmp.dir, 'netrc');
    await writeFile(netrc, 'machine 127.0.0.1 login me password secret\n');
    const creds = (env: Record<string, string>) => credentials(resolveGoEnv({ process: env }), env);
    expect(await creds({ HOME: tmp.dir, NETRC: netrc })).toHaveLength(1);
    expect(await creds({ HOME: tmp.dir, NETRC: netrc, GOAUTH: 'off' })).toEqual([]);
    expect(await creds({ HOME: tmp.dir, NETRC: netrc, GOAUTH: 'netrc' })).toHaveLength(1);
    // A NETRC that cannot be read (here a directory) means no credentials, as for Go.
    expect(await creds({ HOME: tmp.dir, NETRC: tmp.dir })).toEqual([]);
  });

  it('sends GOPRIVATE modules to direct only (GONOPROXY falls back to GOPRIVATE)', async () => {
    const setup = await chainFromEnv({
      HOME: tmp.dir,
      GOPROXY: proxy.url,
      GOPRIVATE: 'example.test',
    });
    try {
      proxy.requests.length = 0;
      const err = (await setup.chain.info(M, V).catch((e: unknown) => e)) as ProxyError;
      expect(err.code).toBe('DIRECT_UNSUPPORTED');
      expect(proxy.requests).toEqual([]);
    } finally {
      await setup.close();
    }
  });
});

describe('webSettings', () => {
  it('reads the egress proxy as net/http does: upper case first, empty values skipped', async () => {
    const env = {
      GOAUTH: 'off',
      https_proxy: 'http://lower:1',
      HTTPS_PROXY: 'http://upper:2',
      HTTP_PROXY: '',
      http_proxy: 'http://plain:3',
      no_proxy: 'c.example',
    };
    const { egress } = await webSettings(resolveGoEnv({ process: env }), env);
    expect(egress?.https?.variable).toBe('HTTPS_PROXY');
    expect(egress?.http?.variable).toBe('http_proxy');
    expect(egress?.noProxy).toHaveLength(1);
  });
});
