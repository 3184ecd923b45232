/**
 * Text formats of a tiled log: the tree note a checksum database signs
 * (x/mod/sumdb/tlog/note.go FormatTree/ParseTree), the c2sp.org/tlog-checkpoint body
 * it generalises, and the record framing of /lookup responses (FormatRecord/ParseRecord).
 */
import { SumdbError } from './errors.js';
import {
  MAX_TREE_SIZE,
  checkTreeSize,
  formatHash,
  parseDecimal,
  parseHash,
  type Hash,
} from './tlog-hash.js';
import type { Tree } from './tlog-tile-reader.js';

/** GO_SUMDB_ORIGIN is the fixed first line of a Go checksum database tree note. */
export const GO_SUMDB_ORIGIN = 'go.sum database tree';

/** Checkpoint is a parsed tree head body: origin line, size, root hash, and extension lines. */
export interface Checkpoint extends Tree {
  readonly origin: string;
  readonly extensions: readonly string[];
}

/** formatTree renders `go.sum database tree\nN\nbase64(hash)\n` (x/mod tlog/note.go FormatTree). */
export function formatTree(tree: Tree): string {
  return formatCheckpoint({ origin: GO_SUMDB_ORIGIN, n: tree.n, hash: tree.hash, extensions: [] });
}

/** parseTree parses a Go sumdb tree note text; lines after the hash are ignored, as Go does. */
export function parseTree(text: string): Tree {
  const cp = parseCheckpoint(text);
  if (cp.origin !== GO_SUMDB_ORIGIN) {
    throw new SumdbError('TREE_MALFORMED', `tree note does not start with "${GO_SUMDB_ORIGIN}"`);
  }
  return { n: cp.n, hash: cp.hash };
}

/** formatCheckpoint renders a c2sp.org/tlog-checkpoint body: origin, size, root hash, extension lines. */
export function formatCheckpoint(cp: Checkpoint): string {
  checkTreeSize(cp.n, 'tree size');
  if (cp.origin === '' || cp.origin.includes('\n'))
    throw new SumdbError('TREE_MALFORMED', 'bad origin');
  const ext = cp.extensions.map((e) => `${e}\n`).join('');
  return `${cp.origin}\n${cp.n}\n${formatHash(cp.hash)}\n${ext}`;
}

/**
 * parseCheckpoint parses a checkpoint body (c2sp.org/tlog-checkpoint): a non-empty
 * origin line, a canonical decimal size, a base64 SHA-256 root, then optional
 * non-empty extension lines. Sizes are attacker-controlled: bounded by MAX_TREE_SIZE.
 */
export function parseCheckpoint(text: string): Checkpoint {
  const lines = text.split('\n');
  const [origin, size, hash] = lines;
  if (
    origin === undefined ||
    size === undefined ||
    hash === undefined ||
    lines.length < 4 ||
    origin === ''
  ) {
    throw new SumdbError('TREE_MALFORMED', 'malformed tree note: want origin, size and hash lines');
  }
  // Lines after the hash are extensions; like Go's ParseTree, trailing text is ignored.
  const extensions = lines.slice(3, -1);
  return {
    origin,
    n: parseDecimal(size, 'TREE_MALFORMED'),
    hash: parseHash(hash, 'TREE_MALFORMED'),
    extensions,
  };
}

/** formatRecord frames a record for a /lookup response: `id\ntext\n` (x/mod tlog/note.go FormatRecord). */
export function formatRecord(id: number, text: Uint8Array): Uint8Array {
  checkTreeSize(id, 'record id');
  if (!isValidRecordText(text)) throw new SumdbError('RECORD_MALFORMED', 'malformed record data');
  return Buffer.concat([Buffer.from(`${id}\n`), text, Buffer.from('\n')]);
}

/** ParsedRecord is a /lookup response split into record id, record text and the rest (the signed tree note). */
export interface ParsedRecord {
  readonly id: number;
  readonly text: Uint8Array;
  readonly rest: Uint8Array;
}

/** parseRecord splits `id\ntext\n\nrest` (x/mod tlog/note.go ParseRecord); text must be valid record text. */
export function parseRecord(msg: Uint8Array): ParsedRecord {
  const nl = msg.indexOf(0x0a);
  if (nl < 0) throw new SumdbError('RECORD_MALFORMED', 'malformed record data: no id line');
  const id = parseRecordId(Buffer.from(msg.subarray(0, nl)).toString('latin1'));
  const body = msg.subarray(nl + 1);
  const end = Buffer.from(body.buffer, body.byteOffset, body.length).indexOf('\n\n');
  if (end < 0)
    throw new SumdbError('RECORD_MALFORMED', 'malformed record data: no blank line after text');
  const text = body.slice(0, end + 1);
  if (!isValidRecordText(text)) throw new SumdbError('RECORD_MALFORMED', 'malformed record data');
  return { id, text, rest: body.slice(end + 2) };
}

/**
 * parseRecordId reads a lookup's record id as x/mod ParseRecord does, with
 * strconv.ParseInt(s, 10, 64): an optional `+` or `-`, then ASCII digits (leading zeros
 * allowed, no `_`, no spaces), within int64; anything else is RECORD_MALFORMED. The id is
 * attacker-controlled: one above MAX_TREE_SIZE, which no tree modguard accepts can hold,
 * is TREE_TOO_LARGE (Go fails it later: "cannot validate record"). A negative id is
 * returned as is (exact down to -2^53); the client proves it as Go does (client.ts
 * checkRecord).
 */
function parseRecordId(s: string): number {
  const malformed = () =>
    new SumdbError('RECORD_MALFORMED', `malformed record id ${JSON.stringify(s.slice(0, 40))}`);
  const sign = s[0] === '+' || s[0] === '-' ? s[0] : '';
  let start = sign.length;
  if (start === s.length) throw malformed();
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) throw malformed();
  }
  while (start < s.length - 1 && s[start] === '0') start++;
  const digits = s.slice(start);
  if (digits.length > 19) throw malformed();
  const id = BigInt(`${sign === '-' ? '-' : ''}${digits}`);
  if (id > INT64_MAX || id < -INT64_MAX - 1n) throw malformed();
  if (id > BigInt(MAX_TREE_SIZE)) {
    throw new SumdbError('TREE_TOO_LARGE', `record id ${id} exceeds the limit ${MAX_TREE_SIZE}`);
  }
  return Number(id);
}

const INT64_MAX = (1n << 63n) - 1n;

/** isValidRecordText: UTF-8, no control characters but \n, no blank lines, ends in \n (x/mod isValidRecordText). */
export function isValidRecordText(text: Uint8Array): boolean {
  const s = decodeUtf8(text);
  if (s === undefined || !s.endsWith('\n') || s.includes('\n\n')) return false;
  return !hasControl(s);
}

/** decodeUtf8 decodes strict UTF-8, returning undefined on any invalid sequence. */
export function decodeUtf8(data: Uint8Array): string | undefined {
  try {
    return utf8.decode(data);
  } catch {
    return undefined;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** hasControl reports a control character other than \n (code points below 0x20). */
export function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 && c !== 0x0a) return true;
  }
  return false;
}

export type { Hash };
