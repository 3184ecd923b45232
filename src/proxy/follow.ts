import { open, type FileHandle } from 'node:fs/promises';
import type { Sink, SpoolSink, Spooled } from './spool.js';

/**
 * FOLLOW_AHEAD: a follower keeps at most this many of its bytes that the download it
 * follows has not received yet; one further ahead stores its own copy. With at most
 * one follower per line checked at once, this bounds what following holds in memory.
 */
const FOLLOW_AHEAD = 1 << 20;
/** FINISH_WAIT: a follower that has its whole body waits this long for the one it follows to end. */
const FINISH_WAIT = 2000;
/** COPY_READ: a follower that stores its own copy reads the bytes it had matched this many at a time. */
const COPY_READ = 1 << 20;

/**
 * Arrivals is where downloads of the same bytes (the zip of one module@version from
 * several proxies) meet: the first to start receiving leads (it stores its body as
 * usual) and the others follow it, while it receives or once it is done, for as long as
 * its bytes are kept.
 */
export class Arrivals {
  private readonly leaders = new Map<string, SpoolSink>();

  /** leading is the download that received key's bytes first, while they are kept. */
  leading(key: string): SpoolSink | undefined {
    const leader = this.leaders.get(key);
    return leader?.state === 'failed' ? undefined : leader;
  }

  /** lead makes sink the leader for key until its bytes are gone (its onGone calls gone). */
  lead(key: string, sink: SpoolSink): void {
    this.leaders.set(key, sink);
  }

  gone(key: string, sink: SpoolSink): void {
    if (this.leaders.get(key) === sink) this.leaders.delete(key);
  }
}

/**
 * FollowSink receives a body that should be the same bytes as another download is
 * receiving or has received (the leader), and compares them as they arrive instead of
 * storing them:
 * when every byte and the length are equal, the body is the leader's, held for as long
 * as this download needs it, and nothing was written twice or read back to compare.
 *
 * It stores a copy of its own (`own()`, a SpoolSink: the bytes it had matched, read from
 * the leader, then the rest as it arrives) as soon as following no longer holds: a byte
 * differs, the lengths differ, the leader fails, it runs more than FOLLOW_AHEAD bytes
 * ahead of the leader, or, with its whole body received, the leader does not end within
 * FINISH_WAIT. So a follower never waits for the leader while receiving, never blocks
 * it, and ends with the bytes it received, whatever the leader does.
 */
export class FollowSink implements Sink {
  private own: SpoolSink | undefined;
  /** bytes of this body equal to the leader's, from the start */
  private matched = 0;
  /** this body's bytes after matched, not yet compared */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private holding = true;
  private file: FileHandle | undefined;
  /** the last bytes read from the leader's file */
  private window: { offset: number; bytes: Buffer } | undefined;
  /**
   * what windows are read into while comparing: a view of it lives until the next read,
   * and it is never written once this body stores its own copy
   */
  private scratch: Buffer | undefined;

  constructor(
    private readonly leader: SpoolSink,
    private readonly makeOwn: () => SpoolSink,
  ) {
    leader.hold();
  }

  /** stored says whether this download stores a copy of its own (it no longer follows). */
  get stored(): boolean {
    return this.own !== undefined;
  }

  async write(chunk: Buffer): Promise<void> {
    if (this.own !== undefined) return this.own.write(chunk);
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    await this.compare();
    if (this.own === undefined && this.pendingBytes > FOLLOW_AHEAD) await this.store();
  }

  async finish(): Promise<Spooled> {
    const deadline = Date.now() + FINISH_WAIT;
    while (this.own === undefined) {
      await this.compare();
      if (this.own !== undefined) break;
      const leader = this.leader;
      const same = this.pendingBytes === 0 && leader.received === this.matched;
      if (leader.state === 'done' && same) return this.sameAsLeader();
      const wait = deadline - Date.now();
      if (leader.state !== 'receiving' || leader.received > this.matched + this.pendingBytes) {
        await this.store(); // it ended or went on with other bytes: this body differs
      } else if (wait <= 0 || !(await leader.changed(wait))) {
        await this.store(); // it is too slow to tell: keep this body as received
      }
    }
    return this.own.finish();
  }

  async abandon(): Promise<void> {
    this.pending = [];
    this.pendingBytes = 0;
    await this.own?.abandon();
    await this.letGo();
  }

  /** compare matches pending bytes against the leader's, as far as it has received. */
  private async compare(): Promise<void> {
    while (this.own === undefined && this.pendingBytes > 0) {
      if (this.leader.state === 'failed') return this.store();
      const available = this.leader.received - this.matched;
      if (available <= 0) return;
      const theirs = await this.leaderBytes(this.matched, Math.min(available, this.pendingBytes));
      for (let i = 0; i < theirs.length;) {
        const ours = this.pending[0] as Buffer;
        const n = Math.min(ours.length, theirs.length - i);
        if (Buffer.compare(ours.subarray(0, n), theirs.subarray(i, i + n)) !== 0) {
          return this.store();
        }
        i += n;
        this.matched += n;
        this.pendingBytes -= n;
        if (n === ours.length) this.pending.shift();
        else this.pending[0] = ours.subarray(n);
      }
    }
  }

  /**
   * store starts this download's own copy: the bytes matched so far (the leader's, which
   * it holds for us even if it failed), then the pending ones, then the rest.
   */
  private async store(): Promise<void> {
    const own = this.makeOwn();
    this.own = own;
    for (let at = 0; at < this.matched;) {
      const bytes = await this.leaderBytes(at, Math.min(COPY_READ, this.matched - at));
      await own.write(bytes);
      at += bytes.length;
    }
    const pending = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    for (const chunk of pending) await own.write(chunk);
    await this.letGo();
  }

  /** sameAsLeader is the result when this body is the leader's bytes: held until released. */
  private async sameAsLeader(): Promise<Spooled> {
    await this.closeFile();
    this.holding = false; // the hold passes to the result
    const leader = this.leader;
    const chunks = leader.chunks;
    return {
      path: leader.path,
      ...(chunks === undefined ? {} : { chunks }),
      release: () => leader.release(),
    };
  }

  /**
   * leaderBytes reads up to max of the leader's bytes at offset (offset < received): a
   * view of its memory, or of a window of up to COPY_READ bytes read from its file. While
   * comparing, windows are read into one scratch buffer (a fresh one for every MiB cost
   * the thread pool a page fault per 4 KiB); once storing, into a fresh buffer each
   * time, so views handed to our own copy stay valid.
   */
  private async leaderBytes(offset: number, max: number): Promise<Buffer> {
    const inMemory = this.leader.inMemory(offset, max);
    if (inMemory !== undefined) return inMemory;
    const durable = this.leader.written;
    if (offset >= durable) throw new Error(`${this.leader.path}: no bytes at ${offset}`);
    let w = this.window;
    if (w === undefined || offset < w.offset || offset >= w.offset + w.bytes.length) {
      this.file ??= await open(this.leader.path, 'r');
      const size = Math.min(COPY_READ, durable - offset);
      const buf =
        this.own === undefined
          ? (this.scratch ??= Buffer.allocUnsafe(COPY_READ)).subarray(0, size)
          : Buffer.allocUnsafe(size);
      const { bytesRead } = await this.file.read(buf, 0, buf.length, offset);
      if (bytesRead === 0) throw new Error(`${this.leader.path}: file ended at ${offset}`);
      w = { offset, bytes: buf.subarray(0, bytesRead) };
      this.window = w;
    }
    const at = offset - w.offset;
    return w.bytes.subarray(at, at + max);
  }

  private async letGo(): Promise<void> {
    await this.closeFile();
    if (!this.holding) return;
    this.holding = false;
    await this.leader.release();
  }

  private async closeFile(): Promise<void> {
    const file = this.file;
    this.file = undefined;
    this.window = undefined;
    await file?.close();
  }
}
