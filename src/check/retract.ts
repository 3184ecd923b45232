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
 * retractedBy lists the retract directives that cover `version`, in file order
 * (go.dev/ref/mod#go-mod-file-retract: a closed interval `[low, high]` in semver order;
 * G/modload/modfile.go CheckRetractions, which keeps the rationale of every one). An
 * invalid version matches nothing. A bound that is no version (a dependency's go.mod is
 * read laxly, and keeps it) compares as semver.Compare has it, below every version: an
 * invalid low bound reaches down to the lowest version, an invalid high bound covers
 * nothing; Go 1.19's `go list -m -retracted` agrees.
 */
export function retractedBy(version: string, retracts: readonly RetractRange[]): RetractRange[] {
  if (!semver.isValid(version)) return [];
  return retracts.filter(
    (r) => semver.compare(r.low, version) <= 0 && semver.compare(version, r.high) <= 0,
  );
}

/**
 * checkRetracted reports MG601 when `version` lies in one of the retract ranges of the
 * module's latest go.mod (retractedBy). The detail names every range that covers it and
 * quotes every rationale given, as `go list -m -retracted` lists them all: a first
 * directive without a comment does not hide a later one's.
 */
export function checkRetracted(
  subject: RetractSubject,
  retracts: readonly RetractRange[],
): Finding[] {
  const hits = retractedBy(subject.version, retracts);
  if (hits.length === 0) return [];
  const ranges = hits.map((r) => (r.low === r.high ? r.low : `[${r.low}, ${r.high}]`));
  // The rationales come from a proxy's go.mod: quoted, but bounded.
  const said = hits.flatMap((r) => (r.rationale === '' ? [] : [`"${boundText(r.rationale)}"`]));
  const why = said.length === 0 ? '' : `: ${said.join('; ')}`;
  const detail = `The latest go.mod of ${subject.module} retracts ${ranges.join(', ')}${why}.`;
  return [makeFinding('MG601', subject, detail)];
}
