/**
 * The Go referee for the egress proxy choice: Go 1.19's net/http ProxyFromEnvironment
 * (test/interop/proxy/httpproxyref) says, for one environment per process, which proxy
 * each request URL goes through, and src/go/httpproxy.ts must say the same for every
 * one. URLs are given to Go as modguard requests them (WHATWG-serialized: lower-case
 * host, IPv4 and IPv6 literals in canonical form, default port dropped). Nothing is
 * dialled: the program only asks the proxy function.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GoError, quote } from '../../../src/go/errors.js';
import {
  proxyAddress,
  proxyAuthorization,
  proxyConfigFromEnv,
  proxyFor,
} from '../../../src/go/httpproxy.js';
import { goModuleEnv } from '../../support/go.js';

type Env = Record<string, string>;

const here = resolve(import.meta.dirname, 'httpproxyref');
let dir = '';
let referee = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modguard-httpproxyref-'));
  referee = join(dir, 'httpproxyref');
  await execa('go', ['build', '-o', referee, 'main.go'], {
    cwd: here,
    extendEnv: false,
    env: goModuleEnv(dir),
    timeout: 90_000,
  });
}, 120_000);

afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

/** REQUESTS are the request URLs every environment is asked about. */
const REQUESTS = [
  'http://localhost/',
  'https://localhost:8443/x',
  'http://LOCALHOST:80/',
  'https://localhost./',
  'http://sub.localhost/',
  'http://127.0.0.1/',
  'https://127.1.2.3:8080/',
  'http://127.1/',
  'https://[::1]/',
  'https://[0:0::1]:444/',
  'http://[::ffff:127.0.0.1]/',
  'http://0.0.0.0:8080/',
  'https://10.1.2.3/',
  'https://10.1.2.3:8080/',
  'http://10.255.0.1/',
  'http://[::ffff:10.1.2.3]/',
  'https://192.168.1.10/',
  'https://[2001:db8::1]/',
  'https://[2001:db8::1]:443/',
  'https://[2001:DB8::2]:8443/',
  'https://[fe80::1]/',
  'https://example.com/',
  'https://EXAMPLE.com/x?y#z',
  'https://sub.example.com/',
  'https://a.sub.example.com:8443/',
  'http://example.com:443/',
  'http://example.com/',
  'https://notexample.com/',
  'https://example.com.evil/',
  'https://example.com./',
  'https://bücher.example/',
  'https://a.bücher.example/',
  'https://user:pw@example.com/',
  'https://proxy.golang.org/github.com/x/y/@v/list',
  'https://sum.golang.org/lookup/x@v1.0.0',
  'https://goproxy.cn:443/',
  'http://a*b.example/',
  'ftp://example.com/',
  'file:///tmp/x',
  'HTTPS://Sum.World.Test:9000/',
];

/** FIXED are environments chosen by hand: spellings, precedence, values, NO_PROXY forms. */
const FIXED: Env[] = [
  {},
  { HTTP_PROXY: 'http://hp:3128' },
  { HTTPS_PROXY: 'http://sp:3128' },
  { HTTP_PROXY: 'http://hp:3128', HTTPS_PROXY: 'http://sp:3128' },
  { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' },
  { https_proxy: 'http://lower:1', HTTPS_PROXY: '' },
  { https_proxy: '', HTTPS_PROXY: 'http://upper:2' },
  { http_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' },
  { HTTPS_PROXY: 'proxy.corp:3128' },
  { HTTPS_PROXY: '127.0.0.1:3128' },
  { HTTPS_PROXY: '[::1]:3128' },
  { HTTPS_PROXY: 'localhost:3128' },
  { HTTPS_PROXY: 'proxy' },
  { HTTPS_PROXY: 'https://proxy:8443' },
  { HTTPS_PROXY: 'socks5://proxy' },
  { HTTPS_PROXY: 'SOCKS5://Proxy:1081' },
  { HTTPS_PROXY: 'HTTP://Proxy.Corp' },
  { HTTPS_PROXY: 'ftp://proxy:21' },
  { HTTPS_PROXY: 'socks4://p:1' },
  { HTTPS_PROXY: 'mailto:a b' },
  { HTTPS_PROXY: 'http://user:pa%20ss@proxy:3128' },
  { HTTPS_PROXY: 'http://user@proxy' },
  { HTTPS_PROXY: 'http://@proxy' },
  { HTTPS_PROXY: 'http://u:@proxy' },
  { HTTPS_PROXY: 'http://us%3Aer:p%40ss:w@proxy/' },
  { HTTPS_PROXY: 'user:pass@proxy:3128' },
  { HTTPS_PROXY: 'http://a@b@proxy:1' },
  { HTTPS_PROXY: 'http://%ff:%00@proxy:1' },
  { HTTPS_PROXY: ' http://proxy' },
  { HTTPS_PROXY: 'http://pro xy:1' },
  { HTTPS_PROXY: 'http://proxy:port' },
  { HTTPS_PROXY: 'http://[::1' },
  { HTTPS_PROXY: 'http://[fe80::1%25en0]:3128' },
  { HTTPS_PROXY: 'http://%zz' },
  { HTTPS_PROXY: 'http://proxy/%zz' },
  { HTTPS_PROXY: 'http://proxy#%zz' },
  { HTTPS_PROXY: 'http://proxy:3128/path?q#f' },
  { HTTPS_PROXY: 'http://pr%C3%B6xy:1' },
  { HTTPS_PROXY: 'http://pr%41xy:1' },
  { HTTPS_PROXY: 'http://a\tb' },
  { HTTPS_PROXY: 'http://' },
  { HTTPS_PROXY: 'http:opaque' },
  { HTTPS_PROXY: 'http:///path' },
  { HTTPS_PROXY: ':3128' },
  { HTTPS_PROXY: '//proxy:1' },
  { HTTPS_PROXY: '*' },
  { HTTP_PROXY: 'http://hp:1', REQUEST_METHOD: 'GET' },
  { HTTPS_PROXY: 'http://sp:1', REQUEST_METHOD: 'GET' },
  { HTTP_PROXY: 'http://hp:1', HTTPS_PROXY: 'http://sp:1', REQUEST_METHOD: '' },
  { HTTP_PROXY: '%zz', REQUEST_METHOD: 'POST' },
  ...[
    '*',
    ' * ',
    'a.example,*',
    '127.0.0.1',
    'localhost',
    '10.0.0.0/8',
    '10.1.2.3',
    '10.1.2.3:8080',
    '10.1.2.3:08080',
    '[2001:db8::1]:443',
    '2001:db8::1',
    '2001:db8::/32',
    '::ffff:10.0.0.0/104',
    '::ffff:0:0/96',
    '::/0',
    '0.0.0.0/0',
    '10.0.0.0/33',
    '10.0.0.1/8',
    'example.com',
    '.example.com',
    '*.example.com',
    'EXAMPLE.com',
    ' example.com ,  sub.example.com',
    'example.com:8443',
    'example.com:',
    'example.com:443',
    ':80',
    'a.example; example.com',
    'a.example example.com',
    'bücher.example',
    '.BÜCHER.example',
    '.0.0.1',
    '.',
    '*example.com',
    'example.com.',
    'sub.example.com:8443',
    '[::1]',
    '[]:80',
    '0.0.0.0',
    'goproxy.cn',
    '.golang.org',
    'sum.world.test:9000',
  ].map((np) => ({ HTTP_PROXY: 'http://hp:1', HTTPS_PROXY: 'http://sp:1', NO_PROXY: np })),
  { HTTPS_PROXY: 'http://sp:1', no_proxy: 'example.com' },
  { HTTPS_PROXY: 'http://sp:1', NO_PROXY: '', no_proxy: 'example.com' },
  { HTTPS_PROXY: 'http://sp:1', NO_PROXY: 'sub.example.com', no_proxy: 'example.com' },
];

/** Parts that generated environments are made of. */
const PROXY_VALUES = [
  'http://p1:3128',
  'https://p2',
  'p3:8080',
  'socks5://p4',
  'http://u:p@p5:1',
  '10.9.9.9:3128',
  '',
  'http://bad host',
];
const NO_PROXY_ENTRIES = [
  'example.com',
  '.example.com',
  '*.example.com',
  'sub.example.com',
  'example.com:443',
  'example.com:8443',
  '10.0.0.0/8',
  '10.1.2.3',
  '10.1.2.3:443',
  '2001:db8::1',
  '[2001:db8::1]:443',
  '2001:db8::/32',
  'fe80::/10',
  '0.0.0.0',
  'localhost',
  '127.0.0.1',
  '*',
  'bücher.example',
  '.COM',
  'golang.org',
  '',
];
const SPACES = ['', ' ', '\t', '  '];

const envArb: fc.Arbitrary<Env> = fc
  .record(
    {
      HTTP_PROXY: fc.constantFrom(...PROXY_VALUES),
      http_proxy: fc.constantFrom(...PROXY_VALUES),
      HTTPS_PROXY: fc.constantFrom(...PROXY_VALUES),
      https_proxy: fc.constantFrom(...PROXY_VALUES),
      NO_PROXY: noProxyArb(),
      no_proxy: noProxyArb(),
      REQUEST_METHOD: fc.constantFrom('', 'GET'),
    },
    { requiredKeys: [] },
  )
  .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as Env);

function noProxyArb(): fc.Arbitrary<string> {
  const entry = fc
    .tuple(fc.constantFrom(...SPACES), fc.constantFrom(...NO_PROXY_ENTRIES), fc.boolean())
    .map(([space, e, upper]) => space + (upper ? e.toUpperCase() : e) + space);
  return fc.array(entry, { maxLength: 4 }).map((es) => es.join(','));
}

/** ours is modguard's answer in the referee's line format. */
function ours(env: Env, href: string): string {
  const config = proxyConfigFromEnv(env);
  try {
    const p = proxyFor(config, new URL(href));
    if (p === undefined) return 'direct';
    const { hostname, port } = proxyAddress(p.url);
    const auth = proxyAuthorization(p.url) ?? '-';
    return ['proxy', p.url.scheme, quote(hostname), port, auth].join('\t');
  } catch (err) {
    if (err instanceof GoError && err.code === 'CGI_HTTP_PROXY') return 'error';
    throw err;
  }
}

/** goAnswers asks the referee about every URL, in one process for env. */
async function goAnswers(env: Env, hrefs: readonly string[]): Promise<string[]> {
  const { stdout } = await execa(referee, [], {
    input: hrefs.map((h) => `${h}\n`).join(''),
    extendEnv: false,
    env,
    timeout: 30_000,
  });
  return stdout.split('\n');
}

const HREFS = REQUESTS.map((r) => new URL(r).href);
let compared = 0;

async function agree(env: Env): Promise<void> {
  const go = await goAnswers(env, HREFS);
  expect(go).toHaveLength(HREFS.length);
  HREFS.forEach((href, i) => {
    expect(ours(env, href), `${JSON.stringify(env)} ${href}`).toBe(go[i]);
    compared++;
  });
}

describe('when Go 1.19 referees the egress proxy choice', () => {
  it.each(FIXED.map((env) => [JSON.stringify(env), env] as const))('env %s', async (_name, env) => {
    await agree(env);
  });

  it('agrees on generated environments', async () => {
    await fc.assert(fc.asyncProperty(envArb, agree), { numRuns: 60, seed: 20_190_801 });
  });

  it('compared every request of every environment', () => {
    expect(compared).toBe((FIXED.length + 60) * HREFS.length);
  });
});
