import { rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { EngineOptions, Privacy } from '../../check/engine.js';
import type { Retractions } from '../../check/run.js';
import type { ProxyWitness, SumdbWitness, VcsWitness, WitnessAnswer } from '../../check/witness.js';
import { Cache } from '../../cache/cache.js';
import { defaultCacheDir } from '../../cache/dirs.js';
import { RetractionsCache } from '../../cache/retractions.js';
import { witnessError } from '../../check/answer.js';
import { ModguardError } from '../../errors.js';
import { bypassesProxy, isPrivate, type GoEnv } from '../../go/env.js';
import { parseGoSumdb, type SumdbConfig } from '../../go/gosumdb.js';
import { matchPrefixPatterns } from '../../go/module.js';
import { ProxyClient } from '../../proxy/client.js';
import { webSettings } from '../../proxy/config.js';
import { FileTransport, isFileUrl } from '../../proxy/file-transport.js';
import { HttpClient, type WebSettings } from '../../proxy/http.js';
import { sourceLabel } from '../../proxy/redact.js';
import { proxyWitness } from '../../proxy/witness.js';
import { ZipWork } from '../../proxy/zipwork.js';
import { dialSumdb, type LookupCache } from '../../sumdb/connect.js';
import { sumdbWitness } from '../../sumdb/witness.js';
import { makeTempDir, sweepDeadTempDirs } from '../../temp-dirs.js';
import { discoveryClient } from '../../vcs/discover.js';
import { GIT_WITNESS, gitWitness } from '../../vcs/witness.js';
import { proxyWitnessName, splitProxyArg, type CheckOptions } from './options.js';
import { retractionsFromProxies, retractionsOf } from './retractions.js';
import { proxyWitnessIdentity, verifiedStore, witnessIdentities } from './store.js';

/** Witnesses is everything the engine asks, plus what must be closed afterwards. */
export interface Witnesses {
  readonly engine: Omit<EngineOptions, 'deep' | 'onProgress'>;
  readonly retractions: Retractions;
  close(): Promise<void>;
  /** what the cache could not read or write (the check ran on without it) */
  problems(): readonly string[];
}

/**
 * privacyOf is which public witnesses a module may reach, as the go command decides
 * (GO-FACTS §4): GONOPROXY keeps a module from proxies, GONOSUMDB from the checksum
 * database, and both default to GOPRIVATE. A module GOPRIVATE matches is kept from
 * both even when GONOPROXY or GONOSUMDB is set otherwise: modguard's proxies need not
 * be the user's GOPROXY, and a private path must not leak to a public one. A module
 * only GONOSUMDB matches is still asked of the proxies, as the go command fetches it
 * from GOPROXY: skipping it would let a tampered line pass unchecked (MG502 warns of
 * the configuration).
 */
export function privacyOf(env: GoEnv): Privacy {
  const noSumdb = (m: string) => matchPrefixPatterns(env.values.GONOSUMDB.value, m);
  return {
    skipsProxies: (m) => isPrivate(env, m) || bypassesProxy(env, m),
    skipsSumdb: (m) => isPrivate(env, m) || noSumdb(m),
  };
}

/**
 * openWitnesses builds the witnesses for one check: one proxy witness per --proxy over
 * a shared HTTP client (one connection pool per origin), the sumdb client with its
 * tree-head store and tiles in the cache (connected on its first lookup, so a run the
 * cache answers asks nothing), the git witness with --direct, the verified-line store
 * and the retractions (cached for an hour). With --offline nothing that could reach the
 * network is built: lines and retractions come from the cache only.
 */
export async function openWitnesses(
  options: CheckOptions,
  env: GoEnv,
  processEnv: NodeJS.ProcessEnv,
): Promise<Witnesses> {
  const identities = witnessIdentities(options, sumdbConfig(options, env), processEnv);
  const cacheDir = options.noCache ? undefined : (options.cacheDir ?? cacheDirOf(processEnv));
  const cache = cacheDir === undefined ? undefined : Cache.open(cacheDir);
  const store = cache === undefined ? undefined : verifiedStore(cache, identities);
  const retractCache = cache === undefined ? undefined : new RetractionsCache(cache);
  // Retractions are read from the first proxy that answers, and kept under the first's name.
  const retractFrom = proxyWitnessIdentity(splitProxyArg(options.proxies[0] ?? '').url);
  const privacy = privacyOf(env);
  const problems = () => cache?.problems() ?? [];
  if (options.offline) {
    const { proxies, sumdb, vcs } = offlineWitnesses(options, env);
    return {
      engine: {
        proxies,
        privacy,
        ...(sumdb ? { sumdb } : {}),
        ...(vcs ? { vcs } : {}),
        ...(store ? { store } : {}),
        offline: true,
      },
      retractions: retractionsOf({
        privacy,
        proxy: retractFrom,
        ...(retractCache ? { cache: retractCache } : {}),
      }),
      close: async () => {},
      problems,
    };
  }
  const closers: (() => Promise<void>)[] = [];
  if (cache !== undefined) {
    // Closers run last first: flush, then sweep what killed writers left (best effort).
    closers.push(() =>
      cache.sweep().then(
        () => undefined,
        () => undefined,
      ),
    );
    closers.push(() => cache.flush());
  }
  // One close for all: an interrupted run's cleanup waits for a close already under way.
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      for (const c of closers.splice(0).reverse()) await c();
    })());
  try {
    const spool = await makeTempDir('modguard-spool-');
    closers.push(() => rm(spool, { recursive: true, force: true }));
    // What killed runs left there goes meanwhile (housekeeping: it never fails the check).
    const swept = sweepDeadTempDirs();
    closers.push(() => swept.then(() => undefined));
    const web = await webSettings(env, processEnv);
    const http = new HttpClient(web);
    closers.push(() => http.close());
    const specs = options.proxies.map(splitProxyArg);
    const file = new FileTransport();
    const clients = specs.map((p) => new ProxyClient(p.url, isFileUrl(p.url) ? file : http));
    const zipWork = new ZipWork(specs.length);
    closers.push(() => zipWork.close());
    const proxies: ProxyWitness[] = clients.map((client, i) =>
      proxyWitness(client, {
        name: proxyWitnessName(specs[i]),
        url: sourceLabel(specs[i]?.url ?? ''),
        spoolDir: spool,
        zipWork,
        deadlineMs: options.timeoutMs,
      }),
    );
    const sumdb = openSumdb(options, env, web, cache, closers);
    const vcs = options.direct
      ? await openGit(options, processEnv, web, cacheDir, closers)
      : undefined;
    const engine = {
      proxies,
      privacy,
      concurrency: options.concurrency,
      ...(sumdb ? { sumdb } : {}),
      ...(vcs ? { vcs } : {}),
      ...(store ? { store } : {}),
    };
    const retractions = retractionsOf({
      privacy,
      proxy: retractFrom,
      ...(retractCache ? { cache: retractCache } : {}),
      ...(clients.length > 0
        ? { fetch: (m: string) => retractionsFromProxies(clients, m, options.timeoutMs) }
        : {}),
    });
    return { engine, retractions, close, problems };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * offlineWitnesses are --offline's witnesses: named exactly as an online check with the
 * same configuration names them, so that a line counts as verified from the cache only
 * when those witnesses verified it (a record made with fewer, e.g. under GOSUMDB=off,
 * does not do), and unable to reach anything: the engine answers offline lines from
 * the cache before asking, and an ask would only get an error answer.
 */
function offlineWitnesses(
  options: CheckOptions,
  env: GoEnv,
): { proxies: ProxyWitness[]; sumdb?: SumdbWitness; vcs?: VcsWitness } {
  const notAsked = (witness: string, role: WitnessAnswer['role'], url: string): WitnessAnswer => ({
    witness,
    role,
    url,
    error: witnessError(new ModguardError('OFFLINE', 'unavailable', '--offline: not asked')),
  });
  const proxies = options.proxies.map(splitProxyArg).map((spec): ProxyWitness => {
    const name = proxyWitnessName(spec);
    const url = sourceLabel(spec.url);
    return { name, url, fetch: async () => notAsked(name, 'proxy', url) };
  });
  const config = sumdbConfig(options, env);
  let sumdb: SumdbWitness | undefined;
  if (config.off !== true) {
    const { name } = config;
    const url = sumdbLabel(config);
    sumdb = { name, url, lookup: async () => notAsked(name, 'sumdb', url) };
  }
  const vcs: VcsWitness | undefined = options.direct
    ? { name: GIT_WITNESS, fetch: async () => notAsked(GIT_WITNESS, 'vcs', '') }
    : undefined;
  return { proxies, ...(sumdb ? { sumdb } : {}), ...(vcs ? { vcs } : {}) };
}

function sumdbConfig(options: CheckOptions, env: GoEnv): SumdbConfig {
  return options.sumdb === undefined ? env.sumdb : parseGoSumdb(options.sumdb);
}

function sumdbLabel(config: Exclude<SumdbConfig, { off: true }>): string {
  return sourceLabel(config.url ?? `https://${config.name}`);
}

/**
 * openSumdb is the checksum database witness of --sumdb or GOSUMDB, undefined when off.
 * The database is chosen (GOPROXY's /sumdb/<name>/supported probe) and connected on
 * the first lookup; a failure there is every lookup's error answer (inconclusive). The
 * probe and the reads have the proxies' web settings (.netrc credentials, egress proxy),
 * as the go command's do, but a client of their own where the go command has one for
 * all: sumdb reads are not retried, wait --timeout for headers and body, and do not
 * queue behind zip downloads for a connection when a proxy also serves /sumdb/.
 */
function openSumdb(
  options: CheckOptions,
  env: GoEnv,
  web: WebSettings,
  cache: Cache | undefined,
  closers: (() => Promise<void>)[],
): SumdbWitness | undefined {
  const config = sumdbConfig(options, env);
  if (config.off === true) return undefined;
  const open = async (): Promise<SumdbWitness> => {
    const db = await dialSumdb({
      verifierKey: config.key,
      url: config.url,
      proxies: env.proxy,
      ...(cache ? { stateDir: join(cache.dir, 'sumdb'), lookups: lookupCache(cache) } : {}),
      http: { ...web, headersMs: options.timeoutMs, bodyMs: options.timeoutMs },
    });
    closers.push(() => db.close());
    const url = sourceLabel(db.remote.baseUrl);
    return sumdbWitness(db.client, url, { deadlineMs: options.timeoutMs });
  };
  let opened: Promise<SumdbWitness> | undefined;
  const name = config.name;
  const url = sumdbLabel(config);
  return {
    name,
    url,
    lookup: async (module, version) => {
      opened ??= open();
      try {
        return await (await opened).lookup(module, version);
      } catch (err) {
        return { witness: name, url, error: witnessError(err) };
      }
    },
  };
}

/**
 * openGit is the git tag witness of --direct: bare mirrors in the cache (or a temporary
 * directory), go-get discovery with the web settings (.netrc credentials, egress proxy).
 */
async function openGit(
  options: CheckOptions,
  processEnv: NodeJS.ProcessEnv,
  web: WebSettings,
  cacheDir: string | undefined,
  closers: (() => Promise<void>)[],
): Promise<VcsWitness> {
  let mirrorDir: string;
  if (cacheDir === undefined) {
    mirrorDir = await makeTempDir('modguard-vcs-');
    closers.push(() => rm(mirrorDir, { recursive: true, force: true }));
  } else {
    mirrorDir = join(cacheDir, 'vcs');
  }
  const trust = {
    ...(processEnv.GNUPGHOME ? { gnupgHome: processEnv.GNUPGHOME } : {}),
    ...(options.allowedSigners ? { allowedSignersFile: options.allowedSigners } : {}),
  };
  const http = discoveryClient(web);
  closers.push(() => http.close());
  return gitWitness({
    mirrorDir,
    trust,
    ...(options.goGetBase ? { discoveryBase: options.goGetBase } : {}),
    http,
  });
}

/** lookupCache keeps the sumdb's lookup answers in one cache journal, base64-encoded. */
function lookupCache(cache: Cache): LookupCache {
  const journal = cache.journal('sumdb-lookups', (v) => (typeof v === 'string' ? v : undefined));
  return {
    get: async (file) => {
      const entry = await journal.get(file);
      return entry === undefined ? undefined : new Uint8Array(Buffer.from(entry.value, 'base64'));
    },
    set: (file, data) => journal.set(file, Buffer.from(data).toString('base64')),
  };
}

/** cacheDirOf is the default --cache-dir for the command's environment (not this process's). */
function cacheDirOf(processEnv: NodeJS.ProcessEnv): string {
  const home = processEnv['HOME'] ?? homedir();
  return defaultCacheDir({ platform: process.platform, env: processEnv, homedir: home });
}
