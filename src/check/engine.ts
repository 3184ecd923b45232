import { witnessError } from './answer.js';
import { compareLine, type LineClaim, type LineResult } from './compare.js';
import { makeFinding, type Evidence, type Finding, type FindingCode } from './findings.js';
import { mapBounded, memoize } from './pool.js';
import {
  sumdbAnswer,
  type ProxyWitness,
  type SumdbLookup,
  type SumdbWitness,
  type VcsWitness,
  type WitnessAnswer,
} from './witness.js';

/**
 * VerifiedNote is a finding a line was verified with (a notice, e.g. MG704 for an
 * unsigned tag), as a store keeps it: without the place, which is the line's each time.
 */
export interface VerifiedNote {
  readonly code: FindingCode;
  readonly witness: string | null;
  readonly detail: string;
  readonly evidence: readonly Evidence[];
}

type StoredLine = Pick<LineClaim, 'module' | 'version' | 'kind' | 'h1'>;

/** VerifiedStore remembers lines every witness agreed with (src/cli/check/store.ts implements it). */
export interface VerifiedStore {
  /**
   * verified: was this exact line verified before by (at least) these witnesses? Then
   * the notes it was verified with (often none), else undefined.
   */
  verified(
    line: StoredLine,
    witnesses: readonly string[],
  ): Promise<readonly VerifiedNote[] | undefined>;
  markVerified(
    line: StoredLine,
    witnesses: readonly string[],
    notes: readonly VerifiedNote[],
  ): Promise<void>;
}

/**
 * Privacy says which public witnesses a module may reach (GO-FACTS §4): GONOPROXY
 * (default GOPRIVATE) keeps it from proxies, GONOSUMDB (default GOPRIVATE) from the
 * checksum database. A private module is never sent to a public witness.
 */
export interface Privacy {
  skipsProxies(module: string): boolean;
  skipsSumdb(module: string): boolean;
}

/** EngineOptions are the witnesses and policies one check runs with. */
export interface EngineOptions {
  readonly proxies: readonly ProxyWitness[];
  /** absent when GOSUMDB=off */
  readonly sumdb?: SumdbWitness;
  /** the git tag witness, with --direct */
  readonly vcs?: VcsWitness;
  readonly privacy: Privacy;
  /** absent with --no-cache */
  readonly store?: VerifiedStore;
  /** --offline: answer from the store only (lines `deep` puts out of scope are still skipped) */
  readonly offline?: boolean;
  /** --changed-since: lines for which this is false are answered from the store only */
  readonly deep?: (claim: LineClaim) => boolean;
  /** how many lines are checked at once */
  readonly concurrency?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * checkClaims asks every applicable witness about every go.sum line and compares the
 * answers (ARCHITECTURE.md: plan → ask → compare). A line the store already holds as
 * verified is not asked again; a line verified now is stored. Lines that may not be
 * asked and are not in the store are skipped when unchanged under --changed-since
 * (offline or not), else inconclusive when offline — never verified.
 */
export async function checkClaims(
  claims: readonly LineClaim[],
  options: EngineOptions,
): Promise<LineResult[]> {
  const sumdb = options.sumdb;
  const lookup =
    sumdb === undefined
      ? undefined
      : memoize(async (key: string): Promise<SumdbLookup> => {
          const at = key.lastIndexOf('@');
          return askSumdb(sumdb, key.slice(0, at), key.slice(at + 1));
        });
  const writes = backgroundWrites(STORE_WRITES);
  let done = 0;
  const results = await mapBounded(claims, options.concurrency ?? 16, async (claim) => {
    const result = await checkClaim(claim, options, lookup, writes.add);
    options.onProgress?.(++done, claims.length);
    return result;
  });
  await writes.settle();
  return results;
}

/**
 * STORE_WRITES bounds the store writes in flight. A store may write to disk, so writes
 * run beside the checks instead of holding a line's slot (the cache's store only
 * buffers, and writes its journal once when the check closes).
 */
const STORE_WRITES = 16;

/**
 * backgroundWrites runs store writes off the lines' critical path, at most `limit` at a
 * time; settle() waits for every write and then throws the first failure, if any, so a
 * check still fails when its results could not be stored.
 */
function backgroundWrites(limit: number) {
  const queue: (() => Promise<void>)[] = [];
  const running = new Set<Promise<void>>();
  let failure: { err: unknown } | undefined;
  const pump = (): void => {
    while (running.size < limit) {
      const write = queue.shift();
      if (write === undefined) return;
      const p: Promise<void> = write()
        .catch((err: unknown) => {
          failure ??= { err };
        })
        .finally(() => {
          running.delete(p);
          pump();
        });
      running.add(p);
    }
  };
  return {
    add: (write: () => Promise<void>): void => {
      queue.push(write);
      pump();
    },
    settle: async (): Promise<void> => {
      while (running.size > 0) await Promise.all([...running]);
      if (failure !== undefined) throw failure.err;
    },
  };
}

async function checkClaim(
  claim: LineClaim,
  options: EngineOptions,
  lookup: ((key: string) => Promise<SumdbLookup>) | undefined,
  write: (store: () => Promise<void>) => void,
): Promise<LineResult> {
  const asks = plan(claim, options, lookup);
  if (asks.length === 0) {
    // No witness vouches for nothing: the line is never verified, from the cache either.
    // Skipped on purpose only when the privacy rules removed the witnesses; a public
    // line with no witness configured at all is MG205 (inconclusive), never skipped.
    const { privacy } = options;
    if (!privacy.skipsProxies(claim.module) && !privacy.skipsSumdb(claim.module)) {
      return compareLine(claim, []);
    }
    const reason = 'private module: no witness applies (GOPRIVATE/GONOPROXY/GONOSUMDB)';
    return compareLine(claim, [], { skip: reason });
  }
  const names = asks.map((a) => a.witness);
  const notes = await options.store?.verified(claim, names);
  if (notes !== undefined) {
    // Verified before, with the same findings now as then: a warm run reports as a cold one.
    return {
      claim,
      verdict: 'verified',
      findings: notes.map((n) => noteFinding(claim, n)),
      reason: 'verified by every witness before (cache)',
    };
  }
  // --changed-since puts an unchanged line out of scope, offline or not: skipped. Only
  // a line in scope that the store cannot answer is inconclusive under --offline.
  if (options.deep !== undefined && !options.deep(claim)) {
    return {
      claim,
      verdict: 'skipped',
      findings: [],
      reason: 'unchanged since --changed-since and not in the cache',
    };
  }
  if (options.offline === true) return fromStoreOnly(claim, '--offline');
  const answers = await Promise.all(asks.map((a) => a.ask()));
  const result = compareLine(claim, answers);
  const store = options.store;
  if (result.verdict === 'verified' && store !== undefined) {
    const kept = result.findings.map(({ code, witness, detail, evidence }) => ({
      code,
      witness,
      detail,
      evidence,
    }));
    write(() => store.markVerified(claim, names, kept));
  }
  return result;
}

interface Ask {
  readonly witness: string;
  readonly ask: () => Promise<WitnessAnswer>;
}

/** plan lists the witnesses to ask about one line under the privacy rules. */
function plan(
  claim: LineClaim,
  options: EngineOptions,
  lookup: ((key: string) => Promise<SumdbLookup>) | undefined,
): Ask[] {
  const { module, version, kind } = claim;
  const asks: Ask[] = [];
  if (!options.privacy.skipsProxies(module)) {
    for (const proxy of options.proxies) {
      asks.push({
        witness: proxy.name,
        ask: () => safely(proxy.name, proxy.url, 'proxy', () => proxy.fetch(module, version, kind)),
      });
    }
  }
  const sumdb = options.sumdb;
  if (sumdb !== undefined && lookup !== undefined && !options.privacy.skipsSumdb(module)) {
    asks.push({
      witness: sumdb.name,
      ask: async () => sumdbAnswer(await lookup(`${module}@${version}`), module, version, kind),
    });
  }
  const vcs = options.vcs;
  if (vcs !== undefined) {
    asks.push({
      witness: vcs.name,
      ask: () => safely(vcs.name, '', 'vcs', () => vcs.fetch(module, version, kind)),
    });
  }
  return asks;
}

/** safely runs an adapter that should never throw; if it does, the throw becomes an error answer. */
async function safely(
  witness: string,
  url: string,
  role: WitnessAnswer['role'],
  ask: () => Promise<WitnessAnswer>,
): Promise<WitnessAnswer> {
  try {
    return await ask();
  } catch (err) {
    return { witness, role, url, error: witnessError(err) };
  }
}

/** askSumdb runs one lookup and turns a throw (a bug in an adapter) into an error answer. */
async function askSumdb(
  sumdb: SumdbWitness,
  module: string,
  version: string,
): Promise<SumdbLookup> {
  try {
    return await sumdb.lookup(module, version);
  } catch (err) {
    return { witness: sumdb.name, url: sumdb.url, error: witnessError(err) };
  }
}

/** noteFinding is a stored note as a finding about this line, wherever it is now. */
function noteFinding(claim: LineClaim, note: VerifiedNote): Finding {
  const { module, version, kind, file, line } = claim;
  const subject = { module, version, kind, file, line };
  const about = note.witness === null ? subject : { ...subject, witness: note.witness };
  return makeFinding(note.code, about, note.detail, note.evidence);
}

function fromStoreOnly(claim: LineClaim, why: string): LineResult {
  const { module, version, kind, file, line } = claim;
  const detail = `${why}: the line is not in the cache of verified lines, and no witness was asked.`;
  const evidence = [{ witness: 'cache', url: '', h1: null, error: `not cached (${why})` }];
  const finding = makeFinding(
    'MG201',
    { module, version, kind, file, line, witness: 'cache' },
    detail,
    evidence,
  );
  return { claim, verdict: 'inconclusive', findings: [finding] };
}
