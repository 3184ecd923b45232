import { describe, expect, it } from 'vitest';
import { compareLine, type LineResult } from '../../../src/check/compare.js';
import { makeFinding } from '../../../src/check/findings.js';
import { exitStatus, summarize } from '../../../src/check/summary.js';
import { claim, err, H, proxyA, sumdb } from './fixtures.js';

const verified = compareLine(claim, [proxyA({ h1: H.A }), sumdb({ h1: H.A })]);
const mismatch = compareLine({ ...claim, line: 9 }, [proxyA({ h1: H.B }), sumdb({ h1: H.A })]);
const inconclusive = compareLine({ ...claim, line: 3 }, [
  proxyA(err('TIMEOUT', 'unavailable', 'timeout')),
  sumdb({ h1: H.A }),
]);
const skipped = compareLine(claim, [], { skip: 'private' });
const notice = makeFinding(
  'MG401',
  { module: 'a', version: 'v1.0.0', kind: 'zip', file: 'go.sum', line: 2 },
  'dup',
);
const warning = makeFinding('MG505', { file: 'go.mod' }, 'GOINSECURE is "x".');

describe('summarize', () => {
  const report = summarize([verified, mismatch, inconclusive, skipped], [notice, warning]);

  it('counts lines by verdict and findings', () => {
    expect(report.summary).toEqual({
      lines: 4,
      verified: 1,
      inconclusive: 1,
      mismatched: 1,
      skipped: 1,
      findings: 4,
    });
  });

  it('orders findings by severity, then file and line', () => {
    expect(
      report.findings.map((f) => `${f.severity} ${f.code} ${f.file}:${f.line ?? '-'}`),
    ).toEqual([
      'error MG102 go.sum:9',
      'warning MG505 go.mod:-',
      'warning MG201 go.sum:3',
      'notice MG401 go.sum:2',
    ]);
  });

  it('is the same whatever order the results come in', () => {
    const again = summarize([skipped, inconclusive, mismatch, verified], [warning, notice]);
    expect(again).toEqual(report);
  });
});

describe('exitStatus', () => {
  const run = (results: LineResult[], extra = [notice]) => summarize(results, extra);

  it('is 0 when nothing reaches --fail-on and nothing is inconclusive', () => {
    expect(exitStatus(run([verified]))).toBe(0);
    expect(exitStatus(run([verified, skipped], [warning]))).toBe(0);
  });

  it('is 1 for an error finding by default', () => {
    expect(exitStatus(run([verified, mismatch]))).toBe(1);
  });

  it('follows --fail-on', () => {
    expect(exitStatus(run([verified], [warning]), { failOn: 'warning' })).toBe(1);
    expect(exitStatus(run([verified], [notice]), { failOn: 'warning' })).toBe(0);
    expect(exitStatus(run([verified], [notice]), { failOn: 'notice' })).toBe(1);
  });

  it('counts an inconclusive line as an error unless allowed', () => {
    const report = run([verified, inconclusive], []);
    expect(exitStatus(report)).toBe(1);
    expect(exitStatus(report, { allowInconclusive: true })).toBe(0);
    expect(exitStatus(report, { allowInconclusive: true, failOn: 'warning' })).toBe(1);
  });

  it('still fails on an error finding when inconclusive lines are allowed', () => {
    expect(exitStatus(run([mismatch]), { allowInconclusive: true })).toBe(1);
  });
});
