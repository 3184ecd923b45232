import * as semver from '../go/semver.js';
import { boundText, makeFinding, type Finding } from './findings.js';
import type { GoModRetract } from '../go/gomod.js';

/** RetractRange is a `retract` directive of a module's latest go.mod (src/go/gomod.ts). */
export type RetractRange = Pick<GoModRetract, 'low' | 'high' | 'rationale'>;

/** RetractSubject is a required module version and where it is required. */
export interface RetractSubject {
  readonly module: string;
  readonly version: string;
  readonly file: string;
  readonly line: number;
}

/**
 * checkRetracted reports MG601 when `version` lies in one of the retract ranges of the
 * module's latest go.mod (go.dev/ref/mod#go-mod-file-retract: a closed interval
 * `[low, high]` in semver order, G/modload/modfile.go isRetracted). An invalid
 * version, or a range with an invalid bound, never matches.
 */
export function checkRetracted(
  subject: RetractSubject,
  retracts: readonly RetractRange[],
): Finding[] {
  if (!semver.isValid(subject.version)) return [];
  const hit = retracts.find(
    (r) =>
      semver.isValid(r.low) &&
      semver.isValid(r.high) &&
      semver.compare(r.low, subject.version) <= 0 &&
      semver.compare(subject.version, r.high) <= 0,
  );
  if (hit === undefined) return [];
  const range = hit.low === hit.high ? hit.low : `[${hit.low}, ${hit.high}]`;
  // The rationale comes from a proxy's go.mod: quoted, but bounded.
  const why = hit.rationale === '' ? '' : `: "${boundText(hit.rationale)}"`;
  const detail = `The latest go.mod of ${subject.module} retracts ${range}${why}.`;
  return [makeFinding('MG601', subject, detail)];
}
