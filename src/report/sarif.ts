import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { CATALOGUE, type FindingCode } from '../check/codes.js';
import { fillTemplate, type Finding, type Severity } from '../check/findings.js';
import type { Report } from '../check/summary.js';

/** SarifOptions names the tool as GitHub code scanning shows it. */
export interface SarifOptions {
  /** modguard's version, e.g. package.json's */
  readonly version: string;
  /** where users read about modguard; rule help links point into its docs/findings.md */
  readonly informationUri: string;
  /**
   * the repository root, to make absolute finding paths relative; findings normally
   * carry repository-relative paths already
   */
  readonly srcRoot?: string;
}

/** SARIF_SCHEMA is the `$schema` URI of SARIF 2.1.0 (OASIS, errata 01). */
export const SARIF_SCHEMA =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** FINGERPRINT_KEY names modguard's partial fingerprint (SARIF 2.1.0 §3.27.17). */
export const FINGERPRINT_KEY = 'modguardFinding/v1';

const LEVELS: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  notice: 'note',
};

/** SECURITY_SEVERITY is GitHub's `security-severity` (a CVSS-like score) per severity. */
const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.0', notice: '2.0' };

/**
 * toSarif builds a SARIF 2.1.0 log with one run: `tool.driver` with a rule for each
 * code that occurs (id, name, short and full description, help, default level), and
 * one result per finding with its rule, level, message, a location relative to
 * `%SRCROOT%` and a partial fingerprint that ignores line numbers, so a finding keeps
 * its identity when go.sum lines move (GitHub, "SARIF support for code scanning").
 */
export function toSarif(report: Report, options: SarifOptions) {
  const codes = [...new Set(report.findings.map((f) => f.code))].sort();
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0' as const,
    runs: [
      {
        tool: {
          driver: {
            name: 'modguard',
            informationUri: options.informationUri,
            version: options.version,
            rules: codes.map((code) => rule(code, options)),
          },
        },
        results: report.findings.map((f) => result(f, codes.indexOf(f.code), options)),
      },
    ],
  };
}

function rule(code: FindingCode, options: SarifOptions) {
  const info = CATALOGUE[code];
  // A rule is about every module: its help names them as the docs do, M@V.
  const remedy = fillTemplate(info.remedy, { module: 'M', version: 'V' });
  return {
    id: code,
    name: info.name,
    shortDescription: { text: info.summary },
    fullDescription: { text: info.description },
    help: { text: remedy, markdown: `**${code}** ${info.description}\n\nRemedy: ${remedy}` },
    helpUri: `${options.informationUri.replace(/\/$/, '')}/blob/main/docs/findings.md#${code.toLowerCase()}`,
    defaultConfiguration: { level: LEVELS[info.severity] },
    properties: {
      tags: ['security', 'supply-chain'],
      'security-severity': SECURITY_SEVERITY[info.severity],
    },
  };
}

function result(f: Finding, ruleIndex: number, options: SarifOptions) {
  const region = f.line === null ? {} : { region: { startLine: f.line } };
  return {
    ruleId: f.code,
    ruleIndex,
    level: LEVELS[f.severity],
    message: { text: `${f.title}\n\n${f.detail}\n\nRemedy: ${f.remedy}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: artifactUri(f.file, options.srcRoot), uriBaseId: '%SRCROOT%' },
          ...region,
        },
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(f) },
    properties: {
      module: f.module,
      version: f.version,
      kind: f.kind,
      evidence: f.evidence.map((e) => ({ ...e })),
    },
  };
}

/**
 * artifactUri turns a finding's file into a relative URI reference: `/` separators,
 * each segment percent-encoded (RFC 3986), made relative to srcRoot when absolute.
 */
export function artifactUri(file: string, srcRoot?: string): string {
  let rel = file;
  if (srcRoot !== undefined && (path.isAbsolute(file) || path.win32.isAbsolute(file))) {
    rel = path.relative(srcRoot, file);
  }
  return rel
    .replaceAll('\\', '/')
    .split('/')
    .filter((seg, i) => !(i === 0 && seg === '.'))
    .map(encodeURIComponent)
    .join('/');
}

/**
 * fingerprint is sha256 over what identifies a finding across runs: code, module,
 * version, kind, file and witness; not the line, which moves as go.sum is edited. A
 * finding about no module (a malformed line), and one about a repeated or conflicting
 * line (MG401, MG402), is identified by its line too: else every malformed line of a
 * file, or every repeat of one line, would be one alert in code scanning.
 */
const BY_LINE: ReadonlySet<FindingCode> = new Set(['MG401', 'MG402']);

function fingerprint(f: Finding): string {
  const where = f.module === null || BY_LINE.has(f.code) ? String(f.line ?? '') : '';
  const parts = [
    f.code,
    f.module ?? '',
    f.version ?? '',
    f.kind ?? '',
    f.file,
    f.witness ?? '',
    where,
  ];
  const key = parts.join('\u0000');
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
