import { RETRACTIONS_TTL_MS, type RetractionsCache } from '../../cache/retractions.js';
import type { Privacy } from '../../check/engine.js';
import type { RetractRange } from '../../check/retract.js';
import type { Retractions } from '../../check/run.js';
import { parseDependencyGoMod } from '../../go/gomod.js';
import type { ProxyClient } from '../../proxy/client.js';
import { ProxyError } from '../../proxy/errors.js';

/** FetchRetractions reads a module's retractions from the network, or undefined when it could not. */
export type FetchRetractions = (module: string) => Promise<readonly RetractRange[] | undefined>;

/**
 * retractionsOf is where the retraction check (MG601) gets a module's retract
 * directives: never for a module kept from proxies (GOPRIVATE/GONOPROXY); from the
 * cache while the entry is younger than RETRACTIONS_TTL_MS (--offline: of any age);
 * else from `fetch` (absent offline), whose answer is cached. What could not be had is
 * undefined: the check then says nothing about that module.
 */
export function retractionsOf(options: {
  readonly privacy: Privacy;
  readonly cache?: RetractionsCache;
  readonly fetch?: FetchRetractions;
}): Retractions {
  const { privacy, cache, fetch } = options;
  return async (module) => {
    if (privacy.skipsProxies(module)) return undefined;
    const maxAge = fetch === undefined ? Number.POSITIVE_INFINITY : RETRACTIONS_TTL_MS;
    const cached = await cache?.get(module, maxAge);
    if (cached !== undefined || fetch === undefined) return cached;
    const fresh = await fetch(module);
    if (fresh !== undefined) cache?.put(module, fresh);
    return fresh;
  };
}

/**
 * latestRetractions reads the retract directives of a module's latest go.mod from a
 * proxy (`@latest`, then `@v/<latest>.mod`; go.dev/ref/mod#go-mod-file-retract), within
 * `timeoutMs`. A module the proxy does not have (404/410 on @latest and @v/list) has
 * no retractions it could announce: []. Any other failure, or a go.mod that does not
 * parse, is undefined (the .mod of a listed latest version must exist).
 */
export async function latestRetractions(
  client: ProxyClient,
  module: string,
  timeoutMs: number,
): Promise<readonly RetractRange[] | undefined> {
  const signal = AbortSignal.timeout(timeoutMs);
  let latest: string;
  try {
    latest = (await client.latest(module, signal)).Version;
  } catch (err) {
    return err instanceof ProxyError && err.isNotFound ? [] : undefined;
  }
  try {
    const text = (await client.mod(module, latest, signal)).toString('utf8');
    const mod = parseDependencyGoMod(text, `${module}@${latest}/go.mod`);
    return mod.errors.length > 0 ? undefined : mod.retract;
  } catch {
    return undefined;
  }
}
