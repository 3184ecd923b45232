import { ZipError } from './errors.js';

/**
 * RandomAccess is the seam through which zip bytes are read: a fixed size and
 * positional reads. The file-backed implementation is an adapter (src/vcs/dirfiles.ts);
 * tests use in-memory buffers. `read` must return exactly `length` bytes or throw.
 */
export interface RandomAccess {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * readInto, where a read would allocate (a file), fills `into` with the bytes at
   * offset, so that a caller reading many ranges can reuse one buffer; sources whose
   * reads are views of memory do without it.
   */
  readInto?(offset: number, into: Uint8Array): Promise<void>;
  /**
   * readSync is `read` without the promise, offered by sources whose bytes are already
   * in memory: a zip held whole is then read, checked and hashed in one synchronous
   * step, with no trip through the microtask queue per header.
   */
  readSync?(offset: number, length: number): Uint8Array;
}

/** MemoryAccess is a RandomAccess whose bytes are in memory: it reads synchronously. */
export type MemoryAccess = RandomAccess & { readSync(offset: number, length: number): Uint8Array };

/** inMemory says whether a source can be read synchronously. */
export function inMemory(source: RandomAccess): source is MemoryAccess {
  return source.readSync !== undefined;
}

/** Need is one read a reading step asks its driver for: `length` bytes at `offset`. */
export interface Need {
  readonly offset: number;
  readonly length: number;
}

/**
 * Steps is zip-reading logic written once for both kinds of source: a generator that
 * yields each read it needs and is resumed with the bytes. runSteps drives it over a
 * source in memory, without a promise; runStepsAsync over any source.
 */
export type Steps<T> = Generator<Need, T, Uint8Array>;

export function runSteps<T>(steps: Steps<T>, source: MemoryAccess): T {
  for (let r = steps.next(); ;) {
    if (r.done === true) return r.value;
    r = steps.next(source.readSync(r.value.offset, r.value.length));
  }
}

export async function runStepsAsync<T>(steps: Steps<T>, source: RandomAccess): Promise<T> {
  for (let r = steps.next(); ;) {
    if (r.done === true) return r.value;
    r = steps.next(await source.read(r.value.offset, r.value.length));
  }
}

/**
 * ReadBuffer is one reader's buffer for RandomAccess.readInto, reused from read to read
 * (each read's bytes are valid until the next): reading a large zip from a file then
 * allocates nothing per range. Sources without readInto are read as usual.
 */
export class ReadBuffer {
  private buffer: Buffer | undefined;

  /** max: reads longer than this get bytes of their own, so the buffer stays this small. */
  constructor(private readonly max: number) {}

  async read(source: RandomAccess, offset: number, length: number): Promise<Uint8Array> {
    if (source.readInto === undefined || length > this.max) return source.read(offset, length);
    if (this.buffer === undefined || this.buffer.length < length) {
      this.buffer = Buffer.allocUnsafe(Math.min(this.max, Math.max(length, 64 << 10)));
    }
    const into = this.buffer.subarray(0, length);
    await source.readInto(offset, into);
    return into;
  }
}

/** bufferSource is a RandomAccess over bytes already in memory. */
export function bufferSource(bytes: Uint8Array): MemoryAccess {
  return new BufferSource(bytes);
}

/** BufferSource is bufferSource's reader (a class: no closures to build per zip). */
export class BufferSource implements MemoryAccess {
  readonly size: number;

  constructor(private readonly bytes: Uint8Array) {
    this.size = bytes.length;
  }

  readSync(offset: number, length: number): Uint8Array {
    if (offset < 0 || length < 0 || offset + length > this.size) {
      throw new ZipError('ZIP_TRUNCATED', `read past the end at offset ${offset}`);
    }
    return this.bytes.subarray(offset, offset + length);
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    return this.readSync(offset, length);
  }
}

/**
 * chunksSource is a RandomAccess over bytes held as consecutive chunks (a body as it
 * arrived), without joining them: a read inside one chunk is a view of it, a read across
 * chunks a copy of just that range.
 */
export function chunksSource(chunks: readonly Uint8Array[]): MemoryAccess {
  if (chunks.length === 1 && chunks[0] !== undefined) return new BufferSource(chunks[0]);
  return new ChunksSource(chunks);
}

class ChunksSource implements MemoryAccess {
  readonly size: number;
  private readonly starts: number[] = [];

  constructor(private readonly chunks: readonly Uint8Array[]) {
    let size = 0;
    for (const c of chunks) {
      this.starts.push(size);
      size += c.length;
    }
    this.size = size;
  }

  readSync(offset: number, length: number): Uint8Array {
    if (offset < 0 || length < 0 || offset + length > this.size) {
      throw new ZipError('ZIP_TRUNCATED', `read past the end at offset ${offset}`);
    }
    const { chunks, starts } = this;
    let i = chunkAt(starts, offset);
    const first = chunks[i] ?? new Uint8Array(0);
    const at = offset - (starts[i] ?? 0);
    if (at + length <= first.length) return first.subarray(at, at + length);
    const out = new Uint8Array(length);
    for (let done = 0; done < length; i++) {
      const c = chunks[i] ?? new Uint8Array(0);
      const from = done === 0 ? at : 0;
      const n = Math.min(c.length - from, length - done);
      out.set(c.subarray(from, from + n), done);
      done += n;
    }
    return out;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    return this.readSync(offset, length);
  }
}

/** chunkAt is the index of the last chunk starting at or before offset (binary search). */
function chunkAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export const SIG_LOCAL = 0x04034b50;
export const SIG_CENTRAL = 0x02014b50;
export const SIG_DESCRIPTOR = 0x08074b50;
export const SIG_END = 0x06054b50;
export const SIG_END64 = 0x06064b50;
export const SIG_LOCATOR64 = 0x07064b50;
export const LOCAL_LEN = 30;
export const CENTRAL_LEN = 46;
export const END_LEN = 22;
export const END64_LEN = 56;
export const LOCATOR64_LEN = 20;
export const ZIP64_EXTRA = 0x0001;
export const FLAG_ENCRYPTED = 0x0001;
export const FLAG_DESCRIPTOR = 0x0008;
export const FLAG_STRONG_ENCRYPTION = 0x0040;
export const FLAG_MASKED_HEADERS = 0x2000;
export const METHOD_STORE = 0;
export const METHOD_DEFLATE = 8;
export const METHOD_AES = 99;
export const U16_MAX = 0xffff;
export const U32_MAX = 0xffffffff;

/**
 * Cursor reads little-endian fields from attacker-controlled bytes. Every read is
 * bounds-checked and 64-bit values must fit a safe integer, so a malformed zip yields
 * a ZipError, never a RangeError or a silently wrapped number.
 */
export class Cursor {
  private pos = 0;
  constructor(
    private readonly b: Uint8Array,
    private readonly what: string,
  ) {}

  get remaining(): number {
    return this.b.length - this.pos;
  }

  u16(): number {
    this.need(2);
    const v = (this.b[this.pos] ?? 0) | ((this.b[this.pos + 1] ?? 0) << 8);
    this.pos += 2;
    return v;
  }

  u32(): number {
    const lo = this.u16();
    const hi = this.u16();
    return lo + hi * 0x10000;
  }

  u64(): number {
    const lo = this.u32();
    const hi = this.u32();
    if (hi >= 0x200000) throw new ZipError('ZIP_FORMAT', `${this.what}: 64-bit value too large`);
    return lo + hi * 0x100000000;
  }

  bytes(n: number): Uint8Array {
    this.need(n);
    const out = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }

  private need(n: number): void {
    if (this.pos + n > this.b.length) {
      throw new ZipError('ZIP_FORMAT', `${this.what}: record is truncated`);
    }
  }
}

/**
 * Zip64Needs says which values a zip64 extended-information extra field (APPNOTE 4.5.3)
 * supplies, present only for header fields that were 0xFFFFFFFF, in that order.
 */
export interface Zip64Needs {
  size: boolean;
  compressed: boolean;
  offset: boolean;
}

/**
 * readZip64Extra finds the zip64 extra field in `extra` and reads the values that
 * `needs` asks for, as Go's archive/zip readDirectoryHeader does (reader.go:372).
 * It returns undefined for a value not needed; a needed value missing is ZIP_FORMAT.
 */
export function readZip64Extra(
  extra: Uint8Array,
  needs: Zip64Needs,
  entry: string,
): { size?: number; compressed?: number; offset?: number; present: boolean } {
  const c = new Cursor(extra, entry);
  const out: { size?: number; compressed?: number; offset?: number; present: boolean } = {
    present: false,
  };
  while (c.remaining >= 4) {
    const tag = c.u16();
    const len = c.u16();
    if (len > c.remaining) throw new ZipError('ZIP_FORMAT', 'extra field is truncated', entry);
    const field = new Cursor(c.bytes(len), entry);
    if (tag !== ZIP64_EXTRA || out.present) continue;
    out.present = true;
    if (needs.size) out.size = field.u64();
    if (needs.compressed) out.compressed = field.u64();
    if (needs.offset) out.offset = field.u64();
  }
  if (c.remaining !== 0) throw new ZipError('ZIP_FORMAT', 'extra field is truncated', entry);
  return out;
}

/** sameBytes reports whether two byte arrays are equal. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
