import { compareLine } from '../../../src/check/compare.js';
import { makeFinding } from '../../../src/check/findings.js';
import { summarize, type Report } from '../../../src/check/summary.js';
import { claim, err, H, proxyA, proxyB, sumdb } from '../check/fixtures.js';

/** sampleReport: one mismatch (MG102), one inconclusive line (MG201), one verified line, a config notice-level and a warning. */
export function sampleReport(): Report {
  const mismatch = compareLine(claim, [
    proxyA({ h1: H.A }),
    proxyB({ h1: H.B }),
    sumdb({ h1: H.A }),
  ]);
  const inconclusive = compareLine({ ...claim, module: 'example.com/n', line: 9 }, [
    proxyA(err('HTML_PAGE', 'unavailable', 'got an HTML page with status 200')),
    sumdb({ h1: H.A }),
  ]);
  const verified = compareLine({ ...claim, kind: 'go.mod', line: 8 }, [sumdb({ h1: H.A })]);
  const dup = makeFinding(
    'MG401',
    { module: 'example.com/m', version: 'v1.2.3', kind: 'zip', file: 'go.sum', line: 11 },
    'go.sum:11 repeats go.sum:7.',
  );
  const insecure = makeFinding('MG505', { file: 'go.mod' }, 'GOINSECURE is "git.corp.example".');
  return summarize([mismatch, inconclusive, verified], [dup, insecure]);
}
