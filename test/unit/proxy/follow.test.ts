import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readBodyToFile, type BodySource, type FileBody } from '../../../src/proxy/body.js';
import { Arrivals, FollowSink } from '../../../src/proxy/follow.js';
import { MemoryBudget, SpoolSink, type Spooled } from '../../../src/proxy/spool.js';
import { splitAt } from '../../support/bytes.js';

let dir: string;
let names = 0;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modguard-follow-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fresh = () => join(dir, `b${names++}.zip`);
const pattern = (n: number, seed = 0) =>
  Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed + (i >> 8)) % 251));

/** bytesOf reads a finished body wherever it is. */
async function bytesOf(s: Spooled | FileBody): Promise<Buffer> {
  return s.chunks !== undefined ? Buffer.concat(s.chunks) : readFile(s.path);
}

/** pair makes a leader (SpoolSink) and a follower of it, storing into their own files when they must. */
function pair(budget?: MemoryBudget) {
  const leader = new SpoolSink(fresh(), budget, false);
  const ownPath = fresh();
  const follower = new FollowSink(leader, () => new SpoolSink(ownPath, budget, false));
  return { leader, follower, ownPath };
}

async function writeAll(sink: { write(c: Buffer): Promise<void> }, chunks: Buffer[]) {
  for (const c of chunks) await sink.write(c);
}

describe('FollowSink', () => {
  const body = pattern(300_000);

  it('when it receives the leader’s bytes while the leader is in memory: the leader’s chunks, nothing stored twice', async () => {
    const budget = new MemoryBudget(1 << 20);
    const { leader, follower, ownPath } = pair(budget);
    await writeAll(leader, splitAt(body, [1000, 70_000]));
    await follower.write(body.subarray(0, 5));
    const led = await leader.finish();
    await writeAll(follower, splitAt(body.subarray(5), [100_000]));
    const got = await follower.finish();
    expect(follower.stored).toBe(false);
    expect(got.chunks).toBe(led.chunks);
    expect(got.path).toBe(leader.path);
    expect((await bytesOf(got)).equals(body)).toBe(true);
    expect(await readdir(dir)).toEqual([]);
    expect(budget.take((1 << 20) - body.length + 1)).toBe(false); // the leader's bytes, once
    await led.release();
    expect(budget.take((1 << 20) - body.length + 1)).toBe(false); // still held by the follower
    await got.release();
    expect(budget.take(1 << 20)).toBe(true);
    void ownPath;
  });

  it('when the leader is in its file (read back in windows, and from the batch it is writing): the leader’s file', async () => {
    const big = pattern(3 << 20, 5);
    const { leader, follower } = pair(new MemoryBudget(100_000));
    const parts = splitAt(big, [65_536, 1 << 20, (1 << 20) + 7, 2 << 20, (2 << 20) + 65_536]);
    for (const [i, part] of parts.entries()) {
      await leader.write(part);
      if (i > 0) await follower.write(parts[i - 1] as Buffer);
    }
    await follower.write(parts.at(-1) as Buffer);
    const led = await leader.finish();
    const got = await follower.finish();
    expect(follower.stored).toBe(false);
    expect(got.chunks).toBeUndefined();
    expect(got.path).toBe(leader.path);
    expect((await readFile(got.path)).equals(big)).toBe(true);
    expect(await readdir(dir)).toEqual([leader.path.split('/').pop()]);
    await got.release();
    expect(await readdir(dir)).toHaveLength(1);
    await led.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('when a byte differs after windows of the leader’s file were compared: its own copy is the bytes it received', async () => {
    // The leader is in its file; the follower compares it window by window (one scratch
    // buffer), then differs, and copies what it had matched into memory of its own.
    const big = pattern((3 << 20) + 12_345, 3);
    for (const at of [(1 << 20) + 5, (2 << 20) + 70_000, big.length - 1]) {
      const mine = Buffer.from(big);
      mine[at] = (mine[at] ?? 0) ^ 0x40;
      const leader = new SpoolSink(fresh(), new MemoryBudget(0), false);
      await writeAll(leader, splitAt(big, [65_536, 1 << 20, 2 << 20]));
      const led = await leader.finish();
      const budget = new MemoryBudget(8 << 20);
      const follower = new FollowSink(leader, () => new SpoolSink(fresh(), budget, false));
      await writeAll(follower, splitAt(mine, [65_536, 700_000, (1 << 20) + 9, 3 << 20]));
      const got = await follower.finish();
      expect(follower.stored).toBe(true);
      expect(got.chunks).toBeDefined(); // kept in memory: views of what it was given
      expect((await bytesOf(got)).equals(mine)).toBe(true);
      await Promise.all([got.release(), led.release()]);
      expect(await readdir(dir)).toEqual([]);
    }
  });

  it('when one byte differs: it stores its own bytes, and the leader keeps its own', async () => {
    for (const at of [0, 999, 1000, 150_000, body.length - 1]) {
      const mine = Buffer.from(body);
      mine[at] = (mine[at] ?? 0) ^ 0x20;
      const budget = new MemoryBudget(1 << 20);
      const { leader, follower } = pair(budget);
      await writeAll(leader, splitAt(body, [1000]));
      const led = await leader.finish();
      await writeAll(follower, splitAt(mine, [1000, 200_000]));
      const got = await follower.finish();
      expect(follower.stored).toBe(true);
      expect((await bytesOf(got)).equals(mine)).toBe(true);
      expect((await bytesOf(led)).equals(body)).toBe(true);
      await got.release();
      await led.release();
      expect(budget.take(1 << 20)).toBe(true);
    }
  });

  it('when it is a prefix of the leader, or the leader of it: its own bytes', async () => {
    for (const [theirs, mine] of [
      [body, body.subarray(0, 200_000)],
      [body.subarray(0, 200_000), body],
    ] as const) {
      const { leader, follower } = pair(new MemoryBudget(1 << 20));
      await leader.write(theirs);
      const led = await leader.finish();
      await follower.write(mine);
      const got = await follower.finish();
      expect(follower.stored).toBe(true);
      expect((await bytesOf(got)).equals(mine)).toBe(true);
      await Promise.all([got.release(), led.release()]);
    }
  });

  it('when the leader fails midway: it stores its bytes (the matched ones from the leader’s file, kept until then)', async () => {
    const big = pattern(2 << 20, 9);
    const { leader, follower } = pair(new MemoryBudget(10_000));
    await writeAll(leader, splitAt(big.subarray(0, 1_500_000), [65_536, 1 << 20]));
    await follower.write(big.subarray(0, 1_200_000));
    const path = leader.path;
    await leader.abandon();
    expect(await readdir(dir)).toHaveLength(1); // held by the follower, moved aside
    const retry = new SpoolSink(path, undefined, false); // a retry of the leader's download
    await retry.write(big.subarray(0, 10));
    await (await retry.finish()).release();
    await follower.write(big.subarray(1_200_000));
    const got = await follower.finish();
    expect(follower.stored).toBe(true);
    expect((await bytesOf(got)).equals(big)).toBe(true);
    expect(await readdir(dir)).toEqual([got.path.split('/').pop()]);
    await got.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('when it runs more than a mebibyte ahead of the leader: it stores its own copy', async () => {
    const big = pattern(3 << 20, 3);
    const { leader, follower } = pair(new MemoryBudget(8 << 20));
    await leader.write(big.subarray(0, 10));
    await writeAll(follower, splitAt(big, [65_536, 1 << 20, (1 << 20) + 100]));
    expect(follower.stored).toBe(true);
    await leader.write(big.subarray(10));
    const [led, got] = await Promise.all([leader.finish(), follower.finish()]);
    expect((await bytesOf(got)).equals(big)).toBe(true);
    expect(got.chunks === led.chunks).toBe(false); // not toBe: it deep-compares on a miss
    await Promise.all([got.release(), led.release()]);
  });

  it('when the leader does not end within two seconds of its whole body: it stores its own copy', async () => {
    const { leader, follower } = pair(new MemoryBudget(1 << 20));
    await leader.write(body);
    await follower.write(body);
    const t = Date.now();
    const got = await follower.finish();
    expect(Date.now() - t).toBeGreaterThanOrEqual(1900);
    expect(follower.stored).toBe(true);
    expect((await bytesOf(got)).equals(body)).toBe(true);
    const led = await leader.finish();
    await Promise.all([got.release(), led.release()]);
  });

  it('when the leader ends while it waits: the leader’s bytes, at once', async () => {
    const { leader, follower } = pair(new MemoryBudget(1 << 20));
    await leader.write(body);
    await follower.write(body);
    const finishing = follower.finish();
    const led = await leader.finish();
    const got = await finishing;
    expect(follower.stored).toBe(false);
    expect(got.chunks).toBe(led.chunks);
    await Promise.all([got.release(), led.release()]);
  });

  it('when it is abandoned: the leader goes on and its bytes are let go once it releases them', async () => {
    const budget = new MemoryBudget(100_000);
    const { leader, follower } = pair(budget);
    await leader.write(body.subarray(0, 200_000));
    await follower.write(body.subarray(0, 150_000));
    await follower.abandon();
    await leader.write(body.subarray(200_000));
    const led = await leader.finish();
    expect((await bytesOf(led)).equals(body)).toBe(true);
    await led.release();
    expect(await readdir(dir)).toEqual([]);
    expect(budget.take(100_000)).toBe(true);
  });

  it('property: whatever the chunking, the interleaving, a difference and a failure, each ends with its own bytes and lets everything go', async () => {
    const sizes = fc.integer({ min: 1, max: 400_000 });
    const arb = fc.record({
      size: sizes,
      leaderCuts: fc.array(fc.integer({ min: 0, max: 400_000 }), { maxLength: 8 }),
      followerCuts: fc.array(fc.integer({ min: 0, max: 400_000 }), { maxLength: 8 }),
      schedule: fc.array(fc.boolean(), { maxLength: 24 }),
      change: fc.option(
        fc.oneof(
          fc.record({ flip: fc.nat() }),
          fc.record({ cut: fc.nat() }),
          fc.record({ extra: fc.integer({ min: 1, max: 5000 }) }),
        ),
      ),
      leaderFails: fc.boolean(),
      budget: fc.constantFrom(0, 50_000, 1 << 20),
    });
    await fc.assert(
      fc.asyncProperty(arb, async (c) => {
        const theirs = pattern(c.size, c.size);
        let mine = theirs;
        if (c.change !== null) {
          if ('flip' in c.change) {
            mine = Buffer.from(theirs);
            const at = c.change.flip % mine.length;
            mine[at] = (mine[at] ?? 0) ^ 1;
          } else if ('cut' in c.change) {
            mine = theirs.subarray(0, c.change.cut % theirs.length);
          } else {
            mine = Buffer.concat([theirs, pattern(c.change.extra, 7)]);
          }
        }
        const budget = new MemoryBudget(c.budget);
        const { leader, follower } = pair(budget);
        const lq = splitAt(
          theirs,
          c.leaderCuts.filter((x) => x <= theirs.length).sort((a, b) => a - b),
        );
        const fq = splitAt(
          mine,
          c.followerCuts.filter((x) => x <= mine.length).sort((a, b) => a - b),
        );
        for (const leaderTurn of c.schedule) {
          const q = leaderTurn ? lq : fq;
          const chunk = q.shift();
          if (chunk !== undefined) await (leaderTurn ? leader : follower).write(chunk);
        }
        const leaderRest = async (): Promise<Spooled | undefined> => {
          if (c.leaderFails) {
            await leader.abandon();
            return undefined;
          }
          await writeAll(leader, lq);
          return leader.finish();
        };
        const [led, got] = await Promise.all([
          leaderRest(),
          writeAll(follower, fq).then(() => follower.finish()),
        ]);
        expect((await bytesOf(got)).equals(mine)).toBe(true);
        if (led !== undefined) expect((await bytesOf(led)).equals(theirs)).toBe(true);
        if (!follower.stored) expect(mine.equals(theirs)).toBe(true);
        await Promise.all([got.release(), led?.release()]);
        expect(await readdir(dir)).toEqual([]);
        expect(budget.take(c.budget)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});

describe('readBodyToFile with share', () => {
  function source(chunks: Buffer[], gate?: Promise<void>): BodySource {
    return {
      async *[Symbol.asyncIterator]() {
        for (const [i, c] of chunks.entries()) {
          if (i === 1) await gate;
          yield c;
        }
      },
      destroy: () => undefined,
    };
  }
  const ctx = { url: 'http://127.0.0.1/x.zip', source: 'test', maxBytes: 1 << 22, contentType: '' };
  const body = pattern(500_000, 1);

  it('when two downloads of one key overlap: the second follows the first and holds its bytes; another key does not', async () => {
    const arrivals = new Arrivals();
    const memory = new MemoryBudget(1 << 20);
    const share = { key: 'example.com/m@v1.0.0', arrivals };
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const first = readBodyToFile(source(splitAt(body, [1000]), gate), fresh(), ctx, {
      memory,
      digest: false,
      share,
    });
    await new Promise((resolve) => setImmediate(resolve));
    const second = readBodyToFile(source(splitAt(body, [70_000])), fresh(), ctx, {
      memory,
      digest: false,
      share,
    });
    const other = readBodyToFile(source([body]), fresh(), ctx, {
      memory,
      digest: false,
      share: { key: 'example.com/m@v1.0.1', arrivals },
    });
    open();
    const [a, b, c] = await Promise.all([first, second, other]);
    expect(b.chunks).toBe(a.chunks);
    expect(b.path).toBe(a.path);
    expect(c.chunks === a.chunks).toBe(false); // not toBe: it deep-compares on a miss
    expect(Buffer.concat(b.chunks ?? []).equals(body)).toBe(true);
    for (const x of [a, b, c]) await x.release?.();
    expect(memory.take(1 << 20)).toBe(true);
    // Once its bytes are let go, a later download of the key leads again.
    const later = await readBodyToFile(source([body]), fresh(), ctx, {
      memory,
      digest: false,
      share,
    });
    expect(arrivals.leading(share.key)).toBeDefined();
    await later.release?.();
    expect(arrivals.leading(share.key)).toBeUndefined();
  });

  it('when the first fails: a later download leads (it is not followed)', async () => {
    const arrivals = new Arrivals();
    const share = { key: 'example.com/m@v1.0.0', arrivals };
    const failing: BodySource = {
      async *[Symbol.asyncIterator]() {
        yield body.subarray(0, 10);
        throw new Error('connection reset');
      },
      destroy: () => undefined,
    };
    await expect(
      readBodyToFile(failing, fresh(), ctx, {
        memory: new MemoryBudget(1 << 20),
        digest: false,
        share,
      }),
    ).rejects.toThrow('connection reset');
    expect(arrivals.leading(share.key)).toBeUndefined();
  });

  it('when it digests: it never follows', async () => {
    const arrivals = new Arrivals();
    const share = { key: 'k', arrivals };
    const memory = new MemoryBudget(1 << 20);
    const a = await readBodyToFile(source([body]), fresh(), ctx, { memory, digest: false, share });
    const b = await readBodyToFile(source([body]), fresh(), ctx, { memory, share });
    expect(b.chunks === a.chunks).toBe(false); // not toBe: it deep-compares on a miss
    expect(b.sha256).toHaveLength(64);
    await a.release?.();
    await b.release?.();
  });
});
