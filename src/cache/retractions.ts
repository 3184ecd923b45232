import type { RetractRange } from '../check/retract.js';
import type { Cache } from './cache.js';

/** RETRACTIONS_TTL_MS is how long a module's retractions are reused: one hour. */
export const RETRACTIONS_TTL_MS = 60 * 60 * 1000;

/**
 * RetractionsCache keeps, per module, the retract directives of its latest go.mod as a
 * proxy gave them (`@latest`, then its `.mod`), with the time they were read. Unlike a
 * verified line, this is not a fact that stays true: a module may retract a version
 * tomorrow, so an entry is only reused while it is younger than a time to live.
 */
export class RetractionsCache {
  constructor(
    private readonly cache: Cache,
    private readonly now: () => number = Date.now,
  ) {}

  /** put records a module's retractions as read now. */
  async put(module: string, retract: readonly RetractRange[]): Promise<void> {
    const ranges = retract.map(({ low, high, rationale }) => ({ low, high, rationale }));
    const json = JSON.stringify({ module, at: this.now(), retract: ranges });
    await this.cache.put(retractionsKey(module), new TextEncoder().encode(json));
  }

  /**
   * get returns the module's retractions if they were read at most `maxAgeMs` ago
   * (Infinity: at any time), else undefined. An entry from the future (the clock went
   * back) or one that does not parse is a miss.
   */
  async get(module: string, maxAgeMs: number): Promise<readonly RetractRange[] | undefined> {
    const bytes = await this.cache.get(retractionsKey(module));
    if (bytes === undefined) return undefined;
    const entry = parseEntry(bytes, module);
    if (entry === undefined) return undefined;
    const age = this.now() - entry.at;
    return age >= 0 && age <= maxAgeMs ? entry.retract : undefined;
  }
}

function retractionsKey(module: string): string {
  return ['retractions', module].join('\u0000');
}

function parseEntry(
  bytes: Uint8Array,
  module: string,
): { at: number; retract: RetractRange[] } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const e = value as Record<string, unknown>;
  if (e['module'] !== module || typeof e['at'] !== 'number' || !Number.isFinite(e['at'])) {
    return undefined;
  }
  const list = e['retract'];
  if (!Array.isArray(list) || !list.every(isRange)) return undefined;
  return { at: e['at'], retract: list };
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
