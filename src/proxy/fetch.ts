import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { hashGoMod } from '../hash/dirhash.js';
import type { FileBody } from './body.js';
import type { Served, SourceChain } from './chain.js';
import { hashZipBody } from './zipbody.js';

/** FetchedModule is one module version through a chain: each part, who served it, its h1. */
export interface FetchedModule {
  readonly path: string;
  readonly version: string;
  readonly mod: Served<Buffer>;
  /** go.sum `M V/go.mod h1:` of the served .mod */
  readonly modHash: string;
  readonly zip: Served<FileBody>;
  /** go.sum `M V h1:` of the served zip (x/mod checkZip rules, then dirhash.HashZip) */
  readonly zipHash: string;
}

/**
 * fetchModule downloads path@version's .mod and .zip through the chain, as the go command
 * does (each part tried along the whole chain), under one overall deadline for the module
 * (ChainOptions.deadlineMs). It streams the zip into a new directory under `dir` (the
 * caller removes `dir`) and hashes both. A zip failing the hashing reader's checks throws
 * that ZipError.
 */
export async function fetchModule(
  chain: SourceChain,
  path: string,
  version: string,
  dir: string,
): Promise<FetchedModule> {
  const deadline = chain.deadline();
  const mod = await chain.mod(path, version, deadline);
  const into = await mkdtemp(join(dir, 'zip-'));
  const zip = await chain.zip(path, version, (n) => join(into, `${n}.zip`), deadline);
  const zipHash = await hashZipBody(path, version, { path: zip.value.path });
  return { path, version, mod, modHash: hashGoMod(mod.value), zip, zipHash };
}
