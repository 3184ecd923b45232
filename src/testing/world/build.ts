import { hashGoMod } from '../../hash/dirhash.js';
import { createModuleZipBytes } from '../../hash/modzip.js';
import type { ModuleFile } from '../../hash/create.js';
import { hashModuleZip } from '../../hash/zipcheck.js';
import { bufferSource } from '../../hash/zipformat.js';
import type { StoredVersion } from '../proxy-server.js';
import { generateSources, type SourceFile, type Variant } from './sources.js';
import type { ModuleSpec } from './spec.js';

/** BuiltVersion is one module version as the proxies serve it, with its go.sum hashes. */
export interface BuiltVersion {
  readonly stored: StoredVersion;
  /** `h1:` of the zip (go.sum `M V h1:`) */
  readonly zipHash: string;
  /** `h1:` of the .mod (go.sum `M V/go.mod h1:`) */
  readonly modHash: string;
  readonly files: readonly SourceFile[];
}

/** publishTime is the fixed, deterministic commit and `.info` time of the i-th version. */
export function publishTime(i: number): Date {
  return new Date(Date.UTC(2024, 0, 1 + i, 12, 0, 0));
}

/**
 * buildVersion generates a version's sources (the given variant), zips them with
 * createModuleZip (x/mod zip.Create rules) and hashes the zip and go.mod as go.sum does.
 */
export async function buildVersion(
  spec: ModuleSpec,
  version: string,
  index: number,
  variant: Variant = 'honest',
): Promise<BuiltVersion> {
  const files = generateSources(spec, version, variant);
  const zip = await createModuleZipBytes(spec.path, version, files.map(toModuleFile), {
    vendorRule: 'old',
  });
  const mod =
    files.find((f) => f.path === 'go.mod')?.content ?? Buffer.from(`module ${spec.path}\n`);
  return {
    stored: {
      info: { Version: version, Time: publishTime(index).toISOString().replace('.000Z', 'Z') },
      mod,
      zip,
    },
    zipHash: await hashModuleZip(spec.path, version, bufferSource(zip)),
    modHash: hashGoMod(mod),
    files,
  };
}

function toModuleFile(f: SourceFile): ModuleFile {
  return { path: f.path, kind: 'file', size: f.content.length, open: () => [f.content] };
}
