import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashModuleFiles, createModuleZipBytes } from '../../../src/hash/modzip.js';
import type { ModuleFile } from '../../../src/hash/create.js';
import { cleanPath, dirPath, isCleanPath, splitPath } from '../../../src/hash/paths.js';
import { hashZip, openEntry } from '../../../src/hash/zipentry.js';
import { bufferSource } from '../../../src/hash/zipformat.js';
import { readZip } from '../../../src/hash/zipread.js';
import { collectZip, writeZip } from '../../../src/hash/zipwrite.js';

const file = (path: string, text: string, size = Buffer.byteLength(text)): ModuleFile => ({
  path,
  kind: 'file',
  size,
  open: () => [Buffer.from(text)],
});

describe('writeZip', () => {
  it('round-trips names and contents through readZip', async () => {
    const big = Buffer.alloc(3 << 20, 7);
    const zip = await collectZip(
      writeZip([
        { name: 'm@v1.0.0/é.txt', content: () => [Buffer.from('accent')] },
        { name: 'm@v1.0.0/big', content: () => [big.subarray(0, 1 << 20), big.subarray(1 << 20)] },
      ]),
    );
    const archive = await readZip(bufferSource(zip));
    expect(archive.entries.map((e) => e.name)).toEqual(['m@v1.0.0/é.txt', 'm@v1.0.0/big']);
    expect(archive.entries[0]!.flags & 0x800).toBe(0x800);
    const chunks: Uint8Array[] = [];
    for await (const c of openEntry(archive.source, archive.entries[1]!)) chunks.push(c);
    expect(Buffer.concat(chunks).equals(big)).toBe(true);
  });

  it('refuses content that differs from its declared size', async () => {
    const zip = collectZip(writeZip([{ name: 'a', size: 2, content: () => [Buffer.from('abc')] }]));
    await expect(zip).rejects.toMatchObject({ code: 'ZIP_FILE_CHANGED' });
  });
});

describe('createModuleZip and hashModuleFiles', () => {
  const files = [
    file('go.mod', 'module example.com/m\n'),
    file('a.go', 'package m\n'),
    file('vendor/x/y.go', 'v'),
  ];

  it('agree: hashing the files equals hashing the zip', async () => {
    const zip = await createModuleZipBytes('example.com/m', 'v1.0.0', files);
    const viaZip = await hashZip(await readZip(bufferSource(zip)));
    expect(await hashModuleFiles('example.com/m', 'v1.0.0', files)).toBe(viaZip);
  });

  it('report every invalid file at once', async () => {
    const bad = [file('a.go', 'x'), file('A.go', 'y'), file("b'.go", 'z')];
    const err = await createModuleZipBytes('example.com/m', 'v1.0.0', bad).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ZIP_CASE_COLLISION' });
    expect((err as Error).message).toContain('A.go');
    expect((err as Error).message).toContain("b'.go");
  });

  it('refuses a file that grew after it was listed', async () => {
    const grown = [file('a.go', 'package m // grown', 3)];
    await expect(hashModuleFiles('example.com/m', 'v1.0.0', grown)).rejects.toMatchObject({
      code: 'ZIP_FILE_CHANGED',
    });
  });
});

describe('cleanPath (Go path.Clean)', () => {
  it.each([
    ['', '.'],
    ['a/b/../c', 'a/c'],
    ['a//b/', 'a/b'],
    ['./a', 'a'],
    ['../a', '../a'],
    ['/../a', '/a'],
    ['a/..', '.'],
    ['/', '/'],
  ])('%j -> %j', (p, want) => {
    expect(cleanPath(p)).toBe(want);
  });

  // isCleanPath and dirPath answer most paths without cleaning them: they must agree
  // with the definitions everywhere, the dot and slash corner cases above all.
  const pathArb = fc
    .array(fc.constantFrom('a', 'b', '.', '..', '...', '/', '//', '.a'), { maxLength: 8 })
    .map((parts) => parts.join(''));

  it('isCleanPath(p) is cleanPath(p) === p', () => {
    for (const p of ['', '.', '..', '/', 'a', 'a/', '/a', 'a/./b', 'a/../b', '...', '.a/b..'])
      expect(isCleanPath(p)).toBe(cleanPath(p) === p);
    fc.assert(
      fc.property(pathArb, (p) => isCleanPath(p) === (cleanPath(p) === p)),
      { numRuns: 3000 },
    );
  });

  it('dirPath(p) is Clean of everything up to the last slash', () => {
    fc.assert(
      fc.property(pathArb, (p) => dirPath(p) === cleanPath(splitPath(p).dir)),
      { numRuns: 3000 },
    );
  });
});
