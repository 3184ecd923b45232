import type { LineClaim } from '../../../src/check/compare.js';
import type { WitnessAnswer, WitnessError } from '../../../src/check/witness.js';

/**
 * Three distinct h1 values; A is what go.sum records unless a case says otherwise.
 * A is the go.mod hash of "module example.com/x\n" (GO-FACTS §1); B and C are made up.
 * (Not the empty go.mod hash: parseGoSum drops that line as legacy, fetch.go:485.)
 */
export const H = {
  A: 'h1:cq1Wlc5Q/3TKMd9Nt+I/D/H5kAJrHbzSCzH20/f7O0w=',
  B: 'h1:bBbBbBbBbBbBbBbBbBbBbBbBbBbBbBbBbBbBbBbBbBb=',
  C: 'h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=',
} as const;

export const claim: LineClaim = {
  module: 'example.com/m',
  version: 'v1.2.3',
  kind: 'zip',
  h1: H.A,
  file: 'go.sum',
  line: 7,
};

const PROXY_A = 'http://127.0.0.1:8081/example.com/m/@v/v1.2.3.zip';
const PROXY_B = 'http://127.0.0.1:8082/example.com/m/@v/v1.2.3.zip';
const SUMDB = 'http://127.0.0.1:8083/lookup/example.com/m@v1.2.3';
const GIT = 'http://127.0.0.1:8084/m.git#v1.2.3';

type Outcome = { h1: string } | { notFound: true } | { error: WitnessError } | Record<never, never>;

export const proxyA = (o: Outcome): WitnessAnswer => ({
  witness: 'proxy A',
  role: 'proxy',
  url: PROXY_A,
  ...o,
});
export const proxyB = (o: Outcome): WitnessAnswer => ({
  witness: 'proxy B',
  role: 'proxy',
  url: PROXY_B,
  ...o,
});
export const sumdb = (o: Outcome): WitnessAnswer => ({
  witness: 'sumdb',
  role: 'sumdb',
  url: SUMDB,
  ...o,
});
export const tag = (o: Outcome, signature?: WitnessAnswer['signature']): WitnessAnswer => ({
  witness: 'git tag',
  role: 'vcs',
  url: GIT,
  ...o,
  ...(signature === undefined ? {} : { signature }),
});

export const err = (code: string, kind: WitnessError['kind'], message: string) => ({
  error: { code, kind, message },
});
