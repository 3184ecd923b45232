import type { Evidence, Finding } from '../check/findings.js';
import type { Report } from '../check/summary.js';

/** JSON_FORMAT_VERSION is the `version` of modguard's JSON report (docs/json-format.md). */
export const JSON_FORMAT_VERSION = 1;

/**
 * toJsonValue builds the JSON report value with a fixed key order (docs/json-format.md):
 * `{version, findings[{code, severity, module, version, kind, file, line, title, detail,
 * remedy, evidence[{witness, url, h1, error}]}], summary{lines, verified, inconclusive,
 * findings}}`. Absent values are null, never missing keys.
 */
export function toJsonValue(report: Report) {
  const { lines, verified, inconclusive, findings } = report.summary;
  return {
    version: JSON_FORMAT_VERSION,
    findings: report.findings.map(findingValue),
    summary: { lines, verified, inconclusive, findings },
  };
}

function findingValue(f: Finding) {
  return {
    code: f.code,
    severity: f.severity,
    module: f.module,
    version: f.version,
    kind: f.kind,
    file: f.file,
    line: f.line,
    title: f.title,
    detail: f.detail,
    remedy: f.remedy,
    evidence: f.evidence.map(evidenceValue),
  };
}

function evidenceValue(e: Evidence) {
  return { witness: e.witness, url: e.url, h1: e.h1, error: e.error };
}

/** renderJson renders the report as JSON text, two-space indented, ending in a newline. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(toJsonValue(report), null, 2)}\n`;
}
