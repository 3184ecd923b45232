/**
 * tmpfs-run runs `modguard <argv>` with its temporary folder on a tmpfs of its own of
 * `size` bytes (a full disk, on demand), mounted at `dir` in the mount namespace the
 * caller made (unshare -m: the mount is gone with the process). It then prints, as the
 * last line of stderr, the JSON list of what was left in that folder.
 *
 * Usage: unshare -m node --import tsx tmpfs-run.ts <dir> <size> <argv...>
 */
import { execa } from 'execa';
import { readdir } from 'node:fs/promises';
import { main } from '../../../src/cli/main.js';

const [dir = '', size = '', ...argv] = process.argv.slice(2);
await execa('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'modguard-test', dir]);
process.env['TMPDIR'] = dir;
const code = await main(argv, { stdout: process.stdout, stderr: process.stderr, env: process.env });
process.stderr.write(`\n${JSON.stringify(await readdir(dir, { recursive: true }))}\n`);
process.exitCode = code;
