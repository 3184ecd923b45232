import { describe, expect, it } from 'vitest';
import { SumdbError } from '../../../src/sumdb/errors.js';
import { chooseSumdbBase, type ProxyEntryLike } from '../../../src/sumdb/http.js';

// Connection choice of G/modfetch/sumdb.go dbDial (GO-FACTS §5): probes are plain values here.
function probeBy(answers: Record<string, 'ok' | 'notfound' | 'error'>) {
  const asked: string[] = [];
  const probe = async (url: string) => {
    asked.push(url);
    const a = answers[url];
    if (a === 'ok') return;
    throw new SumdbError(a === 'notfound' ? 'NOT_FOUND' : 'UNAVAILABLE', url);
  };
  return { probe, asked };
}

const url = (u: string, fallBackOnAnyError = false): ProxyEntryLike => ({
  kind: 'url',
  url: u,
  fallBackOnAnyError,
});

describe('chooseSumdbBase', () => {
  it('when GOSUMDB names a URL, uses it without probing', async () => {
    const p = probeBy({});
    expect(
      await chooseSumdbBase('db.test', 'http://127.0.0.1:1', [url('http://p1')], p.probe),
    ).toBe('http://127.0.0.1:1');
    expect(p.asked).toEqual([]);
  });

  it('uses the first proxy that supports the database', async () => {
    const p = probeBy({
      'http://p1/sumdb/db.test/supported': 'notfound',
      'http://p2/sumdb/db.test/supported': 'ok',
    });
    expect(
      await chooseSumdbBase('db.test', undefined, [url('http://p1'), url('http://p2/')], p.probe),
    ).toBe('http://p2/sumdb/db.test');
  });

  it('after an error on a "," entry, the database is unavailable', async () => {
    const p = probeBy({ 'http://p1/sumdb/db.test/supported': 'error' });
    await expect(
      chooseSumdbBase('db.test', undefined, [url('http://p1'), url('http://p2')], p.probe),
    ).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
  });

  it('after an error on a "|" entry, tries the next', async () => {
    const p = probeBy({
      'http://p1/sumdb/db.test/supported': 'error',
      'http://p2/sumdb/db.test/supported': 'ok',
    });
    expect(
      await chooseSumdbBase(
        'db.test',
        undefined,
        [url('http://p1', true), url('http://p2')],
        p.probe,
      ),
    ).toBe('http://p2/sumdb/db.test');
  });

  // G/modfetch/proxy.go:169-177 TryProxies keeps the most helpful error: reaching "direct"
  // beats a proxy's error, which beats a not-found; sumdb.go:186 connects directly only when
  // the error kept is a not-found (errProxyOff, for "direct" and "off", is one).
  it('after an error on a "|" entry, direct still connects directly', async () => {
    const p = probeBy({ 'http://p1/sumdb/db.test/supported': 'error' });
    const list = [url('http://p1', true), { kind: 'direct' as const, fallBackOnAnyError: false }];
    expect(await chooseSumdbBase('db.test', undefined, list, p.probe)).toBe('https://db.test');
  });

  it('after an error on a "|" entry, a not-found that ends the list keeps that error', async () => {
    const p = probeBy({
      'http://p1/sumdb/db.test/supported': 'error',
      'http://p2/sumdb/db.test/supported': 'notfound',
    });
    const list = [url('http://p1', true), url('http://p2')];
    const err = await chooseSumdbBase('db.test', undefined, list, p.probe).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'UNAVAILABLE' });
    expect(String(err)).toContain('http://p1/sumdb/db.test/supported');
    expect(p.asked).toHaveLength(2);
  });

  it('after an error on a "|" entry, off keeps that error', async () => {
    const p = probeBy({ 'http://p1/sumdb/db.test/supported': 'error' });
    const list = [url('http://p1', true), { kind: 'off' as const, fallBackOnAnyError: false }];
    await expect(chooseSumdbBase('db.test', undefined, list, p.probe)).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
  });

  it('after errors on two "|" entries, reports the last one', async () => {
    const p = probeBy({
      'http://p1/sumdb/db.test/supported': 'error',
      'http://p2/sumdb/db.test/supported': 'error',
    });
    const list = [url('http://p1', true), url('http://p2', true)];
    const err = await chooseSumdbBase('db.test', undefined, list, p.probe).catch((e: unknown) => e);
    expect(String(err)).toContain('http://p2/sumdb/db.test/supported');
  });

  it('only not-founds, then off or the end of the list: connect to https://NAME', async () => {
    const p = probeBy({ 'http://p1/sumdb/db.test/supported': 'notfound' });
    const off = { kind: 'off' as const, fallBackOnAnyError: false };
    expect(await chooseSumdbBase('db.test', undefined, [url('http://p1'), off], p.probe)).toBe(
      'https://db.test',
    );
    expect(await chooseSumdbBase('db.test', undefined, [url('http://p1')], p.probe)).toBe(
      'https://db.test',
    );
  });

  it('direct or off ends the search: connect to https://NAME', async () => {
    const p = probeBy({ 'http://p2/sumdb/db.test/supported': 'ok' });
    const list: ProxyEntryLike[] = [
      { kind: 'direct', fallBackOnAnyError: false },
      url('http://p2'),
    ];
    expect(await chooseSumdbBase('db.test', undefined, list, p.probe)).toBe('https://db.test');
    expect(p.asked).toEqual([]);
  });
});
