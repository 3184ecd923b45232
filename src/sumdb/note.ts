/**
 * Signed notes, the format of golang.org/x/mod/sumdb/note (note.go): a UTF-8 text
 * ending in "\n", a blank line, then signature lines `— <name> <base64(keyhash4 || sig)>`.
 * Keys are `name+hash+base64(0x01 || key)` with hash = first 4 bytes (big-endian) of
 * SHA256(name + "\n" + 0x01 || key); 0x01 is Ed25519, the only algorithm defined.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  randomBytes,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { SumdbError, UnknownVerifierError, hex8 } from './errors.js';
import { decodeBase64Std } from './tlog-hash.js';
import { decodeUtf8, hasControl } from './tlog-note.js';

/** Verifier checks signatures of one key; `key` is its encoded verifier key. */
export interface Verifier {
  readonly name: string;
  readonly keyHash: number;
  readonly key: string;
  verify(msg: Uint8Array, sig: Uint8Array): boolean;
}

/** Signer signs with one key; `keyHash` matches its verifier's. */
export interface Signer {
  readonly name: string;
  readonly keyHash: number;
  sign(msg: Uint8Array): Uint8Array;
}

/** Signature is one parsed signature line. */
export interface Signature {
  readonly name: string;
  readonly keyHash: number;
  readonly base64: string;
}

/** Note is an opened note: its text, the signatures that verified, and those by unknown keys. */
export interface Note {
  readonly text: string;
  readonly sigs: readonly Signature[];
  readonly unverifiedSigs: readonly Signature[];
}

const ALG_ED25519 = 0x01;
const SIG_PREFIX = '\u2014 ';
const MAX_SIGNATURES = 100;
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

/** isValidKeyName: non-empty, no Unicode white space, no '+', well-formed (x/mod note.go isValidName). */
export function isValidKeyName(name: string): boolean {
  return (
    name !== '' && !/\p{White_Space}/u.test(name) && !name.includes('+') && !/\p{Cs}/u.test(name)
  );
}

/** keyHash is the first 4 bytes, big-endian, of SHA256(name + "\n" + key) (x/mod note.go keyHash). */
export function keyHash(name: string, key: Uint8Array): number {
  return createHash('sha256').update(name).update('\n').update(key).digest().readUInt32BE(0);
}

/** parseVerifierKey parses `name+hash+base64(0x01 || pub32)` (x/mod note.go NewVerifier). */
export function parseVerifierKey(vkey: string): Verifier {
  const { name, hash, key } = splitKey(vkey, 'verifier');
  const pub = ed25519Key(key, vkey);
  const publicKey = createPublicKey({
    key: Buffer.concat([SPKI_ED25519, pub]),
    format: 'der',
    type: 'spki',
  });
  return {
    name,
    keyHash: hash,
    key: vkey,
    verify: (msg, sig) => sig.length === 64 && verify(null, msg, publicKey, sig),
  };
}

/** parseSignerKey parses `PRIVATE+KEY+name+hash+base64(0x01 || seed32)` (x/mod note.go NewSigner). */
export function parseSignerKey(skey: string): Signer {
  if (!skey.startsWith('PRIVATE+KEY+'))
    throw new SumdbError('KEY_MALFORMED', 'malformed signer key');
  const { name, hash, key } = splitKey(skey.slice('PRIVATE+KEY+'.length), 'signer');
  const seed = ed25519Key(key, 'signer key');
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  // The key hash is of the public key, so it is checked after deriving it.
  const pub = Buffer.concat([Uint8Array.of(ALG_ED25519), rawPublic(privateKey)]);
  if (keyHash(name, pub) !== hash)
    throw new SumdbError('KEY_HASH_MISMATCH', `signer key hash does not match ${name}`);
  return { name, keyHash: hash, sign: (msg) => new Uint8Array(sign(null, msg, privateKey)) };
}

/** generateKey makes a new Ed25519 key pair for `name` and returns both encoded keys (x/mod note.go GenerateKey). */
export function generateKey(name: string): { signerKey: string; verifierKey: string } {
  if (!isValidKeyName(name))
    throw new SumdbError('KEY_MALFORMED', `invalid key name ${JSON.stringify(name)}`);
  const seed = randomBytes(32);
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const pub = Buffer.concat([Uint8Array.of(ALG_ED25519), rawPublic(privateKey)]);
  const hash = hex8(keyHash(name, pub));
  const priv = Buffer.concat([Uint8Array.of(ALG_ED25519), seed]);
  return {
    signerKey: `PRIVATE+KEY+${name}+${hash}+${priv.toString('base64')}`,
    verifierKey: `${name}+${hash}+${pub.toString('base64')}`,
  };
}

function rawPublic(privateKey: KeyObject): Buffer {
  return createPublicKey(privateKey)
    .export({ format: 'der', type: 'spki' })
    .subarray(SPKI_ED25519.length);
}

function splitKey(s: string, what: string): { name: string; hash: number; key: Uint8Array } {
  const i = s.indexOf('+');
  const j = i < 0 ? -1 : s.indexOf('+', i + 1);
  const name = i < 0 ? s : s.slice(0, i);
  const hash16 = i < 0 ? '' : s.slice(i + 1, j < 0 ? undefined : j);
  const key = j < 0 ? undefined : decodeBase64Std(s.slice(j + 1));
  if (
    !/^[0-9a-fA-F]{8}$/.test(hash16) || // strconv.ParseUint(hash16, 16, 32)
    key === undefined ||
    key.length === 0 ||
    !isValidKeyName(name)
  ) {
    throw new SumdbError('KEY_MALFORMED', `malformed ${what} key`);
  }
  const hash = Number.parseInt(hash16, 16);
  if (what === 'verifier' && keyHash(name, key) !== hash) {
    throw new SumdbError('KEY_HASH_MISMATCH', `verifier key hash ${hash16} does not match ${name}`);
  }
  return { name, hash, key };
}

function ed25519Key(key: Uint8Array, what: string): Uint8Array {
  if (key[0] !== ALG_ED25519)
    throw new SumdbError('KEY_ALGORITHM', `unknown key algorithm in ${what}`);
  if (key.length !== 33)
    throw new SumdbError('KEY_MALFORMED', `malformed ${what}: want 32-byte Ed25519 key`);
  return key.subarray(1);
}

/** Verifiers finds the one trusted verifier for a name and key hash. */
export class Verifiers {
  constructor(private readonly list: readonly Verifier[]) {}

  /** find returns the verifier, throws UnknownVerifierError if none, KEY_AMBIGUOUS if several (x/mod VerifierList). */
  find(name: string, hash: number): Verifier {
    const found = this.list.filter((v) => v.name === name && v.keyHash === hash);
    const [v] = found;
    if (v === undefined) throw new UnknownVerifierError(name, hash);
    if (found.length > 1)
      throw new SumdbError('KEY_AMBIGUOUS', `ambiguous key ${name}+${hex8(hash)}`);
    return v;
  }
}

/**
 * openNote parses a signed note and verifies its signatures (x/mod note.go Open):
 * the message must be UTF-8 without control characters but \n; it is split at the
 * last blank line; at most 100 signatures; signatures by unknown keys are kept
 * aside; a known key whose signature fails is NOTE_BAD_SIGNATURE; no verified
 * signature at all is NOTE_UNVERIFIED. The message is attacker-controlled.
 */
export function openNote(msg: string | Uint8Array, known: Verifiers): Note {
  const { text, lines } = splitNote(msg);
  const textBytes = Buffer.from(text, 'utf8');
  const sigs: Signature[] = [];
  const unverified: Signature[] = [];
  const seen = new Set<string>();
  for (const line of lines) {
    const { sig, raw } = parseSignatureLine(line);
    const v = findOrUndefined(known, sig);
    if (v === undefined) {
      // Unknown keys are skipped, as x/mod does; identical lines are kept once.
      if (!seen.has(line)) unverified.push(sig);
      seen.add(line);
      continue;
    }
    const id = `${sig.name}+${sig.keyHash}`;
    if (seen.has(id)) continue;
    seen.add(id);
    if (!v.verify(textBytes, raw)) {
      const key = `${sig.name}+${hex8(sig.keyHash)}`;
      throw new SumdbError('NOTE_BAD_SIGNATURE', `invalid signature for key ${key}`);
    }
    sigs.push(sig);
  }
  const note = { text, sigs, unverifiedSigs: unverified };
  if (sigs.length === 0) throw new UnverifiedNoteError(note);
  return note;
}

/** splitNote checks the encoding and splits at the last blank line into text and signature lines. */
function splitNote(msg: string | Uint8Array): { text: string; lines: string[] } {
  const s = typeof msg === 'string' ? msg : decodeUtf8(msg);
  if (s === undefined || hasControl(s) || /\p{Cs}/u.test(s)) {
    throw malformed('not UTF-8 text without control characters');
  }
  const split = s.lastIndexOf('\n\n');
  if (split < 0) throw malformed('no signature block');
  const sigBlock = s.slice(split + 2);
  if (sigBlock === '' || !sigBlock.endsWith('\n')) {
    throw malformed('signature block does not end in newline');
  }
  const lines = sigBlock.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) throw malformed(`more than ${MAX_SIGNATURES} signatures`);
  return { text: s.slice(0, split + 1), lines };
}

function findOrUndefined(known: Verifiers, sig: Signature): Verifier | undefined {
  try {
    return known.find(sig.name, sig.keyHash);
  } catch (err) {
    if (err instanceof UnknownVerifierError) return undefined;
    throw err;
  }
}

/** UnverifiedNoteError: a well-formed note that no trusted key signed; the note is kept for reporting. */
export class UnverifiedNoteError extends SumdbError {
  constructor(readonly note: Note) {
    const signers = note.unverifiedSigs.map((s) => `${s.name}+${hex8(s.keyHash)}`).join(', ');
    super(
      'NOTE_UNVERIFIED',
      `note has no verifiable signatures (signed by: ${signers || 'nobody'})`,
    );
  }
}

function parseSignatureLine(line: string): { sig: Signature; raw: Uint8Array } {
  if (!line.startsWith(SIG_PREFIX)) throw malformed('signature line does not start with "— "');
  const rest = line.slice(SIG_PREFIX.length);
  const sp = rest.indexOf(' ');
  const name = sp < 0 ? rest : rest.slice(0, sp);
  const b64 = sp < 0 ? '' : rest.slice(sp + 1);
  const data = decodeBase64Std(b64);
  if (data === undefined || b64 === '' || data.length < 5 || !isValidKeyName(name)) {
    throw malformed('bad signature line');
  }
  const keyHashValue = Buffer.from(data).readUInt32BE(0);
  return { sig: { name, keyHash: keyHashValue, base64: b64 }, raw: data.subarray(4) };
}

function malformed(why: string): SumdbError {
  return new SumdbError('NOTE_MALFORMED', `malformed note: ${why}`);
}

/** signNote signs text (which must end in "\n") with each signer and returns the encoded note (x/mod note.go Sign). */
export function signNote(text: string, signers: readonly Signer[]): string {
  if (!text.endsWith('\n')) throw malformed('text does not end in newline');
  const msg = Buffer.from(text, 'utf8');
  const lines = signers.map((s) => {
    if (!isValidKeyName(s.name)) throw new SumdbError('KEY_MALFORMED', 'invalid signer');
    const head = Buffer.alloc(4);
    head.writeUInt32BE(s.keyHash >>> 0);
    return `${SIG_PREFIX}${s.name} ${Buffer.concat([head, s.sign(msg)]).toString('base64')}\n`;
  });
  return `${text}\n${lines.join('')}`;
}
