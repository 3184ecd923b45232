import type { ErrorKind } from '../errors.js';

/**
 * ModuleKind says which of a version's two go.sum lines a hash is for: `zip` is
 * `M V h1:…` (the module zip's dirhash), `go.mod` is `M V/go.mod h1:…` (the go.mod
 * file alone). go.dev/ref/mod#go-sum-files.
 */
export type ModuleKind = 'zip' | 'go.mod';

/**
 * WitnessRole is what kind of evidence a witness gives (ARCHITECTURE.md, "The
 * witnesses"). The comparison diagnoses by role: one proxy alone differing means
 * something else than the sumdb alone differing.
 */
export type WitnessRole = 'proxy' | 'sumdb' | 'vcs';

/**
 * WitnessError is why a witness could not give a usable answer: the `code` and
 * `kind` of the ModguardError the adapter caught (src/errors.ts) and its message.
 * kind 'unavailable' is "could not answer" (timeout, 5xx, an HTML page);
 * 'invalid' is an answer that could not be used (a malformed zip or record);
 * 'verification' is evidence that failed verification (a bad signature or proof).
 */
export interface WitnessError {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly message: string;
  /** the file or folder on this machine that failed, when the witness is not at fault */
  readonly local?: string;
}

/**
 * WitnessAnswer is what one witness said about one go.sum line, as data.
 * Exactly one of `h1`, `notFound` or `error` should be set; an answer with none is
 * treated as an error (fail closed). `h1` is the hash modguard computed itself from
 * the witness's bytes (proxies, git) or the signed, proven record (sumdb).
 */
export interface WitnessAnswer {
  /** a stable display name, e.g. "proxy A", "sum.golang.org", "git tag" */
  readonly witness: string;
  readonly role: WitnessRole;
  /** the URL asked (redacted of credentials by the adapter) */
  readonly url: string;
  readonly h1?: string;
  /** the witness does not have it: 404/410 from a proxy or the sumdb, no such tag */
  readonly notFound?: boolean;
  readonly error?: WitnessError;
  /** vcs only: the tag's signature as `git verify-tag` judged it */
  readonly signature?: TagSignature;
}

/**
 * TagSignature is what `git verify-tag` said about a tag: a good signature, a bad one,
 * one by a key not trusted here (`unverified`), or none.
 */
export type TagSignature = 'valid' | 'invalid' | 'unverified' | 'absent';

/**
 * ProxyWitness is one GOPROXY source (the GOPROXY protocol, go.dev/ref/mod#goproxy-protocol).
 * `fetch` downloads `M/@v/V.zip` or `M/@v/V.mod`, hashes it and never throws for a
 * witness failure: it returns the failure as an answer.
 */
export interface ProxyWitness {
  readonly name: string;
  readonly url: string;
  fetch(module: string, version: string, kind: ModuleKind): Promise<WitnessAnswer>;
}

/**
 * SumdbLookup is a checksum database's signed, proven answer for `M@V`: the record's
 * lines (`M V h1:…` and `M V/go.mod h1:…`, x/mod sumdb/client.go Lookup) and the size of
 * the tree that proved it. A failure is `notFound` or `error` instead of `lines`.
 */
export interface SumdbLookup {
  readonly witness: string;
  readonly url: string;
  readonly lines?: readonly string[];
  readonly treeSize?: bigint;
  readonly notFound?: boolean;
  readonly error?: WitnessError;
}

/** SumdbWitness is a checksum database client; `lookup` returns failures as data, never throws. */
export interface SumdbWitness {
  readonly name: string;
  readonly url: string;
  lookup(module: string, version: string): Promise<SumdbLookup>;
}

/**
 * VcsWitness is the module's git repository ("direct"): `fetch` builds the zip (or
 * reads go.mod) from the tag for `version` as the go command would, hashes it, and
 * reports the tag's signature. Failures are returned as answers, never thrown.
 */
export interface VcsWitness {
  readonly name: string;
  fetch(module: string, version: string, kind: ModuleKind): Promise<WitnessAnswer>;
}

/**
 * sumdbAnswer picks the line for `kind` out of a sumdb lookup, as the go command does:
 * keep the lines that begin "M V " (x/mod sumdb/client.go:246) and take the one for
 * `V` (zip) or `V/go.mod`. Go passes a lookup with no matching line (G/modfetch/fetch.go:698);
 * modguard fails closed and calls it an invalid answer. Record lines are attacker-controlled
 * until proven; they are split on single spaces, never matched with a pattern from input.
 */
export function sumdbAnswer(
  lookup: SumdbLookup,
  module: string,
  version: string,
  kind: ModuleKind,
): WitnessAnswer {
  const base = { witness: lookup.witness, role: 'sumdb' as const, url: lookup.url };
  if (lookup.error !== undefined) return { ...base, error: lookup.error };
  if (lookup.notFound === true) return { ...base, notFound: true };
  const want = kind === 'zip' ? version : `${version}/go.mod`;
  const found = (lookup.lines ?? []).map((l) => l.split(' ')).filter((f) => f[0] === module);
  const hashes = found.filter((f) => f.length === 3 && f[1] === want).map((f) => f[2] ?? '');
  if (hashes.length === 1 && hashes[0] !== undefined) return { ...base, h1: hashes[0] };
  const message =
    hashes.length === 0
      ? `the record has no line for ${module} ${want}`
      : `the record has ${hashes.length} lines for ${module} ${want}`;
  return { ...base, error: { code: 'RECORD_LINE', kind: 'invalid', message } };
}
