import { MemoryBudget } from './body.js';
import { Arrivals } from './follow.js';
import { sameBytes, type ZipBody } from './zipbody.js';

/** HeldZip is a downloaded zip handed to ZipWork: its bytes, their size, and how to let them go. */
export interface HeldZip {
  readonly body: ZipBody;
  readonly size: number;
  /** release gives the bytes back: memory to the budget, or the spool file removed */
  release(): Promise<void>;
}

/** Hashed is a zip of one module@version whose outcome is known or under way. */
interface Hashed {
  readonly zip: HeldZip;
  readonly outcome: Promise<string>;
}

/** Visits tracks one module@version: how many sharers came, how many are still at work. */
interface Visits {
  came: number;
  working: number;
  readonly hashed: Hashed[];
}

/**
 * ZipWork is what the proxy witnesses of one check share about zips:
 *
 * - a memory budget (default 16 MiB): a downloaded zip stays in memory while the budget
 *   lasts and is hashed from there; a larger one, or one arriving when the budget is
 *   spent, is spooled to a file. Memory stays bounded whatever the sizes. While a zip
 *   in memory is hashed, a copy of it is on the zip pool's thread (zippool.ts), so the
 *   zips held in memory take up to twice the budget: 16 MiB keeps that at the 32 MiB
 *   this budget was before the pool (bench/check peak RSS on Node 24: 323 MiB at 32,
 *   292 MiB at 16, medians of 4; no change in time beyond the machine's noise).
 * - each distinct zip of a module@version is stored and hashed once. The first download
 *   to start receiving leads; the others follow it (`arrivals`, follow.ts): each compares
 *   its bytes with the leader's as they arrive, and when all are equal it holds the
 *   leader's bytes instead of storing its own, so a zip both proxies serve is written
 *   and read back once, not twice, and takes the budget once (bench/check on Node 20,
 *   6 interleaved runs: median wall 3.35 → 3.15 s, CPU 5.07 → 4.75 s). A zip that
 *   differs is stored as received. Then the first zip to be hashed is kept; a later one
 *   of the same size is the same bytes (held twice) or is compared with it byte for
 *   byte, and when every byte is equal it takes that outcome (`h1:` is a function of
 *   the bytes and of module@version, so it is the same verdict). Comparing is a memcmp
 *   where digesting both downloads to find equal ones cost a SHA-256 of every byte
 *   received. A refused zip is shared the same way.
 *
 * A module@version's zips are let go once all `sharers` (the proxy witnesses) have come
 * for it, with a zip (`hash`) or without one (`pass`), and none is still at work; `close`
 * lets go whatever is left.
 */
export class ZipWork {
  readonly memory: MemoryBudget;
  /** where downloads of the same zip meet, to compare as they arrive (FollowSink) */
  readonly arrivals = new Arrivals();
  private readonly visits = new Map<string, Visits>();

  constructor(
    private readonly sharers = 2,
    memoryBytes = 16 << 20,
  ) {
    this.memory = new MemoryBudget(memoryBytes);
  }

  /**
   * hash takes zip (it will be released here) and returns the outcome of compute for its
   * bytes, or the outcome of an earlier zip of module@version with the same bytes.
   */
  async hash(
    module: string,
    version: string,
    zip: HeldZip,
    compute: (body: ZipBody) => Promise<string>,
  ): Promise<string> {
    const key = `${module}@${version}`;
    const v = this.arrive(key);
    v.working++;
    let mine = true; // zip is still this call's to release
    try {
      // Compare with every earlier zip, including those pushed while comparing; when none
      // is left, push this one in the same step, so two arrivals never both compute.
      for (let i = 0; i < v.hashed.length; i++) {
        const earlier = v.hashed[i];
        if (earlier === undefined || earlier.zip.size !== zip.size) continue;
        if (!(await sameBytes(earlier.zip.body, zip.body))) continue;
        mine = false;
        await zip.release(); // the earlier zip holds these same bytes
        return await earlier.outcome;
      }
      const outcome = compute(zip.body);
      v.hashed.push({ zip, outcome });
      mine = false;
      return await outcome;
    } finally {
      if (mine) await zip.release();
      v.working--;
      await this.settle(key, v);
    }
  }

  /** pass records a sharer that came for module@version's zip and got none (an error, a 404). */
  async pass(module: string, version: string): Promise<void> {
    const key = `${module}@${version}`;
    await this.settle(key, this.arrive(key));
  }

  /** close lets go of every zip still kept. */
  async close(): Promise<void> {
    const all = [...this.visits.values()];
    this.visits.clear();
    await Promise.all(all.flatMap((v) => v.hashed.splice(0).map((h) => h.zip.release())));
  }

  private arrive(key: string): Visits {
    let v = this.visits.get(key);
    if (v === undefined) {
      v = { came: 0, working: 0, hashed: [] };
      this.visits.set(key, v);
    }
    v.came++;
    return v;
  }

  private async settle(key: string, v: Visits): Promise<void> {
    if (v.came < this.sharers || v.working > 0) return;
    if (this.visits.get(key) === v) this.visits.delete(key);
    await Promise.all(v.hashed.splice(0).map((h) => h.zip.release()));
  }
}
