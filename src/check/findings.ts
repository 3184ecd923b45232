import { CATALOGUE, type FindingCode } from './codes.js';
import type { ModuleKind, WitnessAnswer } from './witness.js';

export type { FindingCode } from './codes.js';

/** Severity orders findings: `error` fails the check by default (--fail-on error). */
export type Severity = 'error' | 'warning' | 'notice';

/** SEVERITIES lists severities from the most to the least severe. */
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'notice'];

/** severityRank is 2 for error, 1 for warning, 0 for notice: larger is more severe. */
export function severityRank(s: Severity): number {
  return SEVERITIES.length - 1 - SEVERITIES.indexOf(s);
}

/**
 * Evidence is what one witness said: the hash it computed, or why it could not answer.
 * Exactly one of `h1` and `error` is non-null.
 */
export interface Evidence {
  readonly witness: string;
  readonly url: string;
  readonly h1: string | null;
  readonly error: string | null;
}

/**
 * Finding is one thing modguard found, as a plain value (ARCHITECTURE.md, "Findings").
 * `module`, `version` and `kind` are null for findings about the whole configuration;
 * `line` is null when the finding points at a file, not a line of it. `file` is
 * relative to the repository root, with `/` separators.
 */
export interface Finding {
  readonly code: FindingCode;
  readonly severity: Severity;
  readonly module: string | null;
  readonly version: string | null;
  readonly kind: ModuleKind | null;
  readonly file: string;
  readonly line: number | null;
  readonly title: string;
  readonly detail: string;
  readonly remedy: string;
  readonly evidence: readonly Evidence[];
  /** the witness the finding is about (MG102, MG2xx…), or the URL for MG506; else null */
  readonly witness: string | null;
}

/** Subject is what a finding is about and where: the values its templates are filled with. */
export interface Subject {
  readonly module?: string;
  readonly version?: string;
  readonly kind?: ModuleKind;
  readonly file: string;
  readonly line?: number;
  /** the witness the finding names, for templates that mention one */
  readonly witness?: string;
  /**
   * the go.sum file the finding is about (go.sum, go.work.sum, a workspace module's
   * go.sum), when it is not `file`: MG403 points at go.mod, but names the go.sum that
   * lacks the line
   */
  readonly sum?: string;
}

/**
 * makeFinding builds a Finding for `code` from the catalogue: the default severity,
 * the title and remedy templates filled from `subject`. `local` says the failure is on
 * this machine: the code's localRemedy, if it has one, replaces its remedy.
 */
export function makeFinding(
  code: FindingCode,
  subject: Subject,
  detail: string,
  evidence: readonly Evidence[] = [],
  options: { readonly local?: boolean } = {},
): Finding {
  const info = CATALOGUE[code];
  const remedy = (options.local === true ? info.localRemedy : undefined) ?? info.remedy;
  return {
    code,
    severity: info.severity,
    module: subject.module ?? null,
    version: subject.version ?? null,
    kind: subject.kind ?? null,
    file: subject.file,
    line: subject.line ?? null,
    title: fillTemplate(info.title, subject),
    detail,
    remedy: fillTemplate(remedy, subject),
    evidence,
    witness: subject.witness ?? null,
  };
}

/** GENERIC names what a template placeholder stands for when the subject does not say. */
const GENERIC: Record<string, string> = {
  module: 'the module',
  version: 'the version',
  kind: 'zip',
  witness: 'the witness',
  file: 'the file',
  sum: 'go.sum',
};

/**
 * fillTemplate replaces `{module}`, `{version}`, `{kind}`, `{witness}`, `{file}` and
 * `{sum}` in a catalogue template. `{sum}` is the go.sum file the finding is about: the
 * subject's `sum`, else its `file` (where a line finding points). Unknown placeholders
 * are left as they are; templates come from the catalogue, never from input.
 */
export function fillTemplate(template: string, subject: Partial<Subject>): string {
  const values: Record<string, unknown> = { ...subject, sum: subject.sum ?? subject.file };
  return template.replace(/\{(module|version|kind|witness|file|sum)\}/g, (_, key: string) => {
    const value = values[key];
    return typeof value === 'string' ? value : (GENERIC[key] ?? key);
  });
}

/** MAX_QUOTED is how many characters of a witness's own text a finding quotes. */
export const MAX_QUOTED = 512;

/**
 * boundText keeps the first MAX_QUOTED characters (code points: a character is never
 * cut in two) of text a witness wrote, and says how many more it cut. Error bodies, status
 * lines, file names in a zip and retraction reasons are attacker-controlled: a server
 * must not be able to fill a report, whatever its format.
 */
export function boundText(text: string): string {
  if (text.length <= MAX_QUOTED) return text;
  let kept = 0;
  let end = 0;
  let cut = 0;
  for (const ch of text) {
    if (kept < MAX_QUOTED) {
      kept++;
      end += ch.length;
    } else {
      cut++;
    }
  }
  return cut === 0 ? text : `${text.slice(0, end)}… [${cut} more characters cut]`;
}

/**
 * evidenceOf turns a witness answer into the evidence a finding carries; a witness's
 * error message is quoted through boundText, so every finding and format built from the
 * evidence is bounded too.
 */
export function evidenceOf(answer: WitnessAnswer): Evidence {
  const { witness, url } = answer;
  if (answer.error !== undefined) {
    const { message, code } = answer.error;
    return { witness, url, h1: null, error: `${boundText(message)} (${code})` };
  }
  if (answer.notFound === true) return { witness, url, h1: null, error: 'not found' };
  if (answer.h1 !== undefined) return { witness, url, h1: answer.h1, error: null };
  return { witness, url, h1: null, error: 'no answer' };
}

/**
 * compareFindings orders findings for every surface: most severe first, then by file,
 * line, code, module and version, so two runs over the same input print the same order.
 */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    cmp(a.file, b.file) ||
    (a.line ?? 0) - (b.line ?? 0) ||
    cmp(a.code, b.code) ||
    cmp(a.module ?? '', b.module ?? '') ||
    cmp(a.version ?? '', b.version ?? '') ||
    cmp(a.kind ?? '', b.kind ?? '') ||
    cmp(a.witness ?? '', b.witness ?? '')
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
