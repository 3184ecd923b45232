import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { summarize } from '../../../src/check/summary.js';
import { renderJson } from '../../../src/report/json.js';
import { H } from '../check/fixtures.js';
import { sampleReport } from './sample.js';

const FINDING_KEYS = [
  'code',
  'severity',
  'module',
  'version',
  'kind',
  'file',
  'line',
  'title',
  'detail',
  'remedy',
  'evidence',
];
const EVIDENCE_KEYS = ['witness', 'url', 'h1', 'error'];

describe('renderJson', () => {
  const text = renderJson(sampleReport());
  const value = JSON.parse(text) as {
    findings: Record<string, unknown>[];
    summary: Record<string, unknown>;
  };

  it('has exactly version, findings and summary, in that order', () => {
    expect(Object.keys(value)).toEqual(['version', 'findings', 'summary']);
    expect(value).toMatchObject({ version: 1 });
  });

  it('gives every finding exactly the documented keys, in order', () => {
    expect(value.findings).toHaveLength(4);
    for (const f of value.findings) {
      expect(Object.keys(f)).toEqual(FINDING_KEYS);
      for (const e of f['evidence'] as Record<string, unknown>[])
        expect(Object.keys(e)).toEqual(EVIDENCE_KEYS);
    }
  });

  it('has exactly the documented summary', () => {
    expect(value.summary).toEqual({ lines: 3, verified: 1, inconclusive: 1, findings: 4 });
    expect(Object.keys(value.summary)).toEqual(['lines', 'verified', 'inconclusive', 'findings']);
  });

  it('writes absent values as null', () => {
    expect(value.findings[1]).toEqual({
      code: 'MG505',
      severity: 'warning',
      module: null,
      version: null,
      kind: null,
      file: 'go.mod',
      line: null,
      title: 'GOINSECURE is set',
      detail: 'GOINSECURE is "git.corp.example".',
      remedy:
        'Unset GOINSECURE, or narrow it to one internal host; the checksum database still protects public modules.',
      evidence: [],
    });
  });

  it('renders a line finding with its evidence', () => {
    expect(value.findings[0]).toMatchObject({
      code: 'MG102',
      severity: 'error',
      module: 'example.com/m',
      version: 'v1.2.3',
      kind: 'zip',
      file: 'go.sum',
      line: 7,
    });
    expect((value.findings[0]?.['evidence'] as unknown[])[2]).toEqual({
      witness: 'proxy B',
      url: 'http://127.0.0.1:8082/example.com/m/@v/v1.2.3.zip',
      h1: H.B,
      error: null,
    });
  });

  it('is two-space indented and ends in a newline', () => {
    expect(text.startsWith('{\n  "version": 1,\n  "findings": [\n')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('renders an empty report', () => {
    expect(JSON.parse(renderJson(summarize([])))).toEqual({
      version: 1,
      findings: [],
      summary: { lines: 0, verified: 0, inconclusive: 0, findings: 0 },
    });
  });
});

describe('docs/json-format.md', () => {
  const doc = readFileSync(new URL('../../../docs/json-format.md', import.meta.url), 'utf8');
  const example = /```json\n([\s\S]*?)\n```/.exec(doc)?.[1] ?? '';

  it('shows an example with the keys renderJson writes, in the same order', () => {
    const value = JSON.parse(example) as { findings: Record<string, unknown>[]; summary: object };
    const ours = JSON.parse(renderJson(sampleReport())) as typeof value;
    expect(Object.keys(value)).toEqual(Object.keys(ours));
    expect(Object.keys(value.findings[0]!)).toEqual(FINDING_KEYS);
    for (const e of value.findings[0]!['evidence'] as object[])
      expect(Object.keys(e)).toEqual(EVIDENCE_KEYS);
    expect(Object.keys(value.summary)).toEqual(Object.keys(ours.summary));
  });

  it('documents every key in a table', () => {
    const rows = doc.split('\n').filter((l) => l.startsWith('| `'));
    for (const key of [...FINDING_KEYS, ...EVIDENCE_KEYS, 'lines', 'verified', 'inconclusive']) {
      expect(rows.some((r) => r.startsWith(`| \`${key}\` `))).toBe(true);
    }
  });
});
