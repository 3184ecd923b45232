import { close, closeSync, createReadStream, fstatSync, openSync, read, readSync } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { spellBytes } from '../go/strings.js';
import { checkFiles, type CheckedFiles, type FileIssue, type ModuleFile } from '../hash/create.js';
import { parseGoModLax } from '../go/gomod.js';
import { createModuleZip, checkModuleVersion, type CreateOptions } from '../hash/modzip.js';
import { vendorRuleFor, isVendoredPackage, type VendorRule } from '../hash/vendor.js';
import { BufferSource, type RandomAccess } from '../hash/zipformat.js';
import { ZipError } from '../hash/errors.js';

/** READ_AHEAD is how many bytes openFileSource reads at once for a small read. */
const READ_AHEAD = 1 << 20;
/** SMALL_READ: reads shorter than this get their own copy of the bytes. */
const SMALL_READ = 4096;
/** WHOLE_FILE: files of at most this many bytes are read whole when opened. */
const WHOLE_FILE = 4 << 20;

/** FileSource is a zip file opened for the zip reader; close it when done. */
export type FileSource = RandomAccess & { close(): Promise<void> };

/**
 * openFileSource opens a file as the RandomAccess seam of the zip reader. The size is
 * taken once at open; a short read (the file shrank) is an error, never zeros.
 *
 * Each trip through libuv's thread pool costs tens of microseconds (about 80 µs on
 * the 2-core machines CI runs on), far more than opening a file or reading a small one
 * does. So the file is opened and measured synchronously, and one of at most
 * WHOLE_FILE bytes is read whole right then (a module zip of a few source files takes
 * no trip at all). Larger files are read through the pool, and small reads are served
 * from a read-ahead window: the zip reader asks for a local header, a data descriptor
 * and an entry's data in turn, in file order.
 */
export async function openFileSource(path: string): Promise<FileSource> {
  const fd = openSync(path, 'r');
  let size: number;
  try {
    size = fstatSync(fd).size;
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  // readWhole closes fd, even when it throws (closing it twice could close a descriptor
  // another thread has opened since).
  if (size <= WHOLE_FILE) return new WholeFile(readWhole(fd, size));
  return windowedSource(fd, size);
}

/** WholeFile is a small file read whole at open: there is nothing left to close. */
class WholeFile extends BufferSource {
  async close(): Promise<void> {}
}

/** readWhole reads a small file's size bytes synchronously, and closes it. */
function readWhole(fd: number, size: number): Buffer {
  try {
    const buf = Buffer.allocUnsafe(size);
    for (let done = 0; done < size;) {
      const n = readSync(fd, buf, done, size - done, done);
      if (n === 0) throw new ZipError('ZIP_TRUNCATED', `file ended at ${done}`);
      done += n;
    }
    return buf;
  } finally {
    closeSync(fd);
  }
}

/** windowedSource reads a large open file through the thread pool, with a read-ahead window. */
function windowedSource(fd: number, size: number): FileSource {
  const fill = async (offset: number, buf: Uint8Array): Promise<void> => {
    for (let done = 0; done < buf.length;) {
      const bytesRead = await readAt(fd, buf, done, buf.length - done, offset + done);
      if (bytesRead === 0) throw new ZipError('ZIP_TRUNCATED', `file ended at ${offset + done}`);
      done += bytesRead;
    }
  };
  const readExactly = async (offset: number, length: number): Promise<Buffer> => {
    const buf = Buffer.allocUnsafe(length);
    await fill(offset, buf);
    return buf;
  };
  let window: { offset: number; bytes: Buffer } = { offset: 0, bytes: Buffer.alloc(0) };
  let closed: Promise<void> | undefined;
  return {
    size,
    read: async (offset, length) => {
      if (length >= READ_AHEAD) return readExactly(offset, length);
      const start = offset - window.offset;
      if (start < 0 || start + length > window.bytes.length) {
        const ahead = Math.max(length, Math.min(READ_AHEAD, size - offset));
        window = { offset, bytes: await readExactly(offset, ahead) };
      }
      // A header-sized read is copied: a caller keeping a name must not keep the window
      // alive. A larger one (an entry's data, used and dropped) is a view.
      const at = offset - window.offset;
      const view = window.bytes.subarray(at, at + length);
      return length < SMALL_READ ? Uint8Array.prototype.slice.call(view) : view;
    },
    readInto: async (offset, into) => {
      const at = offset - window.offset;
      if (at >= 0 && at + into.length <= window.bytes.length) {
        into.set(window.bytes.subarray(at, at + into.length));
      } else {
        await fill(offset, into);
      }
    },
    close: () => (closed ??= closeFd(fd)),
  };
}

const readAt = promisify(
  (
    fd: number,
    buf: Uint8Array,
    at: number,
    length: number,
    position: number,
    done: (err: NodeJS.ErrnoException | null, bytesRead: number) => void,
  ) => read(fd, buf, at, length, position, done),
);
const closeFd = promisify(close);

/** DirListing is listFilesInDir's result: the files to check, and what the walk skipped. */
export interface DirListing {
  readonly files: ModuleFile[];
  readonly omitted: FileIssue[];
  readonly vendorRule: VendorRule;
}

const VCS_DIRS = new Set(['.bzr', '.git', '.hg', '.svn']);

/**
 * listModuleDir walks dir as x/mod zip.listFilesInDir does (zip/zip.go:862) for
 * CreateFromDir: names in byte order, symlinks never followed; vendored paths omitted
 * (directories too, though their walk continues), .bzr/.git/.hg/.svn and directories
 * holding a non-directory go.mod skipped whole, irregular files (symlinks included)
 * omitted. The vendor rule comes from dir/go.mod unless given.
 */
export async function listModuleDir(
  dir: string,
  rule: VendorRule | 'auto' = 'auto',
): Promise<DirListing> {
  const vendorRule = rule === 'auto' ? await dirVendorRule(dir) : rule;
  const listing: DirListing = { files: [], omitted: [], vendorRule };
  await walk(Buffer.from(dir), '', listing);
  return listing;
}

async function dirVendorRule(dir: string): Promise<VendorRule> {
  try {
    return vendorRuleFor(parseGoModLax(await readFile(join(dir, 'go.mod'), 'utf8')).go);
  } catch {
    return 'old';
  }
}

/**
 * walk lists dir, whose slash path in the module is rel. Names are read and sorted as
 * bytes, as Go's filepath.Walk does: a name that is not UTF-8 must still open its file
 * (a lossy string names no file) and stay apart from other such names.
 */
async function walk(dir: Buffer, rel: string, listing: DirListing): Promise<void> {
  const names = (await readdir(dir, { encoding: 'buffer' })).sort(Buffer.compare);
  for (const nameBytes of names) {
    const name = spellBytes(nameBytes);
    const slashPath = rel === '' ? name : `${rel}/${name}`;
    const full = Buffer.concat([dir, SLASH, nameBytes]);
    const info = await lstat(full);
    if (isVendoredPackage(slashPath, listing.vendorRule)) {
      listing.omitted.push({
        path: slashPath,
        code: 'OMITTED',
        reason: 'file is in vendor directory',
      });
      continue;
    }
    if (info.isDirectory()) {
      const skip = await skipDirReason(full, name);
      if (skip !== undefined)
        listing.omitted.push({ path: slashPath, code: 'OMITTED', reason: skip });
      else await walk(full, slashPath, listing);
      continue;
    }
    if (!info.isFile()) {
      listing.omitted.push({ path: slashPath, code: 'OMITTED', reason: 'not a regular file' });
      continue;
    }
    listing.files.push({
      path: slashPath,
      kind: 'file',
      size: info.size,
      open: () => createReadStream(full),
    });
  }
}

const SLASH = Buffer.from('/');

async function skipDirReason(full: Buffer, name: string): Promise<string | undefined> {
  if (VCS_DIRS.has(name)) return 'directory is a version control repository';
  try {
    const gomod = await lstat(Buffer.concat([full, GO_MOD]));
    if (!gomod.isDirectory()) return 'directory is in another module';
  } catch {
    // no go.mod: a package directory of this module
  }
  return undefined;
}

const GO_MOD = Buffer.from('/go.mod');

/**
 * checkModuleDir is x/mod zip.CheckDir: the walk's omissions plus checkFiles.
 */
export async function checkModuleDir(
  dir: string,
  rule: VendorRule | 'auto' = 'auto',
): Promise<CheckedFiles> {
  const listing = await listModuleDir(dir, rule);
  const cf = checkFiles(listing.files, listing.vendorRule);
  cf.omitted.push(...listing.omitted);
  return cf;
}

/**
 * createModuleZipFromDir is x/mod zip.CreateFromDir: listModuleDir, then
 * createModuleZip with the same vendor rule.
 */
export async function createModuleZipFromDir(
  modulePath: string,
  version: string,
  dir: string,
  options: CreateOptions = {},
): Promise<AsyncGenerator<Uint8Array>> {
  checkModuleVersion(modulePath, version);
  const listing = await listModuleDir(dir, options.vendorRule ?? 'auto');
  return createModuleZip(modulePath, version, listing.files, { vendorRule: listing.vendorRule });
}
