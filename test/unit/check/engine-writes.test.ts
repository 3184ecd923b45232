import { describe, expect, it } from 'vitest';
import type { LineClaim } from '../../../src/check/compare.js';
import { checkClaims, type EngineOptions, type VerifiedStore } from '../../../src/check/engine.js';
import type { ProxyWitness, SumdbWitness } from '../../../src/check/witness.js';
import { H } from './fixtures.js';

// The engine writes "verified" records beside the checks (bench/check: a durable store
// write per line held a line's slot); these pin what must still hold.

const claims: LineClaim[] = ['a', 'b', 'c'].map((m, i) => ({
  module: `example.com/${m}`,
  version: 'v1.0.0',
  kind: 'zip',
  h1: H.A,
  file: 'go.sum',
  line: i + 1,
}));

const asked: string[] = [];
const proxy = (name: string): ProxyWitness => ({
  name,
  url: `http://127.0.0.1:1/${name}`,
  fetch: async (module) => {
    asked.push(`${name} ${module}`);
    return { witness: name, role: 'proxy', url: `http://127.0.0.1:1/${name}`, h1: H.A };
  },
});
const sumdb: SumdbWitness = {
  name: 'sumdb',
  url: 'http://127.0.0.1:2',
  lookup: async (module, version) => ({
    witness: 'sumdb',
    url: 'http://127.0.0.1:2',
    lines: [`${module} ${version} ${H.A}`, `${module} ${version}/go.mod ${H.B}`],
    treeSize: 10n,
  }),
};

function options(store: VerifiedStore): EngineOptions {
  return {
    proxies: [proxy('A'), proxy('B')],
    sumdb,
    privacy: { skipsProxies: () => false, skipsSumdb: () => false },
    store,
    concurrency: 1,
  };
}

describe('when lines are verified, their store writes', () => {
  it('are all finished when checkClaims resolves, without holding a line slot', async () => {
    asked.length = 0;
    const written: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const store: VerifiedStore = {
      verified: async () => undefined,
      markVerified: async (line) => {
        if (line.module === 'example.com/a') {
          // the first write waits until every line has been asked (concurrency 1)
          await gate;
        }
        written.push(line.module);
      },
    };
    const run = checkClaims(claims, options(store));
    await expect.poll(() => asked.length).toBe(6);
    expect(written).toEqual(['example.com/b', 'example.com/c']);
    release();
    const results = await run;
    expect(results.map((r) => r.verdict)).toEqual(['verified', 'verified', 'verified']);
    expect(written.sort()).toEqual(['example.com/a', 'example.com/b', 'example.com/c']);
  });

  it('fail the check when one fails, after the others are done', async () => {
    const written: string[] = [];
    const store: VerifiedStore = {
      verified: async () => undefined,
      markVerified: async (line) => {
        if (line.module === 'example.com/b') throw new Error('disk full');
        written.push(line.module);
      },
    };
    await expect(checkClaims(claims, options(store))).rejects.toThrow('disk full');
    expect(written.sort()).toEqual(['example.com/a', 'example.com/c']);
  });
});
