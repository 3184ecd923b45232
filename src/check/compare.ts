import type { GoSumLine } from '../go/gosum.js';
import type { FindingCode } from './codes.js';
import { evidenceOf, makeFinding, type Evidence, type Finding, type Subject } from './findings.js';
import type { ModuleKind, TagSignature, WitnessAnswer } from './witness.js';

/**
 * LineClaim is one go.sum line, the claim the witnesses are asked about:
 * `module version[/go.mod] h1` at `file:line` (go.dev/ref/mod#go-sum-files).
 */
export interface LineClaim {
  readonly module: string;
  readonly version: string;
  readonly kind: ModuleKind;
  readonly h1: string;
  readonly file: string;
  readonly line: number;
}

/** claimOf turns a parsed go.sum line (src/go/gosum.ts) into the claim to check. */
export function claimOf(line: GoSumLine, file: string): LineClaim {
  const { module, version, kind, hash } = line;
  return { module, version, kind, h1: hash, file, line: line.line };
}

/**
 * Verdict is a line's outcome (ARCHITECTURE.md): `verified` only when every witness
 * that applies answered and agreed; `mismatch` when an answered witness disagrees;
 * `inconclusive` when some witness could not answer and none disagreed; `skipped`
 * when the engine did not ask on purpose (a private module).
 */
export type Verdict = 'verified' | 'mismatch' | 'inconclusive' | 'skipped';

/** LineResult is a line's verdict and the findings that explain it. */
export interface LineResult {
  readonly claim: LineClaim;
  readonly verdict: Verdict;
  readonly findings: readonly Finding[];
  /** why the line was skipped, when it was */
  readonly reason?: string;
}

/** Answered is a witness answer that carries a hash and nothing that would void it. */
type Answered = WitnessAnswer & { readonly h1: string };

/**
 * compareLine decides one go.sum line's verdict from every applicable witness's
 * answer, and diagnoses any disagreement from its pattern (ARCHITECTURE.md, "The
 * witnesses"). It fails closed: an error, a not-found, a bad tag signature or an
 * empty answer list can never give `verified`. `skip` (a reason) marks a line the
 * engine chose not to check, e.g. a GOPRIVATE module.
 */
export function compareLine(
  claim: LineClaim,
  answers: readonly WitnessAnswer[],
  options: { skip?: string } = {},
): LineResult {
  if (options.skip !== undefined) {
    return { claim, verdict: 'skipped', findings: [], reason: options.skip };
  }
  const answered = answers.filter(isAnswered);
  const failures = answers.filter((a) => !isAnswered(a)).map((a) => failureFinding(claim, a));
  const signatures = answered.flatMap((a) => signatureFindings(claim, a));
  const disagreements = [...diagnoseCore(claim, answered), ...diagnoseVcs(claim, answered)];
  const findings = [...disagreements, ...failures, ...signatures];
  if (disagreements.length > 0) return { claim, verdict: 'mismatch', findings };
  if (answered.length === 0 && failures.length === 0) {
    const none = makeFinding('MG205', subjectOf(claim), 'No witness was asked about this line.');
    return { claim, verdict: 'inconclusive', findings: [none] };
  }
  const voided = failures.length > 0 || signatures.some((f) => f.code === 'MG703');
  return { claim, verdict: voided ? 'inconclusive' : 'verified', findings };
}

function isAnswered(a: WitnessAnswer): a is Answered {
  return (
    a.error === undefined && a.notFound !== true && typeof a.h1 === 'string' && a.h1.length > 0
  );
}

/**
 * sameHash compares two h1 strings in time that depends only on their lengths
 * (STYLE.md: constant-time hash comparison).
 */
export function sameHash(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

function subjectOf(claim: LineClaim, witness?: string): Subject {
  const { module, version, kind, file, line } = claim;
  return witness === undefined
    ? { module, version, kind, file, line }
    : { module, version, kind, file, line, witness };
}

/** claimEvidence is go.sum's own row in an evidence table: where the claim is and what it says. */
function claimEvidence(claim: LineClaim): Evidence {
  return { witness: 'go.sum', url: `${claim.file}:${claim.line}`, h1: claim.h1, error: null };
}

function table(claim: LineClaim, answers: readonly WitnessAnswer[]): Evidence[] {
  return [claimEvidence(claim), ...answers.map(evidenceOf)];
}

/** names lists witnesses for a sentence: "a", "a and b", "a, b and c", with `first` leading. */
function names(answers: readonly WitnessAnswer[], first?: string): string {
  const all =
    first === undefined ? answers.map((a) => a.witness) : [first, ...answers.map((a) => a.witness)];
  if (all.length <= 1) return all.join('');
  return `${all.slice(0, -1).join(', ')} and ${all[all.length - 1]}`;
}

/**
 * diagnoseCore reads the pattern of disagreement among go.sum, the proxies and the
 * sumdb (docs/findings.md MG101–MG105). Witnesses that agree with each other form
 * one side; the sumdb, being signed and proven, decides between proxies.
 */
function diagnoseCore(claim: LineClaim, answered: readonly Answered[]): Finding[] {
  const core = answered.filter((a) => a.role !== 'vcs');
  const dissent = core.filter((a) => !sameHash(a.h1, claim.h1));
  if (dissent.length === 0) return [];
  const agree = core.filter((a) => sameHash(a.h1, claim.h1));
  const evidence = table(claim, core);
  const oneHash = dissent.every((a) => sameHash(a.h1, dissent[0]?.h1 ?? ''));
  if (agree.length === 0) {
    const code = oneHash ? 'MG101' : 'MG105';
    const detail = oneHash
      ? `${claim.file} records ${claim.h1}; every witness (${names(core)}) computed ${dissent[0]?.h1}.`
      : `${claim.file} records ${claim.h1}; the witnesses computed different hashes and none matches it.`;
    return [makeFinding(code, subjectOf(claim), detail, evidence)];
  }
  const sumdbDissent = dissent.filter((a) => a.role === 'sumdb');
  const proxyDissent = dissent.filter((a) => a.role !== 'sumdb');
  const hasSumdb = core.some((a) => a.role === 'sumdb');
  if (!hasSumdb || sumdbDissent.length === 0) {
    return proxyDissent.map((p) => proxyDiffers(claim, p, agree, evidence));
  }
  return [sumdbDiffers(claim, { agree, proxyDissent, oneHash }, evidence)];
}

function proxyDiffers(
  claim: LineClaim,
  proxy: Answered,
  agree: readonly Answered[],
  evidence: readonly Evidence[],
): Finding {
  const detail =
    `${proxy.witness} serves bytes that hash to ${proxy.h1}; ${names(agree, claim.file)} ` +
    `agree on ${claim.h1}. ${proxy.witness} holds a tampered or stale copy.`;
  return makeFinding('MG102', subjectOf(claim, proxy.witness), detail, evidence);
}

interface SumdbSides {
  readonly agree: readonly Answered[];
  readonly proxyDissent: readonly Answered[];
  readonly oneHash: boolean;
}

function sumdbDiffers(claim: LineClaim, sides: SumdbSides, evidence: readonly Evidence[]): Finding {
  const { agree, proxyDissent, oneHash } = sides;
  let code: FindingCode = 'MG105';
  let detail = `${claim.file}, the proxies and the checksum database disagree; ${claim.file} matches only ${names(agree)}.`;
  if (proxyDissent.length === 0) {
    code = 'MG103';
    detail = `${names(agree, claim.file)} agree on ${claim.h1}; the checksum database records another hash.`;
  } else if (oneHash) {
    code = 'MG104';
    detail =
      `${names(proxyDissent, 'the checksum database')} agree on ${proxyDissent[0]?.h1}; ` +
      `${claim.file} records ${claim.h1}, as only ${names(agree)} ${agree.length === 1 ? 'does' : 'do'}.`;
  }
  return makeFinding(code, subjectOf(claim), detail, evidence);
}

/**
 * diagnoseVcs compares each git-tag answer with the checksum database (or with go.sum
 * when the database gave no hash): a difference means the tag moved after publication
 * (GO-FACTS §6, golang/go#44482), reported as MG701. When no proxy or database gave a
 * hash at all (a private module checked with --direct), the tag is the only witness:
 * go.sum differing from it is MG101, an error, as go.sum differing from every other
 * witness is.
 */
function diagnoseVcs(claim: LineClaim, answered: readonly Answered[]): Finding[] {
  const tags = answered.filter((a) => a.role === 'vcs');
  if (answered.length === tags.length) {
    const dissent = tags.filter((a) => !sameHash(a.h1, claim.h1));
    if (dissent.length === 0) return [];
    const detail =
      `${claim.file} records ${claim.h1}; ${names(dissent)}, the only witness asked, ` +
      `${dissent.length === 1 ? 'builds' : 'build'} ${dissent.map((a) => a.h1).join(' and ')}. ` +
      `Either ${claim.file} was edited or the tag moved after the line was recorded; no proxy or checksum database can say which.`;
    return [makeFinding('MG101', subjectOf(claim), detail, table(claim, tags))];
  }
  const sumdb = answered.find((a) => a.role === 'sumdb');
  const reference = sumdb?.h1 ?? claim.h1;
  const against =
    sumdb === undefined ? `${claim.file} (the checksum database gave no hash)` : sumdb.witness;
  return tags
    .filter((a) => !sameHash(a.h1, reference))
    .map((tag) => {
      const what = claim.kind === 'zip' ? 'The module zip built from' : 'The go.mod at';
      const detail = `${what} ${tag.witness} ${tag.url} hashes to ${tag.h1}; ${against} records ${reference}.`;
      const evidence = table(claim, sumdb === undefined ? [tag] : [sumdb, tag]);
      return makeFinding('MG701', subjectOf(claim, tag.witness), detail, evidence);
    });
}

/** SUMDB_INTEGRITY maps src/sumdb's verification error codes to MG3xx findings. */
const SUMDB_INTEGRITY: Readonly<Record<string, FindingCode>> = {
  NOTE_UNVERIFIED: 'MG301',
  NOTE_BAD_SIGNATURE: 'MG301',
  PROOF_FAILED: 'MG302',
  RECORD_NOT_IN_TREE: 'MG302',
  RECORD_MISMATCH: 'MG302',
  TILE_INCONSISTENT: 'MG302',
  SUMDB_FORK: 'MG303',
};

/**
 * failureCode names a witness that gave no usable hash (MG2xx, MG3xx, MG702). A sumdb
 * whose stored tree head does not verify (STATE_INVALID) was not asked at all: MG206.
 */
function failureCode(a: WitnessAnswer): FindingCode {
  if (a.error === undefined) {
    if (a.notFound !== true) return 'MG202';
    return a.role === 'proxy' ? 'MG203' : a.role === 'sumdb' ? 'MG204' : 'MG702';
  }
  if (a.role === 'sumdb' && a.error.code === 'STATE_INVALID') return 'MG206';
  if (a.role === 'sumdb' && a.error.kind === 'verification') {
    return SUMDB_INTEGRITY[a.error.code] ?? 'MG305';
  }
  return a.error.kind === 'unavailable' ? 'MG201' : 'MG202';
}

/**
 * failureFinding reports a witness that gave no usable hash. A failure on this machine
 * (WitnessError.local: a cache or temporary file) is said to be one, not put at the
 * witness's URL, and gets the code's remedy for that case.
 */
function failureFinding(claim: LineClaim, a: WitnessAnswer): Finding {
  const ev = evidenceOf(a);
  const why = ev.error ?? 'no answer';
  const local = a.error?.local !== undefined;
  // An error that names the URL it read says enough; another is told where it came from.
  let detail = why.includes(a.url) ? `${why}.` : `${a.witness} (${a.url}): ${why}.`;
  if (local) detail = `On this machine, not at ${a.witness}: ${why}.`;
  return makeFinding(failureCode(a), subjectOf(claim, a.witness), detail, [ev], { local });
}

const SIGNATURE_FINDING: Record<
  Exclude<TagSignature, 'valid'>,
  (witness: string) => { code: FindingCode; detail: string }
> = {
  invalid: (w) => ({ code: 'MG703', detail: `git verify-tag rejected the signature of ${w}.` }),
  unverified: (w) => ({
    code: 'MG705',
    detail: `${w} is signed, but by a key this machine does not trust (no public key or allowed signer).`,
  }),
  absent: (w) => ({ code: 'MG704', detail: `${w} is not signed.` }),
};

/**
 * signatureFindings reports a tag's signature: MG703 when it does not verify (which
 * voids the answer, whatever the role that claims it), MG705 when it is by a key not
 * trusted here, MG704 when a tag has none.
 */
function signatureFindings(claim: LineClaim, a: Answered): Finding[] {
  if (a.signature === undefined || a.signature === 'valid') return [];
  if (a.signature !== 'invalid' && a.role !== 'vcs') return [];
  // A tag's signature belongs to the version, not to a line: notices about it are
  // reported once, on the go.mod line (which every version in go.sum has); a bad
  // signature voids the answer, so it is reported on every line it voids.
  if (a.signature !== 'invalid' && claim.kind !== 'go.mod') return [];
  const { code, detail } = SIGNATURE_FINDING[a.signature](a.witness);
  return [makeFinding(code, subjectOf(claim, a.witness), detail, [evidenceOf(a)])];
}
