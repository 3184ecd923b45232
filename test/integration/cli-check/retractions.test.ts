import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retractionsFromProxies } from '../../../src/cli/check/retractions.js';
import { HttpClient } from '../../../src/proxy/http.js';
import { ProxyClient } from '../../../src/proxy/client.js';
import { startProxyServer, type ProxyServer } from '../../../src/testing/proxy-server.js';

let proxy: ProxyServer;
let other: ProxyServer;
let http: HttpClient;

beforeAll(async () => {
  proxy = await startProxyServer({ name: 'A' });
  other = await startProxyServer({ name: 'B' });
  http = new HttpClient({ retries: 0 });
});
afterAll(async () => {
  await http.close();
  await proxy.stop();
  await other.stop();
});

const version = (v: string, mod: string) => ({
  info: { Version: v, Time: '2024-01-02T03:04:05Z' },
  mod: Buffer.from(mod),
  zip: Buffer.alloc(0),
});

describe('retractionsFromProxies, one proxy', () => {
  // The go command reads a dependency's go.mod with modfile.ParseLax: directives only a
  // main module may use (replace with a directory, ignore, tool) do not hide its
  // retractions, as they did with the strict parser.
  it.each([
    ['ignore', 'ignore ./testdata'],
    ['a replace by a directory', 'replace example.test/x => ../x'],
    ['tool and godebug', 'tool example.test/cmd\ngodebug panicnil=1'],
    ['an unknown directive', 'frobnicate all'],
  ])('reads the retractions of a latest go.mod with %s', async (_what, extra) => {
    const m = `example.test/lax${proxy.store.size}`;
    proxy.put(m, 'v1.0.0', version('v1.0.0', `module ${m}\n`));
    proxy.put(
      m,
      'v1.1.0',
      version('v1.1.0', `module ${m}\n\ngo 1.19\n\n${extra}\n\nretract v1.0.0 // broken\n`),
    );
    const ranges = await retractionsFromProxies([new ProxyClient(proxy.url, http)], m, 5_000);
    expect(ranges).toMatchObject([{ low: 'v1.0.0', high: 'v1.0.0', rationale: 'broken' }]);
  });

  // proxy.golang.org's @latest names the newest version that is not retracted; the go
  // command reads the go.mod of the highest listed version, retracted or not.
  it('reads the go.mod of the highest listed version, not the one @latest names', async () => {
    const m = 'example.test/selfretract';
    proxy.put(m, 'v1.0.0', version('v1.0.0', `module ${m}\n`));
    proxy.put(m, 'v1.1.0', version('v1.1.0', `module ${m}\n\nretract [v1.0.0, v1.1.0] // bad\n`));
    proxy.put(m, 'v1.2.0-rc.1', version('v1.2.0-rc.1', `module ${m}\n`));
    const body = JSON.stringify({ Version: 'v1.0.0', Time: '2024-01-02T03:04:05Z' });
    proxy.faults.push({ path: m, endpoint: 'latest', fault: { kind: 'body', body } });
    const ranges = await retractionsFromProxies([new ProxyClient(proxy.url, http)], m, 5_000);
    expect(ranges).toMatchObject([{ low: 'v1.0.0', high: 'v1.1.0', rationale: 'bad' }]);
  });

  it('knows nothing from a latest go.mod that does not parse at all', async () => {
    const m = 'example.test/broken';
    proxy.put(m, 'v1.1.0', version('v1.1.0', `module ${m}\nrequire (\nretract v1.0.0\n`));
    expect(
      await retractionsFromProxies([new ProxyClient(proxy.url, http)], m, 5_000),
    ).toBeUndefined();
  });
});

describe('retractionsFromProxies', () => {
  const retracting = (m: string) => `module ${m}\n\nretract v1.0.0 // broken\n`;
  const both = () => [new ProxyClient(proxy.url, http), new ProxyClient(other.url, http)];

  // The retraction is announced by the second proxy only: the first fails, or does not
  // have the module. Before, only the first proxy was asked and nothing was reported.
  it.each([
    ['fails', { kind: 'status', status: 500 } as const],
    ['does not have the module', { kind: 'status', status: 404 } as const],
  ])('asks the next proxy when the first %s', async (_what, fault) => {
    const m = `example.test/fallback${other.store.size}`;
    other.put(m, 'v1.0.0', version('v1.0.0', `module ${m}\n`));
    other.put(m, 'v1.1.0', version('v1.1.0', retracting(m)));
    proxy.faults.push({ path: m, fault });
    const ranges = await retractionsFromProxies(both(), m, 5_000);
    expect(ranges).toMatchObject([{ low: 'v1.0.0', high: 'v1.0.0', rationale: 'broken' }]);
  });

  it('takes the first answer and asks no further', async () => {
    const m = 'example.test/firstanswer';
    proxy.put(m, 'v1.1.0', version('v1.1.0', `module ${m}\n`));
    other.put(m, 'v1.1.0', version('v1.1.0', retracting(m)));
    expect(await retractionsFromProxies(both(), m, 5_000)).toEqual([]);
  });

  it('is [] when no proxy has the module, unknown when one that might could not answer', async () => {
    expect(await retractionsFromProxies(both(), 'example.test/nowhere', 5_000)).toEqual([]);
    const m = 'example.test/down';
    proxy.faults.push({ path: m, fault: { kind: 'status', status: 503 } });
    expect(await retractionsFromProxies(both(), m, 5_000)).toBeUndefined();
  });
});
