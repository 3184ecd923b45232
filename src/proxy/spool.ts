import { createHash, randomUUID, type Hash } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { timerMs } from '../timers.js';

/**
 * MemoryBudget bounds the bytes of response bodies held in memory at once, across
 * concurrent downloads: a body takes from it chunk by chunk while it can, and moves to
 * its file when the budget runs out. Whoever holds `chunks` gives their size back (`release`).
 */
export class MemoryBudget {
  private left: number;

  constructor(readonly limit: number) {
    this.left = limit;
  }

  /** take reserves n bytes if they are left, and says whether it did. */
  take(n: number): boolean {
    if (n > this.left) return false;
    this.left -= n;
    return true;
  }

  /** release gives back n bytes taken before. */
  release(n: number): void {
    this.left = Math.min(this.limit, this.left + n);
  }
}

/** Sink is where readBodyToFile puts a body as it arrives. */
export interface Sink {
  write(chunk: Buffer): Promise<void>;
  /** finish: the body is complete; where it is now */
  finish(): Promise<Spooled>;
  /** abandon: the download failed; nothing of it is kept */
  abandon(): Promise<void>;
}

/** Spooled is a finished body: in memory (chunks) or in the file at path. */
export interface Spooled {
  readonly path: string;
  readonly chunks?: Buffer[];
  readonly sha256?: string;
  /** release lets the bytes go (memory back to the budget, or the file removed) once every holder has */
  release(): Promise<void>;
}

/** SPOOL_BATCH: chunks bound for the spool file are written this many bytes at a time. */
const SPOOL_BATCH = 1 << 20;

/**
 * SpoolSink holds chunks in memory while the budget grants them, then moves to the file,
 * writing in batches (one write through the thread pool per 64 KiB network chunk cost
 * more than the copy). Unless told not to, it digests the body (SHA-256) as it arrives.
 *
 * Another download of the same bytes may follow it (FollowSink) and read what it has
 * received so far: bytes [0, written) are in the file, bytes [written, received) in
 * memory (`inflight` being written, then `tail`), so every byte received is readable at
 * any time. Its bytes are held (hold/release) by itself and by each follower, and let go
 * when the last holder releases them, even after a failed download (abandon).
 */
export class SpoolSink implements Sink {
  /** state: receiving, then done (finish) or failed (abandon) */
  state: 'receiving' | 'done' | 'failed' = 'receiving';
  received = 0;
  /** written: bytes durable in the file (none while the body is in memory) */
  written = 0;
  private inflight: Buffer[] = [];
  private inflightBytes = 0;
  private tail: Buffer[] = [];
  /** the bytes the budget granted, while the body is in memory */
  private held = 0;
  private fh: FileHandle | undefined;
  private filed = false;
  private readonly sha: Hash | undefined;
  private holds = 1;
  private waiters: (() => void)[] = [];
  /** a read position in tail (index, offset of that chunk), for followers reading in order */
  private cursor = { index: 0, offset: 0 };

  constructor(
    /** path: the file, once there is one (a failed download's, moved aside while followed) */
    public path: string,
    private readonly budget: MemoryBudget | undefined,
    digest: boolean,
    /** onGone: called once its bytes may no longer be followed (it failed, or they were let go) */
    private readonly onGone?: () => void,
  ) {
    this.sha = digest ? createHash('sha256') : undefined;
  }

  async write(chunk: Buffer): Promise<void> {
    this.sha?.update(chunk);
    if (!this.filed && this.budget?.take(chunk.length) === true) this.held += chunk.length;
    else if (!this.filed) await this.spill();
    // Received once readable (in tail), never before: a follower may read it at once.
    this.tail.push(chunk);
    this.received += chunk.length;
    this.notify();
    if (this.filed && this.received - this.written - this.inflightBytes >= SPOOL_BATCH) {
      await this.drain();
    }
  }

  /** spill opens the file; what memory held stays in tail, to be written with the next batch. */
  private async spill(): Promise<void> {
    this.fh = await open(this.path, 'wx', 0o600);
    this.filed = true; // only a file this sink created is ever removed by it
    this.budget?.release(this.held);
    this.held = 0;
  }

  private async drain(): Promise<void> {
    const batch = this.tail;
    if (batch.length === 0) return;
    const bytes = this.received - this.written;
    this.tail = [];
    this.cursor = { index: 0, offset: this.received };
    this.inflight = batch;
    this.inflightBytes = bytes;
    if (this.fh !== undefined) await writeAll(this.fh, batch, bytes, this.path);
    this.written += bytes;
    this.inflight = [];
    this.inflightBytes = 0;
    this.notify();
  }

  async finish(): Promise<Spooled> {
    const sha256 = this.sha?.digest('hex');
    const digest = sha256 === undefined ? {} : { sha256 };
    if (this.chunks === undefined) {
      if (!this.filed) await this.spill();
      await this.drain();
      await this.fh?.close();
      this.fh = undefined;
    }
    this.end('done');
    const chunks = this.chunks;
    return { path: this.path, ...(chunks && { chunks }), ...digest, release: () => this.release() };
  }

  async abandon(): Promise<void> {
    this.end('failed');
    this.onGone?.();
    const fh = this.fh;
    this.fh = undefined;
    await fh?.close();
    if (this.filed && this.holds > 1) {
      // Followers still read it: move it aside, so a retry can create this path anew.
      const aside = `${this.path}.${randomUUID()}`;
      await rename(this.path, aside).then(
        () => (this.path = aside),
        () => undefined,
      );
    }
    await this.release();
  }

  /** chunks: the body, when it is kept in memory (so far, or once done) */
  get chunks(): Buffer[] | undefined {
    return this.filed || this.budget === undefined ? undefined : this.tail;
  }

  /** hold keeps this body's bytes for a follower until it releases them. */
  hold(): void {
    this.holds++;
  }

  async release(): Promise<void> {
    if (this.holds === 0 || --this.holds > 0) return;
    if (this.state !== 'failed') this.onGone?.();
    this.budget?.release(this.held);
    this.held = 0;
    this.tail = [];
    this.inflight = [];
    if (this.filed) await rm(this.path, { force: true });
  }

  /**
   * inMemory is a view of the bytes at offset (at most max of them) when they are in
   * memory, or undefined when they are in the file (offset < written). offset < received.
   */
  inMemory(offset: number, max: number): Buffer | undefined {
    if (offset < this.written) return undefined;
    let at = this.written;
    for (const c of this.inflight) {
      if (offset < at + c.length) return c.subarray(offset - at, offset - at + max);
      at += c.length;
    }
    // Followers read in order: start from the last chunk found when it is not past offset.
    let { index, offset: start } = this.cursor;
    if (start > offset || index > this.tail.length || start < at) [index, start] = [0, at];
    for (; index < this.tail.length; index++) {
      const c = this.tail[index] as Buffer;
      if (offset < start + c.length) {
        this.cursor = { index, offset: start };
        return c.subarray(offset - start, offset - start + max);
      }
      start += c.length;
    }
    return undefined;
  }

  /** changed resolves at this body's next change (bytes received or written, or its end), or after ms. */
  changed(ms: number): Promise<boolean> {
    if (this.state !== 'receiving') return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timerMs(ms));
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private end(state: 'done' | 'failed'): void {
    this.state = state;
    this.notify();
  }
}

/**
 * writeAll writes every byte of batch (`bytes` in all) at the file's position. A write
 * stops short, without an error, when the disk fills up midway (libuv writes on until a
 * write fails, and returns what it wrote): the rest is written again, which fails with
 * the reason (ENOSPC). Counting such a batch as written would leave a file that holds
 * less than was received, hashed as if it were the body. Every writer of a file whose
 * bytes are hashed on the way (spooled bodies, zips built from git) writes through it.
 */
export async function writeAll(
  fh: FileHandle,
  batch: readonly Uint8Array[],
  bytes: number,
  path: string,
): Promise<void> {
  let done = (await fh.writev(batch)).bytesWritten;
  while (done < bytes) {
    const n = (await fh.writev(after(batch, done))).bytesWritten;
    if (n === 0) throw new Error(`${path}: wrote ${done} of ${bytes} bytes`);
    done += n;
  }
}

/** after is the part of chunks after their first n bytes. */
function after(chunks: readonly Uint8Array[], n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let skip = n;
  for (const c of chunks) {
    if (skip >= c.length) skip -= c.length;
    else {
      out.push(skip > 0 ? c.subarray(skip) : c);
      skip = 0;
    }
  }
  return out;
}
