import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKey } from '../../../src/sumdb/note.js';
import { SumdbLog } from '../../../src/testing/sumdb-log.js';
import { startWorld, type Knob, type World } from '../../../src/testing/world/index.js';
import {
  askedUrl,
  defaultProcess,
  expectTable,
  names,
  only,
  row,
  runCheckOn,
  sumLines,
} from './helpers.js';

// One world (no git), one module per fault, so each test reads one fault alone.
const V = 'v1.0.0';
const M = {
  ok: 'example.test/ok',
  other: 'example.test/other',
  tamper: 'example.test/tamper',
  stale: 'example.test/stale',
  both: 'example.test/both',
  mix: 'example.test/mix',
  hang: 'example.test/hang',
  e500: 'example.test/e500',
  reset: 'example.test/reset',
  html: 'example.test/html',
  garbage: 'example.test/garbage',
  gone404: 'example.test/gone404',
  gone410: 'example.test/gone410',
  secret: 'private.test/secret',
} as const;

type Rule = Extract<Knob, { kind: 'fault' }>['rule'];
const fault = (path: string, f: Rule['fault'], endpoint?: Rule['endpoint']): Knob => ({
  kind: 'fault',
  proxy: 'A',
  rule: endpoint === undefined ? { path, fault: f } : { path, fault: f, endpoint },
});

const knobs: Knob[] = [
  { kind: 'tamper', proxy: 'A', path: M.tamper, version: V },
  { kind: 'stale', proxy: 'B', path: M.stale, version: V },
  { kind: 'tamper', proxy: 'A', path: M.both, version: V },
  { kind: 'tamper', proxy: 'B', path: M.both, version: V },
  { kind: 'tamper', proxy: 'A', path: M.mix, version: V },
  { kind: 'stale', proxy: 'B', path: M.mix, version: V },
  fault(M.hang, { kind: 'hang' }),
  fault(M.e500, { kind: 'status', status: 500 }),
  fault(M.reset, { kind: 'reset' }),
  fault(M.html, { kind: 'html' }),
  fault(M.garbage, { kind: 'body', body: 'this is not a zip file' }, 'zip'),
  fault(M.gone404, { kind: 'status', status: 404 }),
  fault(M.gone410, { kind: 'status', status: 410 }),
];

let world: World;
let W: ReturnType<typeof names>;
const EDITED = 'h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

beforeAll(async () => {
  world = await startWorld({
    git: false,
    modules: Object.values(M).map((path) => ({
      path,
      versions: [V],
      private: path.startsWith('private.test/'),
    })),
    knobs,
  });
  W = names(world);
});
afterAll(async () => {
  await world?.stop();
});
afterEach(() => {
  const f = world.sumdb.server.state.faults;
  for (const k of Object.keys(f)) delete (f as Record<string, unknown>)[k];
});

const v = (path: string) => world.find(path, V);
/** goSum is the honest go.sum of one module (zip at line 1, go.mod at line 2). */
const goSum = (path: string) => ({ goSum: sumLines(v(path)) });
const servedBy = (path: string, proxy: 'A' | 'B') => v(path).served[proxy]?.zipHash ?? '';

describe('when every witness agrees', () => {
  it('verifies both lines and exits 0', async () => {
    const { report, status } = await runCheckOn(world, goSum(M.ok));
    expect(report.findings).toEqual([]);
    expect(report.summary).toMatchObject({ lines: 2, verified: 2, inconclusive: 0 });
    expect(status).toBe(0);
  });
});

describe('MG1xx: the go.sum line against the witnesses', () => {
  it('MG101: go.sum edited, every witness agrees on another hash', async () => {
    const ok = v(M.ok).zipHash;
    const { report, status } = await runCheckOn(world, { goSum: sumLines(v(M.ok), EDITED) });
    const [f] = only(report, 'MG101');
    expect(f).toMatchObject({ severity: 'error', module: M.ok, version: V, kind: 'zip', line: 1 });
    expectTable(world, f, { line: 1, goSum: EDITED, A: ok, B: ok, sumdb: ok });
    expect(report.summary).toMatchObject({ mismatched: 1, verified: 1 });
    expect(status).toBe(1);
  });

  it('MG102: tampered zip in proxy A, named as the witness that differs', async () => {
    const honest = v(M.tamper).zipHash;
    const tampered = servedBy(M.tamper, 'A');
    expect(tampered).not.toBe(honest);
    const { report, status } = await runCheckOn(world, goSum(M.tamper));
    const [f, ...more] = only(report, 'MG102');
    expect(more).toEqual([]);
    expect(f).toMatchObject({ severity: 'error', module: M.tamper, kind: 'zip', line: 1 });
    expect(f.witness).toBe(W.A);
    expect(f.detail).toContain(`${W.A} serves bytes that hash to ${tampered}`);
    expectTable(world, f, { line: 1, goSum: honest, A: tampered, B: honest, sumdb: honest });
    expect(status).toBe(1);
  });

  it('MG102: a stale copy in proxy B', async () => {
    const honest = v(M.stale).zipHash;
    const { report } = await runCheckOn(world, goSum(M.stale));
    const [f] = only(report, 'MG102');
    expect(f).toMatchObject({ module: M.stale, line: 1, witness: W.B });
    const stale = servedBy(M.stale, 'B');
    expectTable(world, f, { line: 1, goSum: honest, A: honest, B: stale, sumdb: honest });
  });

  it('MG103: the sumdb disagrees with go.sum and both proxies', async () => {
    const tampered = servedBy(M.both, 'A');
    expect(servedBy(M.both, 'B')).toBe(tampered); // the world builds one tampered variant
    const { report, status } = await runCheckOn(world, { goSum: sumLines(v(M.both), tampered) });
    const [f] = only(report, 'MG103');
    expect(f).toMatchObject({ severity: 'error', module: M.both, kind: 'zip', line: 1 });
    const sumdb = v(M.both).zipHash;
    expectTable(world, f, { line: 1, goSum: tampered, A: tampered, B: tampered, sumdb });
    expect(status).toBe(1);
  });

  it('MG104: go.sum took proxy A’s tampered hash; proxy B and the sumdb agree on another', async () => {
    const tampered = servedBy(M.tamper, 'A');
    const honest = v(M.tamper).zipHash;
    const { report } = await runCheckOn(world, { goSum: sumLines(v(M.tamper), tampered) });
    const [f] = only(report, 'MG104');
    expect(f).toMatchObject({ severity: 'error', module: M.tamper, line: 1 });
    expectTable(world, f, { line: 1, goSum: tampered, A: tampered, B: honest, sumdb: honest });
  });

  it('MG105: go.sum matches only proxy A; proxy B and the sumdb differ from each other too', async () => {
    const [a, b] = [servedBy(M.mix, 'A'), servedBy(M.mix, 'B')];
    const { report } = await runCheckOn(world, { goSum: sumLines(v(M.mix), a) });
    const [f] = only(report, 'MG105');
    expect(f).toMatchObject({ severity: 'error', module: M.mix, line: 1 });
    expectTable(world, f, { line: 1, goSum: a, A: a, B: b, sumdb: v(M.mix).zipHash });
  });

  it('MG105: go.sum edited and the witnesses disagree among themselves', async () => {
    const { report } = await runCheckOn(world, { goSum: sumLines(v(M.tamper), EDITED) });
    const [f] = only(report, 'MG105');
    expect(f).toMatchObject({ module: M.tamper, line: 1 });
    const honest = v(M.tamper).zipHash;
    const A = servedBy(M.tamper, 'A');
    expectTable(world, f, { line: 1, goSum: EDITED, A, B: honest, sumdb: honest });
  });
});

describe('MG2xx: a witness could not answer', () => {
  const unavailable = [
    { name: 'hangs past --timeout', path: M.hang, code: 'MG201', error: /TIMEOUT/, lines: 2 },
    { name: 'answers 500', path: M.e500, code: 'MG201', error: /500/, lines: 2 },
    { name: 'resets the connection', path: M.reset, code: 'MG201', error: /\(\w+\)$/, lines: 2 },
    { name: 'answers an HTML page with 200', path: M.html, code: 'MG201', error: /HTML/, lines: 2 },
    // only the zip endpoint is faulted: the go.mod line still verifies
    {
      name: 'answers a zip that is not a zip',
      path: M.garbage,
      code: 'MG202',
      error: /zip/i,
      lines: 1,
    },
    { name: 'answers 404', path: M.gone404, code: 'MG203', error: /not found/, lines: 2 },
    { name: 'answers 410', path: M.gone410, code: 'MG203', error: /not found/, lines: 2 },
  ] as const;

  it.each(unavailable)('proxy A $name: $code names proxy A, line inconclusive', async (c) => {
    const { report, status } = await runCheckOn(world, goSum(c.path));
    const found = only(report, c.code);
    // the zip line is what the fault hits (the rule matches every endpoint of the module)
    const zip = found.find((f) => f.kind === 'zip');
    expect(zip).toMatchObject({ severity: 'warning', module: c.path, line: 1, witness: W.A });
    const ev = row(zip!, W.A);
    expect(ev).toMatchObject({ url: askedUrl(world.proxyA.url, zip!), h1: null });
    expect(ev.error).toMatch(c.error);
    expect(report.summary).toMatchObject({ inconclusive: c.lines, verified: 2 - c.lines });
    expect(status).toBe(1);
    // with --allow-inconclusive a warning alone does not fail the check
    const allowed = await runCheckOn(world, goSum(c.path), { args: ['--allow-inconclusive'] });
    expect(allowed.status).toBe(0);
    expect(allowed.report.summary.verified).toBe(2 - c.lines);
  });

  it('HTML 200 is MG201 whose evidence says HTML and names proxy A', async () => {
    const { report } = await runCheckOn(world, goSum(M.html));
    const [f] = only(report, 'MG201');
    expect(f.detail).toContain(W.A);
    expect(row(f, W.A).error).toContain('HTML_PAGE');
  });

  it('MG204: a private module checked without GOPRIVATE is not found in the sumdb (nor proxies)', async () => {
    const secret = 'private.test/secret v1.0.0 h1:cq1Wlc5Q/3TKMd9Nt+I/D/H5kAJrHbzSCzH20/f7O0w=\n';
    const process = { ...defaultProcess(world), GOPRIVATE: '' };
    const { report, status } = await runCheckOn(world, { goSum: secret }, { process });
    const [f] = only(report, 'MG204');
    expect(f).toMatchObject({ severity: 'warning', module: M.secret, line: 1, witness: W.sumdb });
    expect(row(f, W.sumdb)).toMatchObject({ h1: null, error: 'not found' });
    expect(
      only(report, 'MG203')
        .map((x) => x.witness)
        .sort(),
    ).toEqual([W.A, W.B].sort());
    expect(status).toBe(1);
  });

  it('with GOPRIVATE the private module is skipped and nothing is asked about it', async () => {
    const before = world.sumdb.server.state.requests.length;
    const secret = 'private.test/secret v1.0.0 h1:cq1Wlc5Q/3TKMd9Nt+I/D/H5kAJrHbzSCzH20/f7O0w=\n';
    const { report } = await runCheckOn(world, { goSum: secret });
    expect(report.summary).toMatchObject({ skipped: 1, verified: 0 });
    const asked = world.sumdb.server.state.requests.slice(before);
    expect(asked.filter((p) => p.includes('secret'))).toEqual([]);
  });
});

describe('MG3xx: the checksum database’s own evidence', () => {
  it('MG301: a bad tree-head signature', async () => {
    world.sumdb.server.state.faults.badSignature = true;
    const { report, status } = await runCheckOn(world, goSum(M.ok));
    const found = only(report, 'MG301');
    expect(found.map((f) => f.line).sort()).toEqual([1, 2]);
    expect(found[0]).toMatchObject({ severity: 'error', witness: W.sumdb, module: M.ok });
    expect(row(found[0], W.sumdb).error).toMatch(/NOTE_/);
    expect(report.summary).toMatchObject({ verified: 0, inconclusive: 2 });
    expect(status).toBe(1);
  });

  it('MG301: a tree head signed by another key', async () => {
    world.sumdb.server.state.faults.wrongKey = generateKey(world.sumdb.name).signerKey;
    const { report } = await runCheckOn(world, goSum(M.ok));
    const [f] = only(report, 'MG301');
    expect(row(f, W.sumdb).error).toMatch(/NOTE_UNVERIFIED|NOTE_BAD_SIGNATURE/);
  });

  it('MG302: a record that is not the one the tree holds', async () => {
    const ok = v(M.ok);
    world.sumdb.server.state.faults.records = new Map([[`${M.ok}@${V}`, sumLines(ok, EDITED)]]);
    const { report } = await runCheckOn(world, goSum(M.ok));
    const found = only(report, 'MG302');
    expect(found[0]).toMatchObject({ severity: 'error', witness: W.sumdb, line: 1 });
    expect(report.findings.filter((f) => f.code.startsWith('MG1'))).toEqual([]);
    expect(report.summary.verified).toBe(0);
  });

  it('MG302: a corrupted tile', async () => {
    world.sumdb.server.state.faults.corruptTile = () => true;
    const { report } = await runCheckOn(world, goSum(M.ok));
    expect(only(report, 'MG302')[0]).toMatchObject({ witness: W.sumdb });
    expect(report.summary.verified).toBe(0);
  });

  it('MG302: a tile of another history (TILE_INCONSISTENT)', async () => {
    world.sumdb.server.state.faults.corruptTile = () => true;
    const { report } = await runCheckOn(world, goSum(M.ok));
    const [f] = only(report, 'MG302');
    expect(row(f, W.sumdb).error).toContain('(TILE_INCONSISTENT)');
  });

  it('a missing tile is MG201 naming the tile, not MG204 (the module is in the log)', async () => {
    world.sumdb.server.state.faults.missingTile = () => true;
    const { report, status } = await runCheckOn(world, goSum(M.ok));
    expect(report.findings.filter((f) => f.code === 'MG204')).toEqual([]);
    const found = only(report, 'MG201');
    expect(found.map((f) => f.line).sort()).toEqual([1, 2]);
    // "<db>: reading <db>/tile/…: 404" then the server's text/plain detail, as for a proxy
    expect(row(found[0], W.sumdb).error).toMatch(/\/tile\/.*: 404\n.*\(NOT_FOUND\)$/);
    expect(report.summary).toMatchObject({ verified: 0, inconclusive: 2 });
    expect(status).toBe(1);
  });

  it('a truncated tile is MG202 (an unusable answer)', async () => {
    world.sumdb.server.state.faults.truncatedTile = () => true;
    const { report } = await runCheckOn(world, goSum(M.ok));
    expect(row(only(report, 'MG202')[0], W.sumdb).error).toContain('(TILE_MALFORMED)');
    expect(report.summary.verified).toBe(0);
  });

  describe('with a tree-head store kept in --cache-dir', () => {
    let cacheDir: string;
    beforeEach(async () => {
      cacheDir = await mkdtemp(join(tmpdir(), 'modguard-check-cache-'));
    });
    afterEach(async () => {
      await rm(cacheDir, { recursive: true, force: true });
    });

    it('MG303: a forked log seen by a client that kept the other branch', async () => {
      const first = await runCheckOn(world, goSum(M.ok), { cacheDir });
      expect(first.report.summary.verified).toBe(2);
      const main = world.sumdb.server.state.log;
      const fork = new SumdbLog();
      for (let id = 0; id < main.size; id++) {
        const text = Buffer.from(main.record(id) ?? []).toString('utf8');
        fork.append(id === 0 ? text.replace(/h1:/, 'h1:X') : text);
      }
      fork.append('example.test/late v1.0.0 h1:x\n');
      world.sumdb.server.state.faults.view = () => ({ log: fork });
      // another line, so the verified-line store cannot answer it
      const second = await runCheckOn(world, goSum(M.other), { cacheDir });
      const found = only(second.report, 'MG303');
      expect(found[0]).toMatchObject({ severity: 'error', witness: W.sumdb, module: M.other });
      expect(row(found[0], W.sumdb).error).toContain('SUMDB_FORK');
      expect(second.report.summary.verified).toBe(0);
      expect(second.status).toBe(1);
    });

    it('a rolled-back tree proven a prefix of the stored one is accepted, as Go does', async () => {
      const first = await runCheckOn(world, goSum(M.ok), { cacheDir });
      expect(first.report.summary.verified).toBe(2);
      const log = world.sumdb.server.state.log;
      world.sumdb.server.state.faults.view = () => ({ log, size: log.size - 1 });
      const second = await runCheckOn(world, goSum(M.other), { cacheDir });
      // x/mod client.go mergeLatest keeps the newer head and proves the older one a prefix of it
      // (from tiles kept in the state dir): a consistent rollback proves nothing false, so
      // it is no finding.
      expect(second.report.findings).toEqual([]);
      expect(second.report.summary.verified).toBe(2);
    });

    it('a rolled-back tree that then diverged is MG303', async () => {
      await runCheckOn(world, goSum(M.ok), { cacheDir });
      const main = world.sumdb.server.state.log;
      const diverged = new SumdbLog();
      for (let id = 0; id < main.size - 1; id++) {
        const text = Buffer.from(main.record(id) ?? []).toString('utf8');
        diverged.append(id === main.size - 2 ? text.replace(/h1:/, 'h1:Y') : text);
      }
      world.sumdb.server.state.faults.view = () => ({ log: diverged });
      const second = await runCheckOn(world, goSum(M.other), { cacheDir });
      expect(only(second.report, 'MG303')[0]).toMatchObject({ witness: W.sumdb, line: 1 });
      expect(second.report.summary.verified).toBe(0);
    });

    it('a line verified before is answered from the store without asking any witness', async () => {
      await runCheckOn(world, goSum(M.ok), { cacheDir });
      const asked = world.proxyA.requests.length + world.sumdb.server.state.requests.length;
      const again = await runCheckOn(world, goSum(M.ok), { cacheDir });
      expect(again.report.summary.verified).toBe(2);
      expect(world.proxyA.requests.length + world.sumdb.server.state.requests.length).toBe(asked);
    });
  });
});
