import { errorMessage } from '../errors.js';
import { checkFilePath } from '../go/module.js';
import { equalFold } from '../go/fold.js';
import { CollisionChecker } from './collisions.js';
import { MAX_GO_MOD, MAX_LICENSE, MAX_MODULE_SIZE, type FileIssue } from './create.js';
import { ZipError, type ZipErrorCode } from './errors.js';
import { checkModuleVersion } from './modzip.js';
import { basePath, isCleanPath } from './paths.js';
import { hashZip } from './zipentry.js';
import {
  readZip,
  readZipSync,
  type ReadZipOptions,
  type ZipArchive,
  type ZipEntry,
} from './zipread.js';
import { inMemory, type RandomAccess } from './zipformat.js';

/** CheckedZip is x/mod's CheckedFiles for a zip: valid entry names, invalid entries, size error. */
export interface CheckedZip {
  readonly valid: string[];
  readonly invalid: FileIssue[];
  sizeError: string | undefined;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const CREATOR_UNIX = 3;

/**
 * checkZip applies x/mod zip.checkZip's content rules (zip/zip.go:386; GO-FACTS §2.1)
 * to a structurally checked zip: every entry starts with `path@version/` (an entry
 * equal to the prefix is skipped), names are clean and pass CheckFilePath, no
 * case-folding collisions, duplicates or file/directory conflicts (directory entries
 * are checked, then ignored), a go.mod only at the root and spelled "go.mod", and the
 * size limits (total 500 MiB, go.mod and LICENSE 16 MiB). Stricter than Go: an entry
 * that Unix-mode bits mark as a symbolic link is invalid (Go would extract it as a
 * regular file; Go's own zips never hold one).
 */
export function checkZip(modulePath: string, version: string, archive: ZipArchive): CheckedZip {
  checkModuleVersion(modulePath, version);
  const cz: CheckedZip = { valid: [], invalid: [], sizeError: undefined };
  const prefix = `${modulePath}@${version}/`;
  const collisions = new CollisionChecker();
  let total = 0;
  for (const e of archive.entries) {
    const problem = entryProblem(e, prefix, collisions);
    if (problem === 'skip') continue;
    if (problem !== undefined) {
      cz.invalid.push({ path: e.name, ...problem });
      continue;
    }
    if (e.uncompressedSize <= MAX_MODULE_SIZE - total) total += e.uncompressedSize;
    else
      cz.sizeError ??= `total uncompressed size of module contents too large (max size is ${MAX_MODULE_SIZE} bytes)`;
    const name = e.name.slice(prefix.length);
    if (name === 'go.mod' && e.uncompressedSize > MAX_GO_MOD) {
      cz.invalid.push({
        path: e.name,
        code: 'ZIP_FILE_TOO_LARGE',
        reason: `go.mod file too large (max size is ${MAX_GO_MOD} bytes)`,
      });
      continue;
    }
    if (name === 'LICENSE' && e.uncompressedSize > MAX_LICENSE) {
      cz.invalid.push({
        path: e.name,
        code: 'ZIP_FILE_TOO_LARGE',
        reason: `LICENSE file too large (max size is ${MAX_LICENSE} bytes)`,
      });
      continue;
    }
    cz.valid.push(e.name);
  }
  return cz;
}

type Problem = { code: ZipErrorCode; reason: string } | 'skip' | undefined;

function entryProblem(e: ZipEntry, prefix: string, collisions: CollisionChecker): Problem {
  if (!e.name.startsWith(prefix)) {
    return { code: 'ZIP_PREFIX', reason: `path does not have prefix ${JSON.stringify(prefix)}` };
  }
  if (!e.nameIsUtf8) return { code: 'ZIP_INVALID_NAME', reason: 'file path is not valid UTF-8' };
  let name = e.name.slice(prefix.length);
  if (name === '') return 'skip';
  const isDir = name.endsWith('/');
  if (isDir) name = name.slice(0, -1);
  if (!isCleanPath(name)) return { code: 'ZIP_INVALID_NAME', reason: 'file path is not clean' };
  try {
    checkFilePath(name);
  } catch (err) {
    return { code: 'ZIP_INVALID_NAME', reason: errorMessage(err) };
  }
  const collision = collisions.check(name, isDir);
  if (collision !== undefined) return collision;
  if (isDir) return 'skip';
  const base = basePath(name);
  if (equalFold(base, 'go.mod')) {
    if (base !== name)
      return { code: 'ZIP_GOMOD_PLACEMENT', reason: 'go.mod file not in module root directory' };
    if (name !== 'go.mod')
      return { code: 'ZIP_GOMOD_PLACEMENT', reason: 'go.mod files must have lowercase names' };
  }
  if (e.creatorVersion >> 8 === CREATOR_UNIX && ((e.externalAttrs >>> 16) & S_IFMT) === S_IFLNK) {
    return { code: 'ZIP_SYMLINK', reason: 'entry is a symbolic link' };
  }
  return undefined;
}

/** checkedZipError is CheckedFiles.Err for a zip: the size error, else every invalid entry. */
export function checkedZipError(cz: CheckedZip): ZipError | undefined {
  if (cz.sizeError !== undefined) return new ZipError('ZIP_TOO_LARGE', cz.sizeError);
  const first = cz.invalid[0];
  if (first === undefined) return undefined;
  const code = first.code === 'OMITTED' ? 'ZIP_INVALID_FILES' : first.code;
  const lines = cz.invalid.map((i) => `${i.path}: ${i.reason}`).join('\n');
  return new ZipError(code, lines, first.path);
}

/**
 * hashModuleZip is what modguard runs on a module zip from any witness: read the zip
 * (structural and bomb checks), refuse it unless checkZip passes for path@version,
 * then hash it as dirhash.HashZip. The go command hashes before Unzip checks
 * (GO-FACTS §2.1); modguard refuses such zips outright (fail closed).
 */
export async function hashModuleZip(
  modulePath: string,
  version: string,
  source: RandomAccess,
  options: ReadZipOptions = {},
): Promise<string> {
  const archive = inMemory(source) ? readZipSync(source, options) : await readZip(source, options);
  const err = checkedZipError(checkZip(modulePath, version, archive));
  if (err !== undefined) throw err;
  return hashZip(archive);
}
