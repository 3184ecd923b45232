import { Readable } from 'node:stream';
import { constants, crc32, createDeflateRaw } from 'node:zlib';
import { ZipError } from './errors.js';

/** ZipWriteEntry is one file to store: its full entry name and a stream of its content. */
export interface ZipWriteEntry {
  readonly name: string;
  readonly content: () => AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  /** If set, the content must have exactly this many bytes (x/mod zip.Create's LimitedReader). */
  readonly size?: number;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_DESCRIPTOR = 0x08074b50;
const SIG_END = 0x06054b50;
const FLAG_DESCRIPTOR = 0x0008;
const FLAG_UTF8 = 0x0800;
const METHOD_DEFLATE = 8;
/** DOS date 1980-01-01, time 00:00: entries carry no timestamp, so zips are reproducible. */
const DOS_DATE = 0x0021;
const MAX_U32 = 0xffffffff;
const MAX_ENTRIES = 0xfffe;

interface Written {
  name: Buffer;
  flags: number;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

/**
 * writeZip streams a zip archive (APPNOTE 6.3.x, no zip64) of the given entries, in
 * order, each deflated (node:zlib) with a data descriptor, as Go's archive/zip Writer
 * lays them out for x/mod zip.Create. Content flows through chunk by chunk: no file is
 * held whole. Sizes over 4 GiB and more than 65534 entries are refused (a module zip
 * is at most 500 MiB; GO-FACTS §2.1).
 */
export async function* writeZip(entries: Iterable<ZipWriteEntry>): AsyncGenerator<Uint8Array> {
  const written: Written[] = [];
  let offset = 0;
  for (const entry of entries) {
    if (written.length >= MAX_ENTRIES) throw new ZipError('ZIP_TOO_LARGE', 'too many entries');
    const name = Buffer.from(entry.name, 'utf8');
    const flags = FLAG_DESCRIPTOR | (isAscii(name) ? 0 : FLAG_UTF8);
    const w: Written = { name, flags, crc: 0, compressed: 0, size: 0, offset };
    const header = localHeader(w);
    yield header;
    for await (const chunk of deflateCounting(entry, w)) {
      w.compressed += chunk.length;
      yield chunk;
    }
    if (entry.size !== undefined && w.size !== entry.size) {
      throw new ZipError(
        'ZIP_FILE_CHANGED',
        `file has ${w.size} bytes, declared ${entry.size}`,
        entry.name,
      );
    }
    if (w.compressed > MAX_U32 || w.size > MAX_U32) {
      throw new ZipError('ZIP_TOO_LARGE', 'file too large for a zip without zip64', entry.name);
    }
    const descriptor = dataDescriptor(w);
    yield descriptor;
    offset += header.length + w.compressed + descriptor.length;
    if (offset > MAX_U32)
      throw new ZipError('ZIP_TOO_LARGE', 'zip too large for a zip without zip64');
    written.push(w);
  }
  yield* centralDirectory(written, offset);
}

/** collectZip gathers writeZip's output into one buffer (for small zips and tests). */
export async function collectZip(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  return Buffer.concat(parts);
}

async function* deflateCounting(entry: ZipWriteEntry, w: Written): AsyncGenerator<Buffer> {
  const limit = entry.size;
  async function* tap() {
    for await (const chunk of entry.content()) {
      w.crc = crc32(chunk, w.crc);
      w.size += chunk.length;
      // x/mod zip.Create reads at most size+1 bytes and fails if the file grew.
      if (limit !== undefined && w.size > limit) {
        throw new ZipError(
          'ZIP_FILE_CHANGED',
          `file is larger than declared size ${limit}`,
          entry.name,
        );
      }
      yield chunk;
    }
  }
  const deflate = createDeflateRaw({ level: constants.Z_DEFAULT_COMPRESSION });
  const input = Readable.from(tap());
  input.on('error', (err) => deflate.destroy(err));
  input.pipe(deflate);
  for await (const out of deflate) yield out as Buffer;
}

function localHeader(w: Written): Buffer {
  const b = Buffer.alloc(30 + w.name.length);
  b.writeUInt32LE(SIG_LOCAL, 0);
  b.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
  b.writeUInt16LE(w.flags, 6);
  b.writeUInt16LE(METHOD_DEFLATE, 8);
  b.writeUInt16LE(0, 10);
  b.writeUInt16LE(DOS_DATE, 12);
  // crc and sizes (14..25) stay zero: they follow in the data descriptor.
  b.writeUInt16LE(w.name.length, 26);
  b.writeUInt16LE(0, 28);
  w.name.copy(b, 30);
  return b;
}

function dataDescriptor(w: Written): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt32LE(SIG_DESCRIPTOR, 0);
  b.writeUInt32LE(w.crc >>> 0, 4);
  b.writeUInt32LE(w.compressed, 8);
  b.writeUInt32LE(w.size, 12);
  return b;
}

function* centralDirectory(written: Written[], start: number): Generator<Buffer> {
  let size = 0;
  for (const w of written) {
    const b = Buffer.alloc(46 + w.name.length);
    b.writeUInt32LE(SIG_CENTRAL, 0);
    b.writeUInt16LE(20, 4); // made by: MS-DOS, 2.0
    b.writeUInt16LE(20, 6);
    b.writeUInt16LE(w.flags, 8);
    b.writeUInt16LE(METHOD_DEFLATE, 10);
    b.writeUInt16LE(0, 12);
    b.writeUInt16LE(DOS_DATE, 14);
    b.writeUInt32LE(w.crc >>> 0, 16);
    b.writeUInt32LE(w.compressed, 20);
    b.writeUInt32LE(w.size, 24);
    b.writeUInt16LE(w.name.length, 28);
    // extra, comment, disk, internal attrs (30..37) zero; external attrs 0.
    b.writeUInt32LE(w.offset, 42);
    w.name.copy(b, 46);
    size += b.length;
    yield b;
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(SIG_END, 0);
  end.writeUInt16LE(written.length, 8);
  end.writeUInt16LE(written.length, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(start, 16);
  yield end;
}

function isAscii(b: Uint8Array): boolean {
  return b.every((c) => c < 0x80);
}
