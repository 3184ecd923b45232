import { errorMessage } from '../errors.js';
import { canonicalVersion, check } from '../go/module.js';
import { parseGoModLax } from '../go/gomod.js';
import {
  checkFiles,
  checkedFilesError,
  MAX_GO_MOD,
  type CheckedFiles,
  type ModuleFile,
} from './create.js';
import { ZipError } from './errors.js';
import { vendorRuleFor, type VendorRule } from './vendor.js';
import { hash1FromDigests, sha256Chunks, type FileDigest } from './dirhash.js';
import { collectZip, writeZip } from './zipwrite.js';

/**
 * CreateOptions: `vendorRule` 'auto' (the default) applies the rule of x/mod >= v0.22
 * (Go >= 1.24, what proxy.golang.org runs): the new rule when the root go.mod declares
 * go >= 1.24. 'old' reproduces Go <= 1.23 (the Go 1.19 referee) for every module.
 */
export interface CreateOptions {
  readonly vendorRule?: VendorRule | 'auto';
}

/**
 * checkModuleVersion refuses what x/mod zip.Create and checkZip refuse first: a
 * version that is not canonical (module.CanonicalVersion) or a path/version pair that
 * fails module.Check.
 */
export function checkModuleVersion(modulePath: string, version: string): void {
  const key = `${modulePath} ${version}`; // neither holds a space
  if (checkedPairs.has(key)) return;
  checkPair(modulePath, version);
  // A pure check of two strings: the pairs that passed are remembered (a bounded set),
  // so hashing the same module from two witnesses, or many small zips, checks it once.
  if (checkedPairs.size >= CHECKED_PAIRS) checkedPairs.clear();
  checkedPairs.add(key);
}

/** CHECKED_PAIRS bounds how many valid path@version pairs checkModuleVersion remembers. */
const CHECKED_PAIRS = 4096;
const checkedPairs = new Set<string>();

function checkPair(modulePath: string, version: string): void {
  const canonical = canonicalVersion(version);
  if (canonical !== version) {
    const msg = `version ${JSON.stringify(version)} is not canonical (should be ${JSON.stringify(canonical)})`;
    throw new ZipError('ZIP_MODULE', msg);
  }
  try {
    check(modulePath, version);
  } catch (err) {
    throw new ZipError('ZIP_MODULE', errorMessage(err), undefined, { cause: err });
  }
}

/**
 * resolveVendorRule picks the vendor rule for a file list: for 'auto', the go
 * directive of the root go.mod among the files, read leniently (go.mod bytes as the
 * zip would hold them; GO-FACTS §2.4).
 */
export async function resolveVendorRule(
  files: readonly ModuleFile[],
  option: VendorRule | 'auto' = 'auto',
): Promise<VendorRule> {
  if (option !== 'auto') return option;
  const gomod = files.find((f) => f.path === 'go.mod' && f.kind === 'file');
  if (gomod === undefined || gomod.size > MAX_GO_MOD) return 'old';
  const parts: Uint8Array[] = [];
  for await (const chunk of gomod.open()) parts.push(chunk);
  return vendorRuleFor(parseGoModLax(Buffer.concat(parts).toString('utf8')).go);
}

/**
 * checkModuleFiles is checkFiles with the vendor rule resolved from the files.
 */
export async function checkModuleFiles(
  files: readonly ModuleFile[],
  options: CreateOptions = {},
): Promise<CheckedFiles> {
  return checkFiles(files, await resolveVendorRule(files, options.vendorRule));
}

/**
 * createModuleZip is x/mod zip.Create (zip/zip.go:412): it checks the module path and
 * version, sorts the files with checkFiles and refuses the whole list if any file is
 * invalid or the total is too large (every problem reported in one ZipError), then
 * streams a zip of the valid files named `path@version/<file>` in input order, with
 * no directory entries. A file whose content differs in size from what it declared
 * makes the stream fail (ZIP_FILE_CHANGED).
 */
export async function createModuleZip(
  modulePath: string,
  version: string,
  files: readonly ModuleFile[],
  options: CreateOptions = {},
): Promise<AsyncGenerator<Uint8Array>> {
  checkModuleVersion(modulePath, version);
  const cf = await checkModuleFiles(files, options);
  const err = checkedFilesError(cf);
  if (err !== undefined) throw err;
  const prefix = `${modulePath}@${version}/`;
  return writeZip(
    cf.validFiles.map((f) => ({ name: prefix + f.path, size: f.size, content: () => f.open() })),
  );
}

/** createModuleZipBytes is createModuleZip collected into one buffer. */
export async function createModuleZipBytes(
  modulePath: string,
  version: string,
  files: readonly ModuleFile[],
  options: CreateOptions = {},
): Promise<Buffer> {
  return collectZip(await createModuleZip(modulePath, version, files, options));
}

/**
 * hashModuleFiles is the h1 of the zip createModuleZip would write, computed without
 * writing it: dirhash.HashZip of x/mod zip.Create's output is Hash1 over
 * `path@version/<file>` for each valid file (Create writes no directory entries).
 * Each file must have exactly its declared size (x/mod Create's LimitedReader).
 */
export async function hashModuleFiles(
  modulePath: string,
  version: string,
  files: readonly ModuleFile[],
  options: CreateOptions = {},
): Promise<string> {
  checkModuleVersion(modulePath, version);
  const cf = await checkModuleFiles(files, options);
  const err = checkedFilesError(cf);
  if (err !== undefined) throw err;
  const digests: FileDigest[] = [];
  for (const f of cf.validFiles) {
    let size = 0;
    const counted = async function* () {
      for await (const chunk of f.open()) {
        size += chunk.length;
        yield chunk;
      }
    };
    const digest = await sha256Chunks(counted());
    if (size !== f.size) {
      throw new ZipError('ZIP_FILE_CHANGED', `file has ${size} bytes, declared ${f.size}`, f.path);
    }
    digests.push({ name: `${modulePath}@${version}/${f.path}`, digest });
  }
  return hash1FromDigests(digests);
}
