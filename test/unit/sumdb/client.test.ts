// The client's logic through its ClientOps seam, with plain values: no HTTP, no disk.
import { describe, expect, it } from 'vitest';
import { SumdbClient } from '../../../src/sumdb/client.js';
import { memoryState } from '../../../src/sumdb/connect.js';
import { SumdbError } from '../../../src/sumdb/errors.js';
import { generateKey, parseSignerKey, signNote } from '../../../src/sumdb/note.js';
import type { ClientOps } from '../../../src/sumdb/ops.js';
import { formatRecord, formatTree } from '../../../src/sumdb/tlog-note.js';
import { parseTilePath } from '../../../src/sumdb/tlog-tile.js';
import { SumdbLog } from '../../../src/testing/sumdb-log.js';

const key = generateKey('plain.sumdb.test');

/** opsFor serves `log` through readRemote as plain values, and keeps state in memory. */
async function opsFor(log: SumdbLog): Promise<ClientOps & { remote: string[] }> {
  const note = signNote(formatTree({ n: log.size, hash: await log.treeHash() }), [
    parseSignerKey(key.signerKey),
  ]);
  const remote: string[] = [];
  const readRemote = async (path: string): Promise<Uint8Array> => {
    remote.push(path);
    if (path.startsWith('/lookup/example.com/m')) {
      const id = Number(path.slice('/lookup/example.com/m'.length).split('@')[0]);
      const text = log.record(id);
      if (text === undefined) throw new SumdbError('NOT_FOUND', path);
      return Buffer.concat([formatRecord(id, text), Buffer.from(note)]);
    }
    const data = log.hashTile(parseTilePath(path.slice(1)));
    if (data === undefined) throw new SumdbError('NOT_FOUND', path);
    return data;
  };
  return { ...memoryState(), readRemote, remote };
}

function logOf(n: number): SumdbLog {
  const log = new SumdbLog();
  for (let i = 0; i < n; i++) log.append(`example.com/m${i} v1.0.${i} h1:x${i}\n`);
  return log;
}

describe('when the client runs over plain values', () => {
  it('proves a record and caches the lookup and the tiles after proving them', async () => {
    const ops = await opsFor(logOf(600));
    const c = new SumdbClient({ verifierKey: key.verifierKey, ops });
    expect((await c.lookup('example.com/m300', 'v1.0.300')).lines).toEqual([
      'example.com/m300 v1.0.300 h1:x300',
    ]);
    expect(await ops.readCache('plain.sumdb.test/lookup/example.com/m300@v1.0.300')).toBeDefined();
    expect(await ops.readCache('plain.sumdb.test/tile/8/0/001')).toBeDefined();
    const again = new SumdbClient({ verifierKey: key.verifierKey, ops });
    ops.remote.length = 0;
    await again.lookup('example.com/m300', 'v1.0.300');
    expect(ops.remote).toEqual([]);
  });

  it('when a cached lookup was tampered with, reads it from the server and replaces it', async () => {
    const ops = await opsFor(logOf(600));
    await new SumdbClient({ verifierKey: key.verifierKey, ops }).lookup('example.com/m7', 'v1.0.7');
    const file = 'plain.sumdb.test/lookup/example.com/m7@v1.0.7';
    const good = Buffer.from((await ops.readCache(file)) ?? []);
    await ops.writeCache(file, Buffer.from(good.toString().replace('h1:x7', 'h1:evil')));
    ops.remote.length = 0;
    const c = new SumdbClient({ verifierKey: key.verifierKey, ops });
    expect((await c.lookup('example.com/m7', 'v1.0.7')).lines).toEqual([
      'example.com/m7 v1.0.7 h1:x7',
    ]);
    expect(ops.remote).toEqual(['/lookup/example.com/m7@v1.0.7']);
    expect(Buffer.from((await ops.readCache(file)) ?? [])).toEqual(good);
  });

  it('when a cached tile was tampered with, reads it from the server and replaces it', async () => {
    const ops = await opsFor(logOf(600));
    await new SumdbClient({ verifierKey: key.verifierKey, ops }).lookup('example.com/m7', 'v1.0.7');
    const good = Uint8Array.from((await ops.readCache('plain.sumdb.test/tile/8/0/000')) ?? []);
    const tile = Uint8Array.from(good);
    tile[5] = (tile[5] ?? 0) ^ 0x40;
    await ops.writeCache('plain.sumdb.test/tile/8/0/000', tile);
    ops.remote.length = 0;
    const c = new SumdbClient({ verifierKey: key.verifierKey, ops });
    expect((await c.lookup('example.com/m9', 'v1.0.9')).recordId).toBe(9);
    expect(ops.remote).toContain('/tile/8/0/000');
    expect(await ops.readCache('plain.sumdb.test/tile/8/0/000')).toEqual(good);
  });

  it('when the cache was tampered with and the server cannot answer, nothing is verified', async () => {
    const ops = await opsFor(logOf(600));
    await new SumdbClient({ verifierKey: key.verifierKey, ops }).lookup('example.com/m7', 'v1.0.7');
    const file = 'plain.sumdb.test/lookup/example.com/m7@v1.0.7';
    const cached = Buffer.from((await ops.readCache(file)) ?? []).toString();
    await ops.writeCache(file, Buffer.from(cached.replace('h1:x7', 'h1:evil')));
    const tile = Uint8Array.from((await ops.readCache('plain.sumdb.test/tile/8/0/000')) ?? []);
    tile[5] = (tile[5] ?? 0) ^ 0x40;
    await ops.writeCache('plain.sumdb.test/tile/8/0/000', tile);
    // The lookup of m9 still comes, but no tile and no m7: the cache alone must not do.
    const read = ops.readRemote;
    ops.readRemote = async (p) => {
      if (p.startsWith('/lookup/example.com/m9@')) return read(p);
      throw new SumdbError('UNAVAILABLE', `reading https://db.test${p}: connection refused`);
    };
    for (const [m, v] of [
      ['example.com/m7', 'v1.0.7'],
      ['example.com/m9', 'v1.0.9'],
    ] as const) {
      const c = new SumdbClient({ verifierKey: key.verifierKey, ops });
      await expect(c.lookup(m, v)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    }
  });

  it('when the record id is beyond the signed tree, refuses it', async () => {
    const log = logOf(10);
    const ops = await opsFor(log);
    const read = ops.readRemote;
    ops.readRemote = async (p) => {
      const data = Buffer.from(await read(p));
      return p.startsWith('/lookup/')
        ? Buffer.from(data.toString().replace(/^\d+\n/, '12\n'))
        : data;
    };
    const c = new SumdbClient({ verifierKey: key.verifierKey, ops });
    await expect(c.lookup('example.com/m3', 'v1.0.3')).rejects.toMatchObject({
      code: 'RECORD_NOT_IN_TREE',
    });
  });

  describe('when a partial tile cannot be read (x/mod client.go readTile)', () => {
    // Tree 600: the record 599 needs the partial tile 0/002.p/88, whose full tile 0/002 does
    // not exist yet, so the full tile's 404 says nothing about why the read failed.
    async function opsFailing(partial: (p: string) => Promise<Uint8Array>) {
      const ops = await opsFor(logOf(600));
      const read = ops.readRemote;
      ops.readRemote = (p) => (p === '/tile/8/0/002.p/88' ? partial(p) : read(p));
      return ops;
    }

    it("reports the partial tile's error, not the full tile's", async () => {
      const ops = await opsFailing(async (p) => {
        throw new SumdbError('UNAVAILABLE', `reading https://db.test${p}: 500`);
      });
      const c = new SumdbClient({ verifierKey: key.verifierKey, ops });
      const err = await c.lookup('example.com/m599', 'v1.0.599').catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'UNAVAILABLE' });
      expect(String(err)).toContain('https://db.test/tile/8/0/002.p/88: 500');
      expect(ops.remote).toContain('/tile/8/0/002');
    });

    it('a full tile that came but is too short names both tiles', async () => {
      const ops = await opsFailing(async (p) => {
        throw new SumdbError('NOT_FOUND', `reading https://db.test${p}: 404`);
      });
      const read = ops.readRemote;
      ops.readRemote = async (p) => (p === '/tile/8/0/002' ? new Uint8Array(100) : read(p));
      const c = new SumdbClient({ verifierKey: key.verifierKey, ops });
      const err = await c.lookup('example.com/m599', 'v1.0.599').catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'TILE_MALFORMED' });
      expect(String(err)).toContain('tile/8/0/002 has 100 bytes');
      expect(String(err)).toContain('https://db.test/tile/8/0/002.p/88: 404');
    });
  });
});
