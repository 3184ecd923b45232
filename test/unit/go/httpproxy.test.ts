// Source: Go 1.19 src/vendor/golang.org/x/net/http/httpproxy/proxy.go (FromEnvironment,
// getEnvAny, parseProxy, useProxy, config.init); the Go referee for thousands more cases
// is test/interop/proxy/httpproxy.test.ts.
import { describe, expect, it } from 'vitest';
import { GoError } from '../../../src/go/errors.js';
import {
  proxyAddress,
  proxyAuthorization,
  proxyConfigFromEnv,
  proxyFor,
} from '../../../src/go/httpproxy.js';

/** via names the variable whose proxy a request to url takes, or "direct". */
function via(env: Record<string, string>, url: string): string {
  const p = proxyFor(proxyConfigFromEnv(env), new URL(url));
  if (p === undefined) return 'direct';
  const { hostname, port } = proxyAddress(p.url);
  return `${p.variable} ${p.url.scheme}://${hostname}:${port}`;
}

describe('proxyConfigFromEnv', () => {
  it('reads the upper-case spelling first and skips empty values', () => {
    const both = { HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2' };
    expect(via(both, 'https://x.example/')).toBe('HTTPS_PROXY http://upper:1');
    const emptyUpper = { HTTPS_PROXY: '', https_proxy: 'http://lower:2' };
    expect(via(emptyUpper, 'https://x.example/')).toBe('https_proxy http://lower:2');
  });

  it('reads host:port as an http proxy, and an invalid value as no proxy', () => {
    expect(via({ HTTPS_PROXY: 'proxy.corp:3128' }, 'https://x.example/')).toBe(
      'HTTPS_PROXY http://proxy.corp:3128',
    );
    expect(via({ HTTPS_PROXY: 'socks5://s' }, 'https://x.example/')).toBe(
      'HTTPS_PROXY socks5://s:1080',
    );
    expect(via({ HTTPS_PROXY: ' http://proxy' }, 'https://x.example/')).toBe('direct');
  });

  it('uses HTTPS_PROXY for https and HTTP_PROXY for http, never the other', () => {
    expect(via({ HTTP_PROXY: 'http://h:1' }, 'https://x.example/')).toBe('direct');
    expect(via({ HTTPS_PROXY: 'http://s:1' }, 'http://x.example/')).toBe('direct');
    expect(via({ HTTPS_PROXY: 'http://s:1' }, 'ftp://x.example/')).toBe('direct');
  });
});

describe('proxyFor', () => {
  const env = { HTTP_PROXY: 'http://h:1', HTTPS_PROXY: 'http://s:1' };

  it.each([
    'http://localhost:3000/',
    'https://127.0.0.1/',
    'https://127.9.8.7:8443/',
    'https://[::1]/',
    'https://[::ffff:127.0.0.1]/',
  ])('never proxies the loopback request %s, whatever NO_PROXY says', (url) => {
    expect(via(env, url)).toBe('direct');
    expect(via({ ...env, NO_PROXY: 'other.example' }, url)).toBe('direct');
  });

  it.each([
    ['10.0.0.0/8', 'https://10.1.2.3/', 'direct'],
    ['2001:db8::/32', 'https://[2001:db8::1]/', 'direct'],
    ['10.1.2.3:443', 'https://10.1.2.3/', 'direct'],
    ['10.1.2.3:80', 'https://10.1.2.3/', 'HTTPS_PROXY http://s:1'],
    ['[2001:db8::1]:443', 'https://[2001:db8::1]/', 'direct'],
    ['example.com', 'https://example.com/', 'direct'],
    ['example.com', 'https://a.example.com/', 'direct'],
    ['example.com', 'https://notexample.com/', 'HTTPS_PROXY http://s:1'],
    ['.example.com', 'https://example.com/', 'HTTPS_PROXY http://s:1'],
    ['*.example.com', 'https://a.example.com/', 'direct'],
    [' EXAMPLE.com:8443 ', 'https://example.com:8443/', 'direct'],
    ['example.com:8443', 'https://example.com/', 'HTTPS_PROXY http://s:1'],
    ['a.example;example.com', 'https://example.com/', 'HTTPS_PROXY http://s:1'],
    ['*', 'https://anything.example/', 'direct'],
  ])('NO_PROXY=%j sends %s %s', (noProxy, url, want) => {
    expect(via({ ...env, NO_PROXY: noProxy }, url)).toBe(want);
  });

  it('refuses HTTP_PROXY for http in a CGI environment (REQUEST_METHOD set)', () => {
    const cgi = proxyConfigFromEnv({ ...env, REQUEST_METHOD: 'GET' });
    expect(() => proxyFor(cgi, new URL('http://localhost/'))).toThrow(GoError);
    expect(proxyFor(cgi, new URL('https://x.example/'))?.variable).toBe('HTTPS_PROXY');
  });
});

describe('proxyAuthorization', () => {
  it('is Basic username:password whenever the proxy URL has a userinfo', () => {
    const auth = (value: string) => {
      const p = proxyConfigFromEnv({ HTTPS_PROXY: value }).https;
      return p === undefined ? 'none' : proxyAuthorization(p.url);
    };
    expect(auth('http://u%40x:p%3Aw@proxy:1')).toBe(
      `Basic ${Buffer.from('u@x:p:w').toString('base64')}`,
    );
    expect(auth('http://token@proxy:1')).toBe(`Basic ${Buffer.from('token:').toString('base64')}`);
    expect(auth('http://@proxy:1')).toBe(`Basic ${Buffer.from(':').toString('base64')}`);
    expect(auth('http://proxy:1')).toBeUndefined();
  });
});
