import { ZipError } from './errors.js';
import {
  Cursor,
  FLAG_DESCRIPTOR,
  LOCAL_LEN,
  SIG_DESCRIPTOR,
  SIG_LOCAL,
  U32_MAX,
  readZip64Extra,
  sameBytes,
  type Steps,
} from './zipformat.js';
import type { ZipEntry } from './zipread.js';

/**
 * checkLocalHeaders reads every entry's local file header and refuses a zip whose
 * local headers disagree with the central directory, the classic way to make two
 * zip readers (one streaming local headers, one reading the directory, like Go's
 * archive/zip) see different files. Agreement means: signature, name bytes, flags,
 * method, and, unless sizes are deferred to a data descriptor (flag bit 3), CRC-32
 * and both sizes (through the local zip64 extra field when they are 0xFFFFFFFF).
 * A data descriptor, when present, must carry the central CRC-32 and sizes.
 * Entries (header, data, descriptor) must lie before the central directory and may
 * not overlap one another: overlapping entries are how small zips inflate to huge
 * ones. Sets each entry's dataOffset. It is a step of readZip (Steps): it asks for
 * the bytes it reads, in a zip of `size` bytes.
 */
export function* localHeaderSteps(
  size: number,
  entries: readonly ZipEntry[],
  directoryOffset: number,
): Steps<void> {
  const byOffset = [...entries].sort((a, b) => a.headerOffset - b.headerOffset);
  let previousEnd = 0;
  let previousName = '';
  for (const e of byOffset) {
    if (e.headerOffset < previousEnd) {
      throw new ZipError(
        'ZIP_OVERLAP',
        `entry overlaps entry ${JSON.stringify(previousName)}`,
        e.name,
      );
    }
    const end = yield* localHeaderStep(size, e);
    if (end > directoryOffset) {
      throw new ZipError('ZIP_OVERLAP', 'entry data runs into the central directory', e.name);
    }
    previousEnd = end;
    previousName = e.name;
  }
}

/** checkLocalHeader checks one entry and returns the offset just past it. */
function* localHeaderStep(size: number, e: ZipEntry): Steps<number> {
  if (e.headerOffset + LOCAL_LEN > size)
    throw new ZipError('ZIP_TRUNCATED', 'local header is past the end', e.name);
  const c = new Cursor(yield { offset: e.headerOffset, length: LOCAL_LEN }, e.name);
  if (c.u32() !== SIG_LOCAL)
    throw new ZipError('ZIP_FORMAT', 'local header signature is wrong', e.name);
  c.skip(2); // version needed
  const flags = c.u16();
  const method = c.u16();
  c.skip(4); // time, date
  const crc = c.u32();
  const csize = c.u32();
  const usize = c.u32();
  const nameLen = c.u16();
  const extraLen = c.u16();
  const varEnd = e.headerOffset + LOCAL_LEN + nameLen + extraLen;
  if (varEnd > size) throw new ZipError('ZIP_TRUNCATED', 'local header is past the end', e.name);
  const vars = yield { offset: e.headerOffset + LOCAL_LEN, length: nameLen + extraLen };
  const name = vars.subarray(0, nameLen);
  mustAgree(sameBytes(name, e.nameBytes), 'name', e);
  mustAgree(flags === e.flags, 'flags', e);
  mustAgree(method === e.method, 'compression method', e);
  const extra = vars.subarray(nameLen);
  if (flags & FLAG_DESCRIPTOR) {
    // Sizes follow in the descriptor; the local fields are zero (or, from some writers,
    // already the real values, or 0xFFFFFFFF for zip64). Anything else disagrees.
    mustAgree(crc === 0 || crc === e.crc32, 'CRC-32', e);
    mustAgree([0, U32_MAX, e.compressedSize].includes(csize), 'compressed size', e);
    mustAgree([0, U32_MAX, e.uncompressedSize].includes(usize), 'uncompressed size', e);
  } else {
    checkLocalSizes(e, { crc, csize, usize, extra });
  }
  e.dataOffset = varEnd;
  const dataEnd = varEnd + e.compressedSize;
  if (dataEnd > size) throw new ZipError('ZIP_TRUNCATED', 'entry data is past the end', e.name);
  if (!(flags & FLAG_DESCRIPTOR)) return dataEnd;
  return dataEnd + (yield* dataDescriptorStep(size, e, dataEnd));
}

function checkLocalSizes(
  e: ZipEntry,
  local: { crc: number; csize: number; usize: number; extra: Uint8Array },
): void {
  mustAgree(local.crc === e.crc32, 'CRC-32', e);
  const needs = {
    size: local.usize === U32_MAX,
    compressed: local.csize === U32_MAX,
    offset: false,
  };
  const z64 = readZip64Extra(local.extra, needs, e.name);
  mustAgree((z64.size ?? local.usize) === e.uncompressedSize, 'uncompressed size', e);
  mustAgree((z64.compressed ?? local.csize) === e.compressedSize, 'compressed size', e);
}

/**
 * checkDataDescriptor reads the descriptor after an entry's data (APPNOTE 4.3.9: an
 * optional signature, CRC-32, then 32-bit or, for zip64, 64-bit sizes) and returns its
 * length. Go's archive/zip checks only its CRC; here the sizes must agree as well.
 */
function* dataDescriptorStep(size: number, e: ZipEntry, at: number): Steps<number> {
  const avail = Math.min(24, size - at);
  const b = yield { offset: at, length: avail };
  const c = new Cursor(b, e.name);
  let len = 0;
  if (avail >= 4 && new Cursor(b, e.name).u32() === SIG_DESCRIPTOR) {
    c.skip(4);
    len = 4;
  }
  if (c.remaining < 12)
    throw new ZipError('ZIP_TRUNCATED', 'data descriptor is past the end', e.name);
  mustAgree(c.u32() === e.crc32, 'data descriptor CRC-32', e);
  const rest = b.subarray(len + 4);
  const c32 = new Cursor(rest, e.name);
  if (c32.u32() === e.compressedSize && c32.u32() === e.uncompressedSize) return len + 12;
  if (rest.length >= 16) {
    const c64 = new Cursor(rest, e.name);
    if (c64.u64() === e.compressedSize && c64.u64() === e.uncompressedSize) return len + 20;
  }
  throw new ZipError(
    'ZIP_HEADER_MISMATCH',
    'data descriptor sizes differ from the central directory',
    e.name,
  );
}

function mustAgree(ok: boolean, field: string, e: ZipEntry): void {
  if (!ok) {
    throw new ZipError(
      'ZIP_HEADER_MISMATCH',
      `local header ${field} differs from the central directory`,
      e.name,
    );
  }
}
