import { witnessError } from '../check/answer.js';
import type { SumdbLookup, SumdbWitness } from '../check/witness.js';
import type { SumdbClient } from './client.js';
import { SumdbError } from './errors.js';

/**
 * sumdbWitness asks a verifying SumdbClient (src/sumdb/client.ts) about a module
 * version: the lines come back only after the signed tree head, its consistency with
 * the stored head and the record's inclusion were proven. A 404/410 is notFound; any
 * other failure is an error answer, never thrown. `url` is where the database is reached.
 */
export function sumdbWitness(client: SumdbClient, url: string): SumdbWitness {
  const lookup = async (module: string, version: string): Promise<SumdbLookup> => {
    const base = { witness: client.name, url };
    try {
      const r = await client.lookup(module, version);
      return { ...base, lines: r.lines, treeSize: BigInt(r.treeSize) };
    } catch (err) {
      if (err instanceof SumdbError && err.code === 'NOT_FOUND') return { ...base, notFound: true };
      return { ...base, error: witnessError(err) };
    }
  };
  return { name: client.name, url, lookup };
}
