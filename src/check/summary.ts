import type { LineResult } from './compare.js';
import { compareFindings, severityRank, type Finding, type Severity } from './findings.js';

/**
 * Summary counts a check's outcome. `lines` is every go.sum line the engine
 * considered; `findings` is how many findings the report holds.
 */
export interface Summary {
  readonly lines: number;
  readonly verified: number;
  readonly inconclusive: number;
  readonly mismatched: number;
  readonly skipped: number;
  readonly findings: number;
}

/** Report is what every renderer receives: all findings, in order, and the counts. */
export interface Report {
  readonly findings: readonly Finding[];
  readonly summary: Summary;
}

/**
 * summarize aggregates line results and the findings that belong to no line (hygiene,
 * configuration, retractions) into one Report, findings in compareFindings order
 * (STYLE.md: report everything, then fail once).
 */
export function summarize(results: readonly LineResult[], extra: readonly Finding[] = []): Report {
  const count = (v: LineResult['verdict']): number => results.filter((r) => r.verdict === v).length;
  const findings = [...results.flatMap((r) => r.findings), ...extra].sort(compareFindings);
  return {
    findings,
    summary: {
      lines: results.length,
      verified: count('verified'),
      inconclusive: count('inconclusive'),
      mismatched: count('mismatch'),
      skipped: count('skipped'),
      findings: findings.length,
    },
  };
}

/** ExitPolicy is --fail-on and --allow-inconclusive. */
export interface ExitPolicy {
  /** the least severity that fails the check; default 'error' */
  readonly failOn?: Severity;
  /** when true, inconclusive lines alone do not fail the check */
  readonly allowInconclusive?: boolean;
}

/**
 * exitStatus is 1 when a finding is at or above `failOn`, or when a line is
 * inconclusive and inconclusive lines are not allowed (an inconclusive line counts as
 * an error: fail closed); otherwise 0 (src/cli/io.ts Exit).
 */
export function exitStatus(report: Report, policy: ExitPolicy = {}): 0 | 1 {
  const threshold = severityRank(policy.failOn ?? 'error');
  if (report.findings.some((f) => severityRank(f.severity) >= threshold)) return 1;
  if (report.summary.inconclusive > 0 && policy.allowInconclusive !== true) return 1;
  return 0;
}
