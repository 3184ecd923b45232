import { realpath, stat, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { writeFileAtomic } from '../../cache/atomic.js';
import { errorMessage, InputError, UsageError } from '../../errors.js';

/**
 * writeReport writes a finished report to --output. A regular file (or no file yet) is
 * replaced atomically, so a reader never sees half a report; through a symbolic link,
 * the file it points to is replaced and the link kept. Anything else (`/dev/stdout`, a
 * pipe, a terminal, `/dev/null`) is written to as it is, appended to: replacing it
 * would put a regular file in the place of the device, or of the link to it, and an
 * atomic replace of the file a shell redirected stdout to would drop what was before.
 */
export async function writeReport(output: string, bytes: Uint8Array): Promise<void> {
  const path = resolve(output);
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) return writeFileAtomic(path, bytes);
  if (info.isFile() && !isProcessStream(path)) {
    return writeFileAtomic(await realpath(path), bytes);
  }
  try {
    await writeFile(path, bytes, { flag: 'a' });
  } catch (err) {
    throw new InputError(`writing ${path}: ${errorMessage(err)}`);
  }
}

/** isProcessStream: /dev/stdout, /dev/fd/N, /proc/self/fd/N… name an open file of the process. */
function isProcessStream(path: string): boolean {
  return /^\/(dev|proc)\//.test(path);
}

/**
 * refuseInput refuses an --output that is one of the files the check reads (a go.sum,
 * go.mod, go.work, the --config file): the report would replace it, and the file
 * would be lost. Files are compared as the file system sees them (device and inode),
 * so another spelling or a link to the file is refused too.
 */
export async function refuseInput(output: string, inputs: readonly string[]): Promise<void> {
  const out = await stat(output).catch(() => undefined);
  if (out === undefined || !out.isFile()) return;
  for (const input of inputs) {
    const info = await stat(input).catch(() => undefined);
    if (info !== undefined && info.dev === out.dev && info.ino === out.ino) {
      throw new UsageError(
        `--output ${JSON.stringify(output)} is ${input}, which the check reads: the report would replace it`,
      );
    }
  }
}
