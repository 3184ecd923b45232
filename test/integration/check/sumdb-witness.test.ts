import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkClaims } from '../../../src/check/engine.js';
import { connectSumdb } from '../../../src/sumdb/connect.js';
import { sumdbWitness } from '../../../src/sumdb/witness.js';
import { startWorld, type World } from '../../../src/testing/world/index.js';

// The sumdb witness on the world's database: what is "not found", and the deadline.
const M = 'example.test/m';
const V = 'v1.0.0';

let world: World;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  world = await startWorld({ git: false, modules: [{ path: M, versions: [V] }] });
});
afterAll(async () => {
  await world?.stop();
});
afterEach(async () => {
  const f = world.sumdb.server.state.faults;
  for (const k of Object.keys(f)) delete (f as Record<string, unknown>)[k];
  for (const c of closers.splice(0)) await c();
});

function witness(deadlineMs?: number) {
  const db = connectSumdb({ verifierKey: world.sumdb.verifierKey, baseUrl: world.sumdb.url });
  closers.push(() => db.close());
  return sumdbWitness(db.client, world.sumdb.url, deadlineMs === undefined ? {} : { deadlineMs });
}

describe('sumdbWitness', () => {
  it('answers the proven record lines', async () => {
    const v = world.find(M, V);
    const r = await witness(5_000).lookup(M, V);
    expect(r.lines).toEqual([`${M} ${V} ${v.zipHash}`, `${M} ${V}/go.mod ${v.modHash}`]);
    expect(r.error).toBeUndefined();
  });

  it('a module the log does not hold is notFound', async () => {
    const r = await witness().lookup('example.test/absent', V);
    expect(r).toMatchObject({ notFound: true });
    expect(r.error).toBeUndefined();
  });

  it('a 404 for a tile the proof needs is an error, not notFound', async () => {
    world.sumdb.server.state.faults.missingTile = () => true;
    const r = await witness().lookup(M, V);
    expect(r.notFound).toBeUndefined();
    expect(r.error).toMatchObject({ code: 'NOT_FOUND', kind: 'unavailable' });
    expect(r.error?.message).toContain('/tile/');
  });

  it('a lookup past the deadline is a TIMEOUT error answer, and the line is MG201', async () => {
    world.sumdb.server.state.faults.slowMs = 1_500;
    const sumdb = witness(200);
    const started = Date.now();
    const r = await sumdb.lookup(M, V);
    expect(Date.now() - started).toBeLessThan(1_200);
    expect(r.error).toMatchObject({ code: 'TIMEOUT', kind: 'unavailable' });
    const claim = { module: M, version: V, kind: 'zip' as const, h1: world.find(M, V).zipHash };
    const [result] = await checkClaims([{ ...claim, file: 'go.sum', line: 1 }], {
      proxies: [],
      sumdb: witness(200),
      privacy: { skipsProxies: () => false, skipsSumdb: () => false },
    });
    expect(result?.verdict).toBe('inconclusive');
    expect(result?.findings[0]).toMatchObject({ code: 'MG201', witness: world.sumdb.name });
  });
});
