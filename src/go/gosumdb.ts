/**
 * GOSUMDB values: Go 1.19 cmd/go/internal/modfetch/sumdb.go dbDial and key.go, with the
 * verifier key syntax of golang.org/x/mod/sumdb/note NewVerifier (GO-FACTS §4, §5).
 */
import { createHash } from 'node:crypto';
import { GoError, quote } from './errors.js';
import { goURLProblem } from './goproxy.js';
import { fields, hasControlChar, isGoSpace, isValidUtf8 } from './strings.js';

/** SUM_GOLANG_ORG_KEY is the built-in verifier key for sum.golang.org (G/modfetch/key.go). */
export const SUM_GOLANG_ORG_KEY =
  'sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8';

const KNOWN_GOSUMDB = new Map([['sum.golang.org', SUM_GOLANG_ORG_KEY]]);

/**
 * SumdbConfig is a parsed GOSUMDB: off, or the database name, its verifier key, and an
 * explicit URL that bypasses proxies (absent: https://<name> or a proxy that supports it).
 */
export type SumdbConfig =
  | { readonly off: true }
  | { readonly off?: false; readonly name: string; readonly key: string; readonly url?: string };

function invalid(message: string): GoError {
  return new GoError('GOSUMDB_SYNTAX', message);
}

/**
 * parseGoSumdb parses GOSUMDB (sumdb.go dbDial): "off"; "sum.golang.google.cn" (an
 * alias for "sum.golang.org https://sum.golang.google.cn"); otherwise one or two
 * fields, a known name or a full `name+hash+key` verifier key, then an optional URL.
 * Throws GoError GOSUMDB_SYNTAX.
 */
export function parseGoSumdb(value: string): SumdbConfig {
  if (value === 'off') return { off: true };
  const gosumdb =
    value === 'sum.golang.google.cn' ? 'sum.golang.org https://sum.golang.google.cn' : value;
  const f = fields(gosumdb);
  const [first, url] = f;
  if (first === undefined) throw invalid('missing GOSUMDB');
  if (f.length > 2) throw invalid('invalid GOSUMDB: too many fields');
  const key = KNOWN_GOSUMDB.get(first) ?? first;
  const name = verifierKeyName(key);
  checkDatabaseName(name);
  if (url === undefined) return { name, key };
  if (hasControlChar(url)) throw invalid('invalid GOSUMDB URL: invalid control character in URL');
  return { name, key, url };
}

/**
 * verifierKeyName checks a note verifier key `name+hash+base64(0x01‖pub32)` (note.go
 * NewVerifier) and returns its name: hash is 8 hex digits equal to the first 4 bytes
 * of SHA-256(name + "\n" + key bytes), and the algorithm byte is 1 (Ed25519).
 */
export function verifierKeyName(vkey: string): string {
  const [name = '', hash16 = '', ...rest] = vkey.split('+');
  const key64 = rest.join('+');
  const key = decodeBase64Std(key64);
  if (
    hash16.length !== 8 ||
    !/^[0-9a-fA-F]{8}$/.test(hash16) ||
    key === undefined ||
    !isValidName(name) ||
    key.length === 0
  ) {
    throw invalid(`invalid GOSUMDB: malformed verifier id ${quote(vkey)}`);
  }
  const digest = createHash('sha256').update(`${name}\n`).update(key).digest();
  if (digest.readUInt32BE(0) !== Number.parseInt(hash16, 16)) {
    throw invalid(`invalid GOSUMDB: invalid verifier hash in ${quote(vkey)}`);
  }
  if (key[0] !== 1) throw invalid(`invalid GOSUMDB: unknown verifier algorithm in ${quote(vkey)}`);
  if (key.length !== 33) throw invalid(`invalid GOSUMDB: malformed verifier id ${quote(vkey)}`);
  return name;
}

/** isValidName is note.go isValidName: non-empty UTF-8 without spaces or "+". */
function isValidName(name: string): boolean {
  if (name === '' || !isValidUtf8(name) || name.includes('+')) return false;
  for (const ch of name) if (isGoSpace(ch.codePointAt(0) ?? 0)) return false;
  return true;
}

/** decodeBase64Std decodes padded standard base64 strictly, or returns undefined. */
function decodeBase64Std(s: string): Uint8Array | undefined {
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return undefined;
  return Uint8Array.from(Buffer.from(s, 'base64'));
}

/**
 * checkDatabaseName is dbDial's "no funny business" rule: "https://" + name must parse
 * to exactly a host and an unescaped path, with no trailing slash.
 */
function checkDatabaseName(name: string): void {
  const bad = (): never => {
    throw invalid(`invalid sumdb name (must be host[/path]): ${name}`);
  };
  if (
    name.endsWith('/') ||
    !/^[A-Za-z0-9.\-_~:[\]]+(\/[A-Za-z0-9.\-_~!$&'()*+,;=:@/]*)?$/.test(name)
  )
    bad();
  const slash = name.indexOf('/');
  const host = slash >= 0 ? name.slice(0, slash) : name;
  if (host === '' || goURLProblem(`https://${name}`) !== undefined) bad();
}
