import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareLine } from '../../../src/check/compare.js';
import type { WitnessAnswer } from '../../../src/check/witness.js';
import { claim, H } from './fixtures.js';

/** answerArb: any witness answer, including the nonsense ones (a hash and an error at once). */
const answerArb: fc.Arbitrary<WitnessAnswer> = fc.record(
  {
    witness: fc.constantFrom('proxy A', 'proxy B', 'sumdb', 'git tag'),
    role: fc.constantFrom('proxy' as const, 'sumdb' as const, 'vcs' as const),
    url: fc.constant('http://127.0.0.1:1/x'),
    h1: fc.constantFrom(H.A, H.A, H.B, H.C, ''),
    notFound: fc.boolean(),
    error: fc.record({
      code: fc.constantFrom('TIMEOUT', 'HTML_PAGE', 'NOTE_BAD_SIGNATURE', 'SUMDB_FORK', 'X'),
      kind: fc.constantFrom('unavailable' as const, 'invalid' as const, 'verification' as const),
      message: fc.string(),
    }),
    signature: fc.constantFrom('valid' as const, 'invalid' as const, 'absent' as const),
  },
  { requiredKeys: ['witness', 'role', 'url'] },
);

const failed = (a: WitnessAnswer): boolean =>
  a.error !== undefined || a.notFound === true || a.h1 === undefined || a.h1 === '';

describe('compareLine fails closed', () => {
  it('never verifies a line when any witness failed, was not found or gave no hash', () => {
    fc.assert(
      fc.property(fc.array(answerArb, { maxLength: 6 }), (answers) => {
        fc.pre(answers.some(failed));
        expect(compareLine(claim, answers).verdict).not.toBe('verified');
      }),
      { numRuns: 2000 },
    );
  });

  it('verifies only when there are answers and every one agrees with go.sum', () => {
    fc.assert(
      fc.property(fc.array(answerArb, { maxLength: 6 }), (answers) => {
        if (compareLine(claim, answers).verdict !== 'verified') return;
        expect(answers.length).toBeGreaterThan(0);
        for (const a of answers) {
          expect(failed(a)).toBe(false);
          expect(a.h1).toBe(claim.h1);
          expect(a.signature).not.toBe('invalid');
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('is a mismatch whenever an answered witness gives another hash than go.sum', () => {
    fc.assert(
      fc.property(fc.array(answerArb, { maxLength: 6 }), (answers) => {
        const differs = answers.some((a) => !failed(a) && a.h1 !== claim.h1);
        const result = compareLine(claim, answers);
        expect(result.verdict === 'mismatch').toBe(differs);
        if (result.verdict !== 'verified') expect(result.findings.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });
});
