import { createHash, hash } from 'node:crypto';
import { isValidUtf8 } from '../go/strings.js';
import { ZipError } from './errors.js';

/**
 * FileDigest is one input line of Hash1: a file name (UTF-8 bytes, or a string that
 * is encoded as UTF-8) and the SHA-256 of its content, as bytes or as lowercase hex
 * (sha256Hex: the form the line needs).
 */
export interface FileDigest {
  readonly name: string | Uint8Array;
  readonly digest: Uint8Array | string;
}

/** OpenFile gives the content of a named file as a stream of chunks. */
export type OpenFile = (name: string) => AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

const utf8 = new TextEncoder();
const NEWLINE = 0x0a;
const SPACE = 0x20;
const HEX_LEN = 64;
const HEX_DIGEST = /^[0-9a-f]{64}$/;

/**
 * hash1FromDigests is dirhash.Hash1 (x/mod sumdb/dirhash/hash.go:44; GO-FACTS §1) over
 * precomputed file digests: "as if by find . -type f | sort | sha256sum". Names are
 * sorted by their UTF-8 bytes (Go's sort.Strings, not JavaScript's UTF-16 order); a
 * name containing "\n" is refused; each file contributes the line
 * `hex(sha256(content)) + "  " + name + "\n"`; the result is "h1:" and the standard
 * padded base64 of the SHA-256 of all lines. Duplicate names contribute one line each.
 */
export function hash1FromDigests(files: Iterable<FileDigest>): string {
  const lines: { name: Uint8Array; hex: string }[] = [];
  for (const f of files) lines.push({ name: nameBytes(f.name), hex: hexOf(f.digest) });
  lines.sort((a, b) => Buffer.compare(a.name, b.name));
  let size = 0;
  for (const { name } of lines) {
    // Checked in sorted order, as Go does: the error names the first such name.
    if (name.includes(NEWLINE)) {
      throw new ZipError('HASH_NAME_NEWLINE', 'file name contains a newline', printable(name));
    }
    size += HEX_LEN + 3 + name.length;
  }
  // The summary is small (about 100 bytes a file): built whole, it is hashed in one call.
  const summary = Buffer.allocUnsafe(size);
  let at = 0;
  for (const { name, hex } of lines) {
    at += summary.write(hex, at, 'latin1');
    summary[at++] = SPACE;
    summary[at++] = SPACE;
    summary.set(name, at);
    at += name.length;
    summary[at++] = NEWLINE;
  }
  return 'h1:' + hash('sha256', summary, 'base64');
}

/** sha256Hex is the lowercase hex SHA-256 of bytes, in one call (the form a Hash1 line takes). */
export function sha256Hex(content: Uint8Array): string {
  return hash('sha256', content, 'hex');
}

/** hexOf is a digest as its line holds it: 64 lowercase hex digits, whichever form it came in. */
function hexOf(digest: Uint8Array | string): string {
  const hex =
    typeof digest === 'string'
      ? digest
      : Buffer.from(digest.buffer, digest.byteOffset, digest.length).toString('hex');
  if (!HEX_DIGEST.test(hex)) throw new Error(`not a SHA-256 digest: ${JSON.stringify(hex)}`);
  return hex;
}

/**
 * hash1 is dirhash.Hash1(files, open): it reads each named file through `open`, one
 * chunk at a time (never holding a whole file), and hashes the list as
 * hash1FromDigests does.
 */
export async function hash1(names: readonly string[], open: OpenFile): Promise<string> {
  const digests: FileDigest[] = [];
  for (const name of names) {
    if (name.includes('\n')) {
      throw new ZipError('HASH_NAME_NEWLINE', 'file name contains a newline', name);
    }
    digests.push({ name, digest: await sha256Chunks(open(name)) });
  }
  return hash1FromDigests(digests);
}

/**
 * hashGoMod is the go.sum `/go.mod` hash: Hash1 over the single file named "go.mod"
 * holding the raw bytes, unnormalized (cmd/go modfetch/fetch.go:585; GO-FACTS §1).
 */
export function hashGoMod(content: Uint8Array): string {
  return hash1FromDigests([{ name: 'go.mod', digest: sha256Hex(content) }]);
}

/** sha256Chunks digests a stream of chunks. */
export async function sha256Chunks(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): Promise<Uint8Array> {
  const h = createHash('sha256');
  for await (const chunk of chunks) h.update(chunk);
  return h.digest();
}

function nameBytes(name: string | Uint8Array): Uint8Array {
  if (typeof name !== 'string') return name;
  if (!isValidUtf8(name)) {
    throw new ZipError('ZIP_INVALID_NAME', 'file name is not valid Unicode', JSON.stringify(name));
  }
  return utf8.encode(name);
}

/** printable renders raw name bytes for an error message. */
export function printable(name: Uint8Array): string {
  return JSON.stringify(Buffer.from(name).toString('utf8'));
}
