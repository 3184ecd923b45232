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
