import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { witnessError } from '../check/answer.js';
import type { ModuleKind, ProxyWitness, WitnessAnswer } from '../check/witness.js';
import { hashGoMod } from '../hash/dirhash.js';
import { MemoryBudget } from './body.js';
import type { ModuleSource } from './client.js';
import { ProxyError } from './errors.js';
import { hashZipBody } from './zipbody.js';

/** ProxyWitnessOptions: how the witness is named in reports and where zips are spooled. */
export interface ProxyWitnessOptions {
  /** e.g. "proxy A" */
  readonly name: string;
  /** the proxy's base URL, redacted */
  readonly url: string;
  /** a private directory for downloaded zips; each zip is removed once hashed */
  readonly spoolDir: string;
  /** the overall deadline for one module part, in milliseconds */
  readonly deadlineMs?: number;
  /** shared by the witnesses of one check: memory for zips, and each zip hashed once */
  readonly zipWork?: ZipWork;
}

/**
 * ZipWork is what the proxy witnesses of one check share about zips:
 *
 * - a memory budget (default 32 MiB): a downloaded zip stays in memory while the budget
 *   lasts and is hashed from there; a larger one, or one arriving when the budget is
 *   spent, is spooled to a file as before. Memory stays bounded whatever the sizes.
 * - a memo of hash outcomes, keyed by module, version and the SHA-256 of the zip's bytes
 *   as downloaded. Two proxies serving the same bytes get their answer from one hash:
 *   `h1:` is a function of the bytes (checked against the zip rules of that
 *   module@version), so it is the same verdict, computed once. SHA-256 is collision
 *   resistant, so a proxy cannot pass off other bytes as the bytes another proxy
 *   served. A refused zip is remembered the same way.
 */
export class ZipWork {
  readonly memory: MemoryBudget;
  private readonly outcomes = new Map<string, Promise<string>>();

  constructor(memoryBytes = 32 << 20) {
    this.memory = new MemoryBudget(memoryBytes);
  }

  /** hash returns the outcome for these bytes, running compute only for the first caller. */
  hash(
    module: string,
    version: string,
    sha256: string,
    compute: () => Promise<string>,
  ): Promise<string> {
    const key = `${module}@${version} ${sha256}`;
    let outcome = this.outcomes.get(key);
    if (outcome === undefined) {
      outcome = compute();
      this.outcomes.set(key, outcome);
    }
    return outcome;
  }
}

/**
 * proxyWitness asks one GOPROXY server about go.sum lines: it downloads `.mod` or
 * `.zip` and recomputes the `h1:` itself (go.mod: Hash1 over the bytes as served; zip:
 * x/mod checkZip rules, then dirhash.HashZip). Failures come back as answers: 404/410
 * as notFound, anything else as an error (inconclusive), never thrown.
 */
export function proxyWitness(source: ModuleSource, options: ProxyWitnessOptions): ProxyWitness {
  const answer = async (
    module: string,
    version: string,
    kind: ModuleKind,
  ): Promise<WitnessAnswer> => {
    const base = { witness: options.name, role: 'proxy' as const, url: options.url };
    const signal = AbortSignal.timeout(options.deadlineMs ?? 300_000);
    try {
      const h1 =
        kind === 'go.mod'
          ? hashGoMod(await source.mod(module, version, signal))
          : await zipHash(source, module, version, options, signal);
      return { ...base, h1 };
    } catch (err) {
      if (err instanceof ProxyError && err.isNotFound) return { ...base, notFound: true };
      return { ...base, error: witnessError(err) };
    }
  };
  return { name: options.name, url: options.url, fetch: answer };
}

async function zipHash(
  source: ModuleSource,
  module: string,
  version: string,
  options: ProxyWitnessOptions,
  signal: AbortSignal,
): Promise<string> {
  const path = join(options.spoolDir, `${randomUUID()}.zip`);
  const work = options.zipWork;
  let held: number | undefined;
  try {
    const body = await source.zip(module, version, path, signal, work?.memory);
    const chunks = body.chunks;
    if (chunks !== undefined) held = body.size;
    const zip = chunks === undefined ? { path: body.path } : { chunks };
    const compute = () => hashZipBody(module, version, zip);
    return await (work === undefined
      ? compute()
      : work.hash(module, version, body.sha256, compute));
  } finally {
    if (held !== undefined) work?.memory.release(held);
    else await rm(path, { force: true });
  }
}
