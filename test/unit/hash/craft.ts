import { crc32, deflateRawSync } from 'node:zlib';

/**
 * CraftEntry describes one entry of a hand-made zip. Every field a hostile zip might
 * lie about can be overridden separately in the local header and central directory.
 */
export interface CraftEntry {
  /** the entry name; a Buffer for raw (possibly invalid UTF-8) bytes */
  name: string | Buffer;
  content?: Buffer;
  method?: number;
  flags?: number;
  /** raw bytes stored as the entry's data (default: content, deflated when method 8) */
  data?: Buffer;
  crc?: number;
  csize?: number;
  usize?: number;
  local?: {
    name?: string;
    flags?: number;
    method?: number;
    crc?: number;
    csize?: number;
    usize?: number;
  };
  externalAttrs?: number;
  creator?: number;
  /** write a data descriptor (flag bit 3; zero CRC and sizes in the local header) */
  descriptor?: boolean;
  /** the CRC-32 written in the data descriptor (default: the central one) */
  descriptorCrc?: number;
  /** point the central record at another entry's local header (by index) */
  headerOf?: number;
}

export interface CraftOptions {
  prepend?: Buffer;
  append?: Buffer;
  zip64?: boolean;
  records?: number;
}

interface Built {
  e: CraftEntry;
  name: Buffer;
  flags: number;
  method: number;
  crc: number;
  csize: number;
  usize: number;
  offset: number;
}

/** craftZip builds a zip byte by byte from CraftEntry values, for hostile-input tests. */
export function craftZip(entries: CraftEntry[], options: CraftOptions = {}): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  const push = (b: Buffer) => {
    parts.push(b);
    offset += b.length;
  };
  const built: Built[] = [];
  for (const e of entries) {
    const content = e.content ?? Buffer.alloc(0);
    const method = e.method ?? 8;
    const data = e.data ?? (method === 8 ? deflateRawSync(content) : content);
    const flags = (e.flags ?? 0) | (e.descriptor ? 8 : 0);
    const b: Built = {
      e,
      name: Buffer.isBuffer(e.name) ? e.name : Buffer.from(e.name, 'utf8'),
      flags,
      method,
      crc: e.crc ?? crc32(content) >>> 0,
      csize: e.csize ?? data.length,
      usize: e.usize ?? content.length,
      offset,
    };
    built.push(b);
    push(localHeader(b));
    push(data);
    if (e.descriptor) push(u32s(0x08074b50, e.descriptorCrc ?? b.crc, b.csize, b.usize));
  }
  const cdStart = offset;
  for (const b of built) push(centralHeader(b, built, options.zip64 === true));
  const cdSize = offset - cdStart;
  const records = options.records ?? built.length;
  if (options.zip64) {
    const end64At = offset;
    const rec = Buffer.alloc(56);
    rec.writeUInt32LE(0x06064b50, 0);
    rec.writeBigUInt64LE(44n, 4);
    rec.writeUInt16LE(45, 12);
    rec.writeUInt16LE(45, 14);
    rec.writeBigUInt64LE(BigInt(records), 24);
    rec.writeBigUInt64LE(BigInt(records), 32);
    rec.writeBigUInt64LE(BigInt(cdSize), 40);
    rec.writeBigUInt64LE(BigInt(cdStart), 48);
    push(rec);
    const loc = Buffer.alloc(20);
    loc.writeUInt32LE(0x07064b50, 0);
    loc.writeBigUInt64LE(BigInt(end64At), 8);
    loc.writeUInt32LE(1, 16);
    push(loc);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(options.zip64 ? 0xffff : records, 8);
  end.writeUInt16LE(options.zip64 ? 0xffff : records, 10);
  end.writeUInt32LE(options.zip64 ? 0xffffffff : cdSize, 12);
  end.writeUInt32LE(options.zip64 ? 0xffffffff : cdStart, 16);
  push(end);
  if (options.append) push(options.append);
  // Prepended bytes are not counted in any offset: a reader must notice they are there.
  return Buffer.concat([options.prepend ?? Buffer.alloc(0), ...parts]);
}

function localHeader(b: Built): Buffer {
  const l = b.e.local ?? {};
  const name = l.name !== undefined ? Buffer.from(l.name, 'utf8') : b.name;
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(l.flags ?? b.flags, 6);
  h.writeUInt16LE(l.method ?? b.method, 8);
  const deferred = b.e.descriptor === true;
  h.writeUInt32LE(l.crc ?? (deferred ? 0 : b.crc), 14);
  h.writeUInt32LE(l.csize ?? (deferred ? 0 : b.csize), 18);
  h.writeUInt32LE(l.usize ?? (deferred ? 0 : b.usize), 22);
  h.writeUInt16LE(name.length, 26);
  return Buffer.concat([h, name]);
}

function centralHeader(b: Built, all: Built[], zip64: boolean): Buffer {
  const h = Buffer.alloc(46);
  const offset = b.e.headerOf !== undefined ? (all[b.e.headerOf]?.offset ?? 0) : b.offset;
  h.writeUInt32LE(0x02014b50, 0);
  h.writeUInt16LE(b.e.creator ?? 20, 4);
  h.writeUInt16LE(zip64 ? 45 : 20, 6);
  h.writeUInt16LE(b.flags, 8);
  h.writeUInt16LE(b.method, 10);
  h.writeUInt32LE(b.crc, 16);
  h.writeUInt32LE(zip64 ? 0xffffffff : b.csize, 20);
  h.writeUInt32LE(zip64 ? 0xffffffff : b.usize, 24);
  h.writeUInt16LE(b.name.length, 28);
  let extra = Buffer.alloc(0);
  if (zip64) {
    extra = Buffer.alloc(28);
    extra.writeUInt16LE(1, 0);
    extra.writeUInt16LE(24, 2);
    extra.writeBigUInt64LE(BigInt(b.usize), 4);
    extra.writeBigUInt64LE(BigInt(b.csize), 12);
    extra.writeBigUInt64LE(BigInt(offset), 20);
  }
  h.writeUInt16LE(extra.length, 30);
  h.writeUInt32LE(b.e.externalAttrs ?? 0, 38);
  h.writeUInt32LE(zip64 ? 0xffffffff : offset, 42);
  return Buffer.concat([h, b.name, extra]);
}

function u32s(...values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeUInt32LE(v >>> 0, i * 4));
  return b;
}
