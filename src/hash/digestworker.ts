import { Worker } from 'node:worker_threads';

/**
 * DIGEST_WORKER_SOURCE answers {id, bytes} with {id, digest}: SHA-256 of the transferred
 * bytes, which it transfers back, to be freed by this thread's busier garbage collector
 * (the worker's rarely runs, and would hold tens of MB of hashed buffers).
 */
const DIGEST_WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
parentPort.on('message', ({ id, bytes }) => {
  const digest = Uint8Array.from(createHash('sha256').update(bytes).digest());
  parentPort.postMessage({ id, digest, bytes }, [bytes.buffer]);
});`;

/**
 * DigestWorker hashes buffers on one long-lived worker thread, started on first use.
 * It holds the process open only while a digest is pending; if the thread fails, the
 * pending digests reject and the next digest starts a new thread.
 */
class DigestWorker {
  private worker: Worker | undefined;
  private next = 0;
  private readonly pending = new Map<number, PromiseWithCallbacks>();
  /** buffers back from the thread, for spare() to hand out again */
  private readonly spares: Uint8Array[] = [];

  /**
   * spare returns a buffer of at least n bytes of its own (for content to be digested
   * here): one that came back from the thread when there is one, else a new one. Reused
   * buffers spare the page faults of fresh large ones.
   */
  spare(n: number): Uint8Array {
    const i = this.spares.findIndex((b) => b.byteLength >= n);
    if (i < 0) return new Uint8Array(n);
    const [buffer] = this.spares.splice(i, 1);
    return buffer ?? new Uint8Array(n);
  }

  /**
   * digest transfers bytes (they are detached here) and resolves to their SHA-256. It
   * throws, leaving bytes untouched, when no worker can be started or sent to.
   */
  digest(bytes: Uint8Array): Promise<Uint8Array> {
    const worker = this.worker ?? this.start();
    const id = this.next++;
    const done = new Promise<Uint8Array>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
    });
    try {
      worker.postMessage({ id, bytes }, [bytes.buffer as ArrayBuffer]);
    } catch (err) {
      this.pending.delete(id);
      throw err;
    }
    if (this.pending.size === 1) worker.ref();
    return done;
  }

  private start(): Worker {
    const worker = new Worker(DIGEST_WORKER_SOURCE, { eval: true, execArgv: [] });
    worker.unref();
    worker.on('message', (m: { id: number; digest: Uint8Array; bytes?: Uint8Array }) => {
      if (m.bytes !== undefined && this.spares.length < MAX_SPARES) {
        this.spares.push(new Uint8Array(m.bytes.buffer));
      }
      this.pending.get(m.id)?.resolve(m.digest);
      this.pending.delete(m.id);
      if (this.pending.size === 0) worker.unref();
    });
    worker.on('error', (err) => this.fail(worker, err));
    worker.on('exit', (code) => this.fail(worker, new Error(`digest worker exited (${code})`)));
    this.worker = worker;
    return worker;
  }

  private fail(worker: Worker, err: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}

/** MAX_SPARES: how many returned buffers are kept for reuse (a few entries are in flight at once). */
const MAX_SPARES = 4;

interface PromiseWithCallbacks {
  resolve(digest: Uint8Array): void;
  reject(err: Error): void;
}

/** digestWorker is the process's one digest worker. */
export const digestWorker = new DigestWorker();
