import { ModguardError } from '../errors.js';
import type { WitnessError } from './witness.js';

/**
 * witnessError turns anything an adapter caught into the WitnessError a finding shows.
 * A ModguardError keeps its code and kind; anything else is an internal failure and
 * counts as 'unavailable' (inconclusive), never as an answer.
 */
export function witnessError(err: unknown): WitnessError {
  if (err instanceof ModguardError) {
    const { code, kind, message, local } = err;
    return local === undefined ? { code, kind, message } : { code, kind, message, local };
  }
  const message = err instanceof Error ? err.message : `non-Error thrown: ${String(err)}`;
  return { code: 'INTERNAL', kind: 'unavailable', message };
}
