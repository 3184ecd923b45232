import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Cache, sha256Hex, type VerifiedRecord } from '../../../src/cache/cache.js';

let dir: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'modguard-cache-'));
});

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | undefined) =>
  b === undefined ? undefined : new TextDecoder().decode(b);

/** listFiles lists every file under root, relative, sorted. */
async function listFiles(root: string): Promise<string[]> {
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();
}

describe('Cache blobs', () => {
  it('round-trips bytes by their sha256', async () => {
    const cache = Cache.open(dir);
    const digest = await cache.putBlob(bytes('tile bytes'));
    expect(digest).toBe(sha256Hex('tile bytes'));
    expect(text(await cache.getBlob(digest))).toBe('tile bytes');
    expect(await listFiles(dir)).toEqual([path.join('v1', 'blobs', digest.slice(0, 2), digest)]);
  });

  it('misses an absent or malformed digest', async () => {
    const cache = Cache.open(dir);
    expect(await cache.getBlob(sha256Hex('never stored'))).toBeUndefined();
    expect(await cache.getBlob('../../etc/passwd')).toBeUndefined();
    expect(await cache.getBlob(sha256Hex('x').toUpperCase())).toBeUndefined();
  });

  describe('when a blob is corrupted on disk', () => {
    it('ignores it, and a new put repairs it', async () => {
      const cache = Cache.open(dir);
      const digest = await cache.putBlob(bytes('original'));
      const file = path.join(dir, 'v1', 'blobs', digest.slice(0, 2), digest);
      await fs.writeFile(file, 'origina');
      expect(await cache.getBlob(digest)).toBeUndefined();
      await cache.putBlob(bytes('original'));
      expect(text(await cache.getBlob(digest))).toBe('original');
    });
  });
});

describe('Cache keys', () => {
  const key = 'sumdb/sum.golang.org/tile/8/0/x001/234';

  it('round-trips bytes by name and keeps the last put', async () => {
    const cache = Cache.open(dir);
    expect(await cache.get(key)).toBeUndefined();
    await cache.put(key, bytes('first'));
    expect(text(await cache.get(key))).toBe('first');
    await cache.put(key, bytes('second'));
    expect(text(await cache.get(key))).toBe('second');
    expect(await cache.get(`${key}.p/3`)).toBeUndefined();
  });

  it('persists across Cache instances', async () => {
    await Cache.open(dir).put(key, bytes('kept'));
    expect(text(await Cache.open(dir).get(key))).toBe('kept');
  });

  it.each([
    ['a truncated key entry', (entry: string) => fs.writeFile(entry, '{"key":')],
    [
      'a key entry for another key',
      (entry: string) =>
        fs.writeFile(entry, JSON.stringify({ key: 'other', blob: sha256Hex('x') })),
    ],
    [
      'a key entry naming a bad digest',
      (entry: string) => fs.writeFile(entry, JSON.stringify({ key, blob: '../x' })),
    ],
    [
      'a key entry that is not UTF-8',
      (entry: string) => fs.writeFile(entry, Buffer.from([0xff, 0xfe, 0x00])),
    ],
  ])('ignores %s', async (_, corrupt) => {
    const cache = Cache.open(dir);
    await cache.put(key, bytes('value'));
    const keyDir = path.join(dir, 'v1', 'keys');
    const [entry] = (await listFiles(keyDir)).map((f) => path.join(keyDir, f));
    await corrupt(entry!);
    expect(await cache.get(key)).toBeUndefined();
  });

  it('ignores a key whose blob was corrupted', async () => {
    const cache = Cache.open(dir);
    await cache.put(key, bytes('value'));
    const digest = sha256Hex('value');
    await fs.writeFile(path.join(dir, 'v1', 'blobs', digest.slice(0, 2), digest), 'valuE');
    expect(await cache.get(key)).toBeUndefined();
  });
});

describe('Cache verified lines', () => {
  const record: VerifiedRecord = {
    module: 'example.com/m',
    version: 'v1.2.3',
    kind: 'zip',
    h1: 'h1:cq1Wlc5Q/3TKMd9Nt+I/D/H5kAJrHbzSCzH20/f7O0w=',
    witnesses: ['proxy A', 'proxy B', 'sum.golang.org'],
    at: '2026-11-21T12:00:00.000Z',
  };

  it('remembers exactly the (module, version, kind, h1) that was verified', async () => {
    const cache = Cache.open(dir);
    expect(await cache.verified(record)).toBeUndefined();
    await cache.markVerified(record);
    expect(await cache.verified(record)).toEqual(record);
    expect(
      await cache.verified({ ...record, h1: 'h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=' }),
    ).toBeUndefined();
    expect(await cache.verified({ ...record, kind: 'go.mod' })).toBeUndefined();
    expect(await cache.verified({ ...record, version: 'v1.2.4' })).toBeUndefined();
  });
});

describe('Cache under concurrent writers', () => {
  it('returns only whole values and leaves no temporary files when writers race in one process', async () => {
    const cache = Cache.open(dir);
    const key = 'race';
    const values = Array.from({ length: 16 }, (_, i) => String(i % 10).repeat(256 * 1024 + i));
    const reads: (string | undefined)[] = [];
    const missesAfterPut: number[] = [];
    await Promise.all([
      ...values.map(async (v, i) => {
        await cache.put(key, bytes(v));
        if ((await cache.get(key)) === undefined) missesAfterPut.push(i);
      }),
      ...values.map(async () => reads.push(text(await cache.get(key)))),
    ]);
    for (const r of reads) if (r !== undefined) expect(values).toContain(r);
    expect(missesAfterPut).toEqual([]);
    expect(values).toContain(text(await cache.get(key)));
    expect((await listFiles(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('stays consistent when separate processes write the same key at once', async () => {
    const worker = path.join(dir, 'worker.mts');
    const cacheModule = path.resolve('src/cache/cache.ts');
    await fs.writeFile(
      worker,
      `import { Cache } from ${JSON.stringify(cacheModule)};\n` +
        `const [dir, id] = process.argv.slice(2);\n` +
        `const cache = Cache.open(dir);\n` +
        `for (let i = 0; i < 20; i++) {\n` +
        `  await cache.put('shared', new TextEncoder().encode(id.repeat(100000) + i));\n` +
        `  const got = await cache.get('shared');\n` +
        `  if (got === undefined) throw new Error('miss after put');\n` +
        `}\n`,
    );
    const store = path.join(dir, 'store');
    const tsx = path.resolve('node_modules/tsx/dist/cli.mjs');
    const runs = ['a', 'b', 'c', 'd'].map(async (id) => {
      const done = await execa(process.execPath, [tsx, worker, store, id], { reject: false });
      return done.exitCode;
    });
    expect(await Promise.all(runs)).toEqual([0, 0, 0, 0]);
    const final = text(await Cache.open(store).get('shared'));
    expect(final).toMatch(/^([abcd])\1{99999}1?\d$/);
    expect((await listFiles(store)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 60_000);
});

describe('Cache.sweep', () => {
  it('removes temporary files a crashed writer left, once they are old, and nothing else', async () => {
    const cache = Cache.open(dir);
    await cache.put('k', bytes('v'));
    const keysDir = path.join(dir, 'v1', 'keys');
    const [sub] = await fs.readdir(keysDir);
    const stale = path.join(keysDir, sub!, '.abc.0123456789abcdef.tmp');
    const fresh = path.join(keysDir, sub!, '.abc.fedcba9876543210.tmp');
    await fs.writeFile(stale, 'partial');
    await fs.writeFile(fresh, 'in progress');
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await fs.utimes(stale, twoHoursAgo, twoHoursAgo);

    expect(await cache.sweep()).toBe(1);
    const left = await listFiles(dir);
    expect(left.filter((f) => f.endsWith('.tmp'))).toEqual([path.relative(dir, fresh)]);
    expect(text(await cache.get('k'))).toBe('v');
  });

  it('is a no-op on a cache that was never written', async () => {
    expect(await Cache.open(path.join(dir, 'nothing')).sweep()).toBe(0);
  });
});
