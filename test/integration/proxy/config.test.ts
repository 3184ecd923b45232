import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainFromEnv, egressFromEnv } from '../../../src/proxy/config.js';
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
    // NETRC naming a directory cannot be read: an error unless GOAUTH=off skips .netrc.
    const unreadable = { HOME: tmp.dir, NETRC: tmp.dir };
    expect(await chainFromEnv(unreadable).catch((e: unknown) => e)).toBeInstanceOf(Error);
    const off = await chainFromEnv({ ...unreadable, GOAUTH: 'off' });
    await off.close();
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

describe('egressFromEnv', () => {
  it('reads lower case first, then upper case, and needs a proxy to be set', () => {
    expect(egressFromEnv({})).toBeUndefined();
    expect(egressFromEnv({ NO_PROXY: 'x' })).toBeUndefined();
    expect(
      egressFromEnv({ https_proxy: 'http://a:1', HTTPS_PROXY: 'http://b:2', NO_PROXY: 'c' }),
    ).toEqual({
      httpProxy: '',
      httpsProxy: 'http://a:1',
      noProxy: 'c',
    });
  });
});
