import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineOptions, Privacy, VerifiedStore } from '../../check/engine.js';
import type { Retractions } from '../../check/run.js';
import type { ProxyWitness, SumdbWitness, VcsWitness } from '../../check/witness.js';
import { Cache } from '../../cache/cache.js';
import { defaultCacheDir } from '../../cache/dirs.js';
import { bypassesProxy, isPrivate, type GoEnv } from '../../go/env.js';
import { parseGoMod } from '../../go/gomod.js';
import { parseGoSumdb } from '../../go/gosumdb.js';
import { matchPrefixPatterns } from '../../go/module.js';
import { ProxyClient } from '../../proxy/client.js';
import { egressFromEnv } from '../../proxy/config.js';
import { HttpClient } from '../../proxy/http.js';
import { loadNetrc } from '../../proxy/netrc.js';
import { sourceLabel } from '../../proxy/redact.js';
import { proxyWitness } from '../../proxy/witness.js';
import { connectSumdb } from '../../sumdb/connect.js';
import { chooseSumdbBase } from '../../sumdb/http.js';
import { sumdbWitness } from '../../sumdb/witness.js';
import { gitWitness } from '../../vcs/witness.js';
import type { CheckOptions } from './options.js';

/** Witnesses is everything the engine asks, plus what must be closed afterwards. */
export interface Witnesses {
  readonly engine: Omit<EngineOptions, 'deep' | 'onProgress'>;
  readonly retractions?: Retractions;
  close(): Promise<void>;
}

/**
 * privacyOf is which public witnesses a module may reach. A module matched by
 * GOPRIVATE, GONOPROXY or GONOSUMDB is never sent to a proxy; one matched by GOPRIVATE
 * or GONOSUMDB never to the checksum database (GO-FACTS §4: GONOPROXY and GONOSUMDB
 * default to GOPRIVATE). Stricter than the go command for GONOSUMDB-only modules, which
 * it would still fetch from GOPROXY: a private path must not leak to a public proxy.
 */
export function privacyOf(env: GoEnv): Privacy {
  const noSumdb = (m: string) => matchPrefixPatterns(env.values.GONOSUMDB.value, m);
  return {
    skipsProxies: (m) => isPrivate(env, m) || bypassesProxy(env, m) || noSumdb(m),
    skipsSumdb: (m) => isPrivate(env, m) || noSumdb(m),
  };
}

/** proxyName names a proxy witness by its redacted host and path: "proxy.golang.org". */
export function proxyName(url: string): string {
  return sourceLabel(url).replace(/^[a-z]+:\/\//, '');
}

/**
 * openWitnesses builds the witnesses for one check: one proxy witness per --proxy over
 * a shared HTTP client (one connection pool per origin), the sumdb client with its
 * tree-head store in the cache, the git witness with --direct, and the verified-line
 * store. With --offline nothing that could reach the network is built.
 */
export async function openWitnesses(
  options: CheckOptions,
  env: GoEnv,
  processEnv: NodeJS.ProcessEnv,
): Promise<Witnesses> {
  const cacheDir = options.noCache ? undefined : (options.cacheDir ?? defaultCacheDir());
  const cache = cacheDir === undefined ? undefined : Cache.open(cacheDir);
  const store = cache === undefined ? undefined : verifiedStore(cache);
  const privacy = privacyOf(env);
  if (options.offline) {
    return {
      engine: { proxies: [], privacy, ...(store ? { store } : {}), offline: true },
      close: async () => {},
    };
  }
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const c of closers.splice(0).reverse()) await c();
  };
  try {
    const spool = await mkdtemp(join(tmpdir(), 'modguard-spool-'));
    closers.push(() => rm(spool, { recursive: true, force: true }));
    const http = new HttpClient({
      netrc: await loadNetrc(processEnv),
      egress: egressFromEnv(processEnv),
    });
    closers.push(() => http.close());
    const clients = options.proxies.map((url) => new ProxyClient(url, http));
    const proxies: ProxyWitness[] = clients.map((client, i) =>
      proxyWitness(client, {
        name: proxyName(options.proxies[i] ?? ''),
        url: sourceLabel(options.proxies[i] ?? ''),
        spoolDir: spool,
        deadlineMs: options.timeoutMs,
      }),
    );
    const sumdb = await openSumdb(options, env, cacheDir, closers);
    const vcs = options.direct ? await openGit(options, processEnv, cacheDir, closers) : undefined;
    const engine = {
      proxies,
      privacy,
      concurrency: options.concurrency,
      ...(sumdb ? { sumdb } : {}),
      ...(vcs ? { vcs } : {}),
      ...(store ? { store } : {}),
    };
    const first = clients[0];
    const retractions: Retractions | undefined =
      first === undefined
        ? undefined
        : (m) =>
            privacy.skipsProxies(m) ? Promise.resolve(undefined) : latestRetractions(first, m);
    return { engine, ...(retractions ? { retractions } : {}), close };
  } catch (err) {
    await close();
    throw err;
  }
}

async function openSumdb(
  options: CheckOptions,
  env: GoEnv,
  cacheDir: string | undefined,
  closers: (() => Promise<void>)[],
): Promise<SumdbWitness | undefined> {
  const config = options.sumdb === undefined ? env.sumdb : parseGoSumdb(options.sumdb);
  if (config.off === true) return undefined;
  const baseUrl = await chooseSumdbBase(config.name, config.url, env.proxy);
  const stateDir = cacheDir === undefined ? undefined : join(cacheDir, 'sumdb');
  const db = connectSumdb({ verifierKey: config.key, baseUrl, ...(stateDir ? { stateDir } : {}) });
  closers.push(() => db.close());
  return sumdbWitness(db.client, sourceLabel(baseUrl));
}

async function openGit(
  options: CheckOptions,
  processEnv: NodeJS.ProcessEnv,
  cacheDir: string | undefined,
  closers: (() => Promise<void>)[],
): Promise<VcsWitness> {
  let mirrorDir: string;
  if (cacheDir === undefined) {
    mirrorDir = await mkdtemp(join(tmpdir(), 'modguard-vcs-'));
    closers.push(() => rm(mirrorDir, { recursive: true, force: true }));
  } else {
    mirrorDir = join(cacheDir, 'vcs');
  }
  const trust = {
    ...(processEnv.GNUPGHOME ? { gnupgHome: processEnv.GNUPGHOME } : {}),
    ...(options.allowedSigners ? { allowedSignersFile: options.allowedSigners } : {}),
  };
  return gitWitness({
    mirrorDir,
    trust,
    ...(options.goGetBase ? { discoveryBase: options.goGetBase } : {}),
  });
}

/** verifiedStore keeps "every witness agreed" records in the cache, keyed by the exact line. */
function verifiedStore(cache: Cache): VerifiedStore {
  return {
    isVerified: async (line, witnesses) => {
      const record = await cache.verified(line);
      return record !== undefined && witnesses.every((w) => record.witnesses.includes(w));
    },
    markVerified: (line, witnesses) =>
      cache.markVerified({ ...line, witnesses, at: new Date().toISOString() }),
  };
}

/** latestRetractions reads the retract directives of a module's latest go.mod from a proxy. */
async function latestRetractions(client: ProxyClient, module: string) {
  try {
    const latest = await client.latest(module);
    const text = (await client.mod(module, latest.Version)).toString('utf8');
    const mod = parseGoMod(text, `${module}@${latest.Version}/go.mod`);
    return mod.errors.length > 0 ? undefined : mod.retract;
  } catch {
    return undefined;
  }
}
