import { afterEach, describe, expect, it } from 'vitest';
import { logOf, recordFor, startFixture, type Fixture } from './helpers.js';

let fx: Fixture | undefined;
afterEach(async () => {
  await fx?.cleanup();
  fx = undefined;
});

describe('when the database is honest', () => {
  it('returns both go.sum lines proven against the signed tree', async () => {
    fx = await startFixture(logOf(1000));
    const { client } = fx.client();
    const r = await client.lookup('example.com/m777', 'v1.0.777');
    expect(r.lines).toEqual(recordFor(777).trimEnd().split('\n'));
    expect(r.recordId).toBe(777);
    expect(r.treeSize).toBe(1000);
    expect(await fx.latestOnDisk()).toContain('go.sum database tree\n1000\n');
  });

  it('fetches only the tiles it needs, and a warm client fetches no full tiles', async () => {
    fx = await startFixture(logOf(1000));
    const cold = fx.client().client;
    await cold.lookup('example.com/m5', 'v1.0.5');
    const coldStats = { ...cold.tileStats };
    // Tree of 1000 at height 8: full tiles 0/000..0/002 as needed, partials 0/003.p/232 and 1/000.p/3.
    expect(coldStats.remoteFull + coldStats.remotePartial).toBeLessThanOrEqual(3);
    const warm = fx.client().client;
    fx.server.state.requests.length = 0;
    await warm.lookup('example.com/m5', 'v1.0.5');
    expect(warm.tileStats.remoteFull).toBe(0);
    expect(fx.server.state.requests.filter((p) => p.startsWith('/tile/'))).toEqual([]);
  });

  it('when the tree grows between lookups, proves the new tree extends the old', async () => {
    const log = logOf(300);
    fx = await startFixture(log);
    const { client } = fx.client();
    await client.lookup('example.com/m1', 'v1.0.1');
    for (let i = 300; i < 700; i++) fx.server.state.add(recordFor(i));
    const r = await client.lookup('example.com/m650', 'v1.0.650');
    expect(r.treeSize).toBe(700);
    expect(await fx.latestOnDisk()).toContain('\n700\n');
    // A second process starting from the stored head of 700 accepts it too.
    expect((await fx.client().client.lookup('example.com/m2', 'v1.0.2')).treeSize).toBe(700);
  });

  it('when the module is not in the database, says NOT_FOUND (unavailable, never verified)', async () => {
    fx = await startFixture(logOf(10));
    await expect(fx.client().client.lookup('example.com/none', 'v1.0.0')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      kind: 'unavailable',
    });
  });

  it('handles concurrent lookups of many modules in one client', async () => {
    fx = await startFixture(logOf(600));
    const { client } = fx.client();
    const ids = [3, 255, 256, 511, 512, 599, 3];
    const rs = await Promise.all(ids.map((i) => client.lookup(`example.com/m${i}`, `v1.0.${i}`)));
    expect(rs.map((r) => r.recordId)).toEqual(ids);
  });
});
