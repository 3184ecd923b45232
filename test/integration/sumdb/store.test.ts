import { watch } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { StateStore } from '../../../src/sumdb/store.js';
import { connectSumdb } from '../../../src/sumdb/connect.js';
import { logOf, recordFor, startFixture, type Fixture } from './helpers.js';

const worker = resolve(import.meta.dirname, 'store-worker.ts');
let dir = '';
let fx: Fixture | undefined;
afterEach(async () => {
  await fx?.cleanup();
  fx = undefined;
  if (dir !== '') await rm(dir, { recursive: true, force: true });
  dir = '';
});

describe('when several processes write the tree-head store at once', () => {
  it('no update is lost and the file is never torn', async () => {
    dir = await mkdtemp(join(tmpdir(), 'modguard-store-'));
    const procs = 4;
    const rounds = 25;
    const results = await Promise.all(
      Array.from({ length: procs }, () =>
        execa('node', ['--import', 'tsx', worker, dir, String(rounds)]),
      ),
    );
    const store = new StateStore(dir, 'race.example.test');
    const text = Buffer.from(await store.readConfig('race.example.test/latest')).toString();
    expect(text).toBe(`${procs * rounds}\n${'x'.repeat(4096)}\n`);
    // Contention really happened (otherwise this test proves nothing about compare-and-swap).
    expect(results.reduce((n, r) => n + Number(r.stdout), 0)).toBeGreaterThan(0);
    expect(
      (await readdir(join(dir, 'latest'))).filter((f) => f.endsWith('.tmp') || f.endsWith('.lock')),
    ).toEqual([]);
  });

  it('when a writer expects an old value that is gone, changes nothing', async () => {
    dir = await mkdtemp(join(tmpdir(), 'modguard-store-'));
    const store = new StateStore(dir, 'x.test');
    await store.writeConfig('x.test/latest', new Uint8Array(), Buffer.from('one\n'));
    await expect(
      store.writeConfig('x.test/latest', new Uint8Array(), Buffer.from('two\n')),
    ).rejects.toMatchObject({
      code: 'STATE_CONFLICT',
    });
    expect(await readFile(store.latestPath, 'utf8')).toBe('one\n');
  });

  it('breaks a stale lock (older than 30 s) and leaves nothing behind', async () => {
    dir = await mkdtemp(join(tmpdir(), 'modguard-store-'));
    const store = new StateStore(dir, 'x.test');
    await mkdir(dirname(store.latestPath), { recursive: true });
    const lockFile = `${store.latestPath}.lock`;
    await writeFile(lockFile, '123 dead\n');
    const old = new Date(Date.now() - 60_000);
    await utimes(lockFile, old, old);
    await store.writeConfig('x.test/latest', new Uint8Array(), Buffer.from('one\n'));
    expect(await readFile(store.latestPath, 'utf8')).toBe('one\n');
    expect(await readdir(dirname(store.latestPath))).toEqual(['x.test']);
  });

  it('gives up on a lock it cannot take or remove with UNAVAILABLE, naming it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'modguard-store-'));
    const store = new StateStore(dir, 'x.test');
    const lockFile = `${store.latestPath}.lock`;
    await mkdir(lockFile, { recursive: true }); // a directory: never created, never removed
    const err = await store
      .writeConfig('x.test/latest', new Uint8Array(), Buffer.from('one\n'))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'UNAVAILABLE', local: lockFile }); // this machine's
    expect((err as Error).message).toContain(lockFile);
  }, 20_000);

  it('refuses cache names that would escape the directory', async () => {
    dir = await mkdtemp(join(tmpdir(), 'modguard-store-'));
    const store = new StateStore(dir, 'x.test');
    await expect(store.writeCache('x.test/../../evil', Buffer.from('x'))).rejects.toMatchObject({
      code: 'STATE_CONFLICT',
    });
    await expect(store.writeCache('other/tile/8/0/000', Buffer.from('x'))).rejects.toMatchObject({
      code: 'STATE_CONFLICT',
    });
  });
});

describe('when the disk refuses the state (full: a file size limit stands in)', () => {
  const fullWorker = resolve(import.meta.dirname, 'store-full-worker.ts');

  it('names the tree head it could not write when its folder cannot be made', async () => {
    dir = await mkdtemp(join(tmpdir(), 'modguard-store-'));
    const store = new StateStore(dir, 'x.test');
    await writeFile(join(dir, 'latest'), 'a file where the folder should be\n');
    const err = await store
      .writeConfig('x.test/latest', new Uint8Array(), Buffer.from('one\n'))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'UNAVAILABLE', local: store.latestPath });
    expect((err as Error).message).toMatch(new RegExp(`^writing ${store.latestPath}: E`));
  });

  it('leaves no lock or temporary file, and names the file it could not write', async () => {
    // 64 bytes: the lock is taken, the tree head and the tile are not written; 0: no lock either
    for (const limit of ['64', '0']) {
      dir = await mkdtemp(join(tmpdir(), 'modguard-store-'));
      const r = await execa('prlimit', [
        `--fsize=${limit}`,
        'node',
        '--import',
        'tsx',
        fullWorker,
        dir,
      ]);
      const errors = JSON.parse(r.stdout) as Record<string, string>;
      expect(errors['head'], limit).toMatch(/^UNAVAILABLE: (writing|taking the lock) /);
      expect(errors['head'], limit).toContain(join(dir, 'latest', 'x.test'));
      expect(errors['tile'], limit).toContain(
        `writing ${join(dir, 'cache', 'x.test', 'tile', '8', '0', '000')}`,
      );
      expect(await readdir(join(dir, 'latest'), { recursive: true }), limit).toEqual([]);
      const tiles = await readdir(join(dir, 'cache'), { recursive: true, withFileTypes: true });
      expect(
        tiles.filter((e) => e.isFile()).map((e) => e.name),
        limit,
      ).toEqual([]);
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('when the state is closed while it is written (an interrupted check)', () => {
  it('close waits for the tree head and the tiles being written, and refuses later writes', async () => {
    dir = await mkdtemp(join(tmpdir(), 'modguard-store-'));
    const store = new StateStore(dir, 'x.test');
    const head = Buffer.from('a tree head\n'.repeat(1000));
    const tile = Buffer.from('a tile');
    // The writes start; the process would end as soon as close resolves.
    const writes = [
      store.writeConfig('x.test/latest', new Uint8Array(), head),
      store.writeCache('x.test/tile/8/0/000', tile),
    ];
    await store.close();
    expect(await readdir(join(dir, 'latest'))).toEqual(['x.test']);
    expect(await readFile(store.latestPath)).toEqual(head);
    const tiles = join(dir, 'cache', 'x.test', 'tile', '8', '0');
    expect(await readdir(tiles)).toEqual(['000']);
    await Promise.all(writes);
    const late = store.writeCache('x.test/tile/8/0/001', tile);
    await expect(late).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(await readdir(tiles)).toEqual(['000']);
  });

  it('a connected client closes its state too', async () => {
    fx = await startFixture(logOf(10));
    const f = fx;
    const db = connectSumdb({
      verifierKey: f.key.verifierKey,
      baseUrl: f.server.url,
      stateDir: f.dir,
    });
    const latest = join(f.dir, 'latest');
    await mkdir(latest, { recursive: true });
    // Closed as soon as the first lookup takes the tree head's lock, as a signal would.
    const locked = new Promise<void>((resolve) => {
      const w = watch(latest, (_e, file) => {
        if (file?.endsWith('.lock') !== true) return;
        w.close();
        resolve();
      });
    });
    const lookup = db.client.lookup('example.com/m1', 'v1.0.1').catch((e: unknown) => e);
    await locked;
    await db.close();
    expect(await readdir(latest)).toEqual(['sumdb.example.test']);
    expect(await f.latestOnDisk()).toContain('go.sum database tree\n10\n');
    await lookup;
  });
});

describe('when concurrent clients share one state directory while the log grows', () => {
  it('the stored head ends as the newest verified tree', async () => {
    fx = await startFixture(logOf(100));
    const f = fx;
    const clients = Array.from({ length: 5 }, () =>
      connectSumdb({ verifierKey: f.key.verifierKey, baseUrl: f.server.url, stateDir: f.dir }),
    );
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 50; i++) f.server.state.add(recordFor(100 + round * 50 + i));
      await Promise.all(
        clients.map((c, k) => c.client.lookup(`example.com/m${k + round}`, `v1.0.${k + round}`)),
      );
    }
    expect(await f.latestOnDisk()).toContain('go.sum database tree\n300\n');
    await Promise.all(clients.map((c) => c.close()));
  });
});
