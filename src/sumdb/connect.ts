/**
 * connectSumdb wires a SumdbClient to a database over HTTP (http.ts) with its state
 * in a directory (store.ts). Without a state directory, state lives in memory only
 * (then every run trusts the first tree head it sees). dialSumdb first finds the
 * database as the go command does.
 */
import { SumdbClient } from './client.js';
import { SumdbError } from './errors.js';
import {
  HttpRemote,
  chooseSumdbBase,
  probeSupported,
  type HttpRemoteOptions,
  type ProxyEntryLike,
} from './http.js';
import { parseVerifierKey } from './note.js';
import type { ClientOps } from './ops.js';
import { StateStore } from './store.js';

/** ConnectedSumdb is a client plus its transport, which must be closed. */
export interface ConnectedSumdb {
  readonly client: SumdbClient;
  readonly remote: HttpRemote;
  close(): Promise<void>;
}

/**
 * LookupCache keeps authenticated lookup answers by cache file name, written in a batch
 * later (a cache journal): one file per lookup, as x/mod keeps them, costs a file
 * creation per go.sum module on a cold check. The client proves a cached lookup again
 * against the tree before use, like any other.
 */
export interface LookupCache {
  get(file: string): Promise<Uint8Array | undefined>;
  set(file: string, data: Uint8Array): void;
}

/** ConnectOptions say which database, where it is, where its state lives and how to read it. */
export interface ConnectOptions {
  readonly verifierKey: string;
  readonly baseUrl: string;
  readonly stateDir?: string;
  /** where lookups are cached instead of one file each under stateDir */
  readonly lookups?: LookupCache;
  readonly http?: HttpRemoteOptions;
}

/** DialOptions are ConnectOptions with the database's URL still to be chosen. */
export interface DialOptions extends Omit<ConnectOptions, 'baseUrl'> {
  /** the URL of GOSUMDB's second field, used as is */
  readonly url?: string | undefined;
  /** the GOPROXY list, whose URL entries may serve the database at /sumdb/<name>/ */
  readonly proxies: readonly ProxyEntryLike[];
}

/**
 * dialSumdb connects to a database as the go command does (G/modfetch/sumdb.go dbDial):
 * at opts.url when given, else where chooseSumdbBase's `/sumdb/<name>/supported` probe
 * along GOPROXY finds it. The probe reads with the web settings and CA of opts.http (its
 * timeouts are HttpRemote's defaults), the database's reads with all of opts.http: a
 * command passes the web settings of its GOPROXY reads, so the credentials and egress
 * proxy are the same for both, as for the go command's one web client (G/web/http.go).
 */
export async function dialSumdb(opts: DialOptions): Promise<ConnectedSumdb> {
  const { url, proxies, ...rest } = opts;
  const name = parseVerifierKey(opts.verifierKey).name;
  const { netrc, egress, ca } = opts.http ?? {};
  const probeOptions = { netrc, egress, ca };
  const baseUrl = await chooseSumdbBase(name, url, proxies, (u) => probeSupported(u, probeOptions));
  return connectSumdb({ ...rest, baseUrl });
}

/** connectSumdb connects to the database at opts.baseUrl; nothing is read before a lookup. */
export function connectSumdb(opts: ConnectOptions): ConnectedSumdb {
  const name = parseVerifierKey(opts.verifierKey).name;
  const remote = new HttpRemote(opts.baseUrl, opts.http);
  const store = opts.stateDir === undefined ? undefined : new StateStore(opts.stateDir, name);
  const state = store ?? memoryState();
  const lookups = opts.lookups;
  const lookupPrefix = `${name}/lookup/`;
  const ops: ClientOps = {
    readRemote: (p) => remote.readRemote(p),
    readConfig: (f) => state.readConfig(f),
    writeConfig: (f, o, d) => state.writeConfig(f, o, d),
    configPath: (f) => state.configPath(f),
    readCache: async (f, age) =>
      lookups !== undefined && f.startsWith(lookupPrefix)
        ? lookups.get(f)
        : state.readCache(f, age),
    writeCache: async (f, d) => {
      if (lookups !== undefined && f.startsWith(lookupPrefix)) lookups.set(f, d);
      else await state.writeCache(f, d);
    },
  };
  const client = new SumdbClient({ verifierKey: opts.verifierKey, ops });
  // Closed, the state's writes under way end before the process may: none is cut short.
  const close = async () => void (await Promise.all([remote.close(), store?.close()]));
  return { client, remote, close };
}

/** memoryState is ClientOps' config and cache halves in memory (compare-and-swap included). */
export function memoryState(): Omit<ClientOps, 'readRemote'> {
  const config = new Map<string, Uint8Array>();
  const cache = new Map<string, Uint8Array>();
  return {
    readConfig: async (f) => config.get(f) ?? new Uint8Array(),
    writeConfig: async (f, old, data) => {
      const cur = config.get(f) ?? new Uint8Array();
      if (!Buffer.from(cur).equals(Buffer.from(old))) {
        throw new SumdbError('STATE_CONFLICT', `${f} changed`);
      }
      config.set(f, data);
    },
    configPath: (f) => `${f} (in memory)`,
    readCache: async (f) => cache.get(f),
    writeCache: async (f, d) => {
      cache.set(f, d);
    },
  };
}
