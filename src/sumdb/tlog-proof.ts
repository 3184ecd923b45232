/**
 * Offline inclusion proofs in the c2sp.org/tlog-proof@v1 format
 * (https://github.com/C2SP/C2SP/blob/main/tlog-proof.md, read 2026-11):
 *
 *   c2sp.org/tlog-proof@v1
 *   [extra <base64>]            optional, unauthenticated
 *   index <decimal>             zero-based, no leading zeros
 *   <base64 hash>...            RFC 6962 §2.1.1 inclusion proof, leaf's sibling first
 *   <empty line>
 *   <checkpoint>                a signed note, verbatim (c2sp.org/tlog-checkpoint)
 *
 * The checkpoint may also be a Go checksum database tree note, whose first line is
 * "go.sum database tree" instead of the log's origin: verifyTlogProof accepts a
 * checkpoint whose origin is the signing key's name, or that fixed Go origin.
 */
import { SumdbError } from './errors.js';
import { Verifiers, openNote, type Note } from './note.js';
import {
  decodeBase64Std,
  formatHash,
  parseDecimal,
  parseHash,
  recordHash,
  type Hash,
} from './tlog-hash.js';
import { checkRecord, proveRecord, type HashReader } from './tlog.js';
import { GO_SUMDB_ORIGIN, parseCheckpoint, type Checkpoint } from './tlog-note.js';

export const TLOG_PROOF_HEADER = 'c2sp.org/tlog-proof@v1';
const MAX_PROOF_HASHES = 64;

/** TlogProof is a parsed proof; `checkpoint` is the signed note text, still unverified. */
export interface TlogProof {
  readonly extra?: Uint8Array;
  readonly index: number;
  readonly hashes: readonly Hash[];
  readonly checkpoint: string;
}

/** formatTlogProof renders a proof; the checkpoint must be a signed note (it ends in "\n"). */
export function formatTlogProof(p: TlogProof): string {
  if (!p.checkpoint.endsWith('\n'))
    throw new SumdbError('PROOF_MALFORMED', 'checkpoint does not end in newline');
  const extra = p.extra === undefined ? '' : `extra ${Buffer.from(p.extra).toString('base64')}\n`;
  const hashes = p.hashes.map((h) => `${formatHash(h)}\n`).join('');
  return `${TLOG_PROOF_HEADER}\n${extra}index ${p.index}\n${hashes}\n${p.checkpoint}`;
}

/** parseTlogProof parses the format strictly; the text is attacker-controlled. */
export function parseTlogProof(text: string): TlogProof {
  const bad = (why: string) => new SumdbError('PROOF_MALFORMED', `malformed tlog proof: ${why}`);
  const blank = text.indexOf('\n\n');
  if (blank < 0) throw bad('no blank line before the checkpoint');
  const lines = text.slice(0, blank).split('\n');
  const checkpoint = text.slice(blank + 2);
  if (lines.shift() !== TLOG_PROOF_HEADER) throw bad(`first line is not ${TLOG_PROOF_HEADER}`);
  let extra: Uint8Array | undefined;
  if (lines[0]?.startsWith('extra ') === true) {
    extra = decodeBase64Std(lines[0].slice('extra '.length));
    if (extra === undefined) throw bad('extra data is not base64');
    lines.shift();
  }
  const indexLine = lines.shift() ?? '';
  if (!indexLine.startsWith('index ')) throw bad('missing index line');
  const index = parseDecimal(indexLine.slice('index '.length), 'PROOF_MALFORMED');
  if (lines.length > MAX_PROOF_HASHES) throw bad(`more than ${MAX_PROOF_HASHES} proof hashes`);
  const hashes = lines.map((l) => parseHash(l, 'PROOF_MALFORMED'));
  return extra === undefined ? { index, hashes, checkpoint } : { extra, index, hashes, checkpoint };
}

/** VerifiedProof is what a verified proof establishes. */
export interface VerifiedProof {
  readonly index: number;
  readonly checkpoint: Checkpoint;
  readonly note: Note;
}

/**
 * verifyTlogProof checks a proof offline: the checkpoint must be signed by a trusted key,
 * its origin must be that key's name (or the Go sumdb tree origin), and the hashes must
 * prove that leaf SHA256(0x00 || leaf) is at `index` in the checkpointed tree.
 */
export function verifyTlogProof(text: string, known: Verifiers, leaf: Uint8Array): VerifiedProof {
  const proof = parseTlogProof(text);
  const note = openNote(proof.checkpoint, known);
  const checkpoint = parseCheckpoint(note.text);
  const signers = new Set(note.sigs.map((s) => s.name));
  if (checkpoint.origin !== GO_SUMDB_ORIGIN && !signers.has(checkpoint.origin)) {
    throw new SumdbError(
      'CHECKPOINT_ORIGIN',
      `checkpoint origin ${JSON.stringify(checkpoint.origin)} is not the name of a key that signed it`,
    );
  }
  if (proof.index >= checkpoint.n) {
    throw new SumdbError(
      'RECORD_NOT_IN_TREE',
      `index ${proof.index} is not in the tree of size ${checkpoint.n}`,
    );
  }
  checkRecord(proof.hashes, checkpoint.n, checkpoint.hash, proof.index, recordHash(leaf));
  return { index: proof.index, checkpoint, note };
}

/**
 * createTlogProof writes the proof that record `index` is in the tree of `checkpoint`
 * (a signed note whose text is a checkpoint or Go tree note), reading hashes from `r`
 * (for example a tileHashReader over the same tree).
 */
export async function createTlogProof(
  r: HashReader,
  index: number,
  checkpoint: string,
  extra?: Uint8Array,
): Promise<string> {
  const split = checkpoint.lastIndexOf('\n\n');
  const cp = parseCheckpoint(checkpoint.slice(0, split + 1));
  const hashes = await proveRecord(cp.n, index, r);
  return formatTlogProof(
    extra === undefined ? { index, hashes, checkpoint } : { extra, index, hashes, checkpoint },
  );
}
