import { hashModuleZip } from '../hash/zipcheck.js';
import { chunksSource } from '../hash/zipformat.js';
import { openFileSource } from '../vcs/dirfiles.js';

/** ZipBody is a downloaded zip: in memory as chunks, or in a file. */
export type ZipBody = { readonly chunks: readonly Uint8Array[] } | { readonly path: string };

/**
 * hashZipBody is what modguard runs on a zip a proxy served: x/mod's zip rules for
 * module@version, then dirhash.HashZip (hashModuleZip), from memory or from its file.
 */
export async function hashZipBody(module: string, version: string, body: ZipBody): Promise<string> {
  if ('chunks' in body) return hashModuleZip(module, version, chunksSource(body.chunks));
  const file = await openFileSource(body.path);
  try {
    return await hashModuleZip(module, version, file);
  } finally {
    await file.close();
  }
}
