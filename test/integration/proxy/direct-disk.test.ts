import { createHash, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModuleFile } from '../../../src/hash/create.js';
import { createModuleZipBytes } from '../../../src/hash/modzip.js';
import { startGitServer, type GitServer } from '../../../src/testing/git-server.js';
import { makeBareRepo, tempDir } from './helpers.js';

/**
 * The direct source writes the zip it builds from a git tag into a file, hashing it on
 * the way. On a full disk a write stops short without an error; the zip must then fail
 * as this machine's (SPOOL, naming the file), never be hashed as if it were all there.
 * RUN puts the file on a tmpfs of a given size in a mount namespace of its own (unshare
 * -m, then mount): both need root, as the project's machines and CI run.
 */
const RUN = fileURLToPath(new URL('./direct-tmpfs-run.ts', import.meta.url));
const PAGE = 4096;
const M = 'big.test/m';
const V = 'v1.0.0';
/** the zip's end record (its last write, 22 bytes) holds the disk's last END bytes */
const END = 11;

let tmp: { dir: string; cleanup: () => Promise<void> };
let server: GitServer;
let zip: Buffer;

const moduleFile = (path: string, content: Buffer): ModuleFile => ({
  path,
  kind: 'file',
  size: content.length,
  open: () => [content],
});

/**
 * files are go.mod and an incompressible blob tuned so that the zip is whole pages and
 * END bytes: on a tmpfs of those pages, every write but the zip's last one fits, and
 * that one stops short.
 */
async function files(): Promise<Record<string, Buffer>> {
  const blob = randomBytes(64 << 10);
  let size = 48 << 10;
  for (let i = 0; i < 8; i++) {
    // in git's order (by name), so the zip is the one the direct source builds
    const set = { 'blob.bin': blob.subarray(0, size), 'go.mod': Buffer.from(`module ${M}\n`) };
    const bytes = await createModuleZipBytes(
      M,
      V,
      Object.entries(set).map(([p, c]) => moduleFile(p, c)),
    );
    if (bytes.length % PAGE === END) return set;
    size += (END - (bytes.length % PAGE) + PAGE) % PAGE;
  }
  throw new Error('no blob size gives the zip the length wanted');
}

beforeAll(async () => {
  tmp = await tempDir();
  const set = await files();
  await makeBareRepo(tmp.dir, 'big', [[set, [V]]]);
  server = await startGitServer(join(tmp.dir, 'srv'), [{ root: M, dir: 'big.git' }]);
  zip = await createModuleZipBytes(
    M,
    V,
    Object.entries(set).map(([p, c]) => moduleFile(p, c)),
  );
}, 60_000);
afterAll(async () => {
  await server?.stop();
  await tmp?.cleanup();
});

interface Ran {
  zip?: { path: string; size: number; sha256: string };
  error?: { code?: string; kind?: string; message: string };
  left: string[];
}

/** zipOnTmpfs runs the direct source's zip() with its file on a tmpfs of `size` bytes. */
async function zipOnTmpfs(size: number, mirror: string): Promise<Ran> {
  const dir = join(tmp.dir, `disk-${mirror}`);
  await mkdir(dir);
  const args = [RUN, dir, String(size), join(tmp.dir, mirror), server.url, M, V];
  const r = await execa('unshare', ['-m', process.execPath, '--import', 'tsx', ...args], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: tmp.dir, TSX_DISABLE_CACHE: '1' },
    extendEnv: false,
    reject: false,
  });
  expect(r.exitCode, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Ran;
}

describe('when the disk a zip built from git is written to fills up', () => {
  it.skipIf(process.getuid?.() !== 0)(
    'the write that stops short fails as this machine’s, naming the file, and leaves nothing',
    async () => {
      const sha256 = createHash('sha256').update(zip).digest('hex');
      const roomy = await zipOnTmpfs(zip.length + PAGE, 'm1');
      expect(roomy.zip).toMatchObject({ size: zip.length, sha256 });

      const pages = zip.length - END;
      const full = await zipOnTmpfs(pages, 'm2');
      expect(full.zip).toBeUndefined();
      expect(full.error).toMatchObject({ code: 'SPOOL', kind: 'unavailable' });
      expect(full.error?.message).toMatch(
        new RegExp(`^direct: could not keep ${M}/@v/${V}\\.zip in /.*/out\\.zip: ENOSPC`),
      );
      expect(full.left).toEqual([]);
    },
    120_000,
  );
});
