import { isUtf8 } from 'node:buffer';
import { ZipError } from './errors.js';
import {
  CENTRAL_LEN,
  Cursor,
  END64_LEN,
  END_LEN,
  FLAG_ENCRYPTED,
  FLAG_MASKED_HEADERS,
  FLAG_STRONG_ENCRYPTION,
  LOCATOR64_LEN,
  METHOD_AES,
  METHOD_DEFLATE,
  METHOD_STORE,
  SIG_CENTRAL,
  SIG_END64,
  SIG_LOCATOR64,
  U16_MAX,
  U32_MAX,
  inMemory,
  readZip64Extra,
  runSteps,
  runStepsAsync,
  type MemoryAccess,
  type RandomAccess,
  type Steps,
} from './zipformat.js';
import { localHeaderSteps } from './ziplocal.js';

/**
 * ZipEntry is one central-directory record, after the structural checks of readZip.
 * `nameBytes` is the name exactly as stored (Go keeps zip names as raw bytes);
 * `name` is its UTF-8 decoding for messages and checks (U+FFFD where invalid).
 */
export interface ZipEntry {
  readonly name: string;
  readonly nameBytes: Uint8Array;
  readonly nameIsUtf8: boolean;
  readonly flags: number;
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly headerOffset: number;
  readonly creatorVersion: number;
  readonly externalAttrs: number;
  /** dataOffset is where the entry's (compressed) bytes start, from its local header. */
  dataOffset: number;
}

/** ZipArchive is a zip whose structure has been checked; entries in central-directory order. */
export interface ZipArchive {
  readonly source: RandomAccess;
  readonly entries: readonly ZipEntry[];
  readonly directoryOffset: number;
}

/** ReadZipOptions bound what readZip accepts (defaults: x/mod's 500 MiB limits). */
export interface ReadZipOptions {
  readonly maxZipSize?: number;
  readonly maxUncompressedTotal?: number;
  readonly maxEntries?: number;
}

/**
 * MAX_ENTRIES bounds the central directory (stricter than Go, which has no limit): a
 * 500 MiB zip could otherwise declare ten million entries and exhaust memory.
 */
export const MAX_ENTRIES = 1 << 20;

/** MAX_ZIP_FILE is x/mod zip.MaxZipFile: 500 MiB for the zip and for its contents. */
export const MAX_ZIP_FILE = 500 * 1024 * 1024;
/** MAX_DEFLATE_RATIO bounds declared size / compressed size: deflate cannot exceed ~1032. */
export const MAX_DEFLATE_RATIO = 1032;

interface DirectoryEnd {
  records: number;
  size: number;
  offset: number;
  /** endOffset is where the central directory must end: the (zip64) end record. */
  endOffset: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * readZip reads a zip's central directory as Go's archive/zip does (reader.go: the end
 * record searched in the last 1 KiB then 65 KiB, the zip64 locator and end record,
 * then every central header with its zip64 extra field), and checks more than Go does,
 * because the zip is attacker-controlled and a module zip must mean one thing to every
 * reader:
 *  - the end record ends the file exactly, is single-disk, its entry count is exact,
 *    and the central directory sits right before it with no data prepended to the zip;
 *  - every central header parses completely and the records fill the directory;
 *  - encrypted entries and methods other than store and deflate are refused;
 *  - each local header agrees with its central record (name, flags, method, CRC and
 *    sizes), entries do not overlap each other or the directory (overlap bombs);
 *  - declared sizes are bounded: total and ratio (zip bombs).
 *
 * Why not yauzl or another library: the checks above (local-vs-central agreement,
 * overlap, Go's exact zip64 and EOCD search semantics, raw byte names for dirhash)
 * are the point of this reader, and a general-purpose library hides or relaxes them.
 */
export async function readZip(
  source: RandomAccess,
  options: ReadZipOptions = {},
): Promise<ZipArchive> {
  if (inMemory(source)) return readZipSync(source, options);
  const { entries, directoryOffset } = await runStepsAsync(readSteps(source.size, options), source);
  return { source, entries, directoryOffset };
}

/** readZipSync is readZip of a zip in memory, in one synchronous step. */
export function readZipSync(source: MemoryAccess, options: ReadZipOptions = {}): ZipArchive {
  const { entries, directoryOffset } = runSteps(readSteps(source.size, options), source);
  return { source, entries, directoryOffset };
}

/** readSteps is readZip's logic, asking for each range of the zip it reads (Steps). */
function* readSteps(
  size: number,
  options: ReadZipOptions,
): Steps<{ entries: ZipEntry[]; directoryOffset: number }> {
  const maxZip = options.maxZipSize ?? MAX_ZIP_FILE;
  if (size > maxZip) {
    throw new ZipError('ZIP_TOO_LARGE', `zip is ${size} bytes; limit is ${maxZip} bytes`);
  }
  const end = yield* directoryEndSteps(size);
  const maxEntries = options.maxEntries ?? MAX_ENTRIES;
  if (end.records > maxEntries) {
    throw new ZipError('ZIP_TOO_LARGE', `zip has ${end.records} entries; limit is ${maxEntries}`);
  }
  const dir = yield { offset: end.offset, length: end.size };
  const entries = parseCentralDirectory(dir, end);
  checkDeclaredSizes(entries, options.maxUncompressedTotal ?? MAX_ZIP_FILE);
  yield* localHeaderSteps(size, entries, end.offset);
  return { entries, directoryOffset: end.offset };
}

function* directoryEndSteps(size: number): Steps<DirectoryEnd> {
  if (size < END_LEN) throw new ZipError('ZIP_TRUNCATED', 'file is too short to be a zip');
  const tailLen = Math.min(size, 65 * 1024 + END_LEN);
  const tail = yield { offset: size - tailLen, length: tailLen };
  const at = findEndRecord(tail);
  if (at < 0) throw new ZipError('ZIP_FORMAT', 'no end of central directory record');
  const endOffset = size - tailLen + at;
  const c = new Cursor(tail.subarray(at + 4), 'end of central directory');
  const disk = c.u16();
  const dirDisk = c.u16();
  const recordsHere = c.u16();
  let records = c.u16();
  let dirSize = c.u32();
  let offset = c.u32();
  if (disk !== 0 || dirDisk !== 0 || recordsHere !== records) {
    throw new ZipError('ZIP_FORMAT', 'multi-disk zips are not supported');
  }
  let dirEnd = endOffset;
  if (records === U16_MAX || dirSize === U32_MAX || offset === U32_MAX) {
    const z64 = yield* directoryEnd64Steps(endOffset);
    ({ records, size: dirSize, offset } = z64);
    dirEnd = z64.endOffset;
  }
  if (offset + dirSize !== dirEnd) {
    throw new ZipError(
      'ZIP_FORMAT',
      'central directory is not where the end record says (data prepended or appended?)',
    );
  }
  if (records > dirSize / CENTRAL_LEN)
    throw new ZipError('ZIP_FORMAT', 'entry count does not fit the central directory');
  return { records, size: dirSize, offset, endOffset: dirEnd };
}

/**
 * findEndRecord finds the end-of-central-directory signature searching backwards
 * (archive/zip findSignatureInBlock), and requires the record's comment to end the
 * file exactly: trailing bytes are refused.
 */
function findEndRecord(b: Uint8Array): number {
  for (let i = b.length - END_LEN; i >= 0; i--) {
    if (b[i] !== 0x50 || b[i + 1] !== 0x4b || b[i + 2] !== 0x05 || b[i + 3] !== 0x06) continue;
    const commentLen = (b[i + 20] ?? 0) | ((b[i + 21] ?? 0) << 8);
    if (i + END_LEN + commentLen === b.length) return i;
  }
  return -1;
}

function* directoryEnd64Steps(endOffset: number): Steps<DirectoryEnd> {
  const locOffset = endOffset - LOCATOR64_LEN;
  if (locOffset < 0) throw new ZipError('ZIP_FORMAT', 'zip64 end record locator is missing');
  const loc = new Cursor(yield { offset: locOffset, length: LOCATOR64_LEN }, 'zip64 locator');
  if (loc.u32() !== SIG_LOCATOR64)
    throw new ZipError('ZIP_FORMAT', 'zip64 end record locator is missing');
  const disk = loc.u32();
  const at = loc.u64();
  const disks = loc.u32();
  if (disk !== 0 || disks !== 1)
    throw new ZipError('ZIP_FORMAT', 'multi-disk zips are not supported');
  if (at + END64_LEN > locOffset)
    throw new ZipError('ZIP_FORMAT', 'zip64 end record is out of place');
  const c = new Cursor(yield { offset: at, length: END64_LEN }, 'zip64 end record');
  if (c.u32() !== SIG_END64)
    throw new ZipError('ZIP_FORMAT', 'zip64 end record signature is wrong');
  const recordSize = c.u64();
  if (at + 12 + recordSize !== locOffset)
    throw new ZipError('ZIP_FORMAT', 'zip64 end record is out of place');
  c.skip(4); // versions made by and needed
  const d1 = c.u32();
  const d2 = c.u32();
  const recordsHere = c.u64();
  const records = c.u64();
  const size = c.u64();
  const offset = c.u64();
  if (d1 !== 0 || d2 !== 0 || recordsHere !== records) {
    throw new ZipError('ZIP_FORMAT', 'multi-disk zips are not supported');
  }
  return { records, size, offset, endOffset: at };
}

function parseCentralDirectory(dir: Uint8Array, end: DirectoryEnd): ZipEntry[] {
  const c = new Cursor(dir, 'central directory');
  const entries: ZipEntry[] = [];
  for (let i = 0; i < end.records; i++) entries.push(parseCentralHeader(c));
  if (c.remaining !== 0) {
    throw new ZipError('ZIP_FORMAT', 'central directory has bytes beyond its declared entries');
  }
  return entries;
}

function parseCentralHeader(c: Cursor): ZipEntry {
  if (c.u32() !== SIG_CENTRAL)
    throw new ZipError('ZIP_FORMAT', 'central directory header signature is wrong');
  const creatorVersion = c.u16();
  c.skip(2); // version needed
  const flags = c.u16();
  const method = c.u16();
  c.skip(4); // time, date
  const crc32 = c.u32();
  const csize32 = c.u32();
  const usize32 = c.u32();
  const nameLen = c.u16();
  const extraLen = c.u16();
  const commentLen = c.u16();
  c.skip(4); // disk number start, internal attributes
  const externalAttrs = c.u32();
  const offset32 = c.u32();
  const nameBytes = c.bytes(nameLen);
  const extra = c.bytes(extraLen);
  c.skip(commentLen);
  const name = utf8.decode(nameBytes);
  const needs = {
    size: usize32 === U32_MAX,
    compressed: csize32 === U32_MAX,
    offset: offset32 === U32_MAX,
  };
  const z64 = readZip64Extra(extra, needs, name);
  if (
    (needs.compressed && z64.compressed === undefined) ||
    (needs.offset && z64.offset === undefined)
  ) {
    throw new ZipError('ZIP_FORMAT', 'zip64 sizes are missing', name);
  }
  checkSupported(flags, method, name);
  return {
    name,
    nameBytes,
    nameIsUtf8: isUtf8(nameBytes),
    flags,
    method,
    crc32,
    compressedSize: z64.compressed ?? csize32,
    uncompressedSize: z64.size ?? usize32,
    headerOffset: z64.offset ?? offset32,
    creatorVersion,
    externalAttrs,
    dataOffset: -1,
  };
}

function checkSupported(flags: number, method: number, name: string): void {
  if (
    flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION | FLAG_MASKED_HEADERS) ||
    method === METHOD_AES
  ) {
    throw new ZipError('ZIP_ENCRYPTED', 'entry is encrypted', name);
  }
  if (method !== METHOD_STORE && method !== METHOD_DEFLATE) {
    throw new ZipError(
      'ZIP_UNSUPPORTED_METHOD',
      `compression method ${method} is not supported`,
      name,
    );
  }
}

/**
 * checkDeclaredSizes refuses zip bombs before anything is inflated: the declared
 * uncompressed total is bounded, a stored entry's sizes must agree, and a deflated
 * entry may not claim more than deflate's maximum ratio. Inflating then enforces the
 * declared sizes exactly (zipentry.ts).
 */
function checkDeclaredSizes(entries: readonly ZipEntry[], maxTotal: number): void {
  let total = 0;
  for (const e of entries) {
    total += e.uncompressedSize;
    if (total > maxTotal) {
      throw new ZipError('ZIP_TOO_LARGE', `uncompressed contents exceed ${maxTotal} bytes`, e.name);
    }
    if (e.method === METHOD_STORE && e.compressedSize !== e.uncompressedSize) {
      throw new ZipError(
        'ZIP_SIZE_MISMATCH',
        'stored entry has different compressed and uncompressed sizes',
        e.name,
      );
    }
    if (e.uncompressedSize > e.compressedSize * MAX_DEFLATE_RATIO + 64) {
      throw new ZipError(
        'ZIP_BOMB',
        `declared size ${e.uncompressedSize} is impossible for ${e.compressedSize} compressed bytes`,
        e.name,
      );
    }
  }
}
