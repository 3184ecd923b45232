import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFileSource } from '../../../src/vcs/dirfiles.js';

// openFileSource reads a file of at most 4 MiB whole when it opens it, and serves a larger
// one's small reads from a 1 MiB read-ahead window: these pin that every read still
// returns exactly the file's bytes, wherever it falls (and, from a window, a copy).

const MiB = 1 << 20;
let dir: string;
let file: string;
let bytes: Buffer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modguard-file-source-'));
  file = join(dir, 'data.bin');
  bytes = randomBytes(6 * MiB + 12345);
  await writeFile(file, bytes);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('openFileSource', () => {
  it('returns the exact bytes of reads inside, across and past the window, in any order', async () => {
    const source = await openFileSource(file);
    try {
      expect(source.size).toBe(bytes.length);
      const reads: [number, number][] = [
        [0, 30],
        [30, 1000],
        [MiB - 10, 20], // crosses the first window's end
        [5, 7], // behind the window
        [2 * MiB, MiB + 5], // larger than a window: read directly
        [bytes.length - 3, 3], // the last bytes
        [bytes.length, 0],
        [1234567, 65536],
      ];
      for (const [offset, length] of reads) {
        const got = Buffer.from(await source.read(offset, length));
        expect(got.equals(bytes.subarray(offset, offset + length)), `${offset}+${length}`).toBe(
          true,
        );
      }
    } finally {
      await source.close();
    }
  });

  it("fills a caller's buffer with the bytes of a range, inside or outside the window", async () => {
    const source = await openFileSource(file);
    try {
      const readInto = source.readInto?.bind(source);
      expect(readInto).toBeTypeOf('function');
      await source.read(10, 20); // the window now holds the first MiB
      for (const [offset, length] of [
        [100, 5000], // inside the window: copied from it
        [MiB - 100, 300], // across its end: read from the file
        [3 * MiB, 2 * MiB], // far from it
        [bytes.length - 7, 7],
      ] as const) {
        const into = Buffer.alloc(length, 0xee);
        await readInto?.(offset, into);
        expect(into.equals(bytes.subarray(offset, offset + length)), `${offset}+${length}`).toBe(
          true,
        );
      }
      await expect(readInto?.(bytes.length - 2, Buffer.alloc(5))).rejects.toMatchObject({
        code: 'ZIP_TRUNCATED',
      });
    } finally {
      await source.close();
    }
  });

  it('hands out copies of small reads: changing one does not change the next', async () => {
    const source = await openFileSource(file);
    try {
      const first = await source.read(100, 10);
      first.fill(0);
      const again = Buffer.from(await source.read(100, 10));
      expect(again.equals(bytes.subarray(100, 110))).toBe(true);
    } finally {
      await source.close();
    }
  });

  it('refuses a read past the end, and a file that shrank since it was opened', async () => {
    const copy = join(dir, 'shrinks.bin');
    await writeFile(copy, bytes.subarray(0, 5 * MiB));
    const source = await openFileSource(copy);
    try {
      await expect(source.read(5 * MiB - 5, 10)).rejects.toMatchObject({ code: 'ZIP_TRUNCATED' });
      await truncate(copy, MiB);
      await expect(source.read(MiB + 100, 10)).rejects.toMatchObject({ code: 'ZIP_TRUNCATED' });
    } finally {
      await source.close();
    }
  });

  it('reads a file of at most 4 MiB whole when it opens it, and serves every read from that', async () => {
    for (const size of [0, 1, 4096, 4 * MiB]) {
      const small = join(dir, `small-${size}.bin`);
      await writeFile(small, bytes.subarray(0, size));
      const source = await openFileSource(small);
      await truncate(small, 0); // already read: nothing changes for the reader
      try {
        expect(source.size).toBe(size);
        for (const [offset, length] of [
          [0, Math.min(size, 30)],
          [Math.max(0, size - 3), Math.min(size, 3)],
          [0, size],
        ] as const) {
          const got = Buffer.from(await source.read(offset, length));
          expect(got.equals(bytes.subarray(offset, offset + length)), `${offset}+${length}`).toBe(
            true,
          );
        }
        await expect(source.read(size, 1)).rejects.toMatchObject({ code: 'ZIP_TRUNCATED' });
      } finally {
        await source.close();
      }
    }
  });

  it('names a file it cannot open', async () => {
    const missing = join(dir, 'missing.zip');
    await expect(openFileSource(missing)).rejects.toMatchObject({
      code: 'ENOENT',
      message: expect.stringContaining(missing),
    });
  });

  it('refuses a directory with its own error, closing its descriptor once', async () => {
    // The descriptor was closed twice: the error was EBADF from the second close, and
    // that close could have closed a file another thread opened meanwhile.
    await expect(openFileSource(dir)).rejects.toMatchObject({ code: 'EISDIR' });
  });
});
