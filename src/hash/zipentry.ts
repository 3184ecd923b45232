import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { crc32, createGunzip, gunzip } from 'node:zlib';
import { hash1FromDigests, printable, type FileDigest } from './dirhash.js';
import { ZipError } from './errors.js';
import { METHOD_STORE, type RandomAccess } from './zipformat.js';
import type { ZipArchive, ZipEntry } from './zipread.js';

/** READ_CHUNK is how many compressed bytes are read at a time: memory stays bounded. */
const READ_CHUNK = 1 << 20;
/**
 * SMALL_ENTRY: entries declaring at most this many uncompressed bytes are inflated in
 * one call on the zlib thread pool (fast, and memory stays bounded by this size);
 * larger ones stream.
 */
const SMALL_ENTRY = 4 << 20;
/** PARALLEL entries are digested at once, so inflating one overlaps hashing another. */
const PARALLEL = 3;
const gunzipAsync = promisify(gunzip);
/** GZIP_HEADER is a minimal gzip member header (RFC 1952): deflate, no flags, no mtime. */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);

/**
 * openEntry streams an entry's uncompressed content, enforcing what Go's archive/zip
 * checksumReader enforces (reader.go:244) and a little more: the content is exactly
 * the declared uncompressed size (inflating stops as soon as it runs over, so a bomb
 * costs at most its declared size) and its CRC-32 equals the central directory's,
 * always (Go skips the CRC when it is 0 and there is no data descriptor).
 *
 * Deflated data is framed as one gzip member (RFC 1952) whose trailer carries the
 * central CRC-32 and size, so zlib checks both on its own thread while SHA-256 runs
 * here: that is what keeps hashing near the machine's inflate+SHA-256 speed. A stored
 * entry's CRC-32 is computed here. Stricter than Go: bytes after the end of the
 * deflate stream are refused (they break the frame), where Go ignores them.
 */
export async function* openEntry(source: RandomAccess, e: ZipEntry): AsyncGenerator<Uint8Array> {
  if (e.dataOffset < 0) throw new ZipError('ZIP_FORMAT', 'entry was not checked', e.name);
  const stored = e.method === METHOD_STORE;
  let crc = 0;
  let size = 0;
  const body = stored
    ? readRange(source, e.dataOffset, e.compressedSize)
    : e.uncompressedSize <= SMALL_ENTRY
      ? inflateSmall(source, e)
      : inflateStream(source, e);
  for await (const chunk of body) {
    size += chunk.length;
    if (size > e.uncompressedSize) {
      throw new ZipError(
        'ZIP_SIZE_MISMATCH',
        `content is larger than declared size ${e.uncompressedSize}`,
        e.name,
      );
    }
    if (stored) crc = crc32(chunk, crc);
    yield chunk;
  }
  if (size !== e.uncompressedSize) {
    throw new ZipError(
      'ZIP_SIZE_MISMATCH',
      `content has ${size} bytes, declared ${e.uncompressedSize}`,
      e.name,
    );
  }
  if (stored && crc >>> 0 !== e.crc32)
    throw new ZipError('ZIP_CHECKSUM', 'CRC-32 does not match', e.name);
}

/** gzipTrailer is the gzip member trailer: the entry's CRC-32 and size mod 2^32, little-endian. */
function gzipTrailer(e: ZipEntry): Buffer {
  const t = Buffer.alloc(8);
  t.writeUInt32LE(e.crc32 >>> 0, 0);
  t.writeUInt32LE(e.uncompressedSize % 0x100000000, 4);
  return t;
}

async function* readRange(
  source: RandomAccess,
  offset: number,
  length: number,
): AsyncGenerator<Uint8Array> {
  for (let done = 0; done < length;) {
    const n = Math.min(READ_CHUNK, length - done);
    yield await source.read(offset + done, n);
    done += n;
  }
}

async function* inflateSmall(source: RandomAccess, e: ZipEntry): AsyncGenerator<Uint8Array> {
  const raw = await source.read(e.dataOffset, e.compressedSize);
  const member = Buffer.concat([GZIP_HEADER, raw, gzipTrailer(e)]);
  try {
    const chunkSize = Math.max(64 * 1024, e.uncompressedSize + 1);
    yield await gunzipAsync(member, { maxOutputLength: e.uncompressedSize + 1, chunkSize });
  } catch (err) {
    throw inflateError(err, e);
  }
}

async function* gzipFramed(source: RandomAccess, e: ZipEntry): AsyncGenerator<Uint8Array> {
  yield GZIP_HEADER;
  yield* readRange(source, e.dataOffset, e.compressedSize);
  yield gzipTrailer(e);
}

async function* inflateStream(source: RandomAccess, e: ZipEntry): AsyncGenerator<Uint8Array> {
  const inflate = createGunzip({ chunkSize: 256 * 1024 });
  const input = Readable.from(gzipFramed(source, e), { objectMode: false });
  input.on('error', (err) => inflate.destroy(err));
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
  if (message.includes('incorrect data check')) {
    return new ZipError('ZIP_CHECKSUM', 'CRC-32 does not match', e.name, { cause: err });
  }
  if (message.includes('incorrect length check')) {
    return new ZipError(
      'ZIP_SIZE_MISMATCH',
      `content size differs from declared ${e.uncompressedSize}`,
      e.name,
    );
  }
  return new ZipError('ZIP_FORMAT', `corrupt deflate data: ${message}`, e.name, { cause: err });
}

/** sha256Entry digests one entry's content, streaming. */
export async function sha256Entry(source: RandomAccess, e: ZipEntry): Promise<Uint8Array> {
  const h = createHash('sha256');
  for await (const chunk of openEntry(source, e)) h.update(chunk);
  return h.digest();
}

/**
 * hashZip is dirhash.HashZip (x/mod sumdb/dirhash/hash.go:112; GO-FACTS §1): Hash1
 * over every central-directory name verbatim (raw bytes, including the
 * `path@version/` prefix and directory entries), where a duplicated name is hashed
 * once per occurrence with the content of its last entry. It does not apply the
 * module zip rules: callers check those with checkZip. Entries are read in file order,
 * a few at a time, so the source is read almost sequentially.
 */
export async function hashZip(archive: ZipArchive): Promise<string> {
  const last = new Map<string, ZipEntry>();
  for (const e of archive.entries) {
    if (e.nameBytes.includes(0x0a)) {
      throw new ZipError(
        'HASH_NAME_NEWLINE',
        'file name contains a newline',
        printable(e.nameBytes),
      );
    }
    last.set(nameKey(e), e);
  }
  const digests = new Map<string, Uint8Array>();
  const ordered = [...last.values()].sort((a, b) => a.dataOffset - b.dataOffset);
  let next = 0;
  let failed = false;
  const worker = async () => {
    for (let e = ordered[next++]; e !== undefined && !failed; e = ordered[next++]) {
      try {
        digests.set(nameKey(e), await sha256Entry(archive.source, e));
      } catch (err) {
        failed = true; // the other workers stop at their next entry
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  const files: FileDigest[] = archive.entries.map((e) => ({
    name: e.nameBytes,
    digest: digests.get(nameKey(e)) ?? new Uint8Array(0),
  }));
  return hash1FromDigests(files);
}

function nameKey(e: ZipEntry): string {
  return Buffer.from(e.nameBytes).toString('latin1');
}
