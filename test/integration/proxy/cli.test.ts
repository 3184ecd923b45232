import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { startWorld, type World } from '../../../src/testing/world/index.js';
import { tempDir } from './helpers.js';
import { capture } from '../../support/streams.js';

const M = 'example.test/cli/Tool';
const V = 'v1.4.0';
const PRIV = 'corp.test/internal';

let world: World;
let tmp: { dir: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  world = await startWorld({
    modules: [
      { path: M, versions: [V] },
      { path: 'example.test/gone', versions: [V] },
      { path: PRIV, versions: [V], private: true },
    ],
    knobs: [
      {
        kind: 'fault',
        proxy: 'A',
        rule: { path: 'example.test/gone', fault: { kind: 'status', status: 410 } },
      },
    ],
    git: false,
  });
  tmp = await tempDir();
});
afterAll(async () => {
  await world?.stop();
  await tmp.cleanup();
});

async function run(args: string[], env: Record<string, string> = {}) {
  const sealed = { HOME: tmp.dir, NETRC: `${tmp.dir}/no-netrc`, GOPROXY: world.proxyA.url, ...env };
  const c = capture(sealed);
  const code = await main(['proxy', ...args], c.io);
  return { code, out: c.out(), err: c.err() };
}

describe('modguard proxy get', () => {
  it('prints the source and the h1 of the .mod and the .zip', async () => {
    const r = await run(['get', `${M}@${V}`]);
    const v = world.find(M, V);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`go.mod  ${v.modHash}  from ${world.proxyA.url}`);
    expect(r.out).toContain(`zip     ${v.zipHash}  from ${world.proxyA.url}`);
  });

  it('reports each source tried before the one that answered', async () => {
    const r = await run([
      'get',
      `example.test/gone@${V}`,
      '--proxy',
      `${world.proxyA.url},${world.proxyB.url}`,
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`from ${world.proxyB.url}`);
    expect(r.out).toContain(`zip     tried ${world.proxyA.url}: NOT_FOUND (410)`);
  });

  it('prints JSON with --json', async () => {
    const r = await run(['get', `${M}@${V}`, '--json']);
    const j = JSON.parse(r.out) as { zip: { hash: string; source: string } };
    expect(j.zip).toMatchObject({ hash: world.find(M, V).zipHash, source: world.proxyA.url });
  });

  it('exits 1 with the reason when nothing could be had', async () => {
    const r = await run(['get', `example.test/gone@${V}`]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('410');
    const off = await run(['get', `${M}@${V}`, '--proxy', 'off']);
    expect(off.code).toBe(1);
    expect(off.err).toContain('GOPROXY=off');
  });

  it('never asks a proxy for a GOPRIVATE module', async () => {
    world.proxyA.requests.length = 0;
    // go-get discovery goes to a closed loopback port: direct fails, no proxy is asked.
    const args = ['get', `${PRIV}@${V}`, '--go-get-base', 'http://127.0.0.1:1'];
    const r = await run(args, { GOPRIVATE: 'corp.test' });
    expect(r.code).toBe(1);
    expect(r.err).toContain(`direct: ${PRIV}/@v/${V}.mod`);
    expect(world.proxyA.requests).toEqual([]);
  });

  it('refuses credentials over http without printing them', async () => {
    const u = new URL(world.proxyA.url);
    u.username = 'me';
    u.password = 'hunter2';
    const r = await run(['get', `${M}@${V}`, '--proxy', u.toString()]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('refusing to send credentials over plain http');
    expect(r.err).not.toContain('hunter2');
  });

  it('exits 2 on a malformed argument', async () => {
    expect((await run(['get', 'nodomain'])).code).toBe(2);
    expect((await run(['get', `${M}@latest`])).code).toBe(2);
    expect((await run(['fetch'])).code).toBe(2);
  });
});
