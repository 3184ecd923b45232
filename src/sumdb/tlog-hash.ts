import { createHash, hash as sha256Once, timingSafeEqual } from 'node:crypto';
import { SumdbError, type SumdbCode } from './errors.js';

/** HASH_SIZE is the size of a SHA-256 hash, the only hash tlog uses (RFC 6962 §2.1). */
export const HASH_SIZE = 32;

/** Hash is a 32-byte SHA-256 value; treat it as immutable. */
export type Hash = Uint8Array;

/**
 * MAX_TREE_SIZE bounds every tree size and record index modguard accepts.
 * Sizes and indices arrive from the network (attacker-controlled), and the tlog
 * index math needs about 2·N, so plain Numbers stay exact while N ≤ 2^50
 * (sum.golang.org holds fewer than 2^27 records); anything larger is refused
 * with TREE_TOO_LARGE instead of computing with inexact numbers.
 */
export const MAX_TREE_SIZE = 2 ** 50;

/** recordHash returns the leaf hash of a record: SHA256(0x00 || data) (RFC 6962 §2.1; x/mod tlog.go RecordHash). */
export function recordHash(data: Uint8Array): Hash {
  return createHash('sha256').update(LEAF_PREFIX).update(data).digest();
}

/** nodeHash returns the interior hash SHA256(0x01 || left || right) (RFC 6962 §2.1; x/mod tlog.go NodeHash). */
export function nodeHash(left: Hash, right: Hash): Hash {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE)
    throw new Error('nodeHash: hashes must be 32 bytes');
  scratch.set(left, 1);
  scratch.set(right, 1 + HASH_SIZE);
  return sha256Once('sha256', scratch, 'buffer');
}

const scratch = new Uint8Array(1 + 2 * HASH_SIZE);
scratch[0] = 0x01;

const LEAF_PREFIX = Uint8Array.of(0x00);

/** hashEqual compares two hashes in constant time (for equal lengths). */
export function hashEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** formatHash renders a hash in standard base64, as x/mod's Hash.String does. */
export function formatHash(h: Hash): string {
  return Buffer.from(h).toString('base64');
}

/** parseHash decodes a standard-base64 hash of exactly 32 bytes (x/mod tlog.go ParseHash). */
export function parseHash(s: string, code: SumdbCode = 'HASH_MALFORMED'): Hash {
  const data = decodeBase64Std(s);
  if (data === undefined || data.length !== HASH_SIZE) {
    throw new SumdbError(code, `malformed hash ${JSON.stringify(s.slice(0, 60))}`);
  }
  return data;
}

/**
 * decodeBase64Std decodes padded standard base64 as Go's base64.StdEncoding does
 * (x/mod's tlog.ParseHash and note.Open use it): only the alphabet, `=` only as the
 * padding of the last quantum, length a multiple of 4; the unused bits of the last
 * character are ignored, as Go ignores them (a relay may re-encode a signature line,
 * which no signature covers). Anything else is undefined: Node's own decoder skips junk
 * silently, a security tool must not. Unlike Go, CR and LF are refused, not skipped.
 */
export function decodeBase64Std(s: string): Uint8Array | undefined {
  if (s.length % 4 !== 0) return undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const pad = c === 0x3d && i >= s.length - 2;
    if (!isBase64Char(c) && !pad) return undefined;
  }
  if (s.charCodeAt(s.length - 2) === 0x3d && s.charCodeAt(s.length - 1) !== 0x3d) return undefined;
  return new Uint8Array(Buffer.from(s, 'base64'));
}

function isBase64Char(c: number): boolean {
  return (
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x2b ||
    c === 0x2f
  );
}

/**
 * parseDecimal parses a canonical non-negative decimal (no sign, no leading zeros)
 * no larger than max; input is attacker-controlled, so anything else throws `code`.
 */
export function parseDecimal(s: string, code: SumdbCode, max = MAX_TREE_SIZE): number {
  const canonical = s === '0' || (s.length > 0 && s.length <= 20 && /^[1-9][0-9]*$/.test(s));
  if (!canonical) throw new SumdbError(code, `malformed number ${JSON.stringify(s.slice(0, 40))}`);
  const n = Number(s);
  if (n > max) throw new SumdbError('TREE_TOO_LARGE', `number ${s} exceeds the limit ${max}`);
  return n;
}

/** checkTreeSize refuses a tree size or index that is not an integer in [0, MAX_TREE_SIZE]. */
export function checkTreeSize(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_TREE_SIZE) {
    throw new SumdbError('TREE_TOO_LARGE', `${what} ${n} is not an integer in [0, 2^50]`);
  }
}
