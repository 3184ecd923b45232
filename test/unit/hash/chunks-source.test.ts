import { describe, expect, it } from 'vitest';
import { createModuleZipBytes } from '../../../src/hash/modzip.js';
import { hashModuleZip } from '../../../src/hash/zipcheck.js';
import { bufferSource, chunksSource } from '../../../src/hash/zipformat.js';
import { ZipError } from '../../../src/hash/errors.js';
import { splitAt } from '../../support/bytes.js';

const bytes = Uint8Array.from({ length: 100 }, (_, i) => i);
const split = (at: number[]) => splitAt(bytes, at);

describe('chunksSource', () => {
  const source = chunksSource(split([10, 10, 37, 90]));

  it('has the total size, with empty chunks counted as nothing', () => {
    expect(source.size).toBe(100);
  });

  it.each([
    [0, 10],
    [3, 4],
    [5, 40],
    [9, 82],
    [37, 53],
    [0, 100],
    [99, 1],
    [100, 0],
  ])('read(%i, %i) gives exactly those bytes', async (offset, length) => {
    expect([...(await source.read(offset, length))]).toEqual([
      ...bytes.subarray(offset, offset + length),
    ]);
  });

  it.each([
    [-1, 2],
    [99, 2],
    [0, 101],
  ])('read(%i, %i) past the ends is ZIP_TRUNCATED', async (offset, length) => {
    await expect(source.read(offset, length)).rejects.toMatchObject({ code: 'ZIP_TRUNCATED' });
    await expect(source.read(offset, length)).rejects.toBeInstanceOf(ZipError);
  });

  it('hashes a module zip split anywhere exactly as the joined bytes', async () => {
    const content = Buffer.alloc(200_000, 'package gen\n');
    const zip = await createModuleZipBytes(
      'example.com/m',
      'v1.0.0',
      [
        { path: 'go.mod', content: Buffer.from('module example.com/m\n') },
        { path: 'gen/a.go', content },
      ].map((f) => ({
        ...f,
        kind: 'file' as const,
        size: f.content.length,
        open: () => [f.content],
      })),
      { vendorRule: 'old' },
    );
    const want = await hashModuleZip('example.com/m', 'v1.0.0', bufferSource(zip));
    for (const size of [1, 7, 4096, 65_536]) {
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < zip.length; i += size) chunks.push(zip.subarray(i, i + size));
      expect(await hashModuleZip('example.com/m', 'v1.0.0', chunksSource(chunks))).toBe(want);
    }
  });
});
