import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryBudget, readBodyToFile, type BodySource } from '../../../src/proxy/body.js';

function body(chunks: Buffer[]): BodySource {
  return {
    async *[Symbol.asyncIterator]() {
      yield* chunks;
    },
    destroy: () => undefined,
  };
}

const ctx = { url: 'http://127.0.0.1/x.zip', source: 'test', maxBytes: 1 << 20, contentType: '' };
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const parts = [Buffer.alloc(1000, 1), Buffer.alloc(3000, 2), Buffer.alloc(500, 3)];
const whole = Buffer.concat(parts);

describe('readBodyToFile with a memory budget', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'modguard-spool-test-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('when the budget holds the body: chunks in memory, no file, budget taken until released', async () => {
    const budget = new MemoryBudget(10_000);
    const got = await readBodyToFile(body(parts), join(dir, 'a.zip'), ctx, { memory: budget });
    expect(Buffer.concat(got.chunks ?? [])).toEqual(whole);
    expect(got).toMatchObject({ size: whole.length, sha256: sha(whole) });
    expect(await readdir(dir)).toEqual([]);
    expect(budget.take(10_000 - whole.length + 1)).toBe(false);
    budget.release(got.size);
    expect(budget.take(10_000)).toBe(true);
  });

  it('when a larger body stays in memory: chunks and digest', async () => {
    const big = Array.from({ length: 5 }, (_, i) => Buffer.alloc(100_000, i + 7));
    const all = Buffer.concat(big);
    const got = await readBodyToFile(body(big), join(dir, 'big.zip'), ctx, {
      memory: new MemoryBudget(1 << 20),
    });
    expect(got.chunks?.length).toBe(5);
    expect(got).toMatchObject({ size: all.length, sha256: sha(all) });
    expect(await readdir(dir)).toEqual([]);
  });

  it('when the budget runs out midway: the whole body goes to the file and the budget is given back', async () => {
    const budget = new MemoryBudget(2000);
    const got = await readBodyToFile(body(parts), join(dir, 'b.zip'), ctx, { memory: budget });
    expect(got.chunks).toBeUndefined();
    expect(await readFile(got.path)).toEqual(whole);
    expect(got.sha256).toBe(sha(whole));
    expect(budget.take(2000)).toBe(true);
  });

  it('when told not to digest: the same bytes, in memory or in the file, and no sha256', async () => {
    const kept = await readBodyToFile(body(parts), join(dir, 'n1.zip'), ctx, {
      memory: new MemoryBudget(10_000),
      digest: false,
    });
    expect(Buffer.concat(kept.chunks ?? [])).toEqual(whole);
    expect(kept.sha256).toBeUndefined();
    const filed = await readBodyToFile(body(parts), join(dir, 'n2.zip'), ctx, { digest: false });
    expect(await readFile(filed.path)).toEqual(whole);
    expect(filed.sha256).toBeUndefined();
  });

  it('when there is no budget: the file, as before', async () => {
    const got = await readBodyToFile(body(parts), join(dir, 'c.zip'), ctx);
    expect(got.chunks).toBeUndefined();
    expect(await readFile(got.path)).toEqual(whole);
  });

  it('when the body spans several write batches: the file holds every byte in order', async () => {
    const many = Array.from({ length: 40 }, (_, i) => Buffer.alloc(65_536 + i, i));
    const all = Buffer.concat(many);
    const got = await readBodyToFile(body(many), join(dir, 'm.zip'), {
      ...ctx,
      maxBytes: 4 << 20,
    });
    expect((await readFile(got.path)).equals(all)).toBe(true);
    expect(got).toMatchObject({ size: all.length, sha256: sha(all) });
  });

  it('when the body is too large: TOO_LARGE, no file left, nothing held', async () => {
    const budget = new MemoryBudget(10_000);
    const small = { ...ctx, maxBytes: 4000 };
    await expect(
      readBodyToFile(body(parts), join(dir, 'd.zip'), small, { memory: budget }),
    ).rejects.toMatchObject({ code: 'TOO_LARGE' });
    expect(await readdir(dir)).toEqual([]);
    expect(budget.take(10_000)).toBe(true);
  });

  it('when its file already exists: it fails and leaves that file alone', async () => {
    const path = join(dir, 'taken.zip');
    await writeFile(path, 'not ours');
    const budget = new MemoryBudget(1500);
    await expect(readBodyToFile(body(parts), path, ctx, { memory: budget })).rejects.toMatchObject({
      code: 'SPOOL',
      message: expect.stringContaining(`in ${path}: EEXIST`),
    });
    expect(await readFile(path, 'utf8')).toBe('not ours');
    expect(budget.take(1500)).toBe(true);
  });

  it('when the body spilled and then failed: the partial file is removed', async () => {
    const budget = new MemoryBudget(1500);
    const small = { ...ctx, maxBytes: 4200 };
    await expect(
      readBodyToFile(body(parts), join(dir, 'e.zip'), small, { memory: budget }),
    ).rejects.toMatchObject({ code: 'TOO_LARGE' });
    expect(await readdir(dir)).toEqual([]);
    expect(budget.take(1500)).toBe(true);
  });
});
