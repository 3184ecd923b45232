import { describe, expect, it } from 'vitest';
import type { LineClaim } from '../../../src/check/compare.js';
import { runCheck, type CheckInput, type ModuleFiles } from '../../../src/check/run.js';
import type { ProxyWitness } from '../../../src/check/witness.js';
import { resolveGoEnv } from '../../../src/go/env.js';
import { H } from './fixtures.js';

/** recordingProxy answers H.A for every line and records the lines it was asked about. */
function recordingProxy() {
  const asked: string[] = [];
  const proxy: ProxyWitness = {
    name: 'proxy A',
    url: 'http://127.0.0.1:1',
    fetch: async (module, version, kind) => {
      asked.push(`${module} ${version} ${kind}`);
      return { witness: 'proxy A', role: 'proxy', url: proxy.url, h1: H.A };
    },
  };
  return { proxy, asked };
}

/** env is the Go environment with defaults (GOSUMDB=sum.golang.org: data here, never asked). */
const env = (process: Record<string, string> = {}) => resolveGoEnv({ process });

function input(modules: ModuleFiles[], extra: Partial<CheckInput> = {}) {
  const p = recordingProxy();
  const value: CheckInput = {
    modules,
    env: env(),
    engine: { proxies: [p.proxy], privacy: { skipsProxies: () => false, skipsSumdb: () => false } },
    ...extra,
  };
  return { value, asked: p.asked };
}

const goMod = (requires: string) =>
  `module example.com/app\n\ngo 1.21\n\nrequire (\n${requires})\n`;

describe('runCheck', () => {
  it('checks every well-formed line and reports each malformed one as MG405 at its line', async () => {
    const text = [
      `example.com/a v1.0.0 ${H.A}`,
      'example.com/a v1.0.0 h2:abc',
      'not a go.sum line',
      `example.com/b v1.0.0/go.mod ${H.A}`,
      '',
    ].join('\n');
    const { value, asked } = input([{ goSum: { file: 'go.sum', text } }]);
    const { report, results } = await runCheck(value);
    const malformed = report.findings.filter((f) => f.code === 'MG405');
    expect(malformed.map((f) => [f.file, f.line, f.severity])).toEqual([
      ['go.sum', 2, 'error'],
      ['go.sum', 3, 'error'],
    ]);
    expect(results.map((r) => r.claim.line)).toEqual([1, 4]);
    expect(asked).toEqual(['example.com/a v1.0.0 zip', 'example.com/b v1.0.0 go.mod']);
    expect(report.summary).toMatchObject({ lines: 2, verified: 2 });
  });

  it('reports a go.mod syntax error as MG406 and still checks go.sum, without go.mod checks', async () => {
    let retractionsAsked = 0;
    const { value, asked } = input(
      [
        {
          goSum: { file: 'go.sum', text: `example.com/a v1.0.0 ${H.A}\n` },
          goMod: {
            file: 'go.mod',
            text: 'module example.com/app\n\nrequire (\n\texample.com/b\n)\n',
          },
        },
      ],
      {
        retractions: async () => {
          retractionsAsked++;
          return [];
        },
      },
    );
    const { report } = await runCheck(value);
    expect(report.findings.map((f) => [f.code, f.file, f.line])).toEqual([['MG406', 'go.mod', 4]]);
    expect(asked).toHaveLength(1);
    expect(retractionsAsked).toBe(0);
  });

  it('accepts a nested module that replaces its parent with ".." (Go ≥ 1.22): no MG406, no MG403', async () => {
    const text = [
      'module example.com/app/examples',
      'go 1.25.5',
      'require (',
      '\texample.com/app v0.0.0',
      '\texample.com/a v1.0.0',
      ')',
      'replace example.com/app => ..',
      '',
    ].join('\n');
    const sum = `example.com/a v1.0.0 ${H.A}\nexample.com/a v1.0.0/go.mod ${H.A}\n`;
    const { value } = input([
      { goSum: { file: 'examples/go.sum', text: sum }, goMod: { file: 'examples/go.mod', text } },
    ]);
    const { report } = await runCheck(value);
    expect(report.findings.map((f) => [f.code, f.module])).toEqual([]);
  });

  it('runs the go.mod checks and the retraction check per module, pointing at its files', async () => {
    const modules: ModuleFiles[] = [
      {
        goSum: { file: 'go.sum', text: `example.com/a v1.0.0/go.mod ${H.A}\n` },
        goMod: { file: 'go.mod', text: goMod('\texample.com/a v1.0.0\n') },
      },
      {
        goSum: { file: 'tools/go.sum', text: '' },
        goMod: { file: 'tools/go.mod', text: goMod('\texample.com/b v1.2.0\n') },
      },
    ];
    const asked: string[] = [];
    const { value } = input(modules, {
      retractions: async (m) => {
        asked.push(m);
        return m === 'example.com/b'
          ? [{ low: 'v1.2.0', high: 'v1.2.0', rationale: 'bad' }]
          : undefined;
      },
    });
    const { report } = await runCheck(value);
    expect(asked.sort()).toEqual(['example.com/a', 'example.com/b']);
    expect(report.findings.map((f) => [f.code, f.file, f.line, f.module])).toEqual([
      ['MG403', 'tools/go.mod', 6, 'example.com/b'],
      ['MG601', 'tools/go.mod', 6, 'example.com/b'],
    ]);
  });

  it('reports the environment once, at the first go.mod, per module in go.sum', async () => {
    const { value } = input(
      [
        {
          goSum: {
            file: 'go.sum',
            text: `example.com/a v1.0.0 ${H.A}\nexample.com/a v1.1.0 ${H.A}\n`,
          },
          goMod: { file: 'go.mod', text: goMod('') },
        },
      ],
      { env: env({ GONOSUMDB: 'example.com', GOINSECURE: 'example.com', GOFLAGS: '-insecure' }) },
    );
    const { report } = await runCheck(value);
    const config = report.findings.filter((f) => f.code.startsWith('MG5'));
    expect(config.map((f) => [f.code, f.file, f.module])).toEqual([
      ['MG502', 'go.mod', 'example.com/a'],
      ['MG504', 'go.mod', null],
      ['MG505', 'go.mod', null],
    ]);
  });

  it('gives every line of every module to the engine, with its own file', async () => {
    const seen: LineClaim[] = [];
    const { value } = input([
      { goSum: { file: 'go.sum', text: `example.com/a v1.0.0 ${H.A}\n` } },
      { goSum: { file: 'sub/go.sum', text: `example.com/b v1.0.0 ${H.A}\n` } },
    ]);
    const { results } = await runCheck({
      ...value,
      engine: { ...value.engine, onProgress: () => undefined },
    });
    seen.push(...results.map((r) => r.claim));
    expect(seen.map((c) => `${c.file}:${c.line} ${c.module}`)).toEqual([
      'go.sum:1 example.com/a',
      'sub/go.sum:1 example.com/b',
    ]);
  });
});
