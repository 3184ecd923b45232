import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { witnessError } from '../check/answer.js';
import type { ModuleKind, ProxyWitness, WitnessAnswer } from '../check/witness.js';
import { hashGoMod } from '../hash/dirhash.js';
import { hashModuleZip } from '../hash/zipcheck.js';
import { openFileSource } from '../vcs/dirfiles.js';
import type { ModuleSource } from './client.js';
import { ProxyError } from './errors.js';

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
          : await zipHash(source, module, version, options.spoolDir, signal);
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
  spoolDir: string,
  signal: AbortSignal,
): Promise<string> {
  const dir = await mkdtemp(join(spoolDir, 'zip-'));
  try {
    const body = await source.zip(module, version, join(dir, 'module.zip'), signal);
    const file = await openFileSource(body.path);
    try {
      return await hashModuleZip(module, version, file);
    } finally {
      await file.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
