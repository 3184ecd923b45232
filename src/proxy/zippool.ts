import { availableParallelism } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ModguardError, type ErrorKind } from '../errors.js';
import { ZipError, type ZipErrorCode } from '../hash/errors.js';

/**
 * ZipInput is a downloaded module zip as a pool thread takes it: bytes in memory, on an
 * ArrayBuffer of their own that is moved to the thread and back (never copied, and
 * detached here meanwhile), or a file the thread opens.
 */
export type ZipInput = { readonly bytes: Uint8Array } | { readonly path: string };

/** ZipJob is what the pool sends a thread. */
export interface ZipJob {
  readonly id: number;
  readonly module: string;
  readonly version: string;
  readonly bytes?: Uint8Array;
  readonly path?: string;
}

/**
 * ZipJobError is an error as it crosses threads: a ModguardError's code, kind and entry,
 * or a system error's code (errno).
 */
export interface ZipJobError {
  readonly message: string;
  readonly code?: string;
  readonly kind?: ErrorKind;
  readonly entry?: string;
  readonly errno?: string;
}

/**
 * ZipJobResult is a thread's answer to one job. The job's bytes come back with it, to be
 * freed by the main thread's busier garbage collector (the pool thread's rarely runs,
 * and would hold on to every zip it has hashed until it did).
 */
export type ZipJobResult = { readonly id: number; readonly bytes?: Uint8Array } & (
  { readonly h1: string } | { readonly error: ZipJobError }
);

/**
 * ownedCopy joins chunks into one buffer with an ArrayBuffer of its own, which can be
 * moved to a pool thread (chunks may be views of buffers shared with other data).
 */
export function ownedCopy(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** PoolUnavailable: no pool thread could take or finish the job; do it on this thread. */
export class PoolUnavailable extends Error {
  constructor() {
    super('no zip pool thread is available');
  }
}

/** WORKER_BASENAME: the pool thread's entry is beside this module (zipworker.ts, or dist/zipworker.js). */
const WORKER_BASENAME = 'zipworker';

/** WorkerEntry is the script a pool thread runs. */
export interface WorkerEntry {
  /** a script's path, or with `eval` the script itself */
  readonly file: string;
  readonly eval?: boolean;
}

interface Slot {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
  online: boolean;
}

interface Pending {
  resolve(h1: string): void;
  reject(err: unknown): void;
}

/**
 * ZipPool runs hash jobs on up to `size` worker threads, started on first use. Threads
 * hold the process open only while a job is pending. A thread that fails to start makes
 * the pool unavailable (jobs run on the caller's thread from then on); one that dies
 * later fails only its pending jobs over to the caller's thread, and is replaced.
 */
export class ZipPool {
  private readonly slots: Slot[] = [];
  private next = 0;
  private unavailable = false;

  constructor(
    private readonly size: number,
    private readonly entry: () => WorkerEntry = workerEntry,
  ) {}

  /**
   * hash is hashModuleZip (x/mod checkZip rules for module@version, then
   * dirhash.HashZip) run on a pool thread, so inflating, CRC-32 and SHA-256 of a
   * check's zips use another core while this thread downloads. The answer and any
   * refusal (a ZipError with its code and entry) are the same as on this thread. It
   * rejects with PoolUnavailable when no thread could take or finish the job: the caller
   * hashes the zip itself then (`bytes` are detached by then: hash what they were
   * copied from).
   */
  hash(module: string, version: string, input: ZipInput): Promise<string> {
    const slot = this.unavailable ? undefined : this.pick();
    if (slot === undefined) return Promise.reject(new PoolUnavailable());
    const id = this.next++;
    const job: ZipJob = { id, module, version, ...input };
    return new Promise<string>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      if (slot.pending.size === 1) slot.worker.ref();
      try {
        slot.worker.postMessage(
          job,
          job.bytes === undefined ? [] : [job.bytes.buffer as ArrayBuffer],
        );
      } catch {
        // The job could not be sent (its bytes could not be moved): only it goes back.
        slot.pending.delete(id);
        if (slot.pending.size === 0) slot.worker.unref();
        reject(new PoolUnavailable());
      }
    });
  }

  /** pick is the least busy thread, starting one while fewer than `size` run. */
  private pick(): Slot | undefined {
    let best: Slot | undefined;
    for (const s of this.slots) {
      if (best === undefined || s.pending.size < best.pending.size) best = s;
    }
    if (best !== undefined && (best.pending.size === 0 || this.slots.length >= this.size)) {
      return best;
    }
    return this.start() ?? best;
  }

  private start(): Slot | undefined {
    let worker: Worker;
    try {
      const entry = this.entry();
      worker = new Worker(entry.file, { eval: entry.eval === true });
    } catch {
      this.unavailable = true;
      return undefined;
    }
    const slot: Slot = { worker, pending: new Map(), online: false };
    worker.unref();
    worker.on('online', () => {
      slot.online = true;
    });
    worker.on('message', (r: ZipJobResult) => {
      const p = slot.pending.get(r.id);
      slot.pending.delete(r.id);
      if (slot.pending.size === 0) worker.unref();
      if ('h1' in r) p?.resolve(r.h1);
      else p?.reject(reviveError(r.error));
    });
    worker.on('error', () => this.lose(slot));
    worker.on('exit', () => this.lose(slot));
    this.slots.push(slot);
    return slot;
  }

  /** lose drops a thread that failed; its pending jobs go back to their callers' threads. */
  private lose(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    this.slots.splice(i, 1);
    if (!slot.online) this.unavailable = true;
    for (const p of slot.pending.values()) p.reject(new PoolUnavailable());
    slot.pending.clear();
    void slot.worker.terminate();
  }
}

/**
 * workerEntry locates the pool thread's entry next to this module: the bundle's
 * dist/zipworker.js; or, run from source (node --import tsx, vitest), zipworker.ts,
 * loaded through tsx's API (a worker does not take tsx's hooks from `--import`).
 */
export function workerEntry(): WorkerEntry {
  const here = fileURLToPath(import.meta.url);
  const ext = extname(here);
  const file = join(dirname(here), WORKER_BASENAME + ext);
  if (ext !== '.ts') return { file };
  const api = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const load = `tsImport(${JSON.stringify(pathToFileURL(file).href)}, ${JSON.stringify(import.meta.url)})`;
  return { file: `import(${api}).then(({ tsImport }) => ${load});`, eval: true };
}

/** reviveError turns a thread's error back into the error hashModuleZip threw there. */
function reviveError(e: ZipJobError): Error {
  if (e.code !== undefined && e.kind !== undefined) {
    if (e.code.startsWith('ZIP_') || e.code.startsWith('HASH_')) {
      return new ZipError(e.code as ZipErrorCode, e.message, e.entry);
    }
    return new ModguardError(e.code, e.kind, e.message);
  }
  const err = new Error(e.message);
  if (e.errno !== undefined) Object.assign(err, { code: e.errno });
  return err;
}

/** POOL_SIZE: every core but the one downloading, at most four. */
const POOL_SIZE = Math.max(1, Math.min(4, availableParallelism() - 1));

/** zipPool is the process's pool. */
export const zipPool = new ZipPool(POOL_SIZE);
