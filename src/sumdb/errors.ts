import { ModguardError, type ErrorKind, type ModguardErrorOptions } from '../errors.js';

/**
 * SumdbCode names every way reading or checking a checksum database can fail.
 * Callers branch on the code, never on message text.
 */
export type SumdbCode =
  // malformed input (kind 'invalid')
  | 'NOTE_MALFORMED'
  | 'KEY_MALFORMED'
  | 'KEY_HASH_MISMATCH'
  | 'KEY_ALGORITHM'
  | 'KEY_AMBIGUOUS'
  | 'TREE_MALFORMED'
  | 'TREE_TOO_LARGE'
  | 'RECORD_MALFORMED'
  | 'TILE_PATH_MALFORMED'
  | 'TILE_MALFORMED'
  | 'PROOF_MALFORMED'
  | 'HASH_MALFORMED'
  | 'LOOKUP_MALFORMED'
  | 'STATE_INVALID'
  // evidence failed verification (kind 'verification')
  | 'NOTE_UNVERIFIED'
  | 'NOTE_BAD_SIGNATURE'
  | 'TILE_INCONSISTENT'
  | 'RECORD_MISMATCH'
  | 'RECORD_NOT_IN_TREE'
  | 'PROOF_FAILED'
  | 'CHECKPOINT_ORIGIN'
  | 'SUMDB_FORK'
  // the database could not answer (kind 'unavailable')
  | 'NOT_FOUND'
  | 'UNAVAILABLE'
  | 'STATE_CONFLICT';

const kindOf: Record<SumdbCode, ErrorKind> = {
  NOTE_MALFORMED: 'invalid',
  KEY_MALFORMED: 'invalid',
  KEY_HASH_MISMATCH: 'invalid',
  KEY_ALGORITHM: 'invalid',
  KEY_AMBIGUOUS: 'invalid',
  TREE_MALFORMED: 'invalid',
  TREE_TOO_LARGE: 'invalid',
  RECORD_MALFORMED: 'invalid',
  TILE_PATH_MALFORMED: 'invalid',
  TILE_MALFORMED: 'invalid',
  PROOF_MALFORMED: 'invalid',
  HASH_MALFORMED: 'invalid',
  LOOKUP_MALFORMED: 'invalid',
  STATE_INVALID: 'invalid',
  NOTE_UNVERIFIED: 'verification',
  NOTE_BAD_SIGNATURE: 'verification',
  TILE_INCONSISTENT: 'verification',
  RECORD_MISMATCH: 'verification',
  RECORD_NOT_IN_TREE: 'verification',
  PROOF_FAILED: 'verification',
  CHECKPOINT_ORIGIN: 'verification',
  SUMDB_FORK: 'verification',
  NOT_FOUND: 'unavailable',
  UNAVAILABLE: 'unavailable',
  STATE_CONFLICT: 'unavailable',
};

/** SumdbError is every error raised on purpose by src/sumdb; `kind` follows from `code`. */
export class SumdbError extends ModguardError {
  declare readonly code: SumdbCode;

  constructor(code: SumdbCode, message: string, options?: ModguardErrorOptions) {
    super(code, kindOf[code], message, options);
  }
}

/**
 * UnknownVerifierError reports a signature (or a key lookup) by a name and key hash
 * that no trusted verifier holds, as x/mod/sumdb/note's UnknownVerifierError does.
 */
export class UnknownVerifierError extends SumdbError {
  constructor(
    readonly keyName: string,
    readonly keyHash: number,
  ) {
    super('NOTE_UNVERIFIED', `unknown key ${keyName}+${hex8(keyHash)}`);
  }
}

/**
 * SumdbForkError reports two signed tree heads that cannot both be true: the newer
 * tree does not contain the older one. Both notes are kept as evidence (x/mod
 * sumdb/client.go checkTrees: "SECURITY ERROR ... server misbehavior detected").
 */
export class SumdbForkError extends SumdbError {
  constructor(
    readonly olderNote: string,
    readonly newerNote: string,
    detail: string,
  ) {
    super(
      'SUMDB_FORK',
      `SECURITY ERROR: checksum database server misbehavior detected: ${detail}\n` +
        `old database:\n\t${indent(olderNote)}\nnew database:\n\t${indent(newerNote)}`,
    );
  }
}

/**
 * StoredHeadError reports a stored newest tree head (`path`) that does not open with the
 * trusted key: a bad signature, another key of the same name, not a tree note at all.
 * x/mod sumdb/client.go fails every lookup with it ("initializing sumdb.Client: reading
 * tree note: …") until the file is fixed, and so does SumdbClient. It is the local
 * state that is refused (kind 'invalid'), not the database's answer, and reading again
 * cannot help: the message says what the file is for and what removing it costs. It is
 * kept under MAX_QUOTED (src/check/findings.ts) for a short path and cause, since a
 * finding quotes it whole.
 */
export class StoredHeadError extends SumdbError {
  constructor(
    readonly path: string,
    readonly keyName: string,
    cause: SumdbError,
  ) {
    super(
      'STATE_INVALID',
      `the stored tree head ${path} does not verify: ${cause.message}. It is modguard's ` +
        'record of the newest tree it verified, kept to detect a forked or rolled-back log: ' +
        'nothing is looked up until it verifies, and it is left as it is. Inspect it (edited? ' +
        `signed by another key named ${keyName}?); removing it makes modguard trust the ` +
        "database's current tree head, discarding that record.",
      { cause },
    );
  }
}

/** hex8 renders a key hash as Go's %08x does. */
export function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

function indent(s: string): string {
  return s.replaceAll('\n', '\n\t');
}
