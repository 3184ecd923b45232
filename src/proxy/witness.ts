import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { witnessError } from '../check/answer.js';
import type { ModuleKind, ProxyWitness, WitnessAnswer } from '../check/witness.js';
import { escapeVersion } from '../go/module.js';
import { hashGoMod } from '../hash/dirhash.js';
import type { FileBody, MemoryBudget } from './body.js';
import type { ModuleSource } from './client.js';
import { ProxyError } from './errors.js';
import { moduleFileUrl } from './wire.js';
import { hashZipBody, type ZipBody } from './zipbody.js';
import type { HeldZip, ZipWork } from './zipwork.js';

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
    const rel = `@v/${escapeVersion(version)}.${kind === 'zip' ? 'zip' : 'mod'}`;
    const url = moduleFileUrl(options.url, module, rel);
    const base = { witness: options.name, role: 'proxy' as const, url };
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
  let file: FileBody;
  try {
    file = await source.zip(module, version, path, signal, {
      memory: work?.memory,
      digest: false,
      share: work && { key: `${module}@${version}`, arrivals: work.arrivals },
    });
  } catch (err) {
    // Nothing to remove here: a download that fails removes its own file, and a file
    // refused after it was received is released, so it goes once every download
    // following it (FollowSink) is done with it.
    await work?.pass(module, version);
    throw err;
  }
  const zip = holdZip(file, work?.memory);
  const compute = (body: ZipBody) => hashZipBody(module, version, body);
  if (work !== undefined) return work.hash(module, version, zip, compute);
  try {
    return await compute(zip.body);
  } finally {
    await zip.release();
  }
}

/** holdZip wraps a download: its bytes where they are, released to the budget or removed. */
function holdZip(file: FileBody, memory: MemoryBudget | undefined): HeldZip {
  const chunks = file.chunks;
  const body: ZipBody = chunks !== undefined ? { chunks } : { path: file.path };
  const release =
    file.release ??
    (chunks !== undefined
      ? async () => memory?.release(file.size)
      : () => rm(file.path, { force: true }));
  return { body, size: file.size, release };
}
