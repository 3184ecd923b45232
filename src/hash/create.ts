import { equalFold } from '../go/fold.js';
import { checkFilePath } from '../go/module.js';
import { errorMessage } from '../errors.js';
import { ZipError, type ZipErrorCode } from './errors.js';
import { CollisionChecker } from './collisions.js';
import { cleanPath, splitPath } from './paths.js';
import { isVendoredPackage, type VendorRule } from './vendor.js';

/** MAX_GO_MOD and MAX_LICENSE are x/mod zip.MaxGoMod and zip.MaxLICENSE: 16 MiB. */
export const MAX_GO_MOD = 16 << 20;
export const MAX_LICENSE = 16 << 20;
/** MAX_MODULE_SIZE is x/mod zip.MaxZipFile, the limit on a module's total file size. */
export const MAX_MODULE_SIZE = 500 << 20;

/**
 * ModuleFile is one file offered for a module zip (x/mod zip.File): a clean,
 * slash-separated path relative to the module root, what Lstat says it is, its size,
 * and its content as a stream of chunks (only regular files are ever opened).
 */
export interface ModuleFile {
  readonly path: string;
  readonly kind: 'file' | 'symlink' | 'dir' | 'other';
  readonly size: number;
  open(): AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
}

/** FileIssue is one omitted or invalid file (x/mod zip.FileError), with a stable code. */
export interface FileIssue {
  readonly path: string;
  readonly code: ZipErrorCode | 'OMITTED';
  readonly reason: string;
}

/**
 * CheckedFiles is x/mod's zip.CheckedFiles as data: every file lands in exactly one of
 * valid, omitted or invalid; sizeError is set when the valid files are too large in
 * total. `validFiles` are the valid ModuleFile values, in input order.
 */
export interface CheckedFiles {
  readonly valid: string[];
  readonly omitted: FileIssue[];
  readonly invalid: FileIssue[];
  sizeError: string | undefined;
  readonly validFiles: ModuleFile[];
}

/**
 * checkFiles sorts files into valid, omitted and invalid as x/mod zip.checkFiles does
 * (zip/zip.go:200; GO-FACTS §2.3), in this order: nested-module go.mod discovery
 * (regular files whose base name EqualFolds go.mod), not clean, absolute, vendored,
 * in a nested module, root .hg_archival.txt, CheckFilePath, root go.mod case,
 * case-insensitive collisions (Go simple folding, implied parents included),
 * symlinks and irregular files, then the size limits. A path is reported once.
 */
export function checkFiles(files: readonly ModuleFile[], vendorRule: VendorRule): CheckedFiles {
  const cf: CheckedFiles = {
    valid: [],
    omitted: [],
    invalid: [],
    sizeError: undefined,
    validFiles: [],
  };
  const reported = new Set<string>();
  const report = (path: string, code: ZipErrorCode | 'OMITTED', reason: string) => {
    if (reported.has(path)) return;
    reported.add(path);
    (code === 'OMITTED' ? cf.omitted : cf.invalid).push({ path, code, reason });
  };
  const moduleDirs = nestedModuleDirs(files);
  const collisions = new CollisionChecker();
  let remaining = MAX_MODULE_SIZE;
  for (const f of files) {
    const problem = fileProblem(f, vendorRule, moduleDirs, collisions);
    if (problem !== undefined) {
      report(f.path, problem.code, problem.reason);
      continue;
    }
    if (f.size >= 0 && f.size <= remaining) remaining -= f.size;
    else cf.sizeError ??= `module source tree too large (max size is ${MAX_MODULE_SIZE} bytes)`;
    if (f.path === 'go.mod' && f.size > MAX_GO_MOD) {
      report(
        f.path,
        'ZIP_FILE_TOO_LARGE',
        `go.mod file too large (max size is ${MAX_GO_MOD} bytes)`,
      );
      continue;
    }
    if (f.path === 'LICENSE' && f.size > MAX_LICENSE) {
      report(
        f.path,
        'ZIP_FILE_TOO_LARGE',
        `LICENSE file too large (max size is ${MAX_LICENSE} bytes)`,
      );
      continue;
    }
    cf.valid.push(f.path);
    cf.validFiles.push(f);
  }
  return cf;
}

function nestedModuleDirs(files: readonly ModuleFile[]): Set<string> {
  const dirs = new Set<string>();
  for (const f of files) {
    const { dir, base } = splitPath(f.path);
    if (equalFold(base, 'go.mod') && f.kind === 'file') dirs.add(dir);
  }
  return dirs;
}

function inNestedModule(p: string, dirs: Set<string>): boolean {
  for (let dir = splitPath(p).dir; dir !== ''; dir = splitPath(dir.slice(0, -1)).dir) {
    if (dirs.has(dir)) return true;
  }
  return false;
}

function fileProblem(
  f: ModuleFile,
  vendorRule: VendorRule,
  moduleDirs: Set<string>,
  collisions: CollisionChecker,
): { code: ZipErrorCode | 'OMITTED'; reason: string } | undefined {
  const p = f.path;
  if (p !== cleanPath(p)) return { code: 'ZIP_INVALID_NAME', reason: 'file path is not clean' };
  if (p.startsWith('/')) return { code: 'ZIP_INVALID_NAME', reason: 'file path is not relative' };
  if (isVendoredPackage(p, vendorRule))
    return { code: 'OMITTED', reason: 'file is in vendor directory' };
  if (inNestedModule(p, moduleDirs))
    return { code: 'OMITTED', reason: 'file is in another module' };
  if (p === '.hg_archival.txt') {
    return { code: 'OMITTED', reason: "file is inserted by 'hg archive' and is always omitted" };
  }
  try {
    checkFilePath(p);
  } catch (err) {
    return { code: 'ZIP_INVALID_NAME', reason: errorMessage(err) };
  }
  if (p.toLowerCase() === 'go.mod' && p !== 'go.mod') {
    return { code: 'ZIP_GOMOD_PLACEMENT', reason: 'go.mod files must have lowercase names' };
  }
  const collision = collisions.check(p, f.kind === 'dir');
  if (collision !== undefined) return collision;
  if (f.kind === 'symlink') return { code: 'OMITTED', reason: 'file is a symbolic link' };
  if (f.kind !== 'file') return { code: 'OMITTED', reason: 'not a regular file' };
  return undefined;
}

/** checkedFilesError is CheckedFiles.Err: the size error, else every invalid file (code of the first). */
export function checkedFilesError(cf: CheckedFiles): ZipError | undefined {
  if (cf.sizeError !== undefined) return new ZipError('ZIP_TOO_LARGE', cf.sizeError);
  const first = cf.invalid[0];
  if (first === undefined) return undefined;
  const code = first.code === 'OMITTED' ? 'ZIP_INVALID_FILES' : first.code;
  const lines = cf.invalid.map((i) => `${i.path}: ${i.reason}`).join('\n');
  return new ZipError(code, lines, cf.invalid.length === 1 ? first.path : undefined);
}
