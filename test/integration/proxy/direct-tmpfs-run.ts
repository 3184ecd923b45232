/**
 * direct-tmpfs-run builds one module zip with the direct source into a tmpfs of its own
 * of `size` bytes (a full disk, on demand), mounted at `dir` in the mount namespace the
 * caller made (unshare -m: the mount is gone with the process). The bare mirror stays
 * off that disk, in `mirrorDir`. It prints one JSON line: what zip() gave or the error it
 * threw, and what was left in `dir`.
 *
 * Usage: unshare -m node --import tsx direct-tmpfs-run.ts <dir> <size> <mirrorDir> <discoveryBase> <path> <version>
 */
import { execa } from 'execa';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { directSource } from '../../../src/proxy/direct.js';
import { ProxyError } from '../../../src/proxy/errors.js';

const [dir = '', size = '', mirrorDir = '', discoveryBase = '', path = '', version = ''] =
  process.argv.slice(2);
await execa('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'modguard-test', dir]);
const direct = directSource({ mirrorDir, discoveryBase });
const result = await direct.zip(path, version, join(dir, 'out.zip')).then(
  (zip) => ({ zip }),
  (err: unknown) => ({
    error:
      err instanceof ProxyError
        ? { code: err.code, kind: err.kind, message: err.message }
        : { message: String(err) },
  }),
);
process.stdout.write(`${JSON.stringify({ ...result, left: await readdir(dir) })}\n`);
