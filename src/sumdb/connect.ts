/**
 * connectSumdb wires a SumdbClient to a database over HTTP (http.ts) with its state
 * in a directory (store.ts). Without a state directory, state lives in memory only
 * (then every run trusts the first tree head it sees).
 */
import { SumdbClient } from './client.js';
import { SumdbError } from './errors.js';
import { HttpRemote, type HttpRemoteOptions } from './http.js';
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

export function connectSumdb(opts: {
  verifierKey: string;
  baseUrl: string;
  stateDir?: string;
  /** where lookups are cached instead of one file each under stateDir */
  lookups?: LookupCache;
  http?: HttpRemoteOptions;
}): ConnectedSumdb {
  const name = parseVerifierKey(opts.verifierKey).name;
  const remote = new HttpRemote(opts.baseUrl, opts.http);
  const state = opts.stateDir === undefined ? memoryState() : new StateStore(opts.stateDir, name);
  const lookups = opts.lookups;
  const lookupPrefix = `${name}/lookup/`;
  const ops: ClientOps = {
    readRemote: (p) => remote.readRemote(p),
    readConfig: (f) => state.readConfig(f),
    writeConfig: (f, o, d) => state.writeConfig(f, o, d),
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
  return { client, remote, close: () => remote.close() };
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
    readCache: async (f) => cache.get(f),
    writeCache: async (f, d) => {
      cache.set(f, d);
    },
  };
}
