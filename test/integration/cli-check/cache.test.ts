import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Cache } from '../../../src/cache/cache.js';
import { RETRACTIONS_TTL_MS, RetractionsCache } from '../../../src/cache/retractions.js';
import { retractionsOf } from '../../../src/cli/check/retractions.js';
import { proxyWitnessIdentity } from '../../../src/cli/check/store.js';
import { generateKey } from '../../../src/sumdb/note.js';
import type { World } from '../../../src/testing/world/index.js';
import {
  clearRequests,
  goEnvFor,
  proxyFlags,
  requestCount,
  run,
  worldEnv,
  writeProject,
  type Requirement,
} from './helpers.js';
import { useCliWorld, honest, retracted } from './world.js';

let world: World;
let home: string;
const temps = useCliWorld((w, h) => ((world = w), (home = h)));

async function project(reqs: readonly Requirement[]): Promise<string> {
  const dir = await temps.make();
  await writeProject(world, dir, reqs);
  return dir;
}

function check(dir: string, flags: string[]) {
  return run(
    ['check', '--dir', dir, ...proxyFlags(world), '--format', 'json', ...flags],
    worldEnv(world, home),
  );
}

interface JsonReport {
  findings: {
    code: string;
    severity: string;
    module: string | null;
    version: string | null;
    kind: string | null;
    title: string;
    detail: string;
    remedy: string;
    evidence: { witness: string; h1: string | null; error: string | null }[];
  }[];
  summary: { lines: number; verified: number; inconclusive: number };
}

/** everyLineUnavailable expects each of the 6 lines of `honest` inconclusive by one MG201, exit 1. */
function everyLineUnavailable(r: { code: number; out: string }): JsonReport {
  expect(r.code).toBe(1);
  const report = JSON.parse(r.out) as JsonReport;
  expect(report.summary).toMatchObject({ lines: 6, verified: 0, inconclusive: 6 });
  expect(report.findings.map((f) => f.code)).toEqual(Array<string>(6).fill('MG201'));
  return report;
}

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

describe('when a run has a --cache-dir', () => {
  const reqs = [...honest, retracted];
  let dir: string;
  let cacheDir: string;
  let cold: JsonReport;

  beforeAll(async () => {
    dir = await project(reqs);
    cacheDir = await temps.make();
    clearRequests(world);
    const r = await check(dir, ['--cache-dir', cacheDir]);
    expect(r.code, r.err).toBe(0);
    cold = JSON.parse(r.out) as JsonReport;
  });

  it('the cold run asked every witness and verified every line', () => {
    expect(cold.summary).toMatchObject({ lines: 8, verified: 8, inconclusive: 0 });
    expect(cold.findings.map((f) => `${f.code} ${f.module}`)).toEqual([`MG601 ${retracted.path}`]);
  });

  it('keeps the sumdb tree head and tiles under the cache dir, with no temporary files', async () => {
    const names = await files(cacheDir);
    expect(names).toContain(join('sumdb', 'latest', world.sumdb.name));
    expect(names.some((n) => n.startsWith(join('sumdb', 'cache')) && n.includes('tile'))).toBe(
      true,
    );
    expect(names).toContain(join('v1', 'verified.jsonl'));
    expect(names).toContain(join('v1', 'retractions.jsonl'));
    expect(names).toContain(join('v1', 'sumdb-lookups.jsonl'));
    expect(names.filter((n) => n.endsWith('.tmp') || n.endsWith('.lock'))).toEqual([]);
  });

  it('a second run asks nothing of any proxy or the sumdb, and says the same', async () => {
    const r = await check(dir, ['--cache-dir', cacheDir]);
    expect(r.code, r.err).toBe(0);
    expect(requestCount(world)).toEqual({ a: 0, b: 0, sumdb: 0 });
    expect(JSON.parse(r.out)).toEqual(cold);
  });

  it('a run that lost its verified lines asks the proxies again, and the sumdb nothing', async () => {
    const scratch = await temps.make();
    await cp(cacheDir, scratch, { recursive: true });
    await rm(join(scratch, 'v1', 'verified.jsonl'));
    clearRequests(world);
    const r = await check(dir, ['--cache-dir', scratch]);
    expect(r.code, r.err).toBe(0);
    const c = requestCount(world);
    expect(c.a).toBeGreaterThan(0);
    expect(c.b).toBeGreaterThan(0);
    expect(c.sumdb).toBe(0);
    expect(JSON.parse(r.out)).toEqual(cold);
  });

  it('--offline answers from the cache alone, retractions included', async () => {
    const r = await check(dir, ['--cache-dir', cacheDir, '--offline']);
    expect(r.code, r.err).toBe(0);
    expect(requestCount(world)).toEqual({ a: 0, b: 0, sumdb: 0 });
    expect(JSON.parse(r.out)).toEqual(cold);
  });

  it('retractions one proxy gave are not reused for a run that reads them from another', async () => {
    const scratch = await temps.make();
    await cp(cacheDir, scratch, { recursive: true });
    // Retractions are read from the first --proxy: here B, where the cold run read A.
    const bFirst = (flags: string[]) =>
      run(
        ['check', '--dir', dir, '--proxy', world.proxyB.url, '--proxy', world.proxyA.url].concat(
          ['--format', 'json', '--cache-dir', scratch],
          flags,
        ),
        worldEnv(world, home),
      );
    const mg601 = (out: string) =>
      (JSON.parse(out) as JsonReport).findings.filter((f) => f.code === 'MG601').length;
    const offline = await bFirst(['--offline']);
    expect(offline.code, offline.err).toBe(0);
    expect(mg601(offline.out)).toBe(0); // B was never asked: nothing known
    const online = await bFirst([]);
    expect(online.code, online.err).toBe(0);
    expect(mg601(online.out)).toBe(1);
    expect(world.proxyB.requests.map((q) => q.path)).toContain(`/${retracted.path}/@v/list`);
    expect(world.proxyA.requests).toEqual([]); // the lines themselves came from the cache
    clearRequests(world);
    const again = await bFirst(['--offline']);
    expect(mg601(again.out)).toBe(1); // now B's answer is in the cache
    expect(requestCount(world)).toEqual({ a: 0, b: 0, sumdb: 0 });
  });

  it('--no-cache asks every witness again', async () => {
    const r = await check(dir, ['--no-cache']);
    expect(r.code, r.err).toBe(0);
    const c = requestCount(world);
    expect(c.a).toBeGreaterThan(0);
    expect(c.b).toBeGreaterThan(0);
    expect(c.sumdb).toBeGreaterThan(0);
  });

  it('a line added later is the only one downloaded', async () => {
    const added = { path: 'example.test/greet', version: 'v1.0.0' };
    const grown = await project([...reqs, added]);
    const r = await check(grown, ['--cache-dir', cacheDir]);
    expect(r.code, r.err).toBe(0);
    expect((JSON.parse(r.out) as JsonReport).summary.verified).toBe(10);
    const asked = [...world.proxyA.requests, ...world.proxyB.requests].map((q) => q.path);
    expect(asked.length).toBeGreaterThan(0);
    for (const path of asked)
      expect(path).toMatch(/^\/example\.test\/greet\/@(v\/v1\.0\.0\.|latest)/);
    const lookups = world.sumdb.server.state.requests.filter((p) => p.startsWith('/lookup/'));
    expect(lookups).toEqual(['/lookup/example.test/greet@v1.0.0']);
  });
});

describe('when a witness keeps its name but is another server', () => {
  // A record counts only for the witnesses that made it: what they are (the proxy's URL,
  // the checksum database's key), not what they are called in reports.
  let dir: string;
  let cacheDir: string;
  const named = (b: string) => ['--proxy', `x=${world.proxyA.url}`, '--proxy', `y=${b}`];
  const offline = (flags: string[], env = worldEnv(world, home)) =>
    run(['check', '--dir', dir, '--cache-dir', cacheDir, '--offline', ...flags], env);

  beforeAll(async () => {
    dir = await project(honest);
    cacheDir = await temps.make();
    const r = await run(
      ['check', '--dir', dir, '--cache-dir', cacheDir, ...named(world.proxyB.url)],
      worldEnv(world, home),
    );
    expect(r.code, r.err).toBe(0);
  });

  it('the same witnesses still answer from the cache', async () => {
    const r = await offline(named(world.proxyB.url));
    expect(r.code, r.out).toBe(0);
  });

  it('a proxy name given to another URL is not verified by the old record', async () => {
    const r = await offline([...named('http://127.0.0.1:1'), '--format', 'json']);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.out) as JsonReport).summary).toMatchObject({
      verified: 0,
      inconclusive: 6,
    });
  });

  it('a checksum database of the same name with another key is not either', async () => {
    const other = generateKey(world.sumdb.name).verifierKey;
    const env = goEnvFor(home, { GOSUMDB: `${other} ${world.sumdb.url}` });
    const r = await offline([...named(world.proxyB.url), '--format', 'json'], env);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.out) as JsonReport).summary).toMatchObject({
      verified: 0,
      inconclusive: 6,
    });
    // The key, not the URL, is the database: another URL with the same key is the same.
    const moved = goEnvFor(home, { GOSUMDB: `${world.sumdb.verifierKey} http://127.0.0.1:1` });
    expect((await offline(named(world.proxyB.url), moved)).code).toBe(0);
  });
});

describe('when a proxy would have the name of another witness', () => {
  it('is refused as usage: reports and the cache tell witnesses apart by name', async () => {
    const dir = await project(honest);
    const cases = [
      { flags: ['--proxy', `${world.sumdb.name}=${world.proxyA.url}`], other: 'checksum database' },
      { flags: ['--proxy', `git tag=${world.proxyA.url}`, '--direct'], other: 'git tag witness' },
    ];
    for (const { flags, other } of cases) {
      for (const cache of [['--cache-dir', await temps.make()], ['--no-cache']]) {
        const args = ['check', '--dir', dir, ...flags, '--proxy', world.proxyB.url, ...cache];
        const r = await run(args, worldEnv(world, home));
        expect(r.code, r.err).toBe(2);
        expect(r.err).toContain(`would be named as the ${other} is`);
      }
    }
    expect(requestCount(world)).toEqual({ a: 0, b: 0, sumdb: 0 });
  });
});

describe('without --cache-dir', () => {
  it('caches under $XDG_CACHE_HOME/modguard of the environment it is given', async () => {
    const dir = await project(honest);
    const xdg = await temps.make();
    const env = { ...worldEnv(world, home), XDG_CACHE_HOME: xdg };
    const r = await run(['check', '--dir', dir, ...proxyFlags(world)], env);
    expect(r.code, r.err).toBe(0);
    const names = await files(join(xdg, 'modguard'));
    expect(names).toContain(join('sumdb', 'latest', world.sumdb.name));
    clearRequests(world);
    expect((await run(['check', '--dir', dir, ...proxyFlags(world)], env)).code).toBe(0);
    expect(requestCount(world)).toEqual({ a: 0, b: 0, sumdb: 0 });
  });
});

describe('when the cache of verified lines cannot be read or written', () => {
  it('checks every line anyway, prints the report and says so on stderr', async () => {
    const dir = await project(honest);
    const cacheDir = await temps.make();
    await mkdir(join(cacheDir, 'v1', 'verified.jsonl'), { recursive: true }); // EISDIR
    const r = await check(dir, ['--cache-dir', cacheDir]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as JsonReport;
    expect(report.summary).toMatchObject({ lines: 6, verified: 6 });
    expect(r.err).toMatch(/^modguard: cache: .*verified\.jsonl.*\(the check ran without it\)$/m);
    expect(requestCount(world).a).toBeGreaterThan(0);
  });
});

describe('when a record of the cache is garbled (a torn write, a disk error)', () => {
  it('the line is checked again and stderr names the file', async () => {
    const dir = await project(honest);
    const cacheDir = await temps.make();
    expect((await check(dir, ['--cache-dir', cacheDir])).code).toBe(0);
    const file = join(cacheDir, 'v1', 'verified.jsonl');
    const text = await readFile(file, 'utf8');
    await writeFile(file, `${text.slice(0, -20)}\n\u0000\u00ff{"k":\n`);
    clearRequests(world);
    const r = await check(dir, ['--cache-dir', cacheDir]);
    expect(r.code, r.err).toBe(0);
    expect((JSON.parse(r.out) as JsonReport).summary).toMatchObject({ lines: 6, verified: 6 });
    expect(requestCount(world).a).toBeGreaterThan(0);
    expect(r.err).toContain(`modguard: cache: ${file}: 2 lines that are not records ignored`);
    // The file is rewritten whole: the next run reads it without complaint.
    const again = await check(dir, ['--cache-dir', cacheDir]);
    expect(again.err).toBe('');
  });
});

describe('when --offline meets an empty cache', () => {
  it('every line is inconclusive (MG201 naming the cache), nothing is asked, exit 1', async () => {
    const dir = await project(honest);
    const r = await check(dir, ['--cache-dir', await temps.make(), '--offline']);
    for (const f of everyLineUnavailable(r).findings) {
      expect(f.evidence.map((e) => e.witness)).toEqual(['cache']);
    }
    expect(requestCount(world)).toEqual({ a: 0, b: 0, sumdb: 0 });
    const allowed = await check(dir, [
      '--cache-dir',
      await temps.make(),
      '--offline',
      '--allow-inconclusive',
    ]);
    expect(allowed.code).toBe(0);
  });
});

// The checksum database's stored tree head (<cache-dir>/sumdb/latest/NAME) that does
// not verify stops every lookup (src/sumdb/client.ts, as the go command's initErr): a
// check reports each line that needed the database as inconclusive (MG206) with the
// error naming the file, and leaves the file as it is. Lines the cache verified before
// need no lookup, online as with --offline.
describe('when the stored sumdb tree head does not verify', () => {
  const added = { path: 'example.test/greet', version: 'v1.0.0' };
  let dir: string;
  let cacheDir: string;
  let head: string;
  let corrupt: Buffer;

  beforeAll(async () => {
    const first = await project(honest);
    cacheDir = await temps.make();
    const r = await check(first, ['--cache-dir', cacheDir]);
    expect(r.code, r.err).toBe(0);
    head = join(cacheDir, 'sumdb', 'latest', encodeURIComponent(world.sumdb.name));
    const text = await readFile(head, 'utf8');
    corrupt = Buffer.from(text.replace('\n\n', '\n\nx')); // a note no more
    await writeFile(head, corrupt);
    dir = await project([...honest, added]);
  });

  it('the lines that need the database are inconclusive, with the error naming the file', async () => {
    for (let pass = 0; pass < 2; pass++) {
      const r = await check(dir, ['--cache-dir', cacheDir]);
      expect(r.code).toBe(1);
      const report = JSON.parse(r.out) as JsonReport;
      expect(report.summary).toMatchObject({ lines: 8, verified: 6, inconclusive: 2 });
      expect(report.findings.map((f) => `${f.code} ${f.module}@${f.version} ${f.kind}`)).toEqual([
        `MG206 ${added.path}@${added.version} zip`,
        `MG206 ${added.path}@${added.version} go.mod`,
      ]);
      for (const f of report.findings) {
        expect(f.severity).toBe('warning');
        expect(f.title).toContain(`the stored tree head of ${world.sumdb.name} does not verify`);
        expect(f.remedy).toContain('Removing it makes modguard trust');
        expect(`${f.title} ${f.detail} ${f.remedy}`).not.toMatch(/again|operator|retry/i);
        const sumdb = f.evidence.find((e) => e.witness === world.sumdb.name);
        expect(sumdb?.h1).toBeNull();
        expect(sumdb?.error).toContain(`the stored tree head ${head} does not verify: `);
        expect(sumdb?.error).toContain('removing it makes modguard trust');
        expect(sumdb?.error).toMatch(/\(STATE_INVALID\)$/);
        expect(f.detail).toContain(head);
      }
      expect(requestCount(world).sumdb).toBe(0);
      expect(await readFile(head)).toEqual(corrupt);
    }
  });

  it('counts as inconclusive for the exit status: 0 with --allow-inconclusive', async () => {
    const r = await check(dir, ['--cache-dir', cacheDir, '--allow-inconclusive']);
    expect(r.code, r.err).toBe(0);
    expect((JSON.parse(r.out) as JsonReport).summary.inconclusive).toBe(2);
    expect(await readFile(head)).toEqual(corrupt);
  });

  it('--offline answers the same lines from the cache, asks nothing, and keeps the file', async () => {
    const r = await check(dir, ['--cache-dir', cacheDir, '--offline']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as JsonReport;
    expect(report.summary).toMatchObject({ lines: 8, verified: 6, inconclusive: 2 });
    expect(report.findings.map((f) => `${f.code} ${f.module}`)).toEqual([
      `MG201 ${added.path}`,
      `MG201 ${added.path}`,
    ]);
    expect(requestCount(world)).toEqual({ a: 0, b: 0, sumdb: 0 });
    expect(await readFile(head)).toEqual(corrupt);
  });
});

/** P and Q are two proxies' identities (proxyWitnessIdentity). */
const P = proxyWitnessIdentity('https://proxy-p.example');
const Q = proxyWitnessIdentity('https://proxy-q.example');

describe('RetractionsCache', () => {
  const ranges = [{ low: 'v1.0.0', high: 'v1.0.5', rationale: 'broken' }];

  it('is reused for one hour, then is a miss; offline takes any age', async () => {
    let now = 1_000_000;
    const cache = new RetractionsCache(Cache.open(await temps.make()), () => now);
    cache.put(P, 'example.test/m', ranges);
    expect(await cache.get(P, 'example.test/m', RETRACTIONS_TTL_MS)).toEqual(ranges);
    expect(await cache.get(P, 'example.test/other', RETRACTIONS_TTL_MS)).toBeUndefined();
    now += RETRACTIONS_TTL_MS;
    expect(await cache.get(P, 'example.test/m', RETRACTIONS_TTL_MS)).toEqual(ranges);
    now += 1;
    expect(await cache.get(P, 'example.test/m', RETRACTIONS_TTL_MS)).toBeUndefined();
    expect(await cache.get(P, 'example.test/m', Number.POSITIVE_INFINITY)).toEqual(ranges);
    now = 0;
    expect(await cache.get(P, 'example.test/m', Number.POSITIVE_INFINITY)).toBeUndefined();
  });

  it("keeps each proxy's answer apart; a record keyed by module alone is a miss", async () => {
    const dir = await temps.make();
    const store = Cache.open(dir);
    const cache = new RetractionsCache(store);
    const inf = Number.POSITIVE_INFINITY;
    cache.put(P, 'example.test/m', ranges);
    expect(await cache.get(Q, 'example.test/m', inf)).toBeUndefined();
    cache.put(Q, 'example.test/m', []);
    expect(await cache.get(P, 'example.test/m', inf)).toEqual(ranges);
    expect(await cache.get(Q, 'example.test/m', inf)).toEqual([]);
    await store.flush();
    const old = `${JSON.stringify({ k: 'example.test/old', at: Date.now(), v: ranges })}\n`;
    await writeFile(join(dir, 'v1', 'retractions.jsonl'), old);
    expect(await new RetractionsCache(Cache.open(dir)).get(P, 'example.test/old', inf)).toBe(
      undefined,
    );
  });

  it('treats an entry that does not parse as a miss', async () => {
    const dir = await temps.make();
    const store = Cache.open(dir);
    new RetractionsCache(store).put(P, 'example.test/m', []);
    await store.flush();
    const file = join(dir, 'v1', 'retractions.jsonl');
    const inf = Number.POSITIVE_INFINITY;
    expect(await new RetractionsCache(Cache.open(dir)).get(P, 'example.test/m', inf)).toEqual([]);
    await writeFile(file, (await readFile(file, 'utf8')).replace('"v":[]', '"v":[{"low":1}]'));
    const cache = new RetractionsCache(Cache.open(dir));
    expect(await cache.get(P, 'example.test/m', inf)).toBeUndefined();
  });
});

describe('retractionsOf', () => {
  const privacy = {
    skipsProxies: (m: string) => m.startsWith('private.test/'),
    skipsSumdb: (m: string) => m.startsWith('private.test/'),
  };

  it('fetches once per hour and never for a private module', async () => {
    let now = 5_000_000;
    const cache = new RetractionsCache(Cache.open(await temps.make()), () => now);
    const asked: string[] = [];
    const fetch = async (m: string) => {
      asked.push(m);
      return m.endsWith('/fails') ? undefined : [];
    };
    const retractions = retractionsOf({ privacy, proxy: P, cache, fetch });
    expect(await retractions('example.test/m')).toEqual([]);
    expect(await retractions('example.test/m')).toEqual([]);
    expect(await retractions('private.test/x')).toBeUndefined();
    expect(await retractions('example.test/fails')).toBeUndefined();
    expect(await retractions('example.test/fails')).toBeUndefined();
    now += RETRACTIONS_TTL_MS + 1;
    expect(await retractions('example.test/m')).toEqual([]);
    expect(asked).toEqual([
      'example.test/m',
      'example.test/fails',
      'example.test/fails',
      'example.test/m',
    ]);
    const offline = retractionsOf({ privacy, proxy: P, cache });
    now += 10 * RETRACTIONS_TTL_MS;
    expect(await offline('example.test/m')).toEqual([]);
    expect(await offline('example.test/unknown')).toBeUndefined();
  });
});

// A sumdb folder of the cache that cannot be used (a regular file in its place: root
// ignores permissions, but not this) is this machine's failure, not the database's: the
// lookups are inconclusive as any witness failure (MG201, the same code), but the detail
// and remedy send the user to that folder, not to the network.
describe('when the sumdb folder of the cache cannot be used (a file is in its place)', () => {
  it('the lines are inconclusive (MG201), and the remedy points at that folder, not the network', async () => {
    const dir = await project(honest);
    const cacheDir = await temps.make();
    await writeFile(join(cacheDir, 'sumdb'), 'a file where the folder should be\n');
    const head = join(cacheDir, 'sumdb', 'latest', encodeURIComponent(world.sumdb.name));
    const r = await check(dir, ['--cache-dir', cacheDir]);
    for (const f of everyLineUnavailable(r).findings) {
      expect(f.detail).toMatch(new RegExp(`^On this machine, not at ${world.sumdb.name}: `));
      expect(f.detail).toContain(head);
      expect(f.detail).not.toContain(world.sumdb.url);
      expect(f.remedy).toContain('on this machine');
      expect(f.remedy).toContain('--cache-dir');
      expect(f.remedy).toContain('--no-cache');
      expect(f.remedy).not.toMatch(/network|URL/);
      const sumdb = f.evidence.find((e) => e.witness === world.sumdb.name);
      expect(sumdb?.error).toMatch(/ENOTDIR.*\(UNAVAILABLE\)$/);
    }
    expect(await readFile(join(cacheDir, 'sumdb'), 'utf8')).toBe(
      'a file where the folder should be\n',
    );
  });

  it('a database that cannot be reached still sends the user to the network', async () => {
    const dir = await project(honest);
    const env = goEnvFor(home, { GOSUMDB: `${world.sumdb.verifierKey} http://127.0.0.1:1` });
    const argv = ['check', '--dir', dir, ...proxyFlags(world), '--format', 'json', '--no-cache'];
    const r = await run(argv, env);
    const report = JSON.parse(r.out) as JsonReport;
    expect(report.findings.length).toBeGreaterThan(0);
    for (const f of report.findings) {
      expect(f.code).toBe('MG201');
      expect(f.remedy).toContain('your network');
      expect(f.detail).not.toMatch(/^On this machine/);
    }
  });
});
