import { execa } from 'execa';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Fault } from '../../../src/testing/proxy-server.js';
import { generateKey } from '../../../src/sumdb/note.js';
import { SumdbLog } from '../../../src/testing/sumdb-log.js';
import { startWorld, type Knob, type World } from '../../../src/testing/world/index.js';
import { runCheckOn, sumLines } from './helpers.js';

/**
 * The fail-closed matrix: for every witness and every way it can fail or lie, the
 * affected go.sum line is never verified, it carries a finding, and the check fails
 * (unless --allow-inconclusive and nothing at error severity).
 */
const V = 'v1.0.0';
const HONEST = 'example.test/m';
const knobbed = {
  tamperA: 'example.test/tamper-a',
  tamperB: 'example.test/tamper-b',
  staleA: 'example.test/stale-a',
  staleB: 'example.test/stale-b',
  movedTag: 'example.test/moved',
  noTag: 'example.test/notag',
  badSig: 'example.test/badsig',
} as const;

let world: World;
const undo: (() => void)[] = [];

beforeAll(async () => {
  const knobs: Knob[] = [
    { kind: 'tamper', proxy: 'A', path: knobbed.tamperA, version: V },
    { kind: 'tamper', proxy: 'B', path: knobbed.tamperB, version: V },
    { kind: 'stale', proxy: 'A', path: knobbed.staleA, version: V },
    { kind: 'stale', proxy: 'B', path: knobbed.staleB, version: V },
    { kind: 'moved-tag', path: knobbed.movedTag, version: V },
  ];
  world = await startWorld({
    modules: [HONEST, ...Object.values(knobbed)].map((path) => ({
      path,
      versions: [V],
      tag: 'gpg',
    })),
    knobs,
  });
  await bare(knobbed.noTag, ['tag', '-d', V]);
  await forgeTag(knobbed.badSig);
});
afterAll(async () => {
  await world?.stop();
});
afterEach(() => {
  for (const u of undo.splice(0)) u();
});

async function bare(module: string, args: string[], input?: string): Promise<string> {
  const repo = world.repos.find((r) => r.module === module);
  if (repo === undefined) throw new Error(`no repository for ${module}`);
  const dir = join(world.dir, 'git', repo.dir);
  return (await execa('git', ['-C', dir, ...args], input === undefined ? {} : { input })).stdout;
}

/** forgeTag edits the message of a signed tag, keeping its now non-matching signature. */
async function forgeTag(module: string): Promise<void> {
  const text = await bare(module, ['cat-file', 'tag', V]);
  const at = text.indexOf('\n\n') + 2;
  const oid = await bare(module, ['mktag'], `${text.slice(0, at)}forged ${text.slice(at)}\n`);
  await bare(module, ['update-ref', `refs/tags/${V}`, oid.trim()]);
}

function proxyFault(proxy: 'A' | 'B', fault: Fault): () => void {
  return () => {
    const faults = (proxy === 'A' ? world.proxyA : world.proxyB).faults;
    const rule = { path: HONEST, fault };
    faults.push(rule);
    undo.push(() => faults.splice(faults.indexOf(rule), 1));
  };
}

function sumdbFault(apply: (f: World['sumdb']['server']['state']['faults']) => void): () => void {
  return () => {
    const faults = world.sumdb.server.state.faults;
    apply(faults);
    undo.push(() => {
      for (const k of Object.keys(faults)) delete (faults as Record<string, unknown>)[k];
    });
  };
}

/** forkedLog is the world's log with one earlier record rewritten: another history, same size. */
function forkedLog(): SumdbLog {
  const main = world.sumdb.server.state.log;
  const fork = new SumdbLog();
  for (let id = 0; id < main.size; id++) {
    const text = Buffer.from(main.record(id) ?? []).toString('utf8');
    fork.append(id === main.size - 1 ? text.replace('h1:', 'h1:Z') : text);
  }
  return fork;
}

interface Row {
  readonly witness: 'proxy A' | 'proxy B' | 'sumdb' | 'git tag';
  readonly fault: string;
  /** the module whose lines are checked; default the honest one */
  readonly module?: string;
  readonly setup?: () => void;
  /** which lines the fault reaches: both (zip and go.mod) or the zip line only */
  readonly affects: 'both' | 'zip';
  /** true when the fault is an error-severity finding (fails even with --allow-inconclusive) */
  readonly error: boolean;
  readonly direct?: boolean;
  readonly timeout?: number;
}

const proxyRows = (p: 'A' | 'B'): Row[] => {
  const witness = p === 'A' ? 'proxy A' : 'proxy B';
  return [
    {
      witness,
      fault: '404',
      setup: proxyFault(p, { kind: 'status', status: 404 }),
      affects: 'both',
      error: false,
    },
    {
      witness,
      fault: '410',
      setup: proxyFault(p, { kind: 'status', status: 410 }),
      affects: 'both',
      error: false,
    },
    {
      witness,
      fault: '500',
      setup: proxyFault(p, { kind: 'status', status: 500 }),
      affects: 'both',
      error: false,
    },
    {
      witness,
      fault: 'HTML 200',
      setup: proxyFault(p, { kind: 'html' }),
      affects: 'both',
      error: false,
    },
    {
      witness,
      fault: 'junk 200',
      setup: proxyFault(p, { kind: 'body', body: 'junk' }),
      affects: 'both',
      error: true,
    },
    {
      witness,
      fault: 'hang',
      setup: proxyFault(p, { kind: 'hang' }),
      affects: 'both',
      error: false,
      timeout: 1,
    },
    {
      witness,
      fault: 'stall',
      setup: proxyFault(p, { kind: 'stall' }),
      affects: 'both',
      error: false,
      timeout: 1,
    },
    {
      witness,
      fault: 'reset',
      setup: proxyFault(p, { kind: 'reset' }),
      affects: 'both',
      error: false,
    },
    {
      witness,
      fault: 'tampered',
      module: p === 'A' ? knobbed.tamperA : knobbed.tamperB,
      affects: 'zip',
      error: true,
    },
    {
      witness,
      fault: 'stale',
      module: p === 'A' ? knobbed.staleA : knobbed.staleB,
      affects: 'zip',
      error: true,
    },
  ];
};

const sumdbRows: Row[] = [
  {
    witness: 'sumdb',
    fault: 'bad signature',
    setup: sumdbFault((f) => (f.badSignature = true)),
    affects: 'both',
    error: true,
  },
  {
    witness: 'sumdb',
    fault: 'wrong key',
    setup: sumdbFault((f) => (f.wrongKey = generateKey(world.sumdb.name).signerKey)),
    affects: 'both',
    error: true,
  },
  {
    witness: 'sumdb',
    fault: 'tiles of another history',
    setup: sumdbFault(
      (f) => (f.view = () => ({ log: world.sumdb.server.state.log, tiles: forkedLog() })),
    ),
    affects: 'both',
    error: true,
  },
  {
    witness: 'sumdb',
    fault: 'missing tile',
    setup: sumdbFault((f) => (f.missingTile = () => true)),
    affects: 'both',
    error: false,
  },
  {
    witness: 'sumdb',
    fault: 'truncated tile',
    setup: sumdbFault((f) => (f.truncatedTile = () => true)),
    affects: 'both',
    error: false,
  },
  {
    witness: 'sumdb',
    fault: 'corrupt tile',
    setup: sumdbFault((f) => (f.corruptTile = () => true)),
    affects: 'both',
    error: true,
  },
  {
    witness: 'sumdb',
    fault: 'forged record',
    setup: sumdbFault((f) => {
      const m = world.find(HONEST, V);
      f.records = new Map([[`${HONEST}@${V}`, sumLines(m, m.modHash, m.zipHash)]]);
    }),
    affects: 'both',
    error: true,
  },
  {
    witness: 'sumdb',
    fault: 'hang (answers after --timeout)',
    setup: sumdbFault((f) => (f.slowMs = 3_000)),
    affects: 'both',
    error: false,
    timeout: 1,
  },
  {
    witness: 'sumdb',
    fault: 'not in the log',
    setup: sumdbFault((f) => (f.view = () => ({ log: world.sumdb.server.state.log, size: 0 }))),
    affects: 'both',
    error: false,
  },
];

const gitRows: Row[] = [
  {
    witness: 'git tag',
    fault: 'moved tag',
    module: knobbed.movedTag,
    affects: 'zip',
    error: false,
    direct: true,
  },
  {
    witness: 'git tag',
    fault: 'missing tag',
    module: knobbed.noTag,
    affects: 'both',
    error: false,
    direct: true,
  },
  {
    witness: 'git tag',
    fault: 'bad signature',
    module: knobbed.badSig,
    affects: 'both',
    error: true,
    direct: true,
  },
];

const matrix: Row[] = [...proxyRows('A'), ...proxyRows('B'), ...sumdbRows, ...gitRows];

describe('fail-closed matrix', () => {
  it.each(matrix)('$witness × $fault: the affected line is never verified', async (row) => {
    row.setup?.();
    const m = world.find(row.module ?? HONEST, V);
    const project = { goSum: sumLines(m) };
    const base = { direct: row.direct === true, timeout: row.timeout ?? 2 };
    const { report, status } = await runCheckOn(world, project, base);
    const affected = row.affects === 'both' ? [1, 2] : [1];
    const { verified, mismatched, inconclusive } = report.summary;
    expect(verified, JSON.stringify(report.findings, null, 1)).toBe(2 - affected.length);
    expect(mismatched + inconclusive).toBe(affected.length);
    for (const line of affected) {
      const about = report.findings.filter((f) => f.line === line && /^MG[1237]/.test(f.code));
      expect(about.length, `no finding on go.sum:${line}`).toBeGreaterThan(0);
    }
    const hasError = report.findings.some((f) => f.severity === 'error');
    expect(hasError).toBe(row.error);
    if (row.fault === 'moved tag') {
      // MG701 is a warning: a mismatch the default --fail-on error lets pass (docs/findings.md)
      expect(status).toBe(0);
    } else {
      expect(status).toBe(1);
    }
    if (row.timeout !== undefined) return; // a hang costs a second per run: once is enough
    const allowed = await runCheckOn(world, project, { ...base, args: ['--allow-inconclusive'] });
    expect(allowed.report.summary.verified).toBe(2 - affected.length);
    expect(allowed.status).toBe(row.error ? 1 : 0);
  });

  it('the honest module verifies when no fault is set (the matrix is not vacuous)', async () => {
    const m = world.find(HONEST, V);
    const { report, status } = await runCheckOn(world, { goSum: sumLines(m) }, { direct: true });
    expect(report.summary.verified).toBe(2);
    expect(status).toBe(0);
  });
});
