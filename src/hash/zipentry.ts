import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { isMainThread } from 'node:worker_threads';
import { crc32, createInflateRaw, inflateRaw, inflateRawSync } from 'node:zlib';
import { digestWorker } from './digestworker.js';
import { hash1FromDigests, printable, sha256Hex, type FileDigest } from './dirhash.js';
import { ZipError } from './errors.js';
import { reusableEngine, StreamInflater, threadInflater } from './inflater.js';
import {
  METHOD_STORE,
  ReadBuffer,
  inMemory,
  type MemoryAccess,
  type RandomAccess,
} from './zipformat.js';
import type { ZipArchive, ZipEntry } from './zipread.js';

/** READ_CHUNK is how many compressed bytes a large entry reads at a time: memory stays bounded. */
const READ_CHUNK = 1 << 20;
/**
 * SMALL_ENTRY: entries declaring at most this many uncompressed bytes are read and
 * inflated whole, in one call (memory stays bounded by this size); larger ones stream.
 */
const SMALL_ENTRY = 4 << 20;
/**
 * WORKER_DIGEST: deflated small entries of at least this many bytes are digested on a
 * worker thread (their inflated buffer is transferred, not copied), so SHA-256 runs
 * beside this thread's CRC-32 and the pool's reading and inflating; smaller ones are
 * digested here, where the round trip would cost more than it saves.
 */
const WORKER_DIGEST = 256 << 10;
/**
 * ON_MAIN: on the main thread, which also downloads and answers, larger entries are
 * inflated on zlib's pool (or, when they barely compress, copied out here) and digested
 * on the digest worker ("aside"), so the work of several entries overlaps. On a worker
 * thread (the proxy witness's zip pool) blocking is what the thread is for, and a zip of
 * one batch has nothing to overlap: there every small entry is inflated and digested in
 * place, since each hand-off is a round trip (tens of microseconds) that only adds to
 * the work.
 */
const ON_MAIN = isMainThread;
/**
 * SYNC_ENTRY: entries of at most this many bytes are inflated right here: for the
 * small files most modules are made of, a pool round trip costs more than the work.
 */
const SYNC_ENTRY = 64 << 10;
/** BATCH_BYTES: consecutive small entries are read from the source together, this many bytes at most. */
const BATCH_BYTES = 1 << 20;
/** PARALLEL batches are digested at once, so reading, inflating and hashing overlap. */
const PARALLEL = 3;
const inflateRawAsync = promisify(inflateRaw);

/**
 * openEntry yields an entry's uncompressed content, enforcing what Go's archive/zip
 * checksumReader enforces (reader.go:244) and a little more: the content is exactly
 * the declared uncompressed size (inflating stops as soon as it runs over, so a bomb
 * costs at most its declared size) and its CRC-32 equals the central directory's,
 * always (Go skips the CRC when it is 0 and there is no data descriptor). A small
 * entry is checked whole before it is yielded, a large one is checked at its end.
 *
 * Like Go (archive/zip reader.go:201 hands compress/flate the entry's compressedSize
 * bytes, and flate stops at the final block), compressed bytes after the end of the
 * deflate stream are ignored, for small and large entries alike: the content is what
 * the deflate stream holds, and the hash is what the go command computes.
 */
export async function* openEntry(source: RandomAccess, e: ZipEntry): AsyncGenerator<Uint8Array> {
  if (e.uncompressedSize > SMALL_ENTRY) {
    yield* streamEntry(source, e);
    return;
  }
  const content = await wholeEntry(source, e);
  checkCrc(crc32(content), e);
  yield content;
}

/** Digest is an entry's SHA-256: bytes (from the digest worker) or lowercase hex. */
type Digest = FileDigest['digest'];

/** sha256Entry digests one entry's content (openEntry's checks), on a worker when worth it. */
export async function sha256Entry(
  source: RandomAccess,
  e: ZipEntry,
  aside = ON_MAIN,
): Promise<Uint8Array> {
  const digest = await entryDigest(source, e, aside, new ReadBuffer(SMALL_ENTRY));
  return typeof digest === 'string' ? Buffer.from(digest, 'hex') : digest;
}

async function entryDigest(
  source: RandomAccess,
  e: ZipEntry,
  aside: boolean,
  reader: ReadBuffer,
): Promise<Digest> {
  if (e.uncompressedSize > SMALL_ENTRY) {
    const h = createHash('sha256');
    for await (const chunk of streamEntry(source, e, !aside)) h.update(chunk);
    return h.digest();
  }
  if (e.dataOffset < 0) throw new ZipError('ZIP_FORMAT', 'entry was not checked', e.name);
  return digestSmall(await reader.read(source, e.dataOffset, e.compressedSize), e, aside);
}

/**
 * digestSmall checks and digests a small entry from its compressed bytes. Aside (on the
 * main thread), a larger deflated entry goes to the digest worker: inflated on zlib's
 * pool, or, when it barely compresses (stored deflate blocks of binary files, where
 * inflating is a copy), here, into a buffer that came back from the digest worker. Any
 * other entry is digested right here (digestHere).
 */
function digestSmall(raw: Uint8Array, e: ZipEntry, aside: boolean): Promise<Digest> | Digest {
  const size = e.uncompressedSize;
  if (!(aside && e.method !== METHOD_STORE && size > SYNC_ENTRY)) return digestHere(raw, e);
  if (raw.length < size - (size >> 3)) {
    return inflateWhole(raw, e, true).then((content) => digestContent(content, e, true));
  }
  let content: Uint8Array;
  try {
    content = threadInflater.inflateInto(raw, size, digestWorker.spare(size + 1));
  } catch (err) {
    throw inflateError(err, e);
  }
  checkSize(content.length, e);
  return digestContent(content, e, true, true);
}

/**
 * digestHere inflates, checks and digests a small entry in one synchronous step (the
 * thread's Inflater returns its own buffer, valid until its next use).
 */
function digestHere(raw: Uint8Array, e: ZipEntry): string {
  let content = raw;
  if (e.method !== METHOD_STORE) {
    try {
      content = threadInflater.inflate(raw, e.uncompressedSize);
    } catch (err) {
      throw inflateError(err, e);
    }
  }
  checkSize(content.length, e);
  checkCrc(crc32(content), e);
  return sha256Hex(content);
}

/** digestContent checks a small entry's CRC-32 and digests it, on the worker when worth it. */
function digestContent(
  content: Uint8Array,
  e: ZipEntry,
  aside: boolean,
  owned = ownsBuffer(content, e),
): Promise<Digest> | Digest {
  checkCrc(crc32(content), e);
  if (aside && content.length >= WORKER_DIGEST && owned) {
    try {
      return digestWorker.digest(content);
    } catch {
      // No worker thread here (content is untouched): digest it on this thread.
    }
  }
  return sha256Hex(content);
}

/**
 * ownsBuffer says whether content is an inflated buffer that nothing else shares (its
 * own ArrayBuffer, of the size inflateWhole asked zlib for), so it may be transferred.
 * A stored entry's bytes may be a view of the caller's zip: those are never moved.
 */
function ownsBuffer(content: Uint8Array, e: ZipEntry): boolean {
  return (
    e.method !== METHOD_STORE &&
    content.buffer instanceof ArrayBuffer &&
    content.byteOffset === 0 &&
    content.buffer.byteLength === e.uncompressedSize + 1
  );
}

/** wholeEntry reads and inflates a small entry in one piece; its size is checked, not its CRC. */
async function wholeEntry(source: RandomAccess, e: ZipEntry): Promise<Uint8Array> {
  if (e.dataOffset < 0) throw new ZipError('ZIP_FORMAT', 'entry was not checked', e.name);
  return inflateWhole(await source.read(e.dataOffset, e.compressedSize), e, ON_MAIN);
}

/**
 * inflateWhole inflates a small entry's compressed bytes (here if tiny, else on the
 * pool) into one buffer of size + 1 bytes, so a bomb stops one byte past the declared
 * size, and checks the size.
 */
async function inflateWhole(raw: Uint8Array, e: ZipEntry, aside: boolean): Promise<Uint8Array> {
  let content = raw;
  if (e.method !== METHOD_STORE) {
    const size = e.uncompressedSize;
    const options = { chunkSize: Math.max(64, size + 1), maxOutputLength: Math.max(1, size) };
    try {
      content =
        aside && size > SYNC_ENTRY
          ? await inflateRawAsync(raw, options)
          : inflateRawSync(raw, options);
    } catch (err) {
      throw inflateError(err, e);
    }
  }
  checkSize(content.length, e);
  return content;
}

/**
 * streamEntry yields a large entry's content as it inflates, checking size and CRC-32.
 * With `reuse`, for a consumer done with each piece before it asks for the next, pieces
 * share buffers, and where reusableEngine() holds the entry is inflated right here,
 * blocking this thread (as on a zip pool thread, which is there for it); otherwise
 * every piece has its own bytes, and inflating runs on zlib's pool.
 */
async function* streamEntry(
  source: RandomAccess,
  e: ZipEntry,
  reuse = false,
): AsyncGenerator<Uint8Array> {
  if (e.dataOffset < 0) throw new ZipError('ZIP_FORMAT', 'entry was not checked', e.name);
  const body =
    e.method === METHOD_STORE
      ? readRange(
          source,
          e.dataOffset,
          e.compressedSize,
          reuse ? new ReadBuffer(READ_CHUNK) : undefined,
        )
      : reuse && reusableEngine()
        ? inflateHere(source, e)
        : inflateStream(source, e);
  let crc = 0;
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > e.uncompressedSize) checkSize(size, e);
    crc = crc32(chunk, crc);
    yield chunk;
  }
  checkSize(size, e);
  checkCrc(crc, e);
}

function checkSize(size: number, e: ZipEntry): void {
  if (size > e.uncompressedSize) {
    throw new ZipError(
      'ZIP_SIZE_MISMATCH',
      `content is larger than declared size ${e.uncompressedSize}`,
      e.name,
    );
  }
  if (size !== e.uncompressedSize) {
    throw new ZipError(
      'ZIP_SIZE_MISMATCH',
      `content has ${size} bytes, declared ${e.uncompressedSize}`,
      e.name,
    );
  }
}

function checkCrc(crc: number, e: ZipEntry): void {
  if (crc >>> 0 !== e.crc32) throw new ZipError('ZIP_CHECKSUM', 'CRC-32 does not match', e.name);
}

/** readRange yields a range of the source in chunks; through `reader`, all in its one buffer. */
async function* readRange(
  source: RandomAccess,
  offset: number,
  length: number,
  reader?: ReadBuffer,
): AsyncGenerator<Uint8Array> {
  for (let done = 0; done < length;) {
    const n = Math.min(READ_CHUNK, length - done);
    yield await (reader ? reader.read(source, offset + done, n) : source.read(offset + done, n));
    done += n;
  }
}

/**
 * inflateHere inflates a large entry on this thread, a chunk at a time, with one input
 * and one output buffer for the whole entry (StreamInflater): each piece it yields is
 * valid until the next is asked for. Reading stops once the deflate stream has ended.
 */
async function* inflateHere(source: RandomAccess, e: ZipEntry): AsyncGenerator<Uint8Array> {
  const stream = new StreamInflater();
  const reader = new ReadBuffer(READ_CHUNK);
  try {
    for (let done = 0, last = false; !last && !stream.ended;) {
      const n = Math.min(READ_CHUNK, e.compressedSize - done);
      last = done + n >= e.compressedSize;
      const piece = await reader.read(source, e.dataOffset + done, n);
      done += n;
      try {
        yield* stream.write(piece, last);
      } catch (err) {
        throw inflateError(err, e);
      }
    }
  } finally {
    stream.close();
  }
}

/**
 * inflateStream inflates a large entry with backpressure. When the deflate stream ends
 * before its compressed bytes do, the engine ends its output and ignores the rest.
 */
async function* inflateStream(source: RandomAccess, e: ZipEntry): AsyncGenerator<Uint8Array> {
  const inflate = createInflateRaw({ chunkSize: 256 * 1024 });
  const input = Readable.from(readRange(source, e.dataOffset, e.compressedSize), {
    objectMode: false,
  });
  input.on('error', (err) => inflate.destroy(err));
  inflate.on('error', () => undefined); // surfaced by the iteration below
  input.pipe(inflate);
  try {
    for await (const out of inflate) yield out as Buffer;
  } catch (err) {
    throw inflateError(err, e);
  } finally {
    input.destroy();
    inflate.destroy();
  }
}

function inflateError(err: unknown, e: ZipEntry): ZipError {
  if (err instanceof ZipError) return err;
  const code = (err as { code?: unknown }).code;
  const message = String((err as Error).message);
  if (code === 'ERR_BUFFER_TOO_LARGE') {
    return new ZipError(
      'ZIP_SIZE_MISMATCH',
      `content is larger than declared size ${e.uncompressedSize}`,
      e.name,
    );
  }
  return new ZipError('ZIP_FORMAT', `corrupt deflate data: ${message}`, e.name, { cause: err });
}

/**
 * hashZip is dirhash.HashZip (x/mod sumdb/dirhash/hash.go:112; GO-FACTS §1): Hash1
 * over every central-directory name verbatim (raw bytes, including the
 * `path@version/` prefix and directory entries), where a duplicated name is hashed
 * once per occurrence with the content of its last entry. It does not apply the
 * module zip rules: callers check those with checkZip. Entries are read in file order,
 * consecutive small ones in one read, a few batches at a time, so the source is read
 * almost sequentially; CRC-32 is checked here while SHA-256 runs on the digest worker.
 * A zip in memory with nothing to overlap (small entries in one batch, or on a worker
 * thread) is digested in one synchronous step instead.
 */
export async function hashZip(archive: ZipArchive): Promise<string> {
  // A duplicated name is hashed with its last entry's content: `hashed` is the entry
  // hashed for each entry's name.
  const last = new Map<string, ZipEntry>();
  const keys = archive.entries.map((e) => {
    if (e.nameBytes.includes(0x0a)) {
      throw new ZipError(
        'HASH_NAME_NEWLINE',
        'file name contains a newline',
        printable(e.nameBytes),
      );
    }
    const key = nameKey(e);
    last.set(key, e);
    return key;
  });
  const hashed = keys.map((key) => last.get(key));
  const ordered = [...last.values()].sort((a, b) => a.dataOffset - b.dataOffset);
  const batches = batchEntries(ordered);
  const aside = ON_MAIN && batches.length > 1;
  const source = archive.source;
  const digests =
    inMemory(source) && !aside && ordered.every((e) => e.uncompressedSize <= SMALL_ENTRY)
      ? digestInMemory(source, batches)
      : await digestConcurrently(source, batches, aside);
  const files: FileDigest[] = archive.entries.map((e, i) => ({
    name: e.nameBytes,
    digest: digests.get(hashed[i] ?? e) ?? new Uint8Array(0),
  }));
  return hash1FromDigests(files);
}

/**
 * digestInMemory digests small entries of a zip in memory, with nothing to overlap (one
 * batch, or a worker thread): in one synchronous step, without a promise per entry.
 */
function digestInMemory(
  source: MemoryAccess,
  batches: readonly ZipEntry[][],
): Map<ZipEntry, Digest> {
  const digests = new Map<ZipEntry, Digest>();
  for (const batch of batches) {
    const { start, end } = batchSpan(batch);
    const span = source.readSync(start, end - start);
    for (const e of batch) digests.set(e, digestHere(entryData(span, start, e), e));
  }
  return digests;
}

/** digestConcurrently digests the batches a few at a time, so reading, inflating and hashing overlap. */
async function digestConcurrently(
  source: RandomAccess,
  batches: readonly ZipEntry[][],
  aside: boolean,
): Promise<Map<ZipEntry, Digest>> {
  const digests = new Map<ZipEntry, Digest>();
  let next = 0;
  let failed = false;
  const worker = async () => {
    const reader = new ReadBuffer(SMALL_ENTRY);
    for (let b = batches[next++]; b !== undefined && !failed; b = batches[next++]) {
      try {
        for (const [e, digest] of await digestBatch(source, b, aside, reader))
          digests.set(e, digest);
      } catch (err) {
        failed = true; // the other workers stop at their next batch
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return digests;
}

/**
 * batchEntries groups entries (in data order) into runs of small entries whose data
 * spans at most BATCH_BYTES, to be read at once; a large entry is a batch of its own.
 */
function batchEntries(ordered: readonly ZipEntry[]): ZipEntry[][] {
  const batches: ZipEntry[][] = [];
  let batch: ZipEntry[] = [];
  for (const e of ordered) {
    const first = batch[0];
    const joins =
      first !== undefined &&
      first.uncompressedSize <= SMALL_ENTRY &&
      e.uncompressedSize <= SMALL_ENTRY &&
      e.dataOffset + e.compressedSize - first.dataOffset <= BATCH_BYTES;
    if (!joins && first !== undefined) {
      batches.push(batch);
      batch = [];
    }
    batch.push(e);
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/**
 * digestBatch reads a batch's data in one piece (into reader's buffer, which is free
 * again when this returns) and digests each entry of it.
 */
async function digestBatch(
  source: RandomAccess,
  batch: ZipEntry[],
  aside: boolean,
  reader: ReadBuffer,
): Promise<[ZipEntry, Digest][]> {
  const first = batch[0];
  if (batch.length === 1 && first !== undefined) {
    return [[first, await entryDigest(source, first, aside, reader)]];
  }
  const { start, end } = batchSpan(batch);
  const span = await reader.read(source, start, end - start);
  const out: [ZipEntry, Digest][] = [];
  for (const e of batch) out.push([e, await digestSmall(entryData(span, start, e), e, aside)]);
  return out;
}

/** batchSpan is the range of the zip a batch's data covers. */
function batchSpan(batch: readonly ZipEntry[]): { start: number; end: number } {
  const first = batch[0];
  const start = first?.dataOffset ?? 0;
  if (start < 0) throw new ZipError('ZIP_FORMAT', 'entry was not checked', first?.name);
  let end = start;
  for (const e of batch) end = Math.max(end, e.dataOffset + e.compressedSize);
  return { start, end };
}

/** entryData is an entry's compressed bytes within its batch's span (read from start). */
function entryData(span: Uint8Array, start: number, e: ZipEntry): Uint8Array {
  return span.subarray(e.dataOffset - start, e.dataOffset - start + e.compressedSize);
}

function nameKey(e: ZipEntry): string {
  return Buffer.from(e.nameBytes).toString('latin1');
}
