import { readdir, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectSumdb } from '../../../src/sumdb/connect.js';
import { generateKey } from '../../../src/sumdb/note.js';
import { SumdbForkError } from '../../../src/sumdb/errors.js';
import { recordHash } from '../../../src/sumdb/tlog-hash.js';
import { SumdbLog } from '../../../src/testing/sumdb-log.js';
import { logOf, recordFor, startFixture, type Fixture } from './helpers.js';

let fx: Fixture | undefined;
afterEach(async () => {
  await fx?.cleanup();
  fx = undefined;
});

/** establish runs one honest lookup so the state directory holds a verified head, and returns it. */
async function establish(f: Fixture): Promise<string> {
  await f.client().client.lookup('example.com/m1', 'v1.0.1');
  const head = await f.latestOnDisk();
  expect(head).toContain('go.sum database tree');
  return head;
}

/** grown is a fixture whose state holds head 500, then the log grows to 800 (new tiles needed). */
async function grown(): Promise<Fixture> {
  const f = await startFixture(logOf(500));
  await establish(f);
  for (let i = 500; i < 800; i++) f.server.state.add(recordFor(i));
  return f;
}

/**
 * expectRejected looks up a module with a new client from the same state and expects `code`;
 * the stored head must be unchanged, except where a tile fault hits only the record's tiles
 * after the new head was proven (then the head may advance to that proven head).
 */
async function expectRejected(
  f: Fixture,
  code: string,
  module = 'example.com/m42',
  version = 'v1.0.42',
  headMayAdvanceTo?: string,
): Promise<unknown> {
  const before = await f.latestOnDisk();
  const { client } = f.client();
  const err = await client.lookup(module, version).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toMatchObject({ code });
  const after = await f.latestOnDisk();
  if (headMayAdvanceTo !== undefined && after !== before) expect(after).toContain(headMayAdvanceTo);
  else expect(after).toBe(before);
  return err;
}

describe('when the server lies', () => {
  it('a bad signature is NOTE_BAD_SIGNATURE and the stored head is unchanged', async () => {
    fx = await startFixture(logOf(500));
    await establish(fx);
    fx.server.state.add(recordFor(500));
    fx.server.state.faults.badSignature = true;
    await expectRejected(fx, 'NOTE_BAD_SIGNATURE');
  });

  it('a note signed by another key is NOTE_UNVERIFIED', async () => {
    fx = await startFixture(logOf(500));
    await establish(fx);
    fx.server.state.faults.wrongKey = generateKey('sumdb.example.test').signerKey;
    await expectRejected(fx, 'NOTE_UNVERIFIED');
  });

  it('a record that differs from the logged one is RECORD_MISMATCH', async () => {
    fx = await startFixture(logOf(500));
    await establish(fx);
    fx.server.state.faults.records = new Map([[`example.com/m42@v1.0.42`, recordFor(42, 'evil')]]);
    await expectRejected(fx, 'RECORD_MISMATCH');
    expect(await fx.latestOnDisk()).toContain('\n500\n');
  });

  it('a forked tree (an earlier record rewritten) is SUMDB_FORK with both notes as evidence', async () => {
    const main = logOf(500);
    fx = await startFixture(main);
    const head = await establish(fx);
    const fork = new SumdbLog();
    for (let i = 0; i < 600; i++) fork.append(recordFor(i, i === 42 ? 'evil' : ''));
    fx.server.state.faults.view = () => ({ log: fork });
    const err = await expectRejected(fx, 'SUMDB_FORK');
    expect(err).toBeInstanceOf(SumdbForkError);
    const fe = err as SumdbForkError;
    expect(fe.olderNote).toBe(head);
    expect(fe.newerNote).toContain('go.sum database tree\n600\n');
    expect(fe.kind).toBe('verification');
  });

  it('two trees for two clients: each alone verifies, one state seeing both is SUMDB_FORK', async () => {
    const fork = logOf(500, 'other');
    fx = await startFixture(logOf(500));
    let target = 'main';
    fx.server.state.faults.view = () => (target === 'fork' ? { log: fork } : undefined);
    await establish(fx);
    const other = connectSumdb({ verifierKey: fx.key.verifierKey, baseUrl: fx.server.url });
    target = 'fork';
    // A client with no history cannot tell (this is what witnesses are for) ...
    expect((await other.client.lookup('example.com/m7', 'v1.0.7')).treeSize).toBe(500);
    await other.close();
    // ... but the state directory that saw the main tree refuses the other one.
    await expectRejected(fx, 'SUMDB_FORK');
  });

  it('a tree of the stored size with another hash is SUMDB_FORK, however old the cached tiles', async () => {
    const fork = logOf(500, 'other');
    fx = await startFixture(logOf(500));
    await establish(fx);
    // Partial tiles are re-fetched after 10 minutes: the fork must not depend on them.
    const old = new Date(Date.now() - 11 * 60_000);
    for (const f of await readdir(fx.dir, { recursive: true, withFileTypes: true })) {
      if (f.isFile()) await utimes(join(f.parentPath, f.name), old, old);
    }
    fx.server.state.faults.view = () => ({ log: fork });
    const err = await expectRejected(fx, 'SUMDB_FORK');
    expect((err as SumdbForkError).newerNote).toContain('go.sum database tree\n500\n');
  });

  it('a rolled-back tree never replaces the newer stored head', async () => {
    const log = logOf(600);
    fx = await startFixture(log);
    const head = await establish(fx);
    fx.server.state.faults.view = () => ({ log, size: 400 });
    const { client } = fx.client();
    // Go's algorithm accepts an older head only once it is proven a prefix of the newest one
    // with the newest tree's tiles; this server no longer has them, so nothing is verified.
    await expect(client.lookup('example.com/m42', 'v1.0.42')).rejects.toMatchObject({
      kind: 'unavailable',
    });
    expect(await fx.latestOnDisk()).toBe(head);
    // When it serves the newest tiles again, the older head is proven consistent and the record
    // is proven in tree 600, not 400.
    fx.server.state.faults.view = () => ({ log, size: 400, tiles: log });
    expect(await client.lookup('example.com/m42', 'v1.0.42')).toMatchObject({ treeSize: 600 });
    expect(await fx.latestOnDisk()).toBe(head);
  });

  it('a rolled-back tree that then diverged is SUMDB_FORK', async () => {
    const log = logOf(600);
    fx = await startFixture(log);
    await establish(fx);
    const diverged = new SumdbLog();
    for (let i = 0; i < 450; i++) diverged.append(recordFor(i, i >= 400 ? 'evil' : ''));
    fx.server.state.faults.view = () => ({ log: diverged, tiles: log });
    await expectRejected(fx, 'SUMDB_FORK');
  });

  it('a missing tile leaves the lookup unavailable (NOT_FOUND), never verified', async () => {
    fx = await grown();
    fx.server.state.faults.missingTile = (p) => p.startsWith('tile/8/0/002');
    await expectRejected(fx, 'NOT_FOUND', 'example.com/m700', 'v1.0.700', '\n800\n');
  });

  it('a truncated tile is TILE_MALFORMED', async () => {
    fx = await grown();
    fx.server.state.faults.truncatedTile = () => true;
    await expectRejected(fx, 'TILE_MALFORMED', 'example.com/m700', 'v1.0.700', '\n800\n');
  });

  it('a corrupted tile is TILE_INCONSISTENT', async () => {
    fx = await grown();
    fx.server.state.faults.corruptTile = (p) => p === 'tile/8/0/002';
    await expectRejected(fx, 'TILE_INCONSISTENT', 'example.com/m700', 'v1.0.700', '\n800\n');
  });

  it('a forged record with its leaf planted in a tile is TILE_INCONSISTENT', async () => {
    // Tree 800: the root subtrees 512 and 256 share tile 1/000.p/3, so the record's tile 0/002
    // must be proven by its parent; x/mod v0.7.0's tileHashReader skips that check here.
    fx = await grown();
    const forged = recordFor(700, 'evil');
    fx.server.state.faults.records = new Map([['example.com/m700@v1.0.700', forged]]);
    fx.server.state.faults.rewriteTile = (p, data) => {
      if (p !== 'tile/8/0/002') return data;
      const out = Uint8Array.from(data);
      out.set(recordHash(Buffer.from(forged)), (700 - 512) * 32);
      return out;
    };
    await expectRejected(fx, 'TILE_INCONSISTENT', 'example.com/m700', 'v1.0.700', '\n800\n');
  });

  it('a slow server times out as UNAVAILABLE', async () => {
    fx = await startFixture(logOf(50));
    fx.server.state.faults.slowMs = 1500;
    const c = connectSumdb({
      verifierKey: fx.key.verifierKey,
      baseUrl: fx.server.url,
      http: { headersMs: 200 },
    });
    await expect(c.client.lookup('example.com/m1', 'v1.0.1')).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
    await c.close();
  });
});
