import { SEVERITIES, type Evidence, type Finding, type Severity } from '../check/findings.js';
import type { Report } from '../check/summary.js';

/** TextOptions: `color` turns ANSI colours on; the caller decides (TTY, NO_COLOR, --color). */
export interface TextOptions {
  readonly color: boolean;
}

const ANSI = {
  error: '\u001b[1;31m',
  warning: '\u001b[1;33m',
  notice: '\u001b[1;36m',
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  reset: '\u001b[0m',
} as const;

const HEADINGS: Record<Severity, string> = {
  error: 'Errors',
  warning: 'Warnings',
  notice: 'Notices',
};

type Paint = (style: keyof typeof ANSI, s: string) => string;

/**
 * renderText renders a report for a terminal: findings grouped by severity (errors
 * first), each with its location, detail, an evidence table (witness, url, h1 or
 * error) and remedy, then one closing summary line. Text that came from outside
 * (module paths, URLs, witnesses' error messages) is stripped of control characters,
 * so a hostile server cannot write escape sequences to the terminal, and an evidence row
 * stays one line.
 */
export function renderText(report: Report, options: TextOptions): string {
  const paint: Paint = options.color
    ? (style, s) => `${ANSI[style]}${s}${ANSI.reset}`
    : (_, s) => s;
  const out: string[] = [];
  for (const severity of SEVERITIES) {
    const group = report.findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    out.push(paint(severity, `${HEADINGS[severity]} (${group.length})`), '');
    for (const f of group) out.push(...renderFinding(f, paint), '');
  }
  out.push(summaryLine(report));
  return `${out.join('\n')}\n`;
}

function renderFinding(f: Finding, paint: Paint): string[] {
  const lines = [
    `${paint(f.severity, `${f.severity} ${f.code}`)} ${paint('bold', clean(f.title))}`,
    `  at ${clean(location(f))}`,
    ...wrapIndent(clean(f.detail)),
  ];
  if (f.evidence.length > 0) lines.push(...evidenceTable(f.evidence, paint));
  lines.push(`  remedy: ${clean(f.remedy)}`);
  return lines;
}

function wrapIndent(text: string): string[] {
  return text.split('\n').map((l) => `  ${l}`);
}

/** evidenceTable lays out one row per witness, columns padded to their widest cell. */
function evidenceTable(evidence: readonly Evidence[], paint: Paint): string[] {
  const rows = evidence.map((e) => [
    cleanLine(e.witness),
    cleanLine(e.url),
    cleanLine(e.h1 ?? `error: ${e.error ?? ''}`),
  ]);
  const header = ['witness', 'url', 'h1 / error'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const format = (cells: readonly string[]): string =>
    `    ${cells.map((c, i) => (i < cells.length - 1 ? c.padEnd(widths[i] ?? 0) : c)).join('  ')}`;
  return [paint('dim', format(header)), ...rows.map(format)];
}

/** summaryLine is the closing line: lines by verdict, findings by severity. */
export function summaryLine(report: Report): string {
  const s = report.summary;
  const bySeverity = SEVERITIES.map((sev) => {
    const n = report.findings.filter((f) => f.severity === sev).length;
    return `${n} ${n === 1 ? sev : plural(sev)}`;
  }).join(', ');
  return (
    `modguard: ${s.lines} go.sum ${s.lines === 1 ? 'line' : 'lines'}: ${s.verified} verified, ` +
    `${s.mismatched} mismatched, ${s.inconclusive} inconclusive, ${s.skipped} skipped; ` +
    `${s.findings} ${s.findings === 1 ? 'finding' : 'findings'} (${bySeverity})`
  );
}

function plural(severity: Severity): string {
  return `${severity}s`;
}

/** location is where a finding is: `file:line`, or the file. */
export function location(f: Finding): string {
  return f.line === null ? f.file : `${f.file}:${f.line}`;
}

/** clean replaces C0/C1 control characters other than newline with U+FFFD. */
export function clean(s: string): string {
  return replaceControls(s, true);
}

/**
 * cleanLine is clean for a table cell, which is one line: a newline is replaced too, so
 * a witness's multi-line error cannot break the table or start a line of its own.
 */
function cleanLine(s: string): string {
  return replaceControls(s, false);
}

function replaceControls(s: string, keepNewline: boolean): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    const control = (c < 0x20 && !(keepNewline && c === 0x0a)) || (c >= 0x7f && c < 0xa0);
    out += control ? '\ufffd' : ch;
  }
  return out;
}
