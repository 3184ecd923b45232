/**
 * mapBounded runs `task` over `items` with at most `limit` tasks in flight and returns
 * the results in input order. A task that throws rejects the whole call; witness
 * adapters return failures as data, so in the engine a throw is a bug, not a verdict.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`bad concurrency ${limit}`);
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * memoize returns `fn` with its promise kept per key, so concurrent callers share one
 * request (one sumdb lookup answers both go.sum lines of a version).
 */
export function memoize<R>(fn: (key: string) => Promise<R>): (key: string) => Promise<R> {
  const seen = new Map<string, Promise<R>>();
  return (key) => {
    let p = seen.get(key);
    if (p === undefined) {
      p = fn(key);
      seen.set(key, p);
    }
    return p;
  };
}
