import { ModguardError } from '../errors.js';
import type { WitnessError } from './witness.js';

/**
 * witnessError turns anything an adapter caught into the WitnessError a finding shows.
 * A ModguardError keeps its code and kind; anything else is an internal failure and
 * counts as 'unavailable' (inconclusive), never as an answer.
 */
export function witnessError(err: unknown): WitnessError {
  if (err instanceof ModguardError) return { code: err.code, kind: err.kind, message: err.message };
  const message = err instanceof Error ? err.message : `non-Error thrown: ${String(err)}`;
  return { code: 'INTERNAL', kind: 'unavailable', message };
}
