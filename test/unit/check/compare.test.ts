import { describe, expect, it } from 'vitest';
import { claimOf, compareLine, sameHash, type Verdict } from '../../../src/check/compare.js';
import type { FindingCode } from '../../../src/check/codes.js';
import type { WitnessAnswer } from '../../../src/check/witness.js';
import { parseGoSum } from '../../../src/go/gosum.js';
import { claim, err, H, proxyA, proxyB, sumdb, tag } from './fixtures.js';

interface Case {
  readonly name: string;
  readonly answers: readonly WitnessAnswer[];
  readonly verdict: Verdict;
  readonly codes: readonly FindingCode[];
  /** the kind of the go.sum line; default 'zip' */
  readonly kind?: 'zip' | 'go.mod';
}

const timeout = err('TIMEOUT', 'unavailable', 'no response within 30s');

/** CASES: the witnesses' answers for one go.sum line (h1 = H.A) → verdict and finding codes. */
const CASES: readonly Case[] = [
  {
    name: 'every witness agrees',
    answers: [proxyA({ h1: H.A }), proxyB({ h1: H.A }), sumdb({ h1: H.A })],
    verdict: 'verified',
    codes: [],
  },
  {
    name: 'every witness agrees, with a validly signed tag',
    answers: [
      proxyA({ h1: H.A }),
      proxyB({ h1: H.A }),
      sumdb({ h1: H.A }),
      tag({ h1: H.A }, 'valid'),
    ],
    verdict: 'verified',
    codes: [],
  },
  {
    name: 'go.sum differs from every witness and the witnesses agree',
    answers: [proxyA({ h1: H.B }), proxyB({ h1: H.B }), sumdb({ h1: H.B })],
    verdict: 'mismatch',
    codes: ['MG101'],
  },
  {
    name: 'go.sum differs from the only witness that answered',
    answers: [sumdb({ h1: H.B })],
    verdict: 'mismatch',
    codes: ['MG101'],
  },
  {
    name: 'one proxy differs from the other proxy and the sumdb',
    answers: [proxyA({ h1: H.B }), proxyB({ h1: H.A }), sumdb({ h1: H.A })],
    verdict: 'mismatch',
    codes: ['MG102'],
  },
  {
    name: 'both proxies differ from go.sum and the sumdb',
    answers: [proxyA({ h1: H.B }), proxyB({ h1: H.C }), sumdb({ h1: H.A })],
    verdict: 'mismatch',
    codes: ['MG102', 'MG102'],
  },
  {
    name: 'one proxy differs and there is no sumdb answer',
    answers: [proxyA({ h1: H.A }), proxyB({ h1: H.B })],
    verdict: 'mismatch',
    codes: ['MG102'],
  },
  {
    name: 'the sumdb disagrees with both proxies',
    answers: [proxyA({ h1: H.A }), proxyB({ h1: H.A }), sumdb({ h1: H.B })],
    verdict: 'mismatch',
    codes: ['MG103'],
  },
  {
    name: 'go.sum agrees with one proxy; the sumdb and the other proxy agree on another hash',
    answers: [proxyA({ h1: H.A }), proxyB({ h1: H.B }), sumdb({ h1: H.B })],
    verdict: 'mismatch',
    codes: ['MG104'],
  },
  {
    name: 'three different hashes, go.sum matching one proxy',
    answers: [proxyA({ h1: H.A }), proxyB({ h1: H.B }), sumdb({ h1: H.C })],
    verdict: 'mismatch',
    codes: ['MG105'],
  },
  {
    name: 'go.sum matches nobody and the witnesses disagree',
    answers: [proxyA({ h1: H.B }), proxyB({ h1: H.C }), sumdb({ h1: H.B })],
    verdict: 'mismatch',
    codes: ['MG105'],
  },
  {
    name: "the tag's content differs from the sumdb (tag moved after publication)",
    answers: [proxyA({ h1: H.A }), proxyB({ h1: H.A }), sumdb({ h1: H.A }), tag({ h1: H.B })],
    verdict: 'mismatch',
    codes: ['MG701'],
  },
  {
    name: 'the tag differs from go.sum when the sumdb gave no hash',
    answers: [proxyA({ h1: H.A }), sumdb({ notFound: true }), tag({ h1: H.B })],
    verdict: 'mismatch',
    codes: ['MG204', 'MG701'],
  },
  {
    name: 'the tag agrees with the sumdb but go.sum does not',
    answers: [proxyA({ h1: H.B }), sumdb({ h1: H.B }), tag({ h1: H.B })],
    verdict: 'mismatch',
    codes: ['MG101'],
  },
  {
    name: 'go.sum matches only the tag (recorded from a moved tag with GOPROXY=direct)',
    answers: [proxyA({ h1: H.B }), proxyB({ h1: H.B }), sumdb({ h1: H.B }), tag({ h1: H.A })],
    verdict: 'mismatch',
    codes: ['MG101', 'MG701'],
  },
  {
    name: 'go.sum differs from the tag, the only witness asked (a private module with --direct)',
    answers: [tag({ h1: H.B })],
    verdict: 'mismatch',
    codes: ['MG101'],
  },
  {
    name: 'go.sum differs from the tag, the only witness that answered',
    answers: [proxyA(timeout), sumdb(timeout), tag({ h1: H.B })],
    verdict: 'mismatch',
    codes: ['MG101', 'MG201', 'MG201'],
  },
  {
    name: 'go.sum matches the tag, the only witness asked',
    answers: [tag({ h1: H.A }, 'valid')],
    verdict: 'verified',
    codes: [],
  },
  {
    name: 'a proxy timed out',
    answers: [proxyA(timeout), proxyB({ h1: H.A }), sumdb({ h1: H.A })],
    verdict: 'inconclusive',
    codes: ['MG201'],
  },
  {
    name: 'a proxy answered 200 with an HTML page',
    answers: [
      proxyA({ h1: H.A }),
      proxyB(err('HTML_PAGE', 'unavailable', 'got text/html')),
      sumdb({ h1: H.A }),
    ],
    verdict: 'inconclusive',
    codes: ['MG201'],
  },
  {
    name: 'a proxy answered 502',
    answers: [proxyA(err('HTTP_STATUS', 'unavailable', '502 Bad Gateway')), sumdb({ h1: H.A })],
    verdict: 'inconclusive',
    codes: ['MG201'],
  },
  {
    name: 'a proxy served a zip that is not a valid module zip',
    answers: [proxyA(err('ZIP_INVALID', 'invalid', 'entry outside prefix')), sumdb({ h1: H.A })],
    verdict: 'inconclusive',
    codes: ['MG202'],
  },
  {
    name: 'a witness answered with nothing at all',
    answers: [proxyA({}), sumdb({ h1: H.A })],
    verdict: 'inconclusive',
    codes: ['MG202'],
  },
  {
    name: 'a witness answered a hash and an error: the error wins',
    answers: [proxyA({ h1: H.A, ...timeout }), sumdb({ h1: H.A })],
    verdict: 'inconclusive',
    codes: ['MG201'],
  },
  {
    name: 'not found in a proxy (404/410)',
    answers: [proxyA({ notFound: true }), proxyB({ h1: H.A }), sumdb({ h1: H.A })],
    verdict: 'inconclusive',
    codes: ['MG203'],
  },
  {
    name: 'not found in the sumdb (a private module without GONOSUMDB?)',
    answers: [proxyA({ h1: H.A }), sumdb({ notFound: true })],
    verdict: 'inconclusive',
    codes: ['MG204'],
  },
  {
    name: 'no tag for the version',
    answers: [proxyA({ h1: H.A }), sumdb({ h1: H.A }), tag({ notFound: true })],
    verdict: 'inconclusive',
    codes: ['MG702'],
  },
  {
    name: 'no witness at all',
    answers: [],
    verdict: 'inconclusive',
    codes: ['MG205'],
  },
  {
    name: 'the sumdb signature does not verify',
    answers: [
      proxyA({ h1: H.A }),
      sumdb(err('NOTE_BAD_SIGNATURE', 'verification', 'bad signature')),
    ],
    verdict: 'inconclusive',
    codes: ['MG301'],
  },
  {
    name: 'the sumdb is signed by an unknown key',
    answers: [proxyA({ h1: H.A }), sumdb(err('NOTE_UNVERIFIED', 'verification', 'unknown key'))],
    verdict: 'inconclusive',
    codes: ['MG301'],
  },
  {
    name: 'the inclusion proof fails',
    answers: [
      proxyA({ h1: H.A }),
      sumdb(err('PROOF_FAILED', 'verification', 'proof does not verify')),
    ],
    verdict: 'inconclusive',
    codes: ['MG302'],
  },
  {
    name: 'the log forked',
    answers: [proxyA({ h1: H.A }), sumdb(err('SUMDB_FORK', 'verification', 'SECURITY ERROR'))],
    verdict: 'inconclusive',
    codes: ['MG303'],
  },
  {
    name: 'another sumdb verification failure',
    answers: [proxyA({ h1: H.A }), sumdb(err('CHECKPOINT_ORIGIN', 'verification', 'wrong origin'))],
    verdict: 'inconclusive',
    codes: ['MG305'],
  },
  {
    name: 'a malformed sumdb answer is unusable, not an integrity failure',
    answers: [proxyA({ h1: H.A }), sumdb(err('LOOKUP_MALFORMED', 'invalid', 'bad lookup'))],
    verdict: 'inconclusive',
    codes: ['MG202'],
  },
  {
    name: "the sumdb's stored tree head does not verify: not asked, not its fault",
    answers: [
      proxyA({ h1: H.A }),
      sumdb(err('STATE_INVALID', 'invalid', 'the stored tree head /c/latest/x does not verify')),
    ],
    verdict: 'inconclusive',
    codes: ['MG206'],
  },
  {
    name: "the tag's signature does not verify",
    answers: [proxyA({ h1: H.A }), sumdb({ h1: H.A }), tag({ h1: H.A }, 'invalid')],
    verdict: 'inconclusive',
    codes: ['MG703'],
  },
  {
    name: 'the tag is not signed (said once per version, on the go.mod line)',
    answers: [proxyA({ h1: H.A }), sumdb({ h1: H.A }), tag({ h1: H.A }, 'absent')],
    verdict: 'verified',
    codes: ['MG704'],
    kind: 'go.mod',
  },
  {
    name: 'the tag is not signed, on the zip line',
    answers: [proxyA({ h1: H.A }), sumdb({ h1: H.A }), tag({ h1: H.A }, 'absent')],
    verdict: 'verified',
    codes: [],
  },
  {
    name: 'the tag is signed by a key not trusted here',
    answers: [proxyA({ h1: H.A }), sumdb({ h1: H.A }), tag({ h1: H.A }, 'unverified')],
    verdict: 'verified',
    codes: ['MG705'],
    kind: 'go.mod',
  },
  {
    name: 'a mismatch and a failure together: mismatch wins, both reported',
    answers: [proxyA({ h1: H.B }), proxyB(timeout), sumdb({ h1: H.A })],
    verdict: 'mismatch',
    codes: ['MG102', 'MG201'],
  },
];

describe('compareLine', () => {
  describe.each(CASES)('when $name', ({ answers, verdict, codes, kind }) => {
    it(`is ${verdict} with [${codes.join(', ')}]`, () => {
      const lineClaim = kind === undefined ? claim : { ...claim, kind };
      const result = compareLine(lineClaim, answers);
      expect(result.verdict).toBe(verdict);
      expect(result.findings.map((f) => f.code).sort()).toEqual([...codes].sort());
      expect(result.claim).toBe(lineClaim);
    });
  });

  describe('when the engine skips the line', () => {
    it('is skipped with the reason and no findings, whatever the answers', () => {
      const result = compareLine(claim, [proxyA({ h1: H.B })], { skip: 'GOPRIVATE' });
      expect(result).toEqual({ claim, verdict: 'skipped', findings: [], reason: 'GOPRIVATE' });
    });
  });

  describe('when one proxy differs', () => {
    const [finding] = compareLine(claim, [
      proxyA({ h1: H.A }),
      proxyB({ h1: H.B }),
      sumdb({ h1: H.A }),
    ]).findings;

    it('names the proxy, the line and the module', () => {
      expect(finding).toMatchObject({
        code: 'MG102',
        severity: 'error',
        module: 'example.com/m',
        version: 'v1.2.3',
        kind: 'zip',
        file: 'go.sum',
        line: 7,
        witness: 'proxy B',
        title: 'proxy B serves a different copy of example.com/m@v1.2.3 (zip)',
      });
      expect(finding?.detail).toContain(H.B);
      expect(finding?.remedy).toContain('proxy B');
    });

    it('carries go.sum and every witness as evidence', () => {
      expect(finding?.evidence).toEqual([
        { witness: 'go.sum', url: 'go.sum:7', h1: H.A, error: null },
        { witness: 'proxy A', url: proxyA({}).url, h1: H.A, error: null },
        { witness: 'proxy B', url: proxyB({}).url, h1: H.B, error: null },
        { witness: 'sumdb', url: sumdb({}).url, h1: H.A, error: null },
      ]);
    });
  });

  describe('when a witness fails', () => {
    it('names the witness and why in the evidence', () => {
      const [finding] = compareLine(claim, [proxyA(timeout), sumdb({ h1: H.A })]).findings;
      expect(finding?.witness).toBe('proxy A');
      expect(finding?.evidence).toEqual([
        {
          witness: 'proxy A',
          url: proxyA({}).url,
          h1: null,
          error: 'no response within 30s (TIMEOUT)',
        },
      ]);
      expect(finding?.detail).toContain('no response within 30s');
    });
  });
});

describe('sameHash', () => {
  it('is true only for equal strings', () => {
    expect(sameHash(H.A, H.A)).toBe(true);
    expect(sameHash(H.A, H.B)).toBe(false);
    expect(sameHash(H.A, H.A.slice(0, -1))).toBe(false);
    expect(sameHash('', '')).toBe(true);
  });
});

describe('claimOf', () => {
  it('reads a parsed go.sum line as a claim', () => {
    const [line] = parseGoSum(`example.com/m v1.2.3/go.mod ${H.B}\n`, 'sub/go.sum').lines;
    expect(claimOf(line!, 'sub/go.sum')).toEqual({
      module: 'example.com/m',
      version: 'v1.2.3',
      kind: 'go.mod',
      h1: H.B,
      file: 'sub/go.sum',
      line: 1,
    });
  });
});
