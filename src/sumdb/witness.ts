import { witnessError } from '../check/answer.js';
import type { SumdbLookup, SumdbWitness } from '../check/witness.js';
import { ModguardError } from '../errors.js';
import { escapePath, escapeVersion } from '../go/module.js';
import type { SumdbClient } from './client.js';
import { SumdbError } from './errors.js';
import { timerMs } from '../timers.js';

/** SumdbWitnessOptions: `deadlineMs` bounds one lookup, every tile it needs included (--timeout). */
export interface SumdbWitnessOptions {
  readonly deadlineMs?: number;
}

/**
 * sumdbWitness asks a verifying SumdbClient (src/sumdb/client.ts) about a module
 * version: the lines come back only after the signed tree head, its consistency with
 * the stored head and the record's inclusion were proven. A 404/410 for the lookup
 * itself is notFound; a 404 for a tile the proof needs is not (the go command fails
 * with "reading tile…: 404"), so it stays an error answer. A lookup still running at
 * the deadline is a TIMEOUT error answer. Nothing is thrown. `url` is where the
 * database is reached.
 */
export function sumdbWitness(
  client: SumdbClient,
  url: string,
  options: SumdbWitnessOptions = {},
): SumdbWitness {
  const lookup = async (module: string, version: string): Promise<SumdbLookup> => {
    const base = {
      witness: client.name,
      url: `${url}/lookup/${escapePath(module)}@${escapeVersion(version)}`,
    };
    try {
      const r = await withDeadline(client.lookup(module, version), options.deadlineMs);
      return { ...base, lines: r.lines, treeSize: BigInt(r.treeSize) };
    } catch (err) {
      if (isLookupNotFound(err, module, version)) return { ...base, notFound: true };
      return { ...base, error: witnessError(err) };
    }
  };
  return { name: client.name, url, lookup };
}

/** withDeadline settles as `work` does, or rejects with TIMEOUT (kind unavailable) after `ms`. */
async function withDeadline<T>(work: Promise<T>, ms: number | undefined): Promise<T> {
  if (ms === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new ModguardError('TIMEOUT', 'unavailable', `no answer within ${ms / 1000}s`));
    }, timerMs(ms));
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * isLookupNotFound: is `err` the 404/410 of `/lookup/M@V` (src/sumdb/http.ts readRemote
 * names the URL it read, "reading <url>: 404 …"), not of a tile or of /latest?
 */
function isLookupNotFound(err: unknown, module: string, version: string): boolean {
  if (!(err instanceof SumdbError) || err.code !== 'NOT_FOUND') return false;
  let path: string;
  try {
    path = `/lookup/${escapePath(module)}@${escapeVersion(version)}: `;
  } catch {
    return false;
  }
  return err.message.includes(path);
}
