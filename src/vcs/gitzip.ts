import { appendFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathMajorPrefix, splitPathVersion } from '../go/module.js';
import { compareStrings, spellBytes } from '../go/strings.js';
import { unquoteGo } from '../go/unquote.js';
import {
  isPseudoVersion,
  pseudoVersionBase,
  pseudoVersionRev,
  pseudoVersionTime,
} from '../go/pseudo.js';
import * as semver from '../go/semver.js';
import type { ModuleFile } from '../hash/create.js';
import { checkModuleVersion } from '../hash/modzip.js';
import { openEntry } from '../hash/zipentry.js';
import { cleanPath } from '../hash/paths.js';
import { readZip, type ZipEntry } from '../hash/zipread.js';
import { makeTempDir } from '../temp-dirs.js';
import { openFileSource, type FileSource } from './dirfiles.js';
import { GitError, gitAnswers, runGit } from './git.js';

/** GitModuleRequest names a module version to build from a local git repository. */
export interface GitModuleRequest {
  /** a git work tree or bare repository on disk */
  readonly repo: string;
  /** the tag, branch or commit to build (see refForVersion) */
  readonly ref: string;
  readonly modulePath: string;
  readonly version: string;
  /** codeDir: the module's directory in the repository, without the /vN suffix ("" = root) */
  readonly subdir?: string;
  /**
   * the repository root's import path (go-import), when known. A /vN module whose path
   * is the root itself (nanomsg.org/go/mangos/v2) lives at the root: its vN/ directory
   * is not looked at (coderepo.go findDir asks codeRoot != modPath).
   */
  readonly root?: string;
}

/** GitModuleTree is what the repository gives for the module version. */
export interface GitModuleTree {
  readonly commit: string;
  /** the directory the zip is built from ("" = root; may end in /vN) */
  readonly dir: string;
  /** the .mod bytes: the go.mod blob, or "module <path>\n" when there is none */
  readonly mod: Buffer;
  /** the module's files, before the module zip rules (checkFiles) are applied */
  readonly files: ModuleFile[];
}

/** GIT_ARCHIVE_LIMIT bounds the uncompressed size of git archive's output: 8 GiB. */
const GIT_ARCHIVE_LIMIT = 8 * 1024 * 1024 * 1024;

/**
 * refForVersion is the revision the go command asks the repository for
 * (GO-FACTS §2.6; cmd/go modfetch/coderepo.go:750): a pseudo-version's 12-hex
 * revision, else the tag `codeDir/` + version without "+incompatible".
 */
export function refForVersion(subdir: string, version: string): string {
  if (isPseudoVersion(version)) return pseudoVersionRev(version);
  const tag = version.endsWith('+incompatible')
    ? version.slice(0, -'+incompatible'.length)
    : version;
  return subdir === '' ? tag : `${subdir}/${tag}`;
}

/**
 * withGitModuleTree builds the file list the go command builds for GOPROXY=direct
 * (GO-FACTS §2.5, §2.8; cmd/go modfetch/codehost/git.go:813, coderepo.go:1025) and
 * passes it to `use` while the files can still be read; the temporary directory is
 * removed afterwards. The user's repository is never modified: git runs on a
 * temporary bare repository that borrows its objects (objects/info/alternates) and
 * carries Go's attribute override `* -export-subst -export-ignore` in info/attributes,
 * which outranks the tree's .gitattributes as Go's cache clone's does. The archive is
 * `git -c core.autocrlf=input -c core.eol=lf archive --format=zip --prefix=prefix/
 * <commit> [-- <dir>]`; entries under dir/ are kept, directory entries dropped, a
 * root LICENSE blob added for a subdirectory module without one.
 */
export async function withGitModuleTree<T>(
  req: GitModuleRequest,
  use: (tree: GitModuleTree) => Promise<T>,
): Promise<T> {
  checkModuleVersion(req.modulePath, req.version);
  const commit = await resolveCommit(req.repo, req.ref);
  await checkRevision(req, commit);
  const work = await makeTempDir('modguard-git-');
  try {
    const gitDir = await borrowRepository(req.repo, work);
    const { dir, gomod } = await findModuleDir(gitDir, commit, req);
    const archivePath = join(work, 'archive.zip');
    await archive(gitDir, commit, dir, archivePath);
    const source = await openFileSource(archivePath);
    try {
      const files = await archiveFiles(source, dir);
      if (dir !== '' && !files.some((f) => f.path === 'LICENSE')) {
        // codehost's git ReadFile ignores its size argument: a LICENSE over 16 MiB is
        // added, and the zip rules refuse the module for it, as the go command does.
        const license = await readBlob(gitDir, commit, 'LICENSE');
        if (license !== undefined) files.push(dataFile('LICENSE', license));
      }
      const mod = gomod ?? Buffer.from(`module ${req.modulePath}\n`);
      return await use({ commit, dir, mod, files });
    } finally {
      await source.close();
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function resolveCommit(repo: string, ref: string): Promise<string> {
  try {
    const out = await runGit(
      ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`],
      { cwd: repo },
    );
    return out.toString('utf8').trim();
  } catch (err) {
    throw new GitError('NO_SUCH_REVISION', `${repo}: no commit for ${JSON.stringify(ref)}`, {
      cause: err,
    });
  }
}

/**
 * checkRevision refuses a ref that is not the revision the version names, where the
 * go command would fetch another one or refuse the version: a pseudo-version must pass
 * checkPseudoVersion, and a version whose tag exists must be that tag's commit. A
 * version not tagged yet may be hashed from any commit (a release checked before it is
 * tagged).
 */
async function checkRevision(req: GitModuleRequest, commit: string): Promise<void> {
  const named = refForVersion(req.subdir ?? '', req.version);
  if (isPseudoVersion(req.version)) return checkPseudoVersion(req, commit);
  let tagged: string;
  try {
    tagged = await resolveCommit(req.repo, named);
  } catch {
    return; // not tagged (yet)
  }
  if (tagged !== commit) {
    throw revisionMismatch(req, commit, `is not tag ${named} (commit ${tagged}) of ${req.version}`);
  }
}

function revisionMismatch(req: GitModuleRequest, commit: string, why: string): GitError {
  return new GitError('REVISION_MISMATCH', `${req.ref} (commit ${commit}) ${why}`);
}

/**
 * checkPseudoVersion is coderepo.go validatePseudoVersion: the pseudo-version names the
 * commit's 12-hex short name and its committer time (UTC, whole seconds), and its base
 * version is a tag (codeDir/ prefix, equal as semver) on an ancestor of the commit,
 * but not literally a tag on the commit itself; without a base (vX.0.0-…) the major
 * version is v0 unless the module path carries one. Go would not build the zip of a
 * pseudo-version that fails this, so neither does hash git.
 */
async function checkPseudoVersion(req: GitModuleRequest, commit: string): Promise<void> {
  const { version, repo } = req;
  const invalid = (why: string): never => {
    throw revisionMismatch(req, commit, `cannot be ${version}: ${why}`);
  };
  const rev = pseudoVersionRev(version);
  const short = commit.slice(0, 12);
  if (rev !== short) {
    if (rev.startsWith(short)) invalid(`revision is longer than canonical (expected ${short})`);
    if (short.startsWith(rev)) invalid(`revision is shorter than canonical (expected ${short})`);
    invalid(`does not match short name of revision (expected ${short})`);
  }
  const out = await runGit(['show', '-s', '--format=%ct', commit, '--'], { cwd: repo });
  const committed = new Date(Number(out.toString('utf8').trim()) * 1000);
  if (committed.getTime() !== pseudoVersionTime(version).getTime()) {
    const stamp = committed.toISOString().replace(/[-:T]|\.\d+Z$/g, '');
    invalid(`does not match version-control timestamp (expected ${stamp})`);
  }
  const tagPrefix = req.subdir ? `${req.subdir.replace(/\/$/, '')}/` : '';
  const base = pseudoVersionBase(version.replace(/\+incompatible$/, ''));
  if (base === '') {
    const { pathMajor } = splitPathVersion(req.modulePath);
    if (pathMajorPrefix(pathMajor) === '' && semver.major(version) === 'v1')
      invalid('major version without preceding tag must be v0, not v1');
    return;
  }
  const trim = (tag: string) => (tag.startsWith(tagPrefix) ? tag.slice(tagPrefix.length) : tag);
  for (const tag of await tagNames(repo, ['--points-at', commit])) {
    if (trim(tag) === base) {
      invalid(
        `tag (${tag}) found on revision ${rev} is already canonical, so should not be replaced with a pseudo-version derived from that tag`,
      );
    }
  }
  let lastTag = '';
  for (const tag of await tagNames(repo, [])) {
    if (!tag.startsWith(tagPrefix + base) || semver.compare(trim(tag), base) !== 0) continue;
    lastTag = tag;
    const args = ['merge-base', '--is-ancestor', '--', `refs/tags/${tag}`, commit];
    if (await gitAnswers(args, { cwd: repo })) return;
  }
  if (lastTag === '') invalid(`preceding tag (${base}) not found`);
  invalid(`revision ${rev} is not a descendent of preceding tag (${lastTag})`);
}

/** tagNames lists the repository's tag names (`git tag --list`, with extra filters), sorted as Go sorts them. */
async function tagNames(repo: string, filters: string[]): Promise<string[]> {
  const out = await runGit(['tag', '--list', ...filters], { cwd: repo });
  return out
    .toString('utf8')
    .split('\n')
    .filter((t) => t !== '')
    .sort(compareStrings);
}

async function borrowRepository(repo: string, work: string): Promise<string> {
  const objects = (
    await runGit(['rev-parse', '--path-format=absolute', '--git-path', 'objects'], { cwd: repo })
  )
    .toString('utf8')
    .trim();
  const gitDir = join(work, 'repo.git');
  await runGit(['init', '--quiet', '--bare', '--', gitDir]);
  // A user's init.templateDir may leave out info/: create what we write into.
  await mkdir(join(gitDir, 'objects', 'info'), { recursive: true });
  await mkdir(join(gitDir, 'info'), { recursive: true });
  await writeFile(join(gitDir, 'objects', 'info', 'alternates'), objects + '\n');
  await appendFile(join(gitDir, 'info', 'attributes'), '\n* -export-subst -export-ignore\n');
  return gitDir;
}

/**
 * readBlob is codehost's git ReadFile (G/modfetch/codehost/git.go): `git cat-file blob
 * rev:file`, where any failure (no such path, a directory, a submodule) means the file
 * does not exist, and no size limit applies (the zip rules bound what is kept).
 */
async function readBlob(gitDir: string, commit: string, file: string): Promise<Buffer | undefined> {
  try {
    return await runGit(['cat-file', 'blob', `${commit}:${file}`], { cwd: gitDir });
  } catch (err) {
    if (err instanceof GitError) return undefined;
    throw err;
  }
}

/**
 * modulePathOf is modfile.ModulePath, which findDir uses: the first `module` line's
 * path (comments cut, quoted paths unquoted), without parsing the rest of the file;
 * undefined when there is none or it is malformed.
 */
function modulePathOf(gomod: Buffer | undefined): string | undefined {
  if (gomod === undefined) return undefined;
  for (const raw of gomod.toString('utf8').split('\n')) {
    const comment = raw.indexOf('//');
    const line = (comment >= 0 ? raw.slice(0, comment) : raw).trim();
    if (!line.startsWith('module')) continue;
    const rest = line.slice('module'.length);
    const path = rest.trim();
    if (path.length === rest.length || path === '') continue; // "modulex", or no path
    if (path.startsWith('"')) return unquoteGo(path) || undefined;
    if (path.startsWith('`')) {
      const inner = path.slice(1, -1);
      const ok = path.length >= 2 && path.endsWith('`') && !inner.includes('`');
      return ok ? inner.replaceAll('\r', '') || undefined : undefined;
    }
    return path;
  }
  return undefined;
}

/**
 * isMajor is coderepo.go isMajor: whether a go.mod's module path suits the major
 * version the requested path asks for. Without a suffix, gopkg.in's .v0 and .v1 suit
 * too; with one, suffixes of the same kind (/vN or .vN) and number.
 */
function isMajor(mpath: string | undefined, pathMajor: string): boolean {
  if (mpath === undefined || mpath === '') return false;
  const split = splitPathVersion(mpath);
  if (!split.ok) return false;
  if (pathMajor === '') return ['', 'v0', 'v1'].includes(pathMajorPrefix(split.pathMajor));
  if (split.pathMajor === '') return false;
  return pathMajor.slice(1) === split.pathMajor.slice(1);
}

/**
 * canReplaceMismatchedVersionDueToBug is coderepo.go's compatibility rule of that name:
 * an unversioned path accepts a go.mod declaring any gopkg.in path.
 */
function canReplaceMismatchedVersionDueToBug(mpath: string | undefined, pathMajor: string) {
  return pathMajor === '' && mpath !== undefined && mpath.startsWith('gopkg.in/');
}

/**
 * findModuleDir is coderepo.go findDir (GO-FACTS §2.6): for a /vN module both
 * codeDir/go.mod and codeDir/vN/go.mod are read and the one declaring the major
 * suffix wins (both is an error); without any go.mod only a root module without a
 * major suffix is allowed; "+incompatible" requires no go.mod at all.
 */
async function findModuleDir(
  gitDir: string,
  commit: string,
  req: GitModuleRequest,
): Promise<{ dir: string; gomod: Buffer | undefined }> {
  const codeDir = checkCodeDir(req.subdir ?? '');
  const { pathMajor } = splitPathVersion(req.modulePath);
  const file1 = codeDir === '' ? 'go.mod' : `${codeDir}/go.mod`;
  const gomod1 = await readBlob(gitDir, commit, file1);
  const mpath1 = modulePathOf(gomod1);
  const found1 =
    gomod1 !== undefined &&
    (isMajor(mpath1, pathMajor) || canReplaceMismatchedVersionDueToBug(mpath1, pathMajor));
  if (req.version.endsWith('+incompatible'))
    return incompatibleDir(req, codeDir, pathMajor, gomod1);
  if (pathMajor.startsWith('/') && req.root !== req.modulePath) {
    const dir2 = codeDir === '' ? pathMajor.slice(1) : `${codeDir}${pathMajor}`;
    const gomod2 = await readBlob(gitDir, commit, `${dir2}/go.mod`);
    const found2 = isMajor(modulePathOf(gomod2), pathMajor);
    if (found1 && found2)
      bad(`${file1} and ${dir2}/go.mod both declare ...${pathMajor} at ${commit}`);
    if (found2) return { dir: dir2, gomod: gomod2 };
    if (gomod2 !== undefined)
      bad(`${dir2}/go.mod has non-...${pathMajor} module path at ${commit}`);
  }
  if (found1) return { dir: codeDir, gomod: gomod1 };
  if (gomod1 !== undefined)
    bad(
      `${file1} has module path ${JSON.stringify(modulePathOf(gomod1) ?? '')}, not one for ${req.modulePath}`,
    );
  if (codeDir === '' && !pathMajor.startsWith('/')) return { dir: '', gomod: undefined };
  bad(`${file1} does not exist at revision ${commit}`);
}

/** checkCodeDir accepts "" or a clean relative path inside the repository. */
function checkCodeDir(subdir: string): string {
  const dir = subdir.endsWith('/') ? subdir.slice(0, -1) : subdir;
  if (dir === '') return '';
  if (dir.startsWith('/') || cleanPath(dir) !== dir || dir.split('/').includes('..')) {
    bad(`module directory ${JSON.stringify(subdir)} is not a clean relative path`);
  }
  return dir;
}

function incompatibleDir(
  req: GitModuleRequest,
  codeDir: string,
  pathMajor: string,
  gomod1: Buffer | undefined,
): { dir: string; gomod: undefined } {
  if (semver.compare(semver.major(req.version), 'v2') < 0 || codeDir !== '' || pathMajor !== '') {
    bad(
      `${req.version} is +incompatible, which needs v2 or later of a root module without a major suffix`,
    );
  }
  if (gomod1 !== undefined)
    bad(`${req.modulePath}@${req.version}: +incompatible, but the revision has a go.mod`);
  return { dir: '', gomod: undefined };
}

function bad(message: string): never {
  throw new GitError('BAD_MODULE_DIR', message);
}

async function archive(gitDir: string, commit: string, dir: string, out: string): Promise<void> {
  const args = [
    '-c',
    'core.autocrlf=input',
    '-c',
    'core.eol=lf',
    'archive',
    '--format=zip',
    '--prefix=prefix/',
    commit,
  ];
  if (dir !== '') args.push('--', dir);
  await runGit(args, { cwd: gitDir, stdoutFile: out });
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;

/** archiveFiles lists the archive's files under dir/ as ModuleFile values (coderepo.go:1060). */
async function archiveFiles(source: FileSource, dir: string): Promise<ModuleFile[]> {
  // Like coderepo.go:1058, the archive itself may be at most 500 MiB; its uncompressed
  // size is limited later, by checkFiles, and only for the module's own files.
  const zip = await readZip(source, { maxUncompressedTotal: GIT_ARCHIVE_LIMIT });
  const subdir = dir === '' ? '' : dir + '/';
  const files: ModuleFile[] = [];
  for (const e of zip.entries) {
    const path = e.nameIsUtf8 ? e.name : spellBytes(e.nameBytes);
    if (!path.startsWith('prefix/'))
      throw new GitError('BAD_ARCHIVE', `git archive entry ${e.name} is outside prefix/`);
    const rel = path.slice('prefix/'.length);
    if (!rel.startsWith(subdir)) continue;
    const name = rel.slice(subdir.length);
    if (name === '' || name.endsWith('/')) continue;
    files.push({
      path: name,
      kind: kindOf(e),
      size: e.uncompressedSize,
      open: () => openEntry(source, e),
    });
  }
  return files;
}

/** kindOf is archive/zip FileHeader.Mode for what checkFiles asks: Unix mode bits when a Unix host wrote them. */
function kindOf(e: ZipEntry): ModuleFile['kind'] {
  if (e.creatorVersion >> 8 !== 3 && e.creatorVersion >> 8 !== 19) return 'file';
  const type = (e.externalAttrs >>> 16) & S_IFMT;
  if (type === S_IFLNK) return 'symlink';
  if (type === S_IFDIR) return 'dir';
  return type === 0 || type === S_IFREG ? 'file' : 'other';
}

function dataFile(path: string, data: Buffer): ModuleFile {
  return { path, kind: 'file', size: data.length, open: () => [data] };
}
