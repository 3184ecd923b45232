import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { ModuleKind } from '../check/witness.js';
import { readFileIfExists, sweepTemporaries, writeFileAtomic } from './atomic.js';
import { defaultCacheDir } from './dirs.js';

/** LAYOUT is the cache format's directory; a new format gets a new name, never a rewrite. */
const LAYOUT = 'v1';

const HEX64 = /^[0-9a-f]{64}$/;

/** VerifiedLine is a go.sum line every witness agreed with: the fact the cache remembers. */
export interface VerifiedLine {
  readonly module: string;
  readonly version: string;
  readonly kind: ModuleKind;
  readonly h1: string;
}

/** VerifiedRecord is a VerifiedLine with the witnesses that agreed and when. */
export interface VerifiedRecord extends VerifiedLine {
  readonly witnesses: readonly string[];
  /** ISO 8601 time of the check */
  readonly at: string;
}

/** sha256Hex is the lowercase hex SHA-256 of bytes or of a string's UTF-8. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Cache is modguard's content-addressed local cache (ARCHITECTURE.md, cache/):
 *
 *   <dir>/v1/blobs/<aa>/<sha256>       immutable bytes, named by their SHA-256
 *   <dir>/v1/keys/<aa>/<sha256(key)>   {"key", "blob"}: a name → a blob
 *   <dir>/v1/verified/<aa>/<sha256(…)>  a verified go.sum line, checked field by field on read
 *
 * Every write is atomic (writeFileAtomic), so concurrent writers are safe; every read
 * re-hashes the blob and compares it with its name, so a corrupted or truncated entry
 * is a miss, never wrong data. Only put what is already verified: the cache proves
 * integrity on disk, not authenticity (a tile goes in after its proof checks).
 */
export class Cache {
  private constructor(readonly dir: string) {}

  /** open returns the cache at `dir`, default defaultCacheDir(); directories are made on write. */
  static open(dir: string = defaultCacheDir()): Cache {
    return new Cache(path.resolve(dir));
  }

  private blobPath(digest: string): string {
    return path.join(this.dir, LAYOUT, 'blobs', digest.slice(0, 2), digest);
  }

  private keyPath(key: string): string {
    const name = sha256Hex(key);
    return path.join(this.dir, LAYOUT, 'keys', name.slice(0, 2), name);
  }

  /** putBlob stores bytes under their SHA-256 and returns it (hex); an intact copy is kept. */
  async putBlob(bytes: Uint8Array): Promise<string> {
    const digest = sha256Hex(bytes);
    if ((await this.getBlob(digest)) === undefined) {
      await writeFileAtomic(this.blobPath(digest), bytes);
    }
    return digest;
  }

  /** getBlob returns the bytes whose SHA-256 is `digest`, or undefined when absent or corrupt. */
  async getBlob(digest: string): Promise<Uint8Array | undefined> {
    if (!HEX64.test(digest)) return undefined;
    const bytes = await readFileIfExists(this.blobPath(digest));
    if (bytes === undefined || sha256Hex(bytes) !== digest) return undefined;
    return bytes;
  }

  /** put stores bytes under a name (e.g. a sumdb tile path): the blob first, then the name. */
  async put(key: string, bytes: Uint8Array): Promise<void> {
    const blob = await this.putBlob(bytes);
    const entry = new TextEncoder().encode(`${JSON.stringify({ key, blob })}\n`);
    await writeFileAtomic(this.keyPath(key), entry);
  }

  /** get returns the bytes last put under `key`, or undefined when absent or corrupt. */
  async get(key: string): Promise<Uint8Array | undefined> {
    const raw = await readFileIfExists(this.keyPath(key));
    if (raw === undefined) return undefined;
    const blob = parseKeyEntry(raw, key);
    return blob === undefined ? undefined : this.getBlob(blob);
  }

  /**
   * sweep removes temporary files older than `maxAgeMs` (default one hour) that
   * writers killed mid-write left behind; it returns how many.
   */
  async sweep(maxAgeMs = 60 * 60 * 1000): Promise<number> {
    return sweepTemporaries(path.join(this.dir, LAYOUT), maxAgeMs);
  }

  private verifiedPath(line: VerifiedLine): string {
    const name = sha256Hex(verifiedKey(line));
    return path.join(this.dir, LAYOUT, 'verified', name.slice(0, 2), name);
  }

  /**
   * markVerified records that every witness agreed with a go.sum line. The record is
   * its own check (verified() compares every field with the line asked about), so it is
   * written without fsync: a crash can only lose it, and a lost record is re-checked.
   */
  async markVerified(record: VerifiedRecord): Promise<void> {
    const { module, version, kind, h1, witnesses, at } = record;
    const json = JSON.stringify({ module, version, kind, h1, witnesses: [...witnesses], at });
    await writeFileAtomic(this.verifiedPath(record), new TextEncoder().encode(json), {
      durable: false,
    });
  }

  /**
   * verified returns the record for exactly this (module, version, kind, h1), or
   * undefined: a line with another hash was never verified.
   */
  async verified(line: VerifiedLine): Promise<VerifiedRecord | undefined> {
    const bytes = await readFileIfExists(this.verifiedPath(line));
    if (bytes === undefined) return undefined;
    const record = parseVerified(bytes);
    if (record === undefined) return undefined;
    const same =
      record.module === line.module &&
      record.version === line.version &&
      record.kind === line.kind &&
      record.h1 === line.h1;
    return same ? record : undefined;
  }
}

function verifiedKey(line: VerifiedLine): string {
  return ['verified', line.module, line.version, line.kind, line.h1].join('\u0000');
}

/** parseKeyEntry reads a key file; anything but `{"key": key, "blob": <hex64>}` is a miss. */
function parseKeyEntry(raw: Uint8Array, key: string): string | undefined {
  const value = parseJson(raw);
  if (typeof value !== 'object' || value === null) return undefined;
  const entry = value as Record<string, unknown>;
  if (entry['key'] !== key || typeof entry['blob'] !== 'string') return undefined;
  return HEX64.test(entry['blob']) ? entry['blob'] : undefined;
}

function parseVerified(bytes: Uint8Array): VerifiedRecord | undefined {
  const value = parseJson(bytes);
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Record<string, unknown>;
  const strings = ['module', 'version', 'h1', 'at'].every((k) => typeof r[k] === 'string');
  const kindOk = r['kind'] === 'zip' || r['kind'] === 'go.mod';
  const witnesses = r['witnesses'];
  const listOk = Array.isArray(witnesses) && witnesses.every((w) => typeof w === 'string');
  if (!strings || !kindOk || !listOk) return undefined;
  return value as VerifiedRecord;
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
}
