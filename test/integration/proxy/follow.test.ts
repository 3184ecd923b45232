import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WitnessAnswer } from '../../../src/check/witness.js';
import type { ModuleFile } from '../../../src/hash/create.js';
import { createModuleZipBytes } from '../../../src/hash/modzip.js';
import { hashModuleZip } from '../../../src/hash/zipcheck.js';
import { bufferSource } from '../../../src/hash/zipformat.js';
import { ProxyClient } from '../../../src/proxy/client.js';
import { proxyWitness } from '../../../src/proxy/witness.js';
import { ZipWork } from '../../../src/proxy/zipwork.js';
import { startLoopbackServer, type LoopbackServer } from '../../../src/testing/world/loopback.js';
import { fastHttp, tempDir } from './helpers.js';

/**
 * Two proxy witnesses sharing zip work download the same module@version at once: one
 * follows the other's download (follow.ts) and the zips are hashed once when equal
 * (zipwork.ts). Whatever the two servers send, and however their downloads interleave
 * or fail, each witness's h1 must be the hash of exactly the bytes its server sent, or
 * an error: never the other's.
 */

const M = 'example.test/shared';
const V = 'v1.0.0';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Plan is how a test server sends one zip: when, in what pieces, and how it fails. */
interface Plan {
  readonly body: Buffer;
  readonly startMs?: number;
  readonly gapMs?: number;
  /** at `at` bytes: a TCP reset, a close short of Content-Length, or of the chunked end */
  readonly fault?: { readonly kind: 'reset' | 'short' | 'chunked'; readonly at: number };
}

const PIECE = 65_536;

async function send(res: ServerResponse, plan: Plan): Promise<void> {
  if (plan.startMs !== undefined) await sleep(plan.startMs);
  const { body, fault } = plan;
  const headers: Record<string, string | number> = { 'content-type': 'application/zip' };
  if (fault?.kind !== 'chunked') {
    headers['content-length'] = body.length + (fault?.kind === 'short' ? 100 : 0);
  }
  res.writeHead(200, headers);
  res.flushHeaders();
  const stop = fault?.at ?? body.length;
  for (let at = 0; at < stop; at += PIECE) {
    res.write(body.subarray(at, Math.min(stop, at + PIECE)));
    if (plan.gapMs !== undefined) await sleep(plan.gapMs);
  }
  if (fault === undefined) res.end();
  else if (fault.kind === 'reset') res.socket?.resetAndDestroy();
  else res.socket?.destroy();
}

function file(path: string, content: Buffer): ModuleFile {
  return { path, kind: 'file', size: content.length, open: () => [content] };
}

let server: LoopbackServer;
/** the plans of proxy a and b, one per request (the last one repeats) */
const plans = new Map<string, Plan[]>();
let honest: Buffer;
let other: Buffer;

beforeAll(async () => {
  const blob = randomBytes(3_000_000);
  const zip = (extra: string) =>
    createModuleZipBytes(M, V, [
      file('go.mod', Buffer.from(`module ${M}\n`)),
      file('blob.bin', blob),
      file('a.go', Buffer.from(`package shared\n${extra}`)),
    ]);
  [honest, other] = await Promise.all([zip(''), zip('// other\n')]);
  server = await startLoopbackServer('AB', async (req, res) => {
    const list = plans.get((req.url ?? '').split('/')[1] ?? '') ?? [];
    const plan = list.length > 1 ? list.shift() : list[0];
    if (plan === undefined) {
      res.writeHead(404);
      res.end();
      return;
    }
    await send(res, plan);
  });
});
afterAll(async () => {
  await server.stop();
});

/** own is what a witness must answer: the h1 of the bytes its last request got, or an error. */
async function own(sent: readonly Plan[]): Promise<string | 'error'> {
  const last = sent.at(-1);
  if (last === undefined || last.fault !== undefined) return 'error';
  return hashModuleZip(M, V, bufferSource(last.body)).catch(() => 'error' as const);
}

function verdict(answer: WitnessAnswer): string {
  return answer.h1 ?? 'error';
}

/**
 * both asks witnesses a and b for the zip, b `afterMs` later (once a answered when
 * negative), sharing one ZipWork with a
 * memory budget of `memory` bytes; it checks that nothing is left in the spool folder
 * and that the budget is whole again.
 */
async function both(a: Plan[], b: Plan[], memory: number, afterMs = 0) {
  plans.set('a', [...a]);
  plans.set('b', [...b]);
  const tmp = await tempDir();
  const work = new ZipWork(2, memory);
  const http = fastHttp({ retries: 1 });
  const witness = (name: string) =>
    proxyWitness(new ProxyClient(`${server.url}/${name}`, http), {
      name,
      url: name,
      spoolDir: tmp.dir,
      zipWork: work,
    });
  try {
    const first = witness('a').fetch(M, V, 'zip');
    await (afterMs < 0 ? first : sleep(afterMs));
    const answers = await Promise.all([first, witness('b').fetch(M, V, 'zip')]);
    expect(await readdir(tmp.dir)).toEqual([]);
    expect(work.memory.take(memory)).toBe(true);
    return answers.map(verdict);
  } finally {
    await work.close();
    await http.close();
    await tmp.cleanup();
  }
}

/** MEMORY: zips (of 3 MB) are kept in memory until they spill to their files midway. */
const MEMORY = 1 << 20;
/** TIMING: both at once, b's download starting while a's is midway, or once a has answered. */
const TIMING: [string, Partial<Plan>, number][] = [
  ['at once', {}, 0],
  ['b midway through a', { gapMs: 3 }, 40],
];
const AFTER: [string, Partial<Plan>, number] = ['b after a answered', {}, -1];

describe('proxy witnesses following each other’s zip downloads', () => {
  it('when the two proxies send different bytes: each h1 is of its own bytes', async () => {
    const variants: Record<string, Buffer> = {
      'another zip': other,
      'one byte late': flip(honest, honest.length - 30),
      'the last byte': flip(honest, honest.length - 1),
      'one byte longer': Buffer.concat([honest, Buffer.from('!')]),
      'one byte shorter': honest.subarray(0, -1),
      empty: Buffer.alloc(0),
    };
    for (const [name, changed] of Object.entries(variants)) {
      for (const [timing, slow, afterMs] of [...TIMING, AFTER]) {
        for (const [a, b] of [
          [honest, changed],
          [changed, honest],
        ] as const) {
          const pa = [{ body: a, ...slow }];
          const pb = [{ body: b }];
          const got = await both(pa, pb, MEMORY, afterMs);
          expect(got, `${name}, ${timing}`).toEqual([await own(pa), await own(pb)]);
        }
      }
    }
  }, 60_000);

  it('when one download fails midway while the other follows or leads it: an error for it alone, and its retry answers for itself', async () => {
    const n = honest.length;
    const faults: Plan['fault'][] = [
      { kind: 'reset', at: n >> 1 },
      { kind: 'short', at: n },
      { kind: 'chunked', at: n - 1 },
    ];
    for (const fault of faults) {
      for (const [timing, slow, afterMs] of TIMING) {
        for (const retry of [undefined, other]) {
          for (const failing of ['a', 'b']) {
            const bad: Plan[] = [{ body: honest, fault, ...slow }];
            if (retry !== undefined) bad.push({ body: retry });
            const good: Plan[] = [{ body: honest }];
            const [pa, pb] = failing === 'a' ? [bad, good] : [good, bad];
            const got = await both(pa, pb, MEMORY, afterMs);
            const why = `${fault?.kind} in ${failing}, ${timing}, retry ${retry ? 'sent' : 'fails'}`;
            expect(got, why).toEqual([await own(pa), await own(pb)]);
          }
        }
      }
    }
  }, 60_000);
});

function flip(bytes: Buffer, at: number): Buffer {
  const out = Buffer.from(bytes);
  out[at] = (out[at] ?? 0) ^ 0x01;
  return out;
}
