import { RETRACTIONS_TTL_MS, type RetractionsCache } from '../../cache/retractions.js';
import type { Privacy } from '../../check/engine.js';
import type { RetractRange } from '../../check/retract.js';
import type { Retractions } from '../../check/run.js';
import { parseDependencyGoMod } from '../../go/gomod.js';
import { latestListed, legacyGoMod } from '../../go/query.js';
import type { ProxyClient } from '../../proxy/client.js';
import { ProxyError } from '../../proxy/errors.js';

/** FetchRetractions reads a module's retractions from the network, or undefined when it could not. */
export type FetchRetractions = (module: string) => Promise<readonly RetractRange[] | undefined>;

/**
 * retractionsOf is where the retraction check (MG601) gets a module's retract
 * directives: never for a module kept from proxies (GOPRIVATE/GONOPROXY); from the
 * cache while the entry `proxy` gave is younger than RETRACTIONS_TTL_MS (--offline: of
 * any age); else from `fetch` (absent offline), whose answer is cached as `proxy`'s
 * (the first proxy's identity stands for the check's proxies, whichever answered).
 * What could not be had is undefined: the check then says nothing about that module.
 */
export function retractionsOf(options: {
  readonly privacy: Privacy;
  /** the identity (proxyWitnessIdentity) of the proxy `fetch` reads, online or not */
  readonly proxy: string;
  readonly cache?: RetractionsCache;
  readonly fetch?: FetchRetractions;
}): Retractions {
  const { privacy, proxy, cache, fetch } = options;
  return async (module) => {
    if (privacy.skipsProxies(module)) return undefined;
    const maxAge = fetch === undefined ? Number.POSITIVE_INFINITY : RETRACTIONS_TTL_MS;
    const cached = await cache?.get(proxy, module, maxAge);
    if (cached !== undefined || fetch === undefined) return cached;
    const fresh = await fetch(module);
    if (fresh !== undefined) cache?.put(proxy, module, fresh);
    return fresh;
  };
}

/**
 * retractionsFromProxies is readRetractions over the check's proxies in turn, the
 * next asked when one cannot answer or does not have the module, as the go command
 * falls back along GOPROXY (it asks its own list; modguard's proxies are the ones it
 * has): one proxy down or missing the module no longer hides a retraction the other
 * announces. [] when no proxy has the module; undefined when one that might have it
 * could not answer.
 */
export async function retractionsFromProxies(
  clients: readonly ProxyClient[],
  module: string,
  timeoutMs: number,
): Promise<readonly RetractRange[] | undefined> {
  let unanswered = false;
  for (const client of clients) {
    const read = await readRetractions(client, module, timeoutMs);
    if (read === undefined) unanswered = true;
    else if (read !== NOT_FOUND) return read;
  }
  return unanswered ? undefined : [];
}

const NOT_FOUND = Symbol('not found');

/**
 * readRetractions reads the retract directives of a module's latest go.mod from one
 * proxy, within `timeoutMs`, as the go command's CheckRetractions does
 * (go.dev/ref/mod#go-mod-file-retract, G/modload/modfile.go:172): the latest version is
 * the one a `latest` query picks from `@v/list` with retracted versions allowed
 * (latestListed), and `@latest` only when nothing is listed. A proxy's `@latest` is not
 * asked first: proxy.golang.org's names the newest version that is not retracted, whose
 * go.mod may not say what the newer, retracted one does. NOT_FOUND when the proxy does
 * not have the module (404/410); undefined on any other failure, or a go.mod that does
 * not parse (the .mod of a listed latest version must exist).
 */
async function readRetractions(
  client: ProxyClient,
  module: string,
  timeoutMs: number,
): Promise<readonly RetractRange[] | typeof NOT_FOUND | undefined> {
  const signal = AbortSignal.timeout(timeoutMs);
  let latest: string;
  try {
    latest = await latestVersion(client, module, signal);
  } catch (err) {
    return err instanceof ProxyError && err.isNotFound ? NOT_FOUND : undefined;
  }
  try {
    const text = (await client.mod(module, latest, signal)).toString('utf8');
    const mod = parseDependencyGoMod(text, `${module}@${latest}/go.mod`);
    return mod.errors.length > 0 ? undefined : mod.retract;
  } catch {
    return undefined;
  }
}

/**
 * latestVersion is Query(module, "latest") with every version allowed, over one proxy
 * (G/modload/query.go queryProxy): the list's pick, else `@latest` (which falls back to
 * the list's newest pseudo-version). A go.mod that cannot be read while weighing the
 * +incompatible versions fails the query, as it does in Go, but is never not-found.
 */
async function latestVersion(
  client: ProxyClient,
  module: string,
  signal: AbortSignal,
): Promise<string> {
  const listed = (await client.list(module, signal)).map((l) => l.version);
  const legacy = Buffer.from(legacyGoMod(module));
  const hasGoMod = async (version: string): Promise<boolean> => {
    try {
      return !(await client.mod(module, version, signal)).equals(legacy);
    } catch (err) {
      throw new Error(`${module}@${version}: reading go.mod`, { cause: err });
    }
  };
  return (await latestListed(listed, hasGoMod)) ?? (await client.latest(module, signal)).Version;
}
