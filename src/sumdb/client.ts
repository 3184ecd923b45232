/**
 * SumdbClient looks up go.sum records in a checksum database and returns them only
 * after proving them, following x/mod/sumdb/client.go (GO-FACTS §5 "Client algorithm"):
 * the lookup's signed tree head must verify with the trusted key; it must be
 * consistent with the newest tree head seen before (a fork is SUMDB_FORK, with both
 * notes); the newest head is kept by compare-and-swap, and a stored one that does not
 * verify fails every lookup (STATE_INVALID) until someone looks at it; the record's leaf
 * hash must be the one the tree holds at its id, read from tiles that are proven against
 * the tree.
 */
import { escapePath, escapeVersion } from '../go/module.js';
import { StoredHeadError, SumdbError, SumdbForkError } from './errors.js';
import { Verifiers, openNote, parseVerifierKey } from './note.js';
import { ClientTiles, type TileStats } from './client-tiles.js';
import type { ClientOps } from './ops.js';
import { formatHash, hashEqual, recordHash, type Hash } from './tlog-hash.js';
import { EMPTY_TREE_HASH, checkTree, proveTree, storedHashIndex, treeHash } from './tlog.js';
import { decodeUtf8, parseRecord, parseTree } from './tlog-note.js';
import { DEFAULT_TILE_HEIGHT } from './tlog-tile.js';
import { tileHashReader, type Tree } from './tlog-tile-reader.js';

/** ClientOptions configures a SumdbClient. */
export interface ClientOptions {
  /** verifierKey is the database's key, `name+hash+base64key`; its name names the database. */
  readonly verifierKey: string;
  readonly ops: ClientOps;
  readonly tileHeight?: number;
  readonly partialTileTtlMs?: number;
}

/** LookupResult is a proven record: its go.sum lines for the module version and where it was proven. */
export interface LookupResult {
  /** lines are the record's lines `path version[/go.mod] h1:...` for the version asked. */
  readonly lines: readonly string[];
  readonly recordId: number;
  /** treeSize is the size of the tree the record was proven in (the newest verified tree). */
  readonly treeSize: number;
  readonly treeNote: string;
}

interface Latest {
  readonly tree: Tree;
  readonly note: Uint8Array;
}

const EMPTY: Latest = { tree: { n: 0, hash: EMPTY_TREE_HASH }, note: new Uint8Array() };

export class SumdbClient {
  readonly name: string;
  private readonly verifiers: Verifiers;
  private readonly ops: ClientOps;
  private readonly tiles: ClientTiles;
  private latest: Latest = EMPTY;
  private initialized: Promise<void> | undefined;
  /** the stored head found not to verify, which every later lookup fails with */
  private stateError: StoredHeadError | undefined;
  private readonly lookups = new Map<string, Promise<Uint8Array>>();

  constructor(opts: ClientOptions) {
    const v = parseVerifierKey(opts.verifierKey);
    this.name = v.name;
    this.verifiers = new Verifiers([v]);
    this.ops = opts.ops;
    const height = opts.tileHeight ?? DEFAULT_TILE_HEIGHT;
    this.tiles = new ClientTiles(this.name, opts.ops, height, opts.partialTileTtlMs ?? 10 * 60_000);
  }

  /** tileStats counts the tiles this client fetched. */
  get tileStats(): Readonly<TileStats> {
    return this.tiles.stats;
  }

  /** latestTree is the newest verified tree head this client knows. */
  get latestTree(): Tree {
    return this.latest.tree;
  }

  /** lookup returns the proven go.sum lines of path@version (x/mod client.go Lookup). */
  async lookup(path: string, version: string): Promise<LookupResult> {
    await this.init();
    if (this.stateError !== undefined) throw this.stateError;
    const remotePath = `/lookup/${escapePath(path)}@${escapeVersion(version)}`;
    const data = await this.once(remotePath);
    const record = parseRecord(data);
    const text = decodeUtf8(record.text) ?? '';
    const prefixes = [`${path} ${version} `, `${path} ${version}/go.mod `];
    return {
      lines: text.split('\n').filter((l) => prefixes.some((p) => l.startsWith(p))),
      recordId: record.id,
      treeSize: this.latest.tree.n,
      treeNote: Buffer.from(this.latest.note).toString('utf8'),
    };
  }

  private once(remotePath: string): Promise<Uint8Array> {
    let p = this.lookups.get(remotePath);
    if (p === undefined) {
      p = this.fetchAndProve(remotePath);
      this.lookups.set(remotePath, p);
      p.catch(() => this.lookups.delete(remotePath));
    }
    return p;
  }

  /**
   * fetchAndProve proves the cached answer, else the server's, and caches the server's once
   * proven. A cached answer that fails verification is the cache's fault: it is read from
   * the server instead, once, and only if that fails too is the server blamed.
   */
  private async fetchAndProve(remotePath: string): Promise<Uint8Array> {
    const file = this.name + remotePath;
    const cached = await this.ops.readCache(file);
    if (cached !== undefined) {
      try {
        await this.prove(cached);
        await this.tiles.flush();
        return cached;
      } catch (err) {
        if (!isAnswerFault(err)) throw err;
      }
    }
    const data = await this.ops.readRemote(remotePath);
    await this.prove(data);
    await this.ops.writeCache(file, data).catch(() => undefined);
    await this.tiles.flush();
    return data;
  }

  /** prove checks a lookup answer: its signed tree head, then its record in the newest tree. */
  private async prove(data: Uint8Array): Promise<void> {
    const record = parseRecord(data);
    await this.mergeLatest(record.rest);
    await this.checkRecord(record.id, record.text);
  }

  /**
   * init folds the stored newest head in, once (x/mod initWork): its failure, a read error
   * or a stored head that does not verify, is every lookup's failure.
   */
  private init(): Promise<void> {
    this.initialized ??= this.ops
      .readConfig(this.latestFile)
      .then(async (msg) => void (await this.mergeLatestMem(this.openStored(msg))));
    return this.initialized;
  }

  private get latestFile(): string {
    return `${this.name}/latest`;
  }

  /**
   * mergeLatest folds a signed tree head into the newest known one, and persists a newer
   * one by compare-and-swap, retrying when another writer got there first (x/mod mergeLatest).
   */
  private async mergeLatest(msg: Uint8Array): Promise<void> {
    if ((await this.mergeLatestMem(this.openLatest(msg))) !== 'future') return;
    // Each retry means another writer stored a newer head meanwhile: a few are plenty.
    for (let attempt = 1; ; attempt++) {
      const stored = await this.ops.readConfig(this.latestFile);
      if ((await this.mergeLatestMem(this.openStored(stored))) !== 'past') return;
      try {
        await this.ops.writeConfig(this.latestFile, stored, this.latest.note);
        return;
      } catch (err) {
        if (!(err instanceof SumdbError && err.code === 'STATE_CONFLICT') || attempt >= 20)
          throw err;
      }
    }
  }

  /**
   * openLatest verifies a signed tree head with the trusted key and parses its tree;
   * undefined for none (an empty message).
   */
  private openLatest(msg: Uint8Array): Latest | undefined {
    if (msg.length === 0) return undefined;
    // The very note already verified and proven as the newest head: nothing new to prove.
    if (Buffer.from(msg).equals(this.latest.note)) return this.latest;
    return { tree: parseTree(openNote(msg, this.verifiers).text), note: msg };
  }

  /**
   * openStored opens the stored newest head; an empty one is none (a first run). One that
   * does not open with the trusted key (a bad signature, another key of the same name, not
   * a tree note) is StoredHeadError, for this lookup and every later one, as x/mod's
   * initWork and mergeLatest fail on it: it may be the only record of a tree the database
   * signed before, so it is neither trusted nor replaced (mergeLatest writes nothing over
   * it), and taking the server's next head instead would restart fork detection unseen.
   */
  private openStored(msg: Uint8Array): Latest | undefined {
    try {
      return this.openLatest(msg);
    } catch (err) {
      if (!(err instanceof SumdbError) || err.kind === 'unavailable') throw err;
      this.stateError ??= new StoredHeadError(this.ops.configPath(this.latestFile), this.name, err);
      throw this.stateError;
    }
  }

  private async mergeLatestMem(next: Latest | undefined): Promise<'past' | 'now' | 'future'> {
    if (next === undefined) return this.latest.tree.n === 0 ? 'now' : 'past';
    if (next === this.latest) return 'now';
    const { tree } = next;
    for (;;) {
      const latest = this.latest;
      if (tree.n <= latest.tree.n) {
        await this.checkTrees(next, latest);
        return tree.n < latest.tree.n ? 'past' : 'now';
      }
      await this.checkTrees(latest, next);
      if (this.latest === latest) {
        this.latest = next;
        return 'future';
      }
    }
  }

  /** checkTrees proves `older` is a prefix of `newer` using newer's tiles, or raises SUMDB_FORK (x/mod checkTrees). */
  private async checkTrees(older: Latest, newer: Latest): Promise<void> {
    if (older.tree.n === newer.tree.n && !hashEqual(older.tree.hash, newer.tree.hash)) {
      // Two signed heads of one size with two hashes prove the fork without any tile
      // (tiles, cached or fetched, could only fail to match one of them).
      const detail = `two signed trees of size ${older.tree.n}: hash ${formatHash(older.tree.hash)} and hash ${formatHash(newer.tree.hash)}`;
      throw new SumdbForkError(utf8(older.note), utf8(newer.note), detail);
    }
    const thr = tileHashReader(newer.tree, this.tiles);
    const h = await treeHash(older.tree.n, thr);
    if (hashEqual(h, older.tree.hash)) return;
    let detail = `tree ${newer.tree.n} holds hash ${formatHash(h)} at size ${older.tree.n}, not ${formatHash(older.tree.hash)}`;
    if (older.tree.n > 0) {
      const proof = await proveTree(newer.tree.n, older.tree.n, thr);
      checkTree(proof, newer.tree.n, newer.tree.hash, older.tree.n, h);
      detail += `\nproof of misbehavior:\n\t${proof.map(formatHash).join('\n\t')}`;
    }
    throw new SumdbForkError(utf8(older.note), utf8(newer.note), detail);
  }

  /** checkRecord proves record `id` has leaf hash RecordHash(text) in the newest tree (x/mod checkRecord). */
  private async checkRecord(id: number, text: Uint8Array): Promise<void> {
    const latest = this.latest.tree;
    if (id >= latest.n) {
      throw new SumdbError(
        'RECORD_NOT_IN_TREE',
        `cannot validate record ${id} in tree of size ${latest.n}`,
      );
    }
    // A negative id (strconv.ParseInt reads one) passes the check above and names stored
    // hash 0, as x/mod's StoredHashIndex(0, id) does: only record 0's text proves with it.
    const index = storedHashIndex(0, Math.max(id, 0));
    const [h] = await tileHashReader(latest, this.tiles).readHashes([index]);
    if (h === undefined || !hashEqual(h, recordHash(text))) {
      throw new SumdbError(
        'RECORD_MISMATCH',
        `cannot authenticate record ${id}: its data does not match tree ${latest.n}`,
      );
    }
  }
}

/**
 * isAnswerFault: did a lookup answer itself fail verification (malformed, not signed with
 * the trusted key, a record the tree does not hold)? Not a failure to reach the server, not
 * a tile (tileHashReader re-reads cached tiles itself), never a fork, whose two signed
 * heads prove the server wrong wherever they were kept, and never the stored head, which
 * no answer can make verify.
 */
function isAnswerFault(err: unknown): boolean {
  if (!(err instanceof SumdbError) || err.kind === 'unavailable') return false;
  return err.code !== 'SUMDB_FORK' && err.code !== 'STATE_INVALID' && !err.code.startsWith('TILE_');
}

function utf8(b: Uint8Array): string {
  return Buffer.from(b).toString('utf8');
}

export type { Hash };
