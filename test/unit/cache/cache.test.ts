import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Cache, type VerifiedRecord } from '../../../src/cache/cache.js';
import { Journal } from '../../../src/cache/journal.js';

let dir: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'modguard-cache-'));
});

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** listFiles lists every file under root, relative, sorted. */
async function listFiles(root: string): Promise<string[]> {
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();
}

const asString = (v: unknown) => (typeof v === 'string' ? v : undefined);

describe('Journal', () => {
  it('buffers records until flush, then writes one file that a new reader sees', async () => {
    const file = path.join(dir, 'v1', 'facts.jsonl');
    const j = new Journal(file, asString);
    j.set('a', 'one', 1000);
    j.set('b', 'two', 2000);
    expect((await j.get('a'))?.value).toBe('one');
    await expect(fs.stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
    await j.flush();
    expect(await listFiles(dir)).toEqual([path.join('v1', 'facts.jsonl')]);
    const again = new Journal(file, asString);
    expect(await again.get('a')).toEqual({ value: 'one', at: 1000 });
    expect(await again.get('b')).toEqual({ value: 'two', at: 2000 });
    expect(await again.get('c')).toBeUndefined();
  });

  it('keeps what another writer flushed meanwhile, and its own newer record of a key', async () => {
    const file = path.join(dir, 'facts.jsonl');
    const first = new Journal(file, asString);
    const second = new Journal(file, asString);
    expect(await first.get('x')).toBeUndefined(); // first has read the (absent) file
    second.set('x', 'from second', 1);
    second.set('shared', 'old', 1);
    await second.flush();
    first.set('shared', 'new', 2);
    await first.flush();
    const reader = new Journal(file, asString);
    expect((await reader.get('x'))?.value).toBe('from second');
    expect((await reader.get('shared'))?.value).toBe('new');
  });

  it.each([
    ['a torn last line', (t: string) => t.slice(0, -5)],
    ['a line that is not JSON', (t: string) => t.replace('{"k":"b"', '{"k":"b"garbage')],
    ['a value the parser refuses', (t: string) => t.replace('"v":"two"', '"v":2')],
    ['a record without a time', (t: string) => t.replace(',"at":2000', '')],
    ['bytes that are not UTF-8', (t: string) => t.replace('two', '\uFFFD')],
  ])('treats %s as a miss and keeps the other records', async (_, corrupt) => {
    const file = path.join(dir, 'facts.jsonl');
    const j = new Journal(file, asString);
    j.set('a', 'one', 1000);
    j.set('b', 'two', 2000);
    await j.flush();
    await fs.writeFile(file, corrupt(await fs.readFile(file, 'utf8')));
    const reader = new Journal(file, (v) => (v === 'two' || v === 'one' ? v : undefined));
    expect((await reader.get('a'))?.value).toBe('one');
    expect(await reader.get('b')).toBeUndefined();
  });

  it('drops the oldest records past its bound', async () => {
    const file = path.join(dir, 'facts.jsonl');
    const j = new Journal(file, asString, 3);
    for (let i = 0; i < 5; i++) j.set(`k${i}`, `v${i}`, 100 + i);
    await j.flush();
    const reader = new Journal(file, asString);
    const kept = await Promise.all([0, 1, 2, 3, 4].map(async (i) => reader.get(`k${i}`)));
    expect(kept.map((e) => e?.value)).toEqual([undefined, undefined, 'v2', 'v3', 'v4']);
  });

  it('writes nothing when nothing was set', async () => {
    const j = new Journal(path.join(dir, 'facts.jsonl'), asString);
    await j.flush();
    expect(await listFiles(dir)).toEqual([]);
  });
});

describe('Cache verified lines', () => {
  const record: VerifiedRecord = {
    module: 'example.com/m',
    version: 'v1.2.3',
    kind: 'zip',
    h1: 'h1:cq1Wlc5Q/3TKMd9Nt+I/D/H5kAJrHbzSCzH20/f7O0w=',
    witnesses: ['proxy A', 'proxy B', 'sum.golang.org'],
    notes: [],
    at: '2026-11-21T12:00:00.000Z',
  };

  it('remembers exactly the (module, version, kind, h1) that was verified', async () => {
    const cache = Cache.open(dir);
    expect(await cache.verified(record)).toBeUndefined();
    cache.markVerified(record);
    expect(await cache.verified(record)).toEqual(record);
    expect(
      await cache.verified({ ...record, h1: 'h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=' }),
    ).toBeUndefined();
    expect(await cache.verified({ ...record, kind: 'go.mod' })).toBeUndefined();
    expect(await cache.verified({ ...record, version: 'v1.2.4' })).toBeUndefined();
  });

  it('keeps them across runs in one journal file, once flushed', async () => {
    const cache = Cache.open(dir);
    cache.markVerified(record);
    cache.markVerified({
      ...record,
      kind: 'go.mod',
      h1: 'h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=',
    });
    expect(await Cache.open(dir).verified(record)).toBeUndefined();
    await cache.flush();
    expect(await listFiles(dir)).toEqual([path.join('v1', 'verified.jsonl')]);
    expect(await Cache.open(dir).verified(record)).toEqual(record);
  });

  it('refuses a record whose fields differ from the line asked about', async () => {
    const cache = Cache.open(dir);
    cache.markVerified(record);
    await cache.flush();
    const file = path.join(dir, 'v1', 'verified.jsonl');
    const text = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, text.replace('"version":"v1.2.3"', '"version":"v9.9.9"'));
    expect(await Cache.open(dir).verified(record)).toBeUndefined();
  });

  it('keeps the notes a line was verified with; a record without notes is a miss', async () => {
    const evidence = [
      { witness: 'git tag', url: 'https://git.example/m', h1: 'h1:x', error: null },
    ];
    const noted = {
      ...record,
      notes: [{ code: 'MG704', witness: 'git tag', detail: 'd', evidence }],
    };
    const cache = Cache.open(dir);
    cache.markVerified(noted);
    await cache.flush();
    expect(await Cache.open(dir).verified(record)).toEqual(noted);
    const file = path.join(dir, 'v1', 'verified.jsonl');
    const text = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, text.replace(/,"notes":\[.*\]\}\]/, ''));
    expect(await fs.readFile(file, 'utf8')).not.toContain('notes');
    expect(await Cache.open(dir).verified(record)).toBeUndefined();
  });
});

describe('Cache under concurrent writers', () => {
  it('keeps every record when separate processes flush one after another, and leaves no temporary file', async () => {
    const worker = path.join(dir, 'worker.mts');
    const cacheModule = path.resolve('src/cache/cache.ts');
    await fs.writeFile(
      worker,
      `import { Cache } from ${JSON.stringify(cacheModule)};\n` +
        `const [dir, id] = process.argv.slice(2);\n` +
        `for (let i = 0; i < 20; i++) {\n` +
        `  const cache = Cache.open(dir);\n` +
        `  cache.markVerified({ module: 'example.com/' + id, version: 'v1.0.' + i, kind: 'zip',\n` +
        `    h1: 'h1:x', witnesses: ['A'], notes: [], at: 'now' });\n` +
        `  await cache.flush();\n` +
        `}\n`,
    );
    const store = path.join(dir, 'store');
    const tsx = path.resolve('node_modules/tsx/dist/cli.mjs');
    const runs = ['a', 'b', 'c', 'd'].map(async (id) => {
      const done = await execa(process.execPath, [tsx, worker, store, id], { reject: false });
      return done.exitCode;
    });
    expect(await Promise.all(runs)).toEqual([0, 0, 0, 0]);
    const cache = Cache.open(store);
    // Racing flushes may lose each other's newest records (a re-check), never corrupt one:
    // each process's last record survives its own final flush unless another replaced
    // the file in between; the file always parses in full.
    const lines = (await fs.readFile(path.join(store, 'v1', 'verified.jsonl'), 'utf8')).split('\n');
    expect(lines.at(-1)).toBe('');
    for (const l of lines.slice(0, -1)) expect(() => JSON.parse(l) as unknown).not.toThrow();
    const found = await Promise.all(
      ['a', 'b', 'c', 'd'].map((id) =>
        cache.verified({
          module: `example.com/${id}`,
          version: 'v1.0.19',
          kind: 'zip',
          h1: 'h1:x',
        }),
      ),
    );
    expect(found.filter((r) => r !== undefined).length).toBeGreaterThan(0);
    expect((await listFiles(store)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 60_000);
});

describe('Cache.sweep', () => {
  it('removes temporary files a crashed writer left, once they are old, and nothing else', async () => {
    const cache = Cache.open(dir);
    const v1 = path.join(dir, 'v1');
    await fs.mkdir(v1, { recursive: true });
    const stale = path.join(v1, '.verified.jsonl.0123456789abcdef.tmp');
    const fresh = path.join(v1, '.verified.jsonl.fedcba9876543210.tmp');
    await fs.writeFile(stale, 'partial');
    await fs.writeFile(fresh, 'in progress');
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await fs.utimes(stale, twoHoursAgo, twoHoursAgo);

    expect(await cache.sweep()).toBe(1);
    const left = await listFiles(dir);
    expect(left).toEqual([path.relative(dir, fresh)]);
  });

  it('is a no-op on a cache that was never written', async () => {
    expect(await Cache.open(path.join(dir, 'nothing')).sweep()).toBe(0);
  });
});
