import { randomBytes } from 'node:crypto';
import { watch } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WitnessAnswer } from '../../../src/check/witness.js';
import type { ModuleFile } from '../../../src/hash/create.js';
import { createModuleZipBytes } from '../../../src/hash/modzip.js';
import { hashModuleZip } from '../../../src/hash/zipcheck.js';
import { bufferSource } from '../../../src/hash/zipformat.js';
import { ProxyClient } from '../../../src/proxy/client.js';
import type { HttpClient } from '../../../src/proxy/http.js';
import { proxyWitness } from '../../../src/proxy/witness.js';
import { ZipWork } from '../../../src/proxy/zipwork.js';
import { startProxyServer, type ProxyServer } from '../../../src/testing/proxy-server.js';
import { startLoopbackServer } from '../../../src/testing/world/loopback.js';
import { fastHttp, tempDir } from './helpers.js';

const M = 'example.test/shared';
const V = 'v1.0.0';

function file(path: string, content: Buffer): ModuleFile {
  return { path, kind: 'file', size: content.length, open: () => [content] };
}

let a: ProxyServer;
let b: ProxyServer;
let http: HttpClient;
let tmp: { dir: string; cleanup: () => Promise<void> } | undefined;
let honest: Buffer;
let honestH1: string;
/** forged has honest's size: one byte of an incompressible file's stored data is changed */
let forged: Buffer;

beforeAll(async () => {
  const blob = randomBytes(300_000);
  honest = await createModuleZipBytes(M, V, [
    file('go.mod', Buffer.from(`module ${M}\n`)),
    file('blob.bin', blob),
    file('a.go', Buffer.from('package shared\n'.repeat(2000))),
  ]);
  honestH1 = await hashModuleZip(M, V, bufferSource(honest));
  forged = Buffer.from(honest);
  const at = forged.indexOf(blob.subarray(1000, 1032));
  forged[at] = (forged[at] ?? 0) ^ 0xff;
  [a, b] = await Promise.all([startProxyServer({ name: 'A' }), startProxyServer({ name: 'B' })]);
  http = fastHttp();
});
afterAll(async () => {
  await http.close();
  await Promise.all([a.stop(), b.stop()]);
});
afterEach(async () => {
  await tmp?.cleanup();
  tmp = undefined;
});

const version = (zip: Buffer) => ({
  info: { Version: V, Time: '2024-01-02T03:04:05Z' },
  mod: Buffer.from(`module ${M}\n`),
  zip,
});

/**
 * both asks proxies A and B for the zip at once, through witnesses sharing one ZipWork;
 * `created` collects the names of the files made in the spool directory.
 */
async function both(
  memoryBytes: number,
  created = new Set<string>(),
): Promise<[WitnessAnswer, WitnessAnswer]> {
  await tmp?.cleanup(); // a test that asks twice leaves no folder behind
  tmp = await tempDir();
  const spoolDir = tmp.dir;
  const watcher = watch(spoolDir, (_, name) => {
    if (name !== null) created.add(name);
  });
  const work = new ZipWork(2, memoryBytes);
  const witness = (p: ProxyServer) =>
    proxyWitness(new ProxyClient(p.url, http), {
      name: `proxy ${p.name}`,
      url: p.url,
      spoolDir,
      zipWork: work,
    });
  const answers = await Promise.all([witness(a).fetch(M, V, 'zip'), witness(b).fetch(M, V, 'zip')]);
  await new Promise((resolve) => setTimeout(resolve, 50)); // the watcher's last events
  watcher.close();
  expect(await readdir(tmp.dir)).toEqual([]); // every spooled zip is removed
  expect(work.memory.take(memoryBytes)).toBe(true); // every byte of memory given back
  return answers;
}

describe('proxy witnesses sharing zip work', () => {
  for (const [where, memory] of [
    ['in memory', 8 << 20],
    ['spooled to files', 0],
  ] as const) {
    it(`when both proxies serve the same zip (${where}): both answer its h1`, async () => {
      a.put(M, V, version(honest));
      b.put(M, V, version(Buffer.from(honest)));
      const created = new Set<string>();
      const [x, y] = await both(memory, created);
      expect(x).toMatchObject({ witness: 'proxy A', h1: honestH1 });
      expect(y).toMatchObject({ witness: 'proxy B', h1: honestH1 });
      // The second download follows the first (follow.ts): the zip is stored once.
      expect(created.size).toBe(memory === 0 ? 1 : 0);
    });

    it(`when one proxy serves a zip of the same size with one byte changed (${where}): it does not get the honest answer`, async () => {
      for (const [first, second] of [
        [a, b],
        [b, a],
      ] as const) {
        first.put(M, V, version(honest));
        second.put(M, V, version(forged));
        const created = new Set<string>();
        const answers = await both(memory, created);
        expect(created.size).toBe(memory === 0 ? 2 : 0); // the changed zip is stored as received
        const honestAnswer = answers.find((w) => w.witness === `proxy ${first.name}`);
        const forgedAnswer = answers.find((w) => w.witness === `proxy ${second.name}`);
        expect(honestAnswer).toMatchObject({ h1: honestH1 });
        expect(forgedAnswer?.h1).toBeUndefined();
        expect(forgedAnswer?.error).toMatchObject({ code: 'ZIP_CHECKSUM' });
      }
    });
  }

  it('when one proxy has no such version: the other still answers and nothing is left behind', async () => {
    a.put(M, V, version(honest));
    b.store.clear();
    const [x, y] = await both(0);
    expect(x).toMatchObject({ h1: honestH1 });
    expect(y).toMatchObject({ notFound: true });
  });

  it('when the leading download is refused as too short: the one following it still answers', async () => {
    // A sends 10 bytes and ends at 200 ms: its download leads, and the client refuses it
    // (a zip of 10 bytes). B's headers come at once and its whole zip at 500 ms, so B
    // follows A's file meanwhile; refusing A must not take that file from under B.
    const server = await startLoopbackServer('AB', (req, res) => {
      res.writeHead(200, { 'content-type': 'application/zip' });
      if (req.url?.startsWith('/a/') === true) {
        res.write(honest.subarray(0, 10));
        setTimeout(() => res.end(), 200);
      } else {
        res.flushHeaders();
        setTimeout(() => res.end(honest), 500);
      }
    });
    tmp = await tempDir();
    const spoolDir = tmp.dir;
    const work = new ZipWork(2, 0);
    const once = fastHttp({ retries: 0 });
    const witness = (name: string) =>
      proxyWitness(new ProxyClient(`${server.url}/${name}`, once), {
        name,
        url: name,
        spoolDir,
        zipWork: work,
      });
    try {
      const first = witness('a').fetch(M, V, 'zip');
      await new Promise((resolve) => setTimeout(resolve, 50));
      const [x, y] = await Promise.all([first, witness('b').fetch(M, V, 'zip')]);
      expect(x.error).toMatchObject({ code: 'BAD_RESPONSE' });
      expect(y).toMatchObject({ witness: 'b', h1: honestH1 });
      expect(await readdir(tmp.dir)).toEqual([]);
    } finally {
      await once.close();
      await work.close();
      await server.stop();
    }
  });
});
