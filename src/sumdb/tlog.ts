/**
 * Merkle tree math of a transparency log, as x/mod/sumdb/tlog (tlog.go) defines it
 * after RFC 6962 §2.1: stored hash indices, tree hashes, and inclusion
 * ("record") and consistency ("tree") proofs. Pure: hashes come in through a HashReader.
 *
 * Integers are plain Numbers bounded by MAX_TREE_SIZE (2^50, see tlog-hash.ts), and
 * the code never uses JavaScript's 32-bit bit operators on them.
 */
import { SumdbError } from './errors.js';
import { HASH_SIZE, checkTreeSize, hashEqual, nodeHash, type Hash } from './tlog-hash.js';

/** HashReader returns the stored hashes at the given stored-hash indices, in order. */
export interface HashReader {
  readHashes(indexes: readonly number[]): Promise<readonly Hash[]>;
}

/** EMPTY_TREE_HASH is TreeHash(0) as x/mod v0.7.0 (Go 1.19) computes it: 32 zero bytes. */
export const EMPTY_TREE_HASH: Hash = new Uint8Array(HASH_SIZE);

/**
 * storedHashIndex maps the hash of the n-th node at `level` (level 0 = records) to
 * its index in the append-only sequence of stored hashes (x/mod tlog.go StoredHashIndex).
 */
export function storedHashIndex(level: number, n: number): number {
  for (let l = level; l > 0; l--) n = 2 * n + 1;
  let i = 0;
  for (; n > 0; n = Math.floor(n / 2)) i += n;
  return i + level;
}

/** splitStoredHashIndex is the inverse of storedHashIndex (x/mod tlog.go SplitStoredHashIndex). */
export function splitStoredHashIndex(index: number): { level: number; n: number } {
  let n = Math.floor(index / 2);
  let indexN = storedHashIndex(0, n);
  for (;;) {
    const x = indexN + 1 + trailingZeros(n + 1);
    if (x > index) break;
    n++;
    indexN = x;
  }
  const level = index - indexN;
  return { level, n: Math.floor(n / 2 ** level) };
}

/** storedHashCount is the number of stored hashes in a tree of n records (x/mod tlog.go StoredHashCount). */
export function storedHashCount(n: number): number {
  if (n === 0) return 0;
  return storedHashIndex(0, n - 1) + 1 + trailingZeros(n);
}

/**
 * storedHashes returns the hashes to append to the stored-hash sequence when record
 * n (with leaf hash `leaf`) is added: the leaf, then each newly completed parent
 * (x/mod tlog.go StoredHashesForRecordHash). `read` returns an already-stored hash.
 */
export function storedHashes(n: number, leaf: Hash, read: (index: number) => Hash): Hash[] {
  const hashes = [leaf];
  const m = trailingZeros(n + 1);
  let h = leaf;
  for (let i = 0; i < m; i++) {
    h = nodeHash(read(storedHashIndex(i, Math.floor(n / 2 ** i) - 1)), h);
    hashes.push(h);
  }
  return hashes;
}

/** treeHash computes the root hash of the tree of the first n records (x/mod tlog.go TreeHash). */
export async function treeHash(n: number, r: HashReader): Promise<Hash> {
  checkTreeSize(n, 'tree size');
  if (n === 0) return EMPTY_TREE_HASH;
  const indexes = subTreeIndex(0, n, []);
  const cursor = new Cursor(await readExactly(r, indexes));
  const h = subTreeHash(0, n, cursor);
  cursor.done();
  return h;
}

/** subTreeIndex lists the stored hashes needed to compute the hash of records [lo, hi). */
export function subTreeIndex(lo: number, hi: number, need: number[]): number[] {
  while (lo < hi) {
    const { k, level } = maxpow2(hi - lo + 1);
    need.push(storedHashIndex(level, lo / k));
    lo += k;
  }
  return need;
}

/** rootFromSubtrees folds the complete-subtree hashes of [0, n), left to right, into a root hash. */
export function rootFromSubtrees(hashes: readonly Hash[]): Hash {
  const last = hashes[hashes.length - 1];
  if (last === undefined) throw new SumdbError('PROOF_MALFORMED', 'no subtree hashes');
  let h = last;
  for (let i = hashes.length - 2; i >= 0; i--) h = nodeHash(at(hashes, i), h);
  return h;
}

function subTreeHash(lo: number, hi: number, c: Cursor): Hash {
  const parts: Hash[] = [];
  while (lo < hi) {
    lo += maxpow2(hi - lo + 1).k;
    parts.push(c.next());
  }
  return rootFromSubtrees(parts);
}

/** proveRecord returns the inclusion proof of record n in the tree of size t (x/mod tlog.go ProveRecord). */
export async function proveRecord(t: number, n: number, r: HashReader): Promise<Hash[]> {
  checkInputs(n >= 0 && n < t, 'proveRecord', t, n);
  const indexes = leafProofIndex(0, t, n, []);
  const cursor = new Cursor(await readExactly(r, indexes));
  const p = leafProof(0, t, n, cursor);
  cursor.done();
  return p;
}

function leafProofIndex(lo: number, hi: number, n: number, need: number[]): number[] {
  if (lo + 1 === hi) return need;
  const { k } = maxpow2(hi - lo);
  if (n < lo + k) {
    leafProofIndex(lo, lo + k, n, need);
    return subTreeIndex(lo + k, hi, need);
  }
  subTreeIndex(lo, lo + k, need);
  return leafProofIndex(lo + k, hi, n, need);
}

function leafProof(lo: number, hi: number, n: number, c: Cursor): Hash[] {
  if (lo + 1 === hi) return [];
  const { k } = maxpow2(hi - lo);
  if (n < lo + k) {
    const p = leafProof(lo, lo + k, n, c);
    return [...p, subTreeHash(lo + k, hi, c)];
  }
  const th = subTreeHash(lo, lo + k, c);
  return [...leafProof(lo + k, hi, n, c), th];
}

/**
 * checkRecord verifies that `proof` proves record n with leaf hash h is in the tree
 * of size t with root th (x/mod tlog.go CheckRecord; RFC 6962 §2.1.1). Throws PROOF_FAILED.
 */
export function checkRecord(proof: readonly Hash[], t: number, th: Hash, n: number, h: Hash): void {
  checkInputs(n >= 0 && n < t, 'checkRecord', t, n);
  const root = runRecordProof(proof, proof.length, 0, t, n, h);
  if (root === undefined || !hashEqual(root, th)) {
    throw new SumdbError(
      'PROOF_FAILED',
      `invalid inclusion proof for record ${n} in tree of size ${t}`,
    );
  }
}

function runRecordProof(
  p: readonly Hash[],
  len: number,
  lo: number,
  hi: number,
  n: number,
  leaf: Hash,
): Hash | undefined {
  if (lo + 1 === hi) return len === 0 ? leaf : undefined;
  if (len === 0) return undefined;
  const { k } = maxpow2(hi - lo);
  const last = at(p, len - 1);
  if (n < lo + k) {
    const th = runRecordProof(p, len - 1, lo, lo + k, n, leaf);
    return th && nodeHash(th, last);
  }
  const th = runRecordProof(p, len - 1, lo + k, hi, n, leaf);
  return th && nodeHash(last, th);
}

/** proveTree returns the proof that the tree of size n is a prefix of the tree of size t (x/mod tlog.go ProveTree). */
export async function proveTree(t: number, n: number, r: HashReader): Promise<Hash[]> {
  checkInputs(n >= 1 && n <= t, 'proveTree', t, n);
  const indexes = treeProofIndex(0, t, n, []);
  const cursor = new Cursor(await readExactly(r, indexes));
  const p = treeProof(0, t, n, cursor);
  cursor.done();
  return p;
}

function treeProofIndex(lo: number, hi: number, n: number, need: number[]): number[] {
  if (n === hi) return lo === 0 ? need : subTreeIndex(lo, hi, need);
  const { k } = maxpow2(hi - lo);
  if (n <= lo + k) {
    treeProofIndex(lo, lo + k, n, need);
    return subTreeIndex(lo + k, hi, need);
  }
  subTreeIndex(lo, lo + k, need);
  return treeProofIndex(lo + k, hi, n, need);
}

function treeProof(lo: number, hi: number, n: number, c: Cursor): Hash[] {
  if (n === hi) return lo === 0 ? [] : [subTreeHash(lo, hi, c)];
  const { k } = maxpow2(hi - lo);
  if (n <= lo + k) {
    const p = treeProof(lo, lo + k, n, c);
    return [...p, subTreeHash(lo + k, hi, c)];
  }
  const th = subTreeHash(lo, lo + k, c);
  return [...treeProof(lo + k, hi, n, c), th];
}

/**
 * checkTree verifies that `proof` proves the tree of size n with root h is a prefix
 * of the tree of size t with root th (x/mod tlog.go CheckTree; RFC 6962 §2.1.2).
 */
export function checkTree(proof: readonly Hash[], t: number, th: Hash, n: number, h: Hash): void {
  checkInputs(n >= 1 && n <= t, 'checkTree', t, n);
  const r = runTreeProof(proof, proof.length, 0, t, n, h);
  if (r === undefined || !hashEqual(r.th, th) || !hashEqual(r.oh, h)) {
    throw new SumdbError('PROOF_FAILED', `invalid consistency proof from tree ${n} to tree ${t}`);
  }
}

type TreePair = { oh: Hash; th: Hash } | undefined;

function runTreeProof(
  p: readonly Hash[],
  len: number,
  lo: number,
  hi: number,
  n: number,
  old: Hash,
): TreePair {
  if (n === hi) {
    if (lo === 0) return len === 0 ? { oh: old, th: old } : undefined;
    return len === 1 ? { oh: at(p, 0), th: at(p, 0) } : undefined;
  }
  if (len === 0) return undefined;
  const { k } = maxpow2(hi - lo);
  const last = at(p, len - 1);
  if (n <= lo + k) {
    const r = runTreeProof(p, len - 1, lo, lo + k, n, old);
    return r && { oh: r.oh, th: nodeHash(r.th, last) };
  }
  const r = runTreeProof(p, len - 1, lo + k, hi, n, old);
  return r && { oh: nodeHash(last, r.oh), th: nodeHash(last, r.th) };
}

/** maxpow2 returns k, the largest power of two smaller than n, and l = log2(k) (x/mod tlog.go maxpow2). */
export function maxpow2(n: number): { k: number; level: number } {
  let k = 1;
  let level = 0;
  while (2 * k < n) {
    k *= 2;
    level++;
  }
  return { k, level };
}

/** trailingZeros counts the trailing zero bits of a positive integer without 32-bit operators. */
export function trailingZeros(v: number): number {
  let z = 0;
  while (v > 0 && v % 2 === 0) {
    v /= 2;
    z++;
  }
  return z;
}

async function readExactly(r: HashReader, indexes: number[]): Promise<readonly Hash[]> {
  if (indexes.length === 0) return [];
  const hashes = await r.readHashes(indexes);
  if (hashes.length !== indexes.length) {
    throw new SumdbError('TILE_MALFORMED', `read ${hashes.length} hashes, want ${indexes.length}`);
  }
  return hashes;
}

function checkInputs(ok: boolean, fn: string, t: number, n: number): void {
  checkTreeSize(t, 'tree size');
  checkTreeSize(n, 'index');
  if (!ok) throw new SumdbError('PROOF_MALFORMED', `${fn}: invalid inputs t=${t} n=${n}`);
}

function at<T>(list: readonly T[], i: number): T {
  const v = list[i];
  if (v === undefined) throw new SumdbError('PROOF_MALFORMED', `index ${i} out of range`);
  return v;
}

/** Cursor hands out hashes read for an index list, in order, and checks all were used. */
class Cursor {
  private pos = 0;
  constructor(private readonly hashes: readonly Hash[]) {}
  next(): Hash {
    return at(this.hashes, this.pos++);
  }
  done(): void {
    if (this.pos !== this.hashes.length) throw new Error('tlog: bad index math');
  }
}
