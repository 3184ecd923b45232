import type { RetractRange } from '../check/retract.js';
import type { Cache } from './cache.js';
import type { Journal } from './journal.js';

/** RETRACTIONS_TTL_MS is how long a module's retractions are reused: one hour. */
export const RETRACTIONS_TTL_MS = 60 * 60 * 1000;

/**
 * RetractionsCache keeps, per proxy and module, the retract directives of the module's
 * latest go.mod as that proxy gave them (src/cli/check/retractions.ts), with the time they
 * were read. `proxy` is the identity of the proxy read from (src/cli/check/store.ts
 * proxyWitnessIdentity): a run with other proxies does not reuse what another server
 * said. Unlike a verified line, this is not a fact that stays true: a module may retract
 * a version tomorrow, so an entry is only reused while it is younger than a time to live.
 */
export class RetractionsCache {
  private readonly journal: Journal<readonly RetractRange[]>;

  constructor(
    cache: Cache,
    private readonly now: () => number = Date.now,
  ) {
    this.journal = cache.journal('retractions', parseRanges);
  }

  /** put records a module's retractions as read from proxy now (written on flush). */
  put(proxy: string, module: string, retract: readonly RetractRange[]): void {
    const ranges = retract.map(({ low, high, rationale }) => ({ low, high, rationale }));
    this.journal.set(recordKey(proxy, module), ranges, this.now());
  }

  /**
   * get returns the module's retractions if they were read from proxy at most
   * `maxAgeMs` ago (Infinity: at any time), else undefined. An entry from the future
   * (the clock went back) or one that does not parse is a miss.
   */
  async get(
    proxy: string,
    module: string,
    maxAgeMs: number,
  ): Promise<readonly RetractRange[] | undefined> {
    const entry = await this.journal.get(recordKey(proxy, module));
    if (entry === undefined) return undefined;
    const age = this.now() - entry.at;
    return age >= 0 && age <= maxAgeMs ? entry.value : undefined;
  }
}

/**
 * recordKey is "<proxy> <module>". A module path holds no space, so no two pairs share
 * a key; records keyed by module alone (before proxies were told apart) never match.
 */
function recordKey(proxy: string, module: string): string {
  return `${proxy} ${module}`;
}

function parseRanges(value: unknown): RetractRange[] | undefined {
  return Array.isArray(value) && value.every(isRange) ? value : undefined;
}

function isRange(x: unknown): x is RetractRange {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Record<string, unknown>;
  return (
    typeof r['low'] === 'string' &&
    typeof r['high'] === 'string' &&
    typeof r['rationale'] === 'string'
  );
}
