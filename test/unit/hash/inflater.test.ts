import fc from 'fast-check';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Inflater, StreamInflater } from '../../../src/hash/inflater.js';
import { hashZip } from '../../../src/hash/zipentry.js';
import { bufferSource } from '../../../src/hash/zipformat.js';
import { readZip } from '../../../src/hash/zipread.js';
import { collectZip, writeZip } from '../../../src/hash/zipwrite.js';

/** Outcome is what inflating gave, in terms both inflaters can be compared by. */
type Outcome = { bytes: string } | { over: string } | { error: string };

function outcome(inflater: Inflater, raw: Uint8Array, size: number): Outcome {
  try {
    const out = inflater.inflate(raw, size);
    const hex = Buffer.from(out).toString('hex');
    return out.length > size ? { over: hex.slice(0, 2 * size) } : { bytes: hex };
  } catch (err) {
    const code = String((err as { code?: unknown }).code);
    // inflateRawSync throws on overrun where the reusing engine returns size + 1 bytes.
    if (code === 'ERR_BUFFER_TOO_LARGE') return { over: 'thrown' };
    return { error: code };
  }
}

const streamArb = fc
  .record({
    data: fc.oneof(
      fc.uint8Array({ maxLength: 3000 }),
      fc.string({ maxLength: 3000 }).map((s) => Buffer.from(s.repeat(3))),
    ),
    level: fc.integer({ min: 0, max: 9 }),
    sizeDelta: fc.integer({ min: -3, max: 3 }),
    cut: fc.option(fc.nat(), { nil: undefined }),
    garbage: fc.uint8Array({ maxLength: 8 }),
    flip: fc.option(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { nil: undefined }),
  })
  .map(({ data, level, sizeDelta, cut, garbage, flip }) => {
    let raw = Buffer.concat([deflateRawSync(data, { level }), garbage]);
    if (cut !== undefined) raw = raw.subarray(0, cut % (raw.length + 1));
    if (flip !== undefined && raw.length > 0) {
      raw = Buffer.from(raw);
      const at = flip[0] % raw.length;
      raw[at] = (raw[at] ?? 0) ^ flip[1];
    }
    const intact = cut === undefined && flip === undefined;
    return { data, raw, intact, size: Math.max(0, data.length + sizeDelta) };
  });

describe('Inflater', () => {
  it('reuses its zlib engine on this Node (the fast path is not silently off)', () => {
    const inflater = new Inflater();
    const data = Buffer.from('package main\n'.repeat(100));
    expect(Buffer.from(inflater.inflate(deflateRawSync(data), data.length))).toEqual(data);
    expect(inflater.reusing).toBe(true);
    expect(new Inflater(false).reusing).toBe(false);
  });

  it('agrees with inflateRawSync on valid, oversized, truncated, corrupt and padded streams', () => {
    const reusing = new Inflater();
    const plain = new Inflater(false);
    fc.assert(
      fc.property(streamArb, ({ data, raw, intact, size }) => {
        const got = outcome(reusing, raw, size);
        const want = outcome(plain, raw, size);
        if ('over' in got || 'over' in want) {
          // More than `size` bytes: refused either way. inflateRawSync may instead report a
          // break in the stream after that point; the reusing engine stops at size + 1.
          expect('bytes' in got || 'bytes' in want).toBe(false);
          return;
        }
        expect(got).toEqual(want);
        if (intact && size === data.length)
          expect(got).toEqual({ bytes: Buffer.from(data).toString('hex') });
      }),
      { numRuns: 400 },
    );
    expect(reusing.reusing).toBe(true);
  });

  it('inflates the stream whole, ignoring bytes after its end, as Go does', () => {
    const data = Buffer.from('x'.repeat(5000));
    const raw = Buffer.concat([deflateRawSync(data), Buffer.from('trailing junk')]);
    expect(Buffer.from(new Inflater().inflate(raw, data.length))).toEqual(data);
  });

  it('names the zlib error of a truncated or corrupt stream, and recovers after it', () => {
    const inflater = new Inflater();
    const data = Buffer.from('module example.com/m\n'.repeat(50));
    const raw = deflateRawSync(data);
    expect(() => inflater.inflate(raw.subarray(0, raw.length - 4), data.length)).toThrow(
      expect.objectContaining({ code: 'Z_BUF_ERROR', message: 'unexpected end of file' }),
    );
    expect(() => inflater.inflate(Buffer.from([0xff, 0xff]), data.length)).toThrow(
      expect.objectContaining({ code: 'Z_DATA_ERROR' }),
    );
    expect(Buffer.from(inflater.inflate(raw, data.length))).toEqual(data);
  });

  it('hashes zips concurrently on one thread without mixing their reused buffers', async () => {
    const zips = await Promise.all(
      Array.from({ length: 12 }, (_, z) =>
        collectZip(
          writeZip(
            Array.from({ length: 30 }, (_, f) => ({
              name: `example.com/m${z}@v1.0.0/f${f}.go`,
              content: () => [Buffer.from(`package f${f} // zip ${z}\n`.repeat(50 + f * 40))],
            })),
          ),
        ),
      ),
    );
    const one = async (zip: Uint8Array) => hashZip(await readZip(bufferSource(zip)));
    const sequential: string[] = [];
    for (const zip of zips) sequential.push(await one(zip));
    expect(new Set(sequential).size).toBe(zips.length);
    expect(await Promise.all(zips.map(one))).toEqual(sequential);
  });

  it('inflates a stream fed in pieces as inflateRawSync inflates it whole', () => {
    const arb = fc.record({
      stream: streamArb,
      cuts: fc.uniqueArray(fc.nat(), { maxLength: 6 }),
      outBytes: fc.integer({ min: 64, max: 5000 }),
    });
    fc.assert(
      fc.property(arb, ({ stream: { raw }, cuts, outBytes }) => {
        let want: string;
        try {
          want = Buffer.from(inflateRawSync(raw)).toString('hex');
        } catch (err) {
          want = `error ${String((err as { code?: unknown }).code)}`;
        }
        const at = [...new Set(cuts.map((c) => c % (raw.length + 1)))].sort((a, b) => a - b);
        const pieces = [...at, raw.length].map((end, i) => raw.subarray(at[i - 1] ?? 0, end));
        const inflater = new StreamInflater(outBytes);
        let got: string;
        try {
          const out: Buffer[] = [];
          pieces.forEach((piece, i) => {
            if (inflater.ended) return;
            for (const o of inflater.write(piece, i === pieces.length - 1))
              out.push(Buffer.from(o));
          });
          got = Buffer.concat(out).toString('hex');
        } catch (err) {
          got = `error ${String((err as { code?: unknown }).code)}`;
        } finally {
          inflater.close();
        }
        expect(got).toBe(want);
      }),
      { numRuns: 400 },
    );
  });

  it('stops taking input once the stream has ended', () => {
    const data = Buffer.from('stream then junk\n'.repeat(300));
    const raw = deflateRawSync(data);
    const inflater = new StreamInflater(100);
    try {
      const out: Buffer[] = [];
      for (const o of inflater.write(raw, false)) out.push(Buffer.from(o));
      expect(Buffer.concat(out)).toEqual(data);
      expect(inflater.ended).toBe(false); // it ended exactly at the end of this piece
      expect([...inflater.write(Buffer.from('junk'), false)]).toEqual([]);
      expect(inflater.ended).toBe(true);
      expect([...inflater.write(Buffer.from('more junk'), true)]).toEqual([]);
    } finally {
      inflater.close();
    }
  });
});
