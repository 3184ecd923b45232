import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ZipError, type ZipErrorCode } from '../../../src/hash/errors.js';
import { hashZip } from '../../../src/hash/zipentry.js';
import { hashModuleZip } from '../../../src/hash/zipcheck.js';
import { bufferSource, type RandomAccess } from '../../../src/hash/zipformat.js';
import { readZip } from '../../../src/hash/zipread.js';
import { craftZip, type CraftEntry, type CraftOptions } from './craft.js';

const P = 'example.com/m@v1.0.0/';

/**
 * Every case runs on both readers: a zip in memory is read and hashed in one synchronous
 * step; a source that only reads asynchronously (a large file) goes through promises.
 * The same steps decide both, so both must refuse and accept alike.
 */
const asynchronously = (zip: Uint8Array): RandomAccess => {
  const memory = bufferSource(zip);
  return { size: memory.size, read: (offset, length) => memory.read(offset, length) };
};
const SOURCES = [
  ['in memory', bufferSource],
  ['asynchronously', asynchronously],
] as const;
const file = (name: string, text = 'package m\n', extra: Partial<CraftEntry> = {}): CraftEntry => ({
  name: P + name,
  content: Buffer.from(text),
  ...extra,
});

const big = Buffer.alloc(1 << 20, 0x61);
const huge = Buffer.alloc(12 << 20, 0x61);

const cases: [string, ZipErrorCode, CraftEntry[], CraftOptions?][] = [
  ['path traversal', 'ZIP_INVALID_NAME', [file('../../evil.go')]],
  ['traversal inside the prefix', 'ZIP_INVALID_NAME', [file('a/../../x.go')]],
  ['absolute path', 'ZIP_PREFIX', [{ name: '/etc/passwd', content: Buffer.from('x') }]],
  ['double slash', 'ZIP_INVALID_NAME', [file('a//b.go')]],
  ['wrong prefix', 'ZIP_PREFIX', [{ name: 'example.com/other@v1.0.0/a.go' }]],
  ['wrong version in prefix', 'ZIP_PREFIX', [{ name: 'example.com/m@v1.0.1/a.go' }]],
  ['duplicate file', 'ZIP_DUPLICATE', [file('a.go'), file('a.go', 'package evil\n')]],
  ['case collision', 'ZIP_CASE_COLLISION', [file('a.go'), file('A.go')]],
  [
    'Kelvin sign collides with k (Go simple folding)',
    'ZIP_CASE_COLLISION',
    [file('k.go'), file('\u212a.go')],
  ],
  [
    'collision through an implied directory',
    'ZIP_CASE_COLLISION',
    [file('Dir/a.go'), file('dir/b.go')],
  ],
  ['file and directory', 'ZIP_FILE_DIR_CONFLICT', [file('a'), file('a/b.go')]],
  ['nested go.mod', 'ZIP_GOMOD_PLACEMENT', [file('sub/go.mod', 'module x\n')]],
  ['GO.MOD at root', 'ZIP_GOMOD_PLACEMENT', [file('GO.MOD', 'module x\n')]],
  [
    'local name differs',
    'ZIP_HEADER_MISMATCH',
    [file('a.go', 'x', { local: { name: P + 'b.go' } })],
  ],
  ['local method differs', 'ZIP_HEADER_MISMATCH', [file('a.go', 'x', { local: { method: 0 } })]],
  ['local flags differ', 'ZIP_HEADER_MISMATCH', [file('a.go', 'x', { local: { flags: 0x800 } })]],
  ['local size differs', 'ZIP_HEADER_MISMATCH', [file('a.go', 'xyz', { local: { usize: 1 } })]],
  ['local CRC differs', 'ZIP_HEADER_MISMATCH', [file('a.go', 'xyz', { local: { crc: 1 } })]],
  ['CRC wrong in both headers', 'ZIP_CHECKSUM', [file('a.go', 'xyz', { crc: 12345 })]],
  ['CRC zero (Go would skip the check)', 'ZIP_CHECKSUM', [file('a.go', 'xyz', { crc: 0 })]],
  [
    'declared size impossible for deflate (bomb)',
    'ZIP_BOMB',
    [file('a.go', 'x', { usize: 400 << 20 })],
  ],
  [
    'inflates beyond declared size',
    'ZIP_SIZE_MISMATCH',
    [file('big.txt', '', { data: deflateRawSync(big), usize: 1000 })],
  ],
  ['inflates short of declared size', 'ZIP_SIZE_MISMATCH', [file('a.go', 'xyz', { usize: 4 })]],
  [
    'uncompressed total over 500 MiB',
    'ZIP_TOO_LARGE',
    [
      file('a', '', { data: Buffer.alloc(300 << 10), usize: 300 << 20, method: 8 }),
      file('b', '', { data: Buffer.alloc(300 << 10), usize: 300 << 20 }),
    ],
  ],
  [
    'overlapping entries share data',
    'ZIP_OVERLAP',
    [file('a.go', 'x'), file('b.go', 'x', { headerOf: 0 })],
  ],
  ['encrypted entry', 'ZIP_ENCRYPTED', [file('a.go', 'x', { flags: 1 })]],
  ['AES entry', 'ZIP_ENCRYPTED', [file('a.go', 'x', { method: 99, data: Buffer.from('x') })]],
  [
    'bzip2 entry',
    'ZIP_UNSUPPORTED_METHOD',
    [file('a.go', 'x', { method: 12, data: Buffer.from('x') })],
  ],
  [
    'symlink entry',
    'ZIP_SYMLINK',
    [file('link', '/etc/passwd', { creator: 0x0314, externalAttrs: (0o120777 << 16) >>> 0 })],
  ],
  ['data prepended', 'ZIP_FORMAT', [file('a.go')], { prepend: Buffer.from('MZ garbage') }],
  ['data appended', 'ZIP_FORMAT', [file('a.go')], { append: Buffer.from('trailing') }],
  ['entry count wrong', 'ZIP_FORMAT', [file('a.go'), file('b.go')], { records: 1 }],
  [
    'descriptor CRC differs',
    'ZIP_HEADER_MISMATCH',
    [file('a.go', 'x', { descriptor: true, descriptorCrc: 7 })],
  ],
  [
    'streams past its declared size (large entry)',
    'ZIP_SIZE_MISMATCH',
    [file('huge.txt', '', { data: deflateRawSync(huge), usize: 5 << 20 })],
  ],
  [
    'descriptor entry with garbage local sizes',
    'ZIP_HEADER_MISMATCH',
    [file('a.go', 'x', { descriptor: true, local: { usize: 77 } })],
  ],
  [
    'invalid UTF-8 after the prefix',
    'ZIP_INVALID_NAME',
    [{ name: Buffer.concat([Buffer.from(P), Buffer.from([0x61, 0xff, 0x2e, 0x67, 0x6f])]) }],
  ],
  ['entry name with a newline', 'ZIP_INVALID_NAME', [file('a\nb.go')]],
];

function suites(source: (zip: Uint8Array) => RandomAccess): void {
  const hashM = (zip: Buffer) => hashModuleZip('example.com/m', 'v1.0.0', source(zip));

  async function refusal(zip: Buffer): Promise<ZipError> {
    try {
      await hashM(zip);
    } catch (err) {
      expect(err).toBeInstanceOf(ZipError);
      return err as ZipError;
    }
    throw new Error('zip was accepted');
  }

  describe('when a zip is hostile', () => {
    it.each(cases)('refuses %s with %s', async (_what, code, entries, options) => {
      const zip = craftZip(entries, options);
      expect((await refusal(zip)).code).toBe(code);
    });

    it('refuses a newline in a name even without the module rules (dirhash.Hash1)', async () => {
      const archive = await readZip(source(craftZip([{ name: 'a\nb' }])));
      await expect(hashZip(archive)).rejects.toMatchObject({ code: 'HASH_NAME_NEWLINE' });
    });

    it('names the entry in the error', async () => {
      const err = await refusal(craftZip([file('ok.go'), file('../evil.go')]));
      expect(err.entry).toBe(P + '../evil.go');
      expect(err.message).toContain('../evil.go');
    });

    it('refuses more entries than the limit before reading them', async () => {
      const zip = craftZip([file('a.go'), file('b.go'), file('c.go')]);
      const read = readZip(source(zip), { maxEntries: 2 });
      await expect(read).rejects.toMatchObject({ code: 'ZIP_TOO_LARGE' });
    });

    it('refuses a truncated zip', async () => {
      const zip = craftZip([file('a.go', 'x'.repeat(1000))]);
      for (const cut of [10, 100, zip.length - 30, zip.length - 1]) {
        await expect(hashM(zip.subarray(0, cut))).rejects.toBeInstanceOf(ZipError);
      }
    });

    it('refuses a zip whose data is cut before the directory', async () => {
      const zip = craftZip([file('a.go', 'hello'.repeat(100))]);
      const broken = Buffer.from(zip);
      broken.fill(0, 40, 60); // inside the deflate stream
      await expect(hashM(broken)).rejects.toBeInstanceOf(ZipError);
    });
  });

  describe('when a zip is unusual but valid', () => {
    const plain = craftZip([file('go.mod', 'module example.com/m\n'), file('a.go')]);

    it('reads zip64 records and hashes them like the plain zip', async () => {
      const z64 = craftZip([file('go.mod', 'module example.com/m\n'), file('a.go')], {
        zip64: true,
      });
      expect(await hashM(z64)).toBe(await hashM(plain));
    });

    it('reads data descriptors', async () => {
      const dd = craftZip([
        file('go.mod', 'module example.com/m\n', { descriptor: true }),
        file('a.go', undefined, { descriptor: true }),
      ]);
      expect(await hashM(dd)).toBe(await hashM(plain));
    });

    it('reads stored entries', async () => {
      const st = craftZip([
        file('go.mod', 'module example.com/m\n', { method: 0 }),
        file('a.go', undefined, { method: 0 }),
      ]);
      expect(await hashM(st)).toBe(await hashM(plain));
    });

    it('hashes directory entries and duplicates as dirhash.HashZip does', async () => {
      const zip = craftZip([file('a.go', 'one'), { name: P + 'd/' }, file('a.go', 'two')]);
      const withDir = await hashZip(await readZip(source(zip)));
      const noDir = await hashZip(
        await readZip(source(craftZip([file('a.go', 'two'), file('a.go', 'two')]))),
      );
      expect(withDir).not.toBe(noDir);
      const swapped = craftZip([file('a.go', 'two'), { name: P + 'd/' }, file('a.go', 'one')]);
      expect(await hashZip(await readZip(source(swapped)))).not.toBe(withDir);
    });
  });
}

describe.each(SOURCES)('read %s', (_how, source) => suites(source));
