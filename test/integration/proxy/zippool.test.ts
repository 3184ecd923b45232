import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ZipError } from '../../../src/hash/errors.js';
import { hashModuleZip } from '../../../src/hash/zipcheck.js';
import { bufferSource } from '../../../src/hash/zipformat.js';
import { hashZipBody, hashZipFile } from '../../../src/proxy/zipbody.js';
import {
  ownedCopy,
  PoolUnavailable,
  workerEntry,
  zipPool,
  ZipPool,
} from '../../../src/proxy/zippool.js';
import { craftZip, type CraftEntry } from '../../unit/hash/craft.js';

// The pool's threads run src/proxy/zipworker.ts through tsx here, as dist/zipworker.js
// in the bundles: these tests hash on real worker threads.

const work = mkdtempSync(join(tmpdir(), 'modguard-zippool-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const M = 'example.com/m';
const V = 'v1.0.0';
const P = `${M}@${V}/`;

/** hereAndThere hashes a zip on this thread and on a pool thread, each answer or error code. */
async function hereAndThere(zip: Buffer, pool?: ZipPool) {
  const outcome = (p: Promise<string>) =>
    p.then(
      (h1) => ({ h1 }),
      (err: unknown) =>
        err instanceof ZipError
          ? { code: err.code, entry: err.entry, message: err.message }
          : { thrown: err },
    );
  const here = await outcome(hashModuleZip(M, V, bufferSource(zip)));
  const input = { bytes: ownedCopy([zip]) };
  const there = await outcome((pool ?? zipPool).hash(M, V, input));
  return { here, there };
}

const honest: Record<string, CraftEntry[]> = {
  'small text files': [
    { name: P + 'go.mod', content: Buffer.from(`module ${M}\n`), method: 8 },
    { name: P + 'a.go', content: Buffer.from('package m\n'.repeat(500)), method: 8 },
  ],
  'entries inflated whole and a large one streamed (over 4 MiB)': [
    { name: P + 'mid.bin', content: randomBytes(300 << 10), method: 8 },
    { name: P + 'big.bin', content: randomBytes((4 << 20) + 12345), method: 8 },
    { name: P + 'stored.bin', content: randomBytes(70 << 10), method: 0 },
  ],
  'an empty zip': [],
};

const hostile: Record<string, { entries: CraftEntry[]; code: string }> = {
  'a wrong prefix': {
    entries: [{ name: 'example.com/other@v1.0.0/a.go', content: Buffer.from('x') }],
    code: 'ZIP_PREFIX',
  },
  'a bad CRC-32': {
    entries: [{ name: P + 'a.go', content: Buffer.from('package m\n'), method: 8, crc: 1 }],
    code: 'ZIP_CHECKSUM',
  },
  'a path traversal': {
    entries: [{ name: P + '../evil.go', content: Buffer.from('x') }],
    code: 'ZIP_INVALID_NAME',
  },
  'a local header that disagrees with the central directory': {
    entries: [{ name: P + 'a.go', content: Buffer.from('abc'), local: { name: P + 'b.go' } }],
    code: 'ZIP_HEADER_MISMATCH',
  },
};

describe('when a zip is hashed on a pool thread', () => {
  it('is hashed on a worker thread from source (tsx), not handed back', async () => {
    expect(workerEntry().eval).toBe(true);
    const zip = craftZip(honest['small text files'] ?? []);
    await expect(zipPool.hash(M, V, { bytes: ownedCopy([zip]) })).resolves.toMatch(/^h1:/);
  });

  for (const [name, entries] of Object.entries(honest)) {
    it(`gives the same h1 as this thread: ${name}`, async () => {
      const { here, there } = await hereAndThere(craftZip(entries));
      expect(here).toHaveProperty('h1');
      expect(there).toEqual(here);
    });
  }

  for (const [name, { entries, code }] of Object.entries(hostile)) {
    it(`refuses it with the same ZipError, code and entry as this thread: ${name}`, async () => {
      const { here, there } = await hereAndThere(craftZip(entries));
      expect(here).toMatchObject({ code });
      expect(there).toEqual(here);
    });
  }

  it('reads a zip from its file, and names a missing file', async () => {
    const zip = craftZip(honest['small text files'] ?? []);
    const file = join(work, 'm.zip');
    writeFileSync(file, zip);
    expect(await zipPool.hash(M, V, { path: file })).toBe(
      await hashModuleZip(M, V, bufferSource(zip)),
    );
    await expect(zipPool.hash(M, V, { path: join(work, 'missing.zip') })).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });

  it('reads large zips from their files, several at once, as this thread reads them', async () => {
    // Over 4 MiB, so read in ranges (into reused buffers) rather than whole: many small
    // files read in batches, a deflated and a stored entry over 4 MiB streamed, and a
    // text whose deflate stream spans several reads, with bytes after its end.
    const zips = [0, 1, 2].map((i) => {
      const text = Buffer.from(`package m // ${i}\n`.repeat(400 + i));
      const tail = Buffer.from(randomBytes(3 << 20).toString('hex')); // deflates to 3+ MiB
      return craftZip([
        ...Array.from({ length: 300 }, (_, f) => ({
          name: P + `src/f${f}.go`,
          content: Buffer.concat([text, randomBytes(f * 37)]),
          method: f % 3 === 0 ? 0 : 8,
        })),
        { name: P + 'big/deflated.bin', content: randomBytes((4 << 20) + 1000 * i), method: 8 },
        { name: P + 'big/stored.bin', content: randomBytes((5 << 20) + i), method: 0 },
        {
          name: P + 'big/tail.go',
          content: tail,
          data: Buffer.concat([deflateRawSync(tail), randomBytes(3 << 20)]),
        },
      ]);
    });
    const files = zips.map((zip, i) => {
      const file = join(work, `large-${i}.zip`);
      writeFileSync(file, zip);
      return file;
    });
    const inMemory = await Promise.all(zips.map((z) => hashModuleZip(M, V, bufferSource(z))));
    const fromFileThere = await Promise.all(files.map((path) => zipPool.hash(M, V, { path })));
    const fromFileHere = await Promise.all(files.map((path) => hashZipFile(M, V, path)));
    expect(fromFileThere).toEqual(inMemory);
    expect(fromFileHere).toEqual(inMemory);
    expect(new Set(inMemory).size).toBe(zips.length);
  });

  it('refuses a large zip from its file for a corrupt stream or a wrong CRC, as this thread does', async () => {
    const content = randomBytes((4 << 20) + 99);
    const data = deflateRawSync(content).subarray(0, 3 << 20); // ends mid-stream
    for (const [entry, code] of [
      [{ name: P + 'big.bin', content, data }, 'ZIP_FORMAT'],
      [{ name: P + 'big.bin', content, method: 8, crc: 1 }, 'ZIP_CHECKSUM'],
      [{ name: P + 'big.bin', content, method: 0, crc: 1 }, 'ZIP_CHECKSUM'],
    ] as const) {
      const file = join(work, 'bad-large.zip');
      writeFileSync(
        file,
        craftZip([entry, { name: P + 'pad.bin', content: randomBytes(1 << 20) }]),
      );
      await expect(zipPool.hash(M, V, { path: file })).rejects.toMatchObject({ code });
      await expect(hashZipFile(M, V, file)).rejects.toMatchObject({ code });
    }
  });

  it('moves the bytes to the thread: the caller no longer holds them', async () => {
    const bytes = ownedCopy([Buffer.from('not a zip')]);
    await expect(zipPool.hash(M, V, { bytes })).rejects.toBeInstanceOf(ZipError);
    expect(bytes.byteLength).toBe(0);
  });

  it('answers many jobs at once, each with its own zip', async () => {
    const zips = Array.from({ length: 24 }, (_, i) =>
      craftZip([{ name: P + `f${i}.go`, content: randomBytes(1000 + i * 5000), method: 8 }]),
    );
    const there = await Promise.all(zips.map((z) => zipPool.hash(M, V, { bytes: ownedCopy([z]) })));
    const here = await Promise.all(zips.map((z) => hashModuleZip(M, V, bufferSource(z))));
    expect(there).toEqual(here);
    expect(new Set(there).size).toBe(zips.length);
  });
});

describe('when no pool thread can do the job', () => {
  it('a thread that cannot start makes the pool unavailable, at once for later jobs', async () => {
    const pool = new ZipPool(2, () => ({ file: join(work, 'no-such-worker.js') }));
    const zip = craftZip(honest['small text files'] ?? []);
    await expect(pool.hash(M, V, { bytes: ownedCopy([zip]) })).rejects.toBeInstanceOf(
      PoolUnavailable,
    );
    await expect(pool.hash(M, V, { bytes: ownedCopy([zip]) })).rejects.toBeInstanceOf(
      PoolUnavailable,
    );
  });

  it('a thread that dies mid-job fails that job over, and the next job gets a new thread', async () => {
    const dies = join(work, 'dies.mjs');
    writeFileSync(
      dies,
      "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => process.exit(3));\n",
    );
    let started = 0;
    const pool = new ZipPool(1, () => {
      started++;
      return { file: dies };
    });
    const zip = craftZip(honest['small text files'] ?? []);
    await expect(pool.hash(M, V, { bytes: ownedCopy([zip]) })).rejects.toBeInstanceOf(
      PoolUnavailable,
    );
    await expect(pool.hash(M, V, { bytes: ownedCopy([zip]) })).rejects.toBeInstanceOf(
      PoolUnavailable,
    );
    expect(started).toBe(2);
  });

  it('a job that cannot be sent goes back alone; the thread keeps working', async () => {
    const zip = craftZip(honest['small text files'] ?? []);
    const shared = new Uint8Array(new SharedArrayBuffer(zip.length)); // cannot be moved
    shared.set(zip);
    await expect(zipPool.hash(M, V, { bytes: shared })).rejects.toBeInstanceOf(PoolUnavailable);
    await expect(zipPool.hash(M, V, { bytes: ownedCopy([zip]) })).resolves.toBe(
      await hashModuleZip(M, V, bufferSource(zip)),
    );
  });

  it('hashZipBody hashes on its own thread instead, from the chunks it still holds', async () => {
    const broken = new ZipPool(1, () => ({ file: join(work, 'no-such-worker.js') }));
    const zip = craftZip(
      honest['entries inflated whole and a large one streamed (over 4 MiB)'] ?? [],
    );
    const chunks = [zip.subarray(0, 1000), zip.subarray(1000)];
    const want = await hashModuleZip(M, V, bufferSource(zip));
    expect(await hashZipBody(M, V, { chunks }, broken)).toBe(want);
    expect(chunks[0]?.byteLength).toBe(1000); // copied for the thread, not moved
    const bad = craftZip(hostile['a bad CRC-32']?.entries ?? []);
    await expect(hashZipBody(M, V, { chunks: [bad] }, broken)).rejects.toMatchObject({
      code: 'ZIP_CHECKSUM',
    });
    const file = join(work, 'fallback.zip');
    writeFileSync(file, zip);
    expect(await hashZipBody(M, V, { path: file }, broken)).toBe(want);
    await expect(broken.hash(M, V, { path: file })).rejects.toBeInstanceOf(PoolUnavailable);
  });
});
