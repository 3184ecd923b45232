import { describe, expect, it } from 'vitest';
import type { LineClaim } from '../../../src/check/compare.js';
import {
  checkClaims,
  type EngineOptions,
  type Privacy,
  type VerifiedStore,
} from '../../../src/check/engine.js';
import type {
  ModuleKind,
  ProxyWitness,
  SumdbLookup,
  SumdbWitness,
  VcsWitness,
  WitnessAnswer,
} from '../../../src/check/witness.js';
import { ModguardError } from '../../../src/errors.js';
import { H } from './fixtures.js';

const PUBLIC = 'example.com/pub';
const PRIVATE = 'corp.example/secret';

const claimFor = (module: string, version: string, kind: ModuleKind, line: number): LineClaim => ({
  module,
  version,
  kind,
  h1: H.A,
  file: 'go.sum',
  line,
});

/** FakeProxy answers H.A for everything (or what `answer` says) and records each question. */
function fakeProxy(
  name: string,
  answer?: (module: string, version: string, kind: ModuleKind) => Promise<WitnessAnswer>,
) {
  const asked: string[] = [];
  const proxy: ProxyWitness = {
    name,
    url: `http://127.0.0.1:1/${name}`,
    fetch: async (module, version, kind) => {
      asked.push(`${module}@${version} ${kind}`);
      if (answer !== undefined) return answer(module, version, kind);
      return { witness: name, role: 'proxy', url: proxy.url, h1: H.A };
    },
  };
  return { proxy, asked };
}

/** fakeSumdb answers a record with H.A for both lines and records each lookup. */
function fakeSumdb(lookup?: (module: string, version: string) => Promise<SumdbLookup>) {
  const asked: string[] = [];
  const sumdb: SumdbWitness = {
    name: 'sumdb',
    url: 'http://127.0.0.1:2',
    lookup: async (module, version) => {
      asked.push(`${module}@${version}`);
      if (lookup !== undefined) return lookup(module, version);
      const lines = [`${module} ${version} ${H.A}`, `${module} ${version}/go.mod ${H.A}`];
      return { witness: 'sumdb', url: sumdb.url, lines, treeSize: 10n };
    },
  };
  return { sumdb, asked };
}

function fakeVcs() {
  const asked: string[] = [];
  const vcs: VcsWitness = {
    name: 'git tag',
    fetch: async (module, version, kind) => {
      asked.push(`${module}@${version} ${kind}`);
      return {
        witness: 'git tag',
        role: 'vcs',
        url: `git#${version}`,
        h1: H.A,
        signature: 'valid',
      };
    },
  };
  return { vcs, asked };
}

const privacy = (privatePrefix = PRIVATE): Privacy => ({
  skipsProxies: (m) => m.startsWith(privatePrefix),
  skipsSumdb: (m) => m.startsWith(privatePrefix),
});

/** memoryStore is a VerifiedStore in a Map: line → witnesses that verified it. */
function memoryStore(initial: [LineClaim, string[]][] = []) {
  const key = (l: Pick<LineClaim, 'module' | 'version' | 'kind' | 'h1'>) =>
    `${l.module} ${l.version} ${l.kind} ${l.h1}`;
  const records = new Map(initial.map(([l, w]) => [key(l), w]));
  const marked: string[][] = [];
  const store: VerifiedStore = {
    verified: async (l, witnesses) => {
      const record = records.get(key(l));
      return record !== undefined && witnesses.every((w) => record.includes(w)) ? [] : undefined;
    },
    markVerified: async (l, witnesses) => {
      marked.push([...witnesses]);
      records.set(key(l), [...witnesses]);
    },
  };
  return { store, marked };
}

function world(extra: Partial<EngineOptions> = {}) {
  const a = fakeProxy('proxy A');
  const b = fakeProxy('proxy B');
  const s = fakeSumdb();
  const options: EngineOptions = {
    proxies: [a.proxy, b.proxy],
    sumdb: s.sumdb,
    privacy: privacy(),
    ...extra,
  };
  return { options, a, b, s };
}

const pair = (module: string, version = 'v1.0.0', first = 1): [LineClaim, LineClaim] => [
  claimFor(module, version, 'zip', first),
  claimFor(module, version, 'go.mod', first + 1),
];

describe('checkClaims', () => {
  it('verifies a line every witness agrees with, asking each proxy once per line', async () => {
    const w = world();
    const results = await checkClaims(pair(PUBLIC), w.options);
    expect(results.map((r) => r.verdict)).toEqual(['verified', 'verified']);
    expect(w.a.asked).toEqual([`${PUBLIC}@v1.0.0 zip`, `${PUBLIC}@v1.0.0 go.mod`]);
    expect(w.b.asked).toEqual(w.a.asked);
  });

  it('looks a version up in the sumdb once for both of its lines', async () => {
    const w = world();
    await checkClaims([...pair(PUBLIC), ...pair(PUBLIC, 'v1.1.0', 3)], w.options);
    expect(w.s.asked.sort()).toEqual([`${PUBLIC}@v1.0.0`, `${PUBLIC}@v1.1.0`]);
  });

  describe('when a module is private', () => {
    it('never asks a proxy or the sumdb about it, and skips it', async () => {
      const w = world();
      const results = await checkClaims(
        [...pair(PRIVATE), ...pair(PUBLIC, 'v1.0.0', 3)],
        w.options,
      );
      expect(results.map((r) => r.verdict)).toEqual(['skipped', 'skipped', 'verified', 'verified']);
      expect(results[0]?.reason).toContain('GOPRIVATE');
      for (const asked of [w.a.asked, w.b.asked, w.s.asked]) {
        expect(asked.filter((q) => q.startsWith(PRIVATE))).toEqual([]);
      }
    });

    it('asks only the git tag with --direct', async () => {
      const v = fakeVcs();
      const w = world({ vcs: v.vcs });
      const results = await checkClaims(pair(PRIVATE), w.options);
      expect(results.map((r) => r.verdict)).toEqual(['verified', 'verified']);
      expect(v.asked).toHaveLength(2);
      expect([...w.a.asked, ...w.b.asked, ...w.s.asked]).toEqual([]);
    });

    it('a module kept from the sumdb only (GONOSUMDB) is still asked of the proxies', async () => {
      const w = world({ privacy: { skipsProxies: () => false, skipsSumdb: () => true } });
      const results = await checkClaims(pair(PUBLIC), w.options);
      expect(results.map((r) => r.verdict)).toEqual(['verified', 'verified']);
      expect(w.s.asked).toEqual([]);
      expect(w.a.asked).toHaveLength(2);
    });
  });

  describe('with a verified-line store', () => {
    it('answers a line stored as verified by the same witnesses without asking any', async () => {
      const [zip, mod] = pair(PUBLIC);
      const m = memoryStore([
        [zip, ['proxy A', 'proxy B', 'sumdb']],
        [mod, ['proxy A', 'proxy B', 'sumdb']],
      ]);
      const w = world({ store: m.store });
      const results = await checkClaims([zip, mod], w.options);
      expect(results.map((r) => r.verdict)).toEqual(['verified', 'verified']);
      expect(results[0]?.reason).toContain('cache');
      expect([...w.a.asked, ...w.b.asked, ...w.s.asked]).toEqual([]);
    });

    it('asks again when the stored record has fewer witnesses than are planned now', async () => {
      const [zip] = pair(PUBLIC);
      const m = memoryStore([[zip, ['proxy A', 'sumdb']]]);
      const w = world({ store: m.store });
      const results = await checkClaims([zip], w.options);
      expect(results[0]?.verdict).toBe('verified');
      expect(results[0]?.reason).toBeUndefined();
      expect(w.b.asked).toHaveLength(1);
      expect(m.marked).toEqual([['proxy A', 'proxy B', 'sumdb']]);
    });

    it('stores only verified lines', async () => {
      const m = memoryStore();
      const bad = fakeProxy('proxy B', async () => ({
        witness: 'proxy B',
        role: 'proxy',
        url: 'b',
        h1: H.B,
      }));
      const w = world({ store: m.store });
      const results = await checkClaims(pair(PUBLIC), {
        ...w.options,
        proxies: [w.a.proxy, bad.proxy],
      });
      expect(results.map((r) => r.verdict)).toEqual(['mismatch', 'mismatch']);
      expect(m.marked).toEqual([]);
    });
  });

  describe('--offline', () => {
    it('answers from the store only: a miss is inconclusive (MG201 from the cache), nothing is asked', async () => {
      const [zip, mod] = pair(PUBLIC);
      const m = memoryStore([[zip, ['proxy A', 'proxy B', 'sumdb']]]);
      const w = world({ store: m.store, offline: true });
      const results = await checkClaims([zip, mod], w.options);
      expect(results.map((r) => r.verdict)).toEqual(['verified', 'inconclusive']);
      expect(results[1]?.findings[0]).toMatchObject({ code: 'MG201', witness: 'cache', line: 2 });
      expect([...w.a.asked, ...w.b.asked, ...w.s.asked]).toEqual([]);
    });

    it('without a store, no line is verified', async () => {
      const w = world({ offline: true });
      const results = await checkClaims(pair(PUBLIC), w.options);
      expect(results.map((r) => r.verdict)).toEqual(['inconclusive', 'inconclusive']);
    });
  });

  describe('--changed-since (deep)', () => {
    it('asks about changed lines only; unchanged ones not in the store are skipped, never verified', async () => {
      const [zip, mod] = pair(PUBLIC);
      const w = world({ deep: (c) => c.kind === 'zip' });
      const results = await checkClaims([zip, mod], w.options);
      expect(results.map((r) => r.verdict)).toEqual(['verified', 'skipped']);
      expect(results[1]?.reason).toContain('--changed-since');
      expect(w.a.asked).toEqual([`${PUBLIC}@v1.0.0 zip`]);
    });

    it('an unchanged line in the store stays verified', async () => {
      const [zip] = pair(PUBLIC);
      const m = memoryStore([[zip, ['proxy A', 'proxy B', 'sumdb']]]);
      const w = world({ deep: () => false, store: m.store });
      expect((await checkClaims([zip], w.options))[0]?.verdict).toBe('verified');
    });
  });

  it('runs at most `concurrency` lines at once, and reports progress for each', async () => {
    let inFlight = 0;
    let peak = 0;
    const slow = fakeProxy('proxy A', async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return { witness: 'proxy A', role: 'proxy', url: 'a', h1: H.A };
    });
    const progress: number[] = [];
    const claims = Array.from({ length: 12 }, (_, i) =>
      claimFor(PUBLIC, `v1.0.${i}`, 'zip', i + 1),
    );
    const results = await checkClaims(claims, {
      proxies: [slow.proxy],
      privacy: privacy(),
      concurrency: 3,
      onProgress: (done, total) => {
        expect(total).toBe(12);
        progress.push(done);
      },
    });
    expect(results.map((r) => r.claim.line)).toEqual(claims.map((c) => c.line));
    expect(peak).toBe(3);
    expect(progress).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  describe('when an adapter throws (a bug)', () => {
    it('a proxy that throws becomes an error answer: MG201, inconclusive', async () => {
      const broken = fakeProxy('proxy B', async () => {
        throw new TypeError('boom');
      });
      const w = world();
      const results = await checkClaims(pair(PUBLIC), {
        ...w.options,
        proxies: [w.a.proxy, broken.proxy],
      });
      expect(results.map((r) => r.verdict)).toEqual(['inconclusive', 'inconclusive']);
      const f = results[0]?.findings[0];
      expect(f).toMatchObject({ code: 'MG201', witness: 'proxy B' });
      expect(f?.evidence[0]?.error).toBe('boom (INTERNAL)');
    });

    it('a sumdb that throws a verification error becomes its MG3xx finding', async () => {
      const s = fakeSumdb(async () => {
        throw new ModguardError('SUMDB_FORK', 'verification', 'two heads');
      });
      const w = world({ sumdb: s.sumdb });
      const results = await checkClaims(pair(PUBLIC), w.options);
      expect(results.map((r) => r.verdict)).toEqual(['inconclusive', 'inconclusive']);
      expect(results.map((r) => r.findings[0]?.code)).toEqual(['MG303', 'MG303']);
      expect(s.asked).toHaveLength(1);
    });

    it('a git witness that throws is inconclusive', async () => {
      const vcs: VcsWitness = {
        name: 'git tag',
        fetch: () => Promise.reject(new Error('git crashed')),
      };
      const w = world({ vcs });
      const results = await checkClaims(pair(PUBLIC), w.options);
      expect(results.map((r) => r.verdict)).toEqual(['inconclusive', 'inconclusive']);
      expect(results[0]?.findings[0]).toMatchObject({ code: 'MG201', witness: 'git tag' });
    });
  });

  it('a public line no witness applies to (no proxy, sumdb off) is MG205, inconclusive', async () => {
    const results = await checkClaims(pair(PUBLIC), { proxies: [], privacy: privacy() });
    expect(results.map((r) => r.verdict)).toEqual(['inconclusive', 'inconclusive']);
    expect(results[0]?.findings[0]).toMatchObject({ code: 'MG205', line: 1 });
  });

  it('a module kept from the proxies (GONOPROXY) with the sumdb off is skipped, not MG205', async () => {
    const results = await checkClaims(pair(PUBLIC), {
      proxies: [fakeProxy('proxy A').proxy],
      privacy: { skipsProxies: () => true, skipsSumdb: () => false },
    });
    expect(results.map((r) => r.verdict)).toEqual(['skipped', 'skipped']);
  });
});
