// modguard's own cache is evidence it wrote after proving it, but a disk can rot and a
// file can be edited: a cached tile or lookup that fails verification is the cache's
// fault. The client discards it and reads the same thing from the server once; only if
// the server's copy fails too is the server blamed. Never does the cache make a record
// verified. Each test runs twice against a loopback database sharing one state directory,
// corrupting a file of that directory in between. (The stored tree head is not a cache
// entry: one that does not verify stops every lookup, stored-head.test.ts.)
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { logOf, recordFor, startFixture, type Fixture } from './helpers.js';

let fx: Fixture | undefined;
afterEach(async () => {
  await fx?.cleanup();
  fx = undefined;
});

const NAME = 'sumdb.example.test';

/** cached is the path of a file in the fixture's sumdb cache. */
function cached(f: Fixture, rel: string): string {
  return join(f.dir, 'cache', encodeURIComponent(NAME), rel);
}

/** flipByte changes one byte of a file in place. */
async function flipByte(path: string, at: number): Promise<void> {
  const data = await readFile(path);
  data[at] = (data[at] ?? 0) ^ 0x01;
  await writeFile(path, data);
}

/** firstRun proves m7 in a tree of 1000, leaving its lookup, tiles and tree head on disk. */
async function firstRun(): Promise<Fixture> {
  const f = await startFixture(logOf(1000), NAME);
  await f.client().client.lookup('example.com/m7', 'v1.0.7');
  f.server.state.requests.length = 0;
  return f;
}

/** secondRun looks up m<i> with a new client over the same state directory. */
function secondRun(f: Fixture, i: number) {
  return f
    .client()
    .client.lookup(`example.com/m${i}`, `v1.0.${i}`)
    .then(
      (r) => ({ lines: r.lines, error: undefined }),
      (error: unknown) => ({ lines: undefined, error }),
    );
}

describe('when a cached tile is corrupt', () => {
  it('reads it again from the server, proves the record, and replaces the file', async () => {
    fx = await firstRun();
    const file = cached(fx, 'tile/8/0/000');
    const good = await readFile(file);
    await flipByte(file, 40);
    const r = await secondRun(fx, 9);
    expect(r.error).toBeUndefined();
    expect(r.lines).toEqual(recordFor(9).trimEnd().split('\n'));
    expect(fx.server.state.requests).toContain('/tile/8/0/000');
    expect(await readFile(file)).toEqual(good);
  });

  it('when the server serves it corrupt too, the server is blamed and nothing is verified', async () => {
    fx = await firstRun();
    await flipByte(cached(fx, 'tile/8/0/000'), 40);
    fx.server.state.faults.corruptTile = (p) => p === 'tile/8/0/000';
    const r = await secondRun(fx, 9);
    expect(r.lines).toBeUndefined();
    expect(r.error).toMatchObject({ code: 'TILE_INCONSISTENT', kind: 'verification' });
    expect(fx.server.state.requests.filter((p) => p === '/tile/8/0/000')).toHaveLength(1);
  });

  it('a cached tile cut short is read again too', async () => {
    fx = await firstRun();
    const file = cached(fx, 'tile/8/0/000');
    await writeFile(file, (await readFile(file)).subarray(0, 100));
    expect((await secondRun(fx, 9)).error).toBeUndefined();
    expect(fx.server.state.requests).toContain('/tile/8/0/000');
  });
});

describe('when a cached lookup is corrupt', () => {
  it('reads it again from the server, proves it, and replaces the file', async () => {
    fx = await firstRun();
    const file = cached(fx, 'lookup/example.com/m7@v1.0.7');
    const good = await readFile(file);
    await writeFile(file, good.toString('latin1').replace('h1:', 'h1:A'), 'latin1');
    const r = await secondRun(fx, 7);
    expect(r.error).toBeUndefined();
    expect(r.lines).toEqual(recordFor(7).trimEnd().split('\n'));
    expect(fx.server.state.requests).toContain('/lookup/example.com/m7@v1.0.7');
    expect(await readFile(file)).toEqual(good);
  });

  it('when the server serves a lying record too, the server is blamed', async () => {
    fx = await firstRun();
    await flipByte(cached(fx, 'lookup/example.com/m7@v1.0.7'), 0);
    fx.server.state.faults.records = new Map([['example.com/m7@v1.0.7', recordFor(7, 'evil')]]);
    const r = await secondRun(fx, 7);
    expect(r.error).toMatchObject({ code: 'RECORD_MISMATCH', kind: 'verification' });
  });
});
