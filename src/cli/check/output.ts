import { constants } from 'node:fs';
import { access, realpath, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { writeFileAtomic } from '../../cache/atomic.js';
import { errorMessage, InputError, UsageError } from '../../errors.js';

/**
 * writeReport writes a finished report to --output. A regular file (or no file yet) is
 * replaced atomically, so a reader never sees half a report, keeping the permissions
 * and owner of the file it replaces; through a symbolic link, the file it points to is
 * replaced and the link kept. Anything else (`/dev/stdout`, a
 * pipe, a terminal, `/dev/null`) is written to as it is, appended to: replacing it
 * would put a regular file in the place of the device, or of the link to it, and an
 * atomic replace of the file a shell redirected stdout to would drop what was before.
 */
export async function writeReport(output: string, bytes: Uint8Array): Promise<void> {
  const path = resolve(output);
  const target = await reportTarget(path);
  // A new report gets what a plain open(2) gives (0o666 less the umask); an existing
  // one keeps its permissions and owner.
  if (target.atomic)
    return writeFileAtomic(target.path, bytes, { mode: 0o666, keepPermissions: true });
  try {
    await writeFile(path, bytes, { flag: 'a' });
  } catch (err) {
    throw new InputError(`writing ${path}: ${errorMessage(err)}`);
  }
}

/**
 * standardStream says which of the command's own streams --output names, if it does:
 * 1 for /dev/stdout (and /dev/fd/1, /proc/self/fd/1), 2 for /dev/stderr. The report is
 * written to that stream, not to the file opened anew: a pipe another user made
 * (`sudo -u … modguard … | less`) cannot be opened again, and a stream is no file to
 * check for writing.
 */
export function standardStream(output: string): 1 | 2 | undefined {
  const m = /^\/(?:dev\/(?:std(out|err)|fd\/([12]))|proc\/self\/fd\/([12]))$/.exec(resolve(output));
  if (m === null) return undefined;
  return m[1] === 'out' || m[2] === '1' || m[3] === '1' ? 1 : 2;
}

/**
 * reportTarget is where writeReport writes: a regular file (the one a link points to)
 * or a file yet to be made, replaced atomically; else the path itself, written to.
 */
async function reportTarget(path: string): Promise<{ path: string; atomic: boolean }> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) return { path, atomic: true };
  if (info.isFile() && !isProcessStream(path)) return { path: await realpath(path), atomic: true };
  return { path, atomic: false };
}

/**
 * checkWritable refuses, before the check runs and its report is lost, an --output
 * that cannot be written: a folder on its way that is a file (ENOTDIR), or a folder
 * (or device) this user may not write. Folders still missing are made when written.
 */
export async function checkWritable(output: string): Promise<void> {
  if (standardStream(output) !== undefined) return;
  const target = await reportTarget(resolve(output));
  let at = target.atomic ? dirname(target.path) : target.path;
  for (;;) {
    const info = await stat(at).catch((err: unknown) => err as NodeJS.ErrnoException);
    if (!(info instanceof Error)) {
      if (target.atomic && !info.isDirectory()) {
        throw new UsageError(`--output ${JSON.stringify(output)}: ${at} is not a folder`);
      }
      break;
    }
    if ((info.code !== 'ENOENT' && info.code !== 'ENOTDIR') || dirname(at) === at) {
      throw new UsageError(`--output ${JSON.stringify(output)}: ${info.message}`);
    }
    at = dirname(at);
  }
  await access(at, constants.W_OK).catch((err: unknown) => {
    throw new UsageError(
      `--output ${JSON.stringify(output)}: cannot write ${at}: ${errorMessage(err)}`,
    );
  });
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
