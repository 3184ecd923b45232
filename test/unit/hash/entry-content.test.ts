import { createHash, randomBytes } from 'node:crypto';
import { crc32, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { hash1FromDigests } from '../../../src/hash/dirhash.js';
import { hashModuleZip } from '../../../src/hash/zipcheck.js';
import { hashZip, openEntry, sha256Entry } from '../../../src/hash/zipentry.js';
import { bufferSource } from '../../../src/hash/zipformat.js';
import { readZip } from '../../../src/hash/zipread.js';
import { craftZip, type CraftEntry } from './craft.js';

const P = 'example.com/m@v1.0.0/';
const hashM = (zip: Buffer) => hashModuleZip('example.com/m', 'v1.0.0', bufferSource(zip));
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest();

/** expectedH1 is Hash1 over (name, content) pairs, computed without the zip reader. */
function expectedH1(files: [string, Buffer][]): string {
  return hash1FromDigests(files.map(([name, content]) => ({ name, digest: sha256(content) })));
}

/** trailing is an entry whose compressed data carries `extra` after the deflate stream. */
function trailing(name: string, content: Buffer, extra: Buffer): CraftEntry {
  return { name: P + name, content, data: Buffer.concat([deflateRawSync(content), extra]) };
}

// One small entry (inflated whole) and one above SMALL_ENTRY (4 MiB, streamed).
const small = Buffer.from('package m\n'.repeat(1000));
const large = Buffer.concat([randomBytes(1 << 20), Buffer.alloc(5 << 20, 0x61)]);
const garbage = Buffer.from('garbage after the final deflate block');
const bigGarbage = randomBytes(3 << 20); // spans several 1 MiB reads of the streamed path

describe('when compressed bytes follow the end of the deflate stream (Go ignores them)', () => {
  it.each([
    ['a small entry', small, garbage],
    ['a small entry, 3 MiB of them', small, bigGarbage],
    ['a streamed entry', large, garbage],
    ['a streamed entry, 3 MiB of them', large, bigGarbage],
  ])('%s hashes its deflate content', async (_what, content, extra) => {
    const zip = craftZip([trailing('a.bin', content, extra)]);
    expect(await hashM(zip)).toBe(expectedH1([[P + 'a.bin', content]]));
  });

  it('openEntry yields exactly the deflate content on both paths', async () => {
    const zip = craftZip([trailing('s', small, garbage), trailing('l', large, bigGarbage)]);
    const archive = await readZip(bufferSource(zip));
    for (const [e, content] of [
      [archive.entries[0], small],
      [archive.entries[1], large],
    ] as const) {
      const chunks: Uint8Array[] = [];
      for await (const c of openEntry(archive.source, e!)) chunks.push(c);
      expect(Buffer.concat(chunks).equals(content)).toBe(true);
    }
  });

  it('still checks the central CRC-32, whatever the trailing bytes look like', async () => {
    // Bytes shaped like a gzip trailer for the real content, then a zero: the old
    // gzip-framed reader checked the CRC against them and accepted; Go refuses.
    const tail = Buffer.alloc(9);
    tail.writeUInt32LE(crc32(small) >>> 0, 0);
    tail.writeUInt32LE(small.length, 4);
    for (const content of [small, large]) {
      const entry = { ...trailing('a.go', content, tail), crc: 12345 };
      await expect(hashM(craftZip([entry]))).rejects.toMatchObject({ code: 'ZIP_CHECKSUM' });
    }
  });

  it('refuses a deflate stream that ends short of its declared size', async () => {
    const entry = { ...trailing('a.go', small, deflateRawSync(small)), usize: small.length * 2 };
    await expect(hashM(craftZip([entry]))).rejects.toMatchObject({ code: 'ZIP_SIZE_MISMATCH' });
  });

  it('refuses compressed data that ends before the deflate stream does', async () => {
    for (const content of [small, large]) {
      const data = deflateRawSync(content);
      const entry = { name: P + 'a.go', content, data: data.subarray(0, data.length - 10) };
      await expect(hashM(craftZip([entry]))).rejects.toMatchObject({ code: 'ZIP_FORMAT' });
    }
  });
});

describe('when entries are digested off the main thread', () => {
  const files: [string, Buffer][] = [
    [P + 'a.bin', randomBytes(300 << 10)],
    [P + 'b.bin', randomBytes(2 << 20)],
    [P + 'c.go', Buffer.from('package m\n')],
  ];

  it('digests deflated entries above the worker threshold correctly', async () => {
    const zip = craftZip(files.map(([name, content]) => ({ name, content })));
    expect(await hashZip(await readZip(bufferSource(zip)))).toBe(expectedH1(files));
  });

  it('never detaches or changes the caller zip bytes (stored entries are views of them)', async () => {
    const zip = craftZip(files.map(([name, content]) => ({ name, content, method: 0 })));
    const copy = Buffer.from(zip);
    expect(await hashZip(await readZip(bufferSource(zip)))).toBe(expectedH1(files));
    expect(zip.buffer.byteLength).toBeGreaterThan(0);
    expect(zip.equals(copy)).toBe(true);
  });

  it('sha256Entry equals the SHA-256 of the content, for many entries at once', async () => {
    const many = Array.from({ length: 12 }, (_, i) => randomBytes((256 << 10) + i));
    const zip = craftZip(many.map((content, i) => ({ name: `${P}${i}`, content })));
    const archive = await readZip(bufferSource(zip));
    const digests = await Promise.all(archive.entries.map((e) => sha256Entry(archive.source, e)));
    expect(digests.map((d) => Buffer.from(d).toString('hex'))).toEqual(
      many.map((c) => sha256(c).toString('hex')),
    );
  });
});

describe('when small and streamed entries are mixed', () => {
  it('hashes each in data order, whatever their neighbours', async () => {
    const zeros = Buffer.alloc(5 << 20); // streamed, though its data is a few KiB
    const files: [string, Buffer][] = [
      [P + 'a.go', Buffer.from('package m\n')],
      [P + 'big', zeros],
      [P + 'b.go', Buffer.from('package m // b\n')],
      [P + 'c.bin', randomBytes(400 << 10)],
      [P + 'big2', zeros],
    ];
    const zip = craftZip(files.map(([name, content]) => ({ name, content })));
    expect(await hashZip(await readZip(bufferSource(zip)))).toBe(expectedH1(files));
  });
});

describe('when entries barely compress (stored deflate blocks of binary files)', () => {
  it('hashes each from its own bytes, buffers reused between entries and zips', async () => {
    // Over 64 KiB and in several batches: inflated here into buffers that go to the
    // digest worker and come back for the next entries.
    const files: [string, Buffer][] = Array.from({ length: 12 }, (_, i) => [
      `${P}bin/f${i}.bin`,
      randomBytes((70 << 10) + i * 50_000),
    ]);
    const zip = craftZip(files.map(([name, content]) => ({ name, content, method: 8 })));
    const want = expectedH1(files);
    for (let round = 0; round < 3; round++) expect(await hashM(zip)).toBe(want);
    const changed = files.map(([n, c], i): [string, Buffer] => [
      n,
      i === 7 ? randomBytes(c.length) : c,
    ]);
    const zip2 = craftZip(changed.map(([name, content]) => ({ name, content, method: 8 })));
    expect(await hashM(zip2)).toBe(expectedH1(changed));
  });

  it('refuses one that inflates past its declared size, or whose CRC-32 is wrong', async () => {
    const content = randomBytes(200 << 10);
    const pad = { name: P + 'pad.bin', content: randomBytes(2 << 20), method: 8 };
    const over = { name: P + 'a.bin', content, method: 8, usize: content.length - 1 };
    const crc = { name: P + 'a.bin', content, method: 8, crc: 7 };
    await expect(hashM(craftZip([over, pad]))).rejects.toMatchObject({ code: 'ZIP_SIZE_MISMATCH' });
    await expect(hashM(craftZip([crc, pad]))).rejects.toMatchObject({ code: 'ZIP_CHECKSUM' });
  });
});
