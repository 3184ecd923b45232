import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, type World } from '../../../src/testing/world/index.js';
import { defaultProcess, runCheckOn, sumLines, type Outcome } from './helpers.js';

/**
 * A record in the cache of verified lines says which witnesses verified the line, and
 * counts only for a run that would ask no other witness. Offline, that is the witnesses
 * this configuration would ask online: a line verified once with fewer (here GOSUMDB=off,
 * both proxies serving the same tampered zip) must not pass offline a check that online
 * fails. And a run that may ask no witness at all about a line (it became private) does
 * not take it as verified from any record.
 */
const M = 'example.test/both-tampered';
const V = 'v1.0.0';
const UNSIGNED = 'example.test/unsigned';
let world: World;
let cacheDir: string;

beforeAll(async () => {
  world = await startWorld({
    modules: [
      { path: M, versions: [V] },
      { path: UNSIGNED, versions: [V], tag: 'lightweight' },
    ],
    knobs: [
      { kind: 'tamper', proxy: 'A', path: M, version: V },
      { kind: 'tamper', proxy: 'B', path: M, version: V },
    ],
  });
  cacheDir = await mkdtemp(join(tmpdir(), 'modguard-offline-'));
});
afterAll(async () => {
  await world?.stop();
  await rm(cacheDir, { recursive: true, force: true });
});

const codes = (o: Outcome) => o.report.findings.map((f) => `${f.code} ${f.kind}`);

describe('when the cache holds a line verified by fewer witnesses', () => {
  it('--offline does not count it, though --offline with those witnesses does', async () => {
    const v = world.find(M, V);
    const tampered = v.served.A?.zipHash ?? '';
    expect(tampered).toBe(v.served.B?.zipHash);
    expect(tampered).not.toBe(v.zipHash);
    const project = { goSum: sumLines(v, tampered) };

    const weak = await runCheckOn(world, project, { cacheDir, args: ['--sumdb', 'off'] });
    expect(weak.report.summary).toMatchObject({ lines: 2, verified: 2 });

    const online = await runCheckOn(world, project, { cacheDir });
    expect(online.status).toBe(1);
    expect(online.report.summary.verified).toBe(1);
    expect(codes(online)).toEqual(['MG103 zip']);

    const offline = await runCheckOn(world, project, { cacheDir, args: ['--offline'] });
    expect(offline.status).toBe(1);
    expect(offline.report.summary).toMatchObject({ verified: 1, inconclusive: 1 });
    expect(codes(offline)).toEqual(['MG201 zip']);

    const same = await runCheckOn(world, project, {
      cacheDir,
      args: ['--offline', '--sumdb', 'off'],
    });
    expect(same.status).toBe(0);
    expect(same.report.summary).toMatchObject({ lines: 2, verified: 2 });
  });
});

describe('when a line cached as verified becomes private', () => {
  it('is skipped as private, not verified from the cache', async () => {
    const v = world.find(M, V);
    const project = { goSum: sumLines(v, v.served.A?.zipHash ?? '') };
    const cached = await runCheckOn(world, project, { cacheDir, args: ['--sumdb', 'off'] });
    expect(cached.report.summary.verified).toBe(2);
    const process = { ...defaultProcess(world), GOPRIVATE: M };
    for (const args of [[], ['--offline']]) {
      const r = await runCheckOn(world, project, { cacheDir, process, args });
      expect(r.report.summary, args.join(' ')).toMatchObject({ verified: 0, skipped: 2 });
    }
  });
});

describe('when a line was verified with a notice', () => {
  it('a run the cache answers reports it too, so --fail-on notice still fails', async () => {
    const dir = await mkdtemp(join(cacheDir, 'notice-'));
    const project = { goSum: sumLines(world.find(UNSIGNED, V)) };
    const options = { cacheDir: dir, direct: true, timeout: 30, args: ['--fail-on', 'notice'] };
    const cold = await runCheckOn(world, project, options);
    expect(cold.report.summary).toMatchObject({ lines: 2, verified: 2 });
    expect(codes(cold)).toEqual(['MG704 go.mod']);
    expect(cold.status).toBe(1);
    for (const args of [[], ['--offline']]) {
      const warm = await runCheckOn(world, project, {
        ...options,
        args: [...options.args, ...args],
      });
      expect(warm.report, args.join(' ')).toEqual(cold.report);
      expect(warm.status).toBe(1);
    }
  });
});
