/**
 * SumdbLog is an in-memory tiled log for the test sumdb server, the demo and the
 * benchmarks: it appends records, keeps every stored hash (32 bytes each, about
 * 2·N of them) in one growing buffer, and serves hash tiles, data tiles and proofs.
 * Memory-conscious for a million records: hashes live in a single Uint8Array and
 * record texts are kept as UTF-8 Buffers.
 */
import { HASH_SIZE, recordHash, type Hash } from '../sumdb/tlog-hash.js';
import { storedHashes, treeHash, type HashReader } from '../sumdb/tlog.js';
import { readTileData, type Tile } from '../sumdb/tlog-tile.js';

export class SumdbLog {
  private hashes: Uint8Array = new Uint8Array(HASH_SIZE * 1024);
  private hashCount = 0;
  private text: Uint8Array = new Uint8Array(64 * 1024);
  private textLength = 0;
  private ends = new Float64Array(1024);
  private count = 0;

  /** size is the number of records. */
  get size(): number {
    return this.count;
  }

  /** append adds a record (its text, ending in "\n") and returns its id. */
  append(text: Uint8Array | string): number {
    const data = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    const id = this.count;
    for (const h of storedHashes(id, recordHash(data), (i) => this.hash(i))) this.push(h);
    this.pushText(data);
    return id;
  }

  /** record returns the text of record id. */
  record(id: number): Uint8Array | undefined {
    if (!Number.isInteger(id) || id < 0 || id >= this.count) return undefined;
    const start = id === 0 ? 0 : (this.ends[id - 1] ?? 0);
    return this.text.subarray(start, this.ends[id] ?? 0);
  }

  /** hash returns stored hash `index`. */
  hash(index: number): Hash {
    if (index < 0 || index >= this.hashCount) throw new Error(`stored hash ${index} out of range`);
    return this.hashes.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE);
  }

  /** reader is a HashReader over the stored hashes of the current log. */
  readonly reader: HashReader = {
    readHashes: async (indexes) => indexes.map((i) => this.hash(i)),
  };

  /** treeHash is the root hash of the tree of the first n records (default: all). */
  treeHash(n = this.size): Promise<Hash> {
    return treeHash(n, this.reader);
  }

  /** hashTile returns the bytes of a hash tile, or undefined when the log does not have it yet. */
  hashTile(t: Tile): Uint8Array | undefined {
    const last = (t.n * 2 ** t.h + t.w) * 2 ** (t.h * t.l);
    if (t.l < 0 || last > this.size) return undefined;
    return readTileData(t, (i) => this.hash(i));
  }

  /** dataTile returns the record texts of a data tile, each followed by "\n" (golang/mod dec0365). */
  dataTile(t: Tile): Uint8Array | undefined {
    const start = t.n * 2 ** t.h;
    if (start + t.w > this.size) return undefined;
    const parts: Uint8Array[] = [];
    for (let i = start; i < start + t.w; i++)
      parts.push(this.record(i) ?? new Uint8Array(), NEWLINE);
    return Buffer.concat(parts);
  }

  private pushText(data: Uint8Array): void {
    while (this.textLength + data.length > this.text.length) this.text = grow(this.text);
    this.text.set(data, this.textLength);
    this.textLength += data.length;
    if (this.count === this.ends.length) {
      const ends = new Float64Array(this.ends.length * 2);
      ends.set(this.ends);
      this.ends = ends;
    }
    this.ends[this.count++] = this.textLength;
  }

  private push(h: Hash): void {
    if ((this.hashCount + 1) * HASH_SIZE > this.hashes.length) {
      this.hashes = grow(this.hashes);
    }
    this.hashes.set(h, this.hashCount * HASH_SIZE);
    this.hashCount++;
  }
}

const NEWLINE = Uint8Array.of(0x0a);

function grow(a: Uint8Array): Uint8Array {
  const b = new Uint8Array(a.length * 2);
  b.set(a);
  return b;
}
