/**
 * zipworker is the entry of a zip pool thread (zippool.ts). It answers each job, a module
 * zip moved here in memory (moved back with the answer) or a file to open, with the
 * zip's go.sum `h1:` (x/mod checkZip rules, then dirhash.HashZip: hashModuleZip) or with
 * the error that refused it, as plain data the pool turns back into the same error.
 *
 * Built as dist/zipworker.js beside dist/cli.js and dist/index.js (scripts/build.mjs).
 */
import { parentPort } from 'node:worker_threads';
import { ModguardError } from '../errors.js';
import { hashModuleZip } from '../hash/zipcheck.js';
import { bufferSource } from '../hash/zipformat.js';
import { hashZipFile } from './zipbody.js';
import type { ZipJob, ZipJobError, ZipJobResult } from './zippool.js';

parentPort?.on('message', (job: ZipJob) => {
  void answer(job).then((result) => {
    const bytes = job.bytes;
    if (bytes === undefined) parentPort?.postMessage(result);
    else parentPort?.postMessage({ ...result, bytes }, [bytes.buffer as ArrayBuffer]);
  });
});

async function answer(job: ZipJob): Promise<ZipJobResult> {
  try {
    return { id: job.id, h1: await hashJob(job) };
  } catch (err) {
    return { id: job.id, error: jobError(err) };
  }
}

function hashJob(job: ZipJob): Promise<string> {
  const bytes = job.bytes;
  if (bytes !== undefined) {
    // A Buffer view of the moved bytes (they arrive as a plain Uint8Array): the zip
    // reader then sees one kind of array, as from files, and stays optimized.
    const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return hashModuleZip(job.module, job.version, bufferSource(view));
  }
  return hashZipFile(job.module, job.version, job.path ?? '');
}

function jobError(err: unknown): ZipJobError {
  if (err instanceof ModguardError) {
    const entry = (err as { entry?: unknown }).entry;
    return {
      code: err.code,
      kind: err.kind,
      message: err.message,
      ...(typeof entry === 'string' ? { entry } : {}),
    };
  }
  const e = err instanceof Error ? err : new Error(`non-Error thrown: ${String(err)}`);
  const code = (e as { code?: unknown }).code;
  return { message: e.message, ...(typeof code === 'string' ? { errno: code } : {}) };
}
