import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, type World } from '../../../src/testing/world/index.js';
import { codes, defaultProcess, only, row, runCheckOn, sumLines } from './helpers.js';

// Findings about the files (MG4xx), the Go environment (MG5xx) and retractions (MG601).
const A = 'example.test/a';
const B = 'example.test/b';

let world: World;

beforeAll(async () => {
  world = await startWorld({
    git: false,
    modules: [
      {
        path: A,
        versions: ['v1.0.0', 'v1.1.0'],
        retract: [{ version: 'v1.0.0', rationale: 'leaks tokens' }],
      },
      { path: B, versions: ['v1.0.0'] },
    ],
  });
});
afterAll(async () => {
  await world?.stop();
});

const v = (path: string, version = 'v1.0.0') => world.find(path, version);

/** goMod requires a and b at lines 6 and 7. */
const goMod = (aVersion = 'v1.1.0') =>
  `module example.test/app\n\ngo 1.21\n\nrequire (\n\t${A} ${aVersion}\n\t${B} v1.0.0\n)\n`;

const honest = () => sumLines(v(A, 'v1.1.0')) + sumLines(v(B));

describe('MG4xx: go.sum and go.mod hygiene', () => {
  it('a tidy project has no finding', async () => {
    const { report, status } = await runCheckOn(world, { goSum: honest(), goMod: goMod() });
    expect(report.findings).toEqual([]);
    expect(report.summary.verified).toBe(4);
    expect(status).toBe(0);
  });

  it('MG401: a repeated line, reported at the repeat naming the first', async () => {
    const a = v(A, 'v1.1.0');
    const goSum = `${honest()}${A} v1.1.0 ${a.zipHash}\n`;
    const { report, status } = await runCheckOn(world, { goSum, goMod: goMod() });
    const [f] = only(report, 'MG401');
    expect(f).toMatchObject({
      severity: 'notice',
      file: 'go.sum',
      line: 5,
      module: A,
      kind: 'zip',
    });
    expect(f.evidence.map((e) => e.url)).toEqual(['go.sum:1', 'go.sum:5']);
    expect(codes(report)).toEqual(['MG401']);
    expect(status).toBe(0);
  });

  it('MG402: two hashes for one module version and kind', async () => {
    const other = 'h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
    const goSum = `${honest()}${B} v1.0.0/go.mod ${other}\n`;
    const { report, status } = await runCheckOn(world, { goSum, goMod: goMod() });
    const [f] = only(report, 'MG402');
    expect(f).toMatchObject({ severity: 'error', line: 5, module: B, kind: 'go.mod' });
    expect(row(f, 'go.sum').h1).toBe(v(B).modHash);
    expect(f.evidence[1]).toMatchObject({ url: 'go.sum:5', h1: other });
    // the bad line itself is also judged by the witnesses
    expect(only(report, 'MG101')[0]).toMatchObject({ line: 5, module: B });
    expect(status).toBe(1);
  });

  it('MG403: a requirement with no go.mod line, reported at the require line', async () => {
    const goSum = sumLines(v(A, 'v1.1.0'));
    const { report, status } = await runCheckOn(world, { goSum, goMod: goMod() });
    const [f] = only(report, 'MG403');
    expect(f).toMatchObject({
      severity: 'warning',
      file: 'go.mod',
      line: 7,
      module: B,
      kind: 'go.mod',
    });
    expect(status).toBe(0); // a warning, and no line is inconclusive
  });

  it('MG404: the zip line of a version go.mod no longer requires (go ≥ 1.17)', async () => {
    const goSum = honest() + sumLines(v(A));
    const { report } = await runCheckOn(world, { goSum, goMod: goMod() });
    const found = only(report, 'MG404');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      severity: 'notice',
      file: 'go.sum',
      line: 5,
      module: A,
      version: 'v1.0.0',
      kind: 'zip',
    });
    expect(report.summary.verified).toBe(6);
  });

  it('MG405: a malformed go.sum line is reported at its line; the others are still checked', async () => {
    const goSum = `${A} v1.1.0 h2:abc\n${sumLines(v(B))}`;
    const { report, status } = await runCheckOn(world, { goSum });
    const [f] = only(report, 'MG405');
    expect(f).toMatchObject({ severity: 'error', file: 'go.sum', line: 1 });
    expect(f.detail).toContain('h2:');
    expect(report.summary).toMatchObject({ lines: 2, verified: 2 });
    expect(status).toBe(1);
  });

  it('MG406: a go.mod syntax error; go.sum lines are still checked', async () => {
    const broken = `module example.test/app\n\ngo 1.21\n\nrequire (\n\t${A}\n)\n`;
    const { report, status } = await runCheckOn(world, { goSum: honest(), goMod: broken });
    const [f] = only(report, 'MG406');
    expect(f).toMatchObject({ severity: 'error', file: 'go.mod', line: 6 });
    expect(report.summary.verified).toBe(4);
    expect(codes(report)).toEqual(['MG406']);
    expect(status).toBe(1);
  });
});

describe('MG5xx: configuration that weakens checking', () => {
  const run = (extra: Record<string, string>) =>
    runCheckOn(
      world,
      { goSum: honest(), goMod: goMod() },
      {
        process: { ...defaultProcess(world), ...extra },
      },
    );

  it('MG501: GOSUMDB=off (the sumdb is then not asked)', async () => {
    const before = world.sumdb.server.state.requests.length;
    const { report, status } = await run({ GOSUMDB: 'off' });
    const [f] = only(report, 'MG501');
    expect(f).toMatchObject({ severity: 'warning', file: 'go.mod', line: null });
    expect(f.detail).toContain('GOSUMDB is "off" (from env)');
    expect(world.sumdb.server.state.requests.length).toBe(before);
    expect(report.summary.verified).toBe(4);
    expect(status).toBe(0);
  });

  it('MG502: an explicit GONOSUMDB wider than GOPRIVATE (the module is asked of the proxies only, as Go fetches it)', async () => {
    const before = world.sumdb.server.state.requests.length;
    const { report } = await run({
      GOPRIVATE: 'corp.example',
      GONOSUMDB: 'corp.example,example.test/b',
    });
    const [f] = only(report, 'MG502');
    expect(f).toMatchObject({ module: B, severity: 'warning' });
    expect(report.summary).toMatchObject({ verified: 4, skipped: 0 });
    const lookups = world.sumdb.server.state.requests.slice(before);
    expect(lookups.some((r) => r.includes('/lookup/example.test/a@'))).toBe(true);
    expect(lookups.some((r) => r.includes('/lookup/example.test/b@'))).toBe(false);
  });

  it('MG502 and a tampered line: a module kept from the sumdb alone is still checked', async () => {
    const goSum = honest().replace(v(B).zipHash, 'h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
    const { report, status } = await runCheckOn(
      world,
      { goSum, goMod: goMod() },
      { process: { ...defaultProcess(world), GONOSUMDB: B } },
    );
    expect(codes(report)).toContain('MG101');
    expect(status).toBe(1);
  });

  it('MG503: GOPRIVATE not excluded from the sumdb by GONOSUMDB', async () => {
    const { report } = await run({ GOPRIVATE: 'example.test/a', GONOSUMDB: 'none' });
    const [f] = only(report, 'MG503');
    expect(f).toMatchObject({ module: A, severity: 'warning' });
  });

  it('MG504: -insecure in GOFLAGS', async () => {
    const { report } = await run({ GOFLAGS: '-mod=mod -insecure' });
    expect(only(report, 'MG504')[0].detail).toContain('-insecure');
  });

  it('MG505: GOINSECURE set', async () => {
    const { report } = await run({ GOINSECURE: 'example.test' });
    expect(only(report, 'MG505')[0].detail).toContain('GOINSECURE is "example.test"');
  });

  it('MG506: a plain-http GOPROXY to another host, shown without credentials (never fetched)', async () => {
    // GOSUMDB=off: the sumdb base is then never chosen from GOPROXY, so nothing leaves loopback
    const { report } = await run({
      GOPROXY: 'http://u:secret@proxy.invalid.test/x,direct',
      GOSUMDB: 'off',
    });
    const [f] = only(report, 'MG506');
    expect(f.witness).toBe('http://xxxxx@proxy.invalid.test/x');
    expect(JSON.stringify(report)).not.toContain('secret');
  });
});

describe('MG601: retracted versions', () => {
  it('the latest go.mod retracts the required version, with the rationale', async () => {
    const goSum = sumLines(v(A)) + sumLines(v(B));
    const { report, status } = await runCheckOn(world, { goSum, goMod: goMod('v1.0.0') });
    const [f] = only(report, 'MG601');
    expect(f).toMatchObject({
      severity: 'warning',
      file: 'go.mod',
      line: 6,
      module: A,
      version: 'v1.0.0',
    });
    expect(f.detail).toContain('"leaks tokens"');
    expect(codes(report)).toEqual(['MG601']);
    expect(status).toBe(0);
  });

  it('a replaced version is still checked by its own path, unless every version is replaced', async () => {
    // G/modload/modfile.go CheckRetractions: only a replace of all versions skips it.
    const goSum = sumLines(v(B));
    const req = `module example.test/app\n\ngo 1.21\n\nrequire (\n\t${A} v1.0.0\n\t${B} v1.0.0\n)\n`;
    const one = await runCheckOn(world, {
      goSum,
      goMod: `${req}\nreplace ${A} v1.0.0 => ${B} v1.0.0\n`,
    });
    expect(only(one.report, 'MG601')[0]).toMatchObject({ module: A, version: 'v1.0.0', line: 6 });
    const all = await runCheckOn(world, { goSum, goMod: `${req}\nreplace ${A} => ${B} v1.0.0\n` });
    expect(all.report.findings.filter((f) => f.code === 'MG601')).toEqual([]);
  });

  it('a version that is not retracted has none', async () => {
    const { report } = await runCheckOn(world, { goSum: honest(), goMod: goMod() });
    expect(report.findings.filter((f) => f.code === 'MG601')).toEqual([]);
  });
});
