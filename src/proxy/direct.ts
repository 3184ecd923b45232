import { createHash } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { checkPathMajor, splitPathVersion } from '../go/module.js';
import { isPseudoVersion } from '../go/pseudo.js';
import * as semver from '../go/semver.js';
import { ZipError } from '../hash/errors.js';
import { createModuleZip } from '../hash/modzip.js';
import { GitError, runGit } from '../vcs/git.js';
import { refForVersion, withGitModuleTree, type GitModuleRequest } from '../vcs/gitzip.js';
import { moduleLocator, type LocatedModule } from '../vcs/locate.js';
import type { FileBody } from './body.js';
import type { ListedVersion, ModuleInfo, ModuleSource } from './client.js';
import { ProxyError, spoolError } from './errors.js';
import { writeAll } from './spool.js';
import type { Transport } from './http.js';

/** DirectOptions: where the bare mirrors live, and the go-get discovery base and web client. */
export interface DirectOptions {
  /** a directory for bare mirrors (one per repository URL, src/vcs/mirror.ts) */
  readonly mirrorDir: string;
  /** go-get discovery base; default `https:/` (https://<module path>?go-get=1) */
  readonly discoveryBase?: string;
  /** the web client of go-get discovery (.netrc credentials, egress proxy), owned by the caller */
  readonly http?: Transport;
}

const NAME = 'direct';

/**
 * directSource is the `direct` entry of a GOPROXY list (go.dev/ref/mod#vcs-find,
 * G/modfetch/coderepo.go): it finds the module's repository by go-import discovery,
 * keeps a bare mirror of its tags and branches, and answers the GOPROXY protocol from
 * it: `.mod` and `.zip` built from the tag exactly as the go command builds them for
 * GOPROXY=direct (src/vcs/gitzip.ts, x/mod zip.Create), `@v/list` from the tags
 * (GO-FACTS §2.6), `.info` with the commit's committer time. A missing repository or
 * revision is NOT_FOUND (a `,` chain falls through, as on a 404); other failures are
 * 'unavailable' errors naming `direct`. Only git repositories are supported. Each
 * repository is mirrored once per source: build a new source to see later pushes.
 */
export function directSource(options: DirectOptions): ModuleSource {
  const locate = moduleLocator(options);
  return {
    name: NAME,
    list: (path, signal) =>
      guard(path, '@v/list', signal, async () => listVersions(path, await locate(path))),
    latest: (path, signal) =>
      guard(path, '@latest', signal, async () => latest(path, await locate(path))),
    info: (path, version, signal) =>
      guard(path, `@v/${version}.info`, signal, async () =>
        info(path, version, await locate(path)),
      ),
    mod: (path, version, signal) =>
      guard(path, `@v/${version}.mod`, signal, async () =>
        withGitModuleTree(request(path, version, await locate(path)), async (tree) => tree.mod),
      ),
    zip: (path, version, dest, signal) =>
      guard(path, `@v/${version}.zip`, signal, async () =>
        writeZip(path, version, request(path, version, await locate(path)), dest),
      ),
  };
}

function request(path: string, version: string, at: LocatedModule): GitModuleRequest {
  const ref = refForVersion(at.subdir, version);
  return { repo: at.gitDir, ref, modulePath: path, version, subdir: at.subdir };
}

/**
 * listVersions is coderepo.go Versions (GO-FACTS §2.6): the tags under `codeDir/`
 * that are canonical semver, not pseudo-versions, and of the path's major version;
 * for a root module without a major suffix, v2+ tags become `+incompatible` versions
 * unless the latest compatible tag, or the latest tag of that major, has a go.mod
 * (appendIncompatibleVersions, golang/go#34189).
 */
async function listVersions(path: string, at: LocatedModule): Promise<ListedVersion[]> {
  const { pathMajor } = splitPathVersion(path);
  const prefix = at.subdir === '' ? '' : `${at.subdir}/`;
  const list: string[] = [];
  const incompatible: string[] = [];
  for (const tag of await tagNames(at.gitDir)) {
    if (!tag.startsWith(prefix)) continue;
    const v = tag.slice(prefix.length);
    if (v === '' || semver.canonical(v) !== v || isPseudoVersion(v)) continue;
    try {
      checkPathMajor(v, pathMajor);
      list.push(v);
    } catch {
      if (at.subdir === '' && pathMajor === '' && semver.compare(semver.major(v), 'v1') > 0) {
        incompatible.push(v);
      }
    }
  }
  semver.sort(list);
  semver.sort(incompatible);
  const extra = await incompatibleVersions(at.gitDir, list, incompatible);
  return [...list, ...extra].map((version) => ({ version }));
}

/** incompatibleVersions is appendIncompatibleVersions (coderepo.go:208) over sorted lists. */
async function incompatibleVersions(
  gitDir: string,
  list: readonly string[],
  incompatible: readonly string[],
): Promise<string[]> {
  const last = list[list.length - 1];
  if (incompatible.length === 0 || (last !== undefined && (await hasGoMod(gitDir, last)))) {
    return [];
  }
  const out: string[] = [];
  const latestOfMajor = new Map<string, string>();
  for (const v of incompatible) latestOfMajor.set(semver.major(v), v);
  const majorHasGoMod = new Map<string, boolean>();
  for (const [major, v] of latestOfMajor) majorHasGoMod.set(major, await hasGoMod(gitDir, v));
  for (const v of incompatible) {
    if (majorHasGoMod.get(semver.major(v)) !== true) out.push(`${v}+incompatible`);
  }
  return out;
}

/** tagNames lists the mirror's tags (refs/tags/…), names as git stores them. */
async function tagNames(gitDir: string): Promise<string[]> {
  const out = await runGit(['for-each-ref', '--format=%(refname)', 'refs/tags/'], {
    cwd: gitDir,
  });
  return out
    .toString('utf8')
    .split('\n')
    .filter((l) => l.startsWith('refs/tags/'))
    .map((l) => l.slice('refs/tags/'.length));
}

/** hasGoMod reports a root go.mod at the tag (codehost ReadFile(v, "go.mod")). */
async function hasGoMod(gitDir: string, tag: string): Promise<boolean> {
  const args = ['ls-tree', '-z', '--full-tree', '--end-of-options', `${tag}^{commit}`];
  const out = await runGit([...args, '--', 'go.mod'], { cwd: gitDir });
  return out.length > 0;
}

/** latest is the highest listed release, else the highest pre-release (coderepo.go Latest via the list). */
async function latest(path: string, at: LocatedModule): Promise<ModuleInfo> {
  const versions = (await listVersions(path, at)).map((l) => l.version);
  const releases = versions.filter((v) => semver.prerelease(v) === '');
  const pick = (releases.length > 0 ? releases : versions).reduce<string | undefined>(
    (best, v) => (best === undefined ? v : semver.max(best, v)),
    undefined,
  );
  if (pick === undefined) {
    throw new ProxyError('NOT_FOUND', `${NAME}: ${path}: no tagged versions`, { source: NAME });
  }
  return info(path, pick, at);
}

/**
 * info is `.info` for a canonical version: the commit its tag (or pseudo-version
 * revision) names, and that commit's committer time in UTC, RFC 3339, as Go's
 * codehost Stat reports it (G/modfetch/codehost/git.go, `%ct`).
 */
async function info(path: string, version: string, at: LocatedModule): Promise<ModuleInfo> {
  checkPathMajor(version, splitPathVersion(path).pathMajor);
  const ref = refForVersion(at.subdir, version);
  const commit = await resolveCommit(at.gitDir, ref);
  const out = await runGit(['show', '-s', '--format=%ct', '--end-of-options', commit], {
    cwd: at.gitDir,
  });
  const seconds = Number(out.toString('utf8').trim());
  if (!Number.isSafeInteger(seconds)) {
    throw new GitError('GIT_FAILED', `${commit}: committer time ${JSON.stringify(out.toString())}`);
  }
  const Time = new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { Version: version, Time };
}

async function resolveCommit(gitDir: string, ref: string): Promise<string> {
  try {
    const args = ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`];
    return (await runGit(args, { cwd: gitDir })).toString('utf8').trim();
  } catch (err) {
    throw new GitError('NO_SUCH_REVISION', `no commit for ${JSON.stringify(ref)}`, { cause: err });
  }
}

/**
 * writeZip streams createModuleZip over the tag's files into dest (a new file), hashing
 * it. Every byte hashed is written (writeAll: a full disk stops a write short); a file
 * that cannot be made or written is this machine's failure (SPOOL, naming dest), not a
 * bad answer of the repository's, and is removed.
 */
async function writeZip(
  path: string,
  version: string,
  req: GitModuleRequest,
  dest: string,
): Promise<FileBody> {
  return withGitModuleTree(req, async (tree) => {
    const zip = await createModuleZip(path, version, tree.files);
    const at = { source: NAME, url: `${path}/@v/${version}.zip` };
    const keepFailed = (err: unknown): never => {
      throw spoolError(err, dest, at);
    };
    const fh = await open(dest, 'wx', 0o600).catch(keepFailed);
    const sha = createHash('sha256');
    let size = 0;
    try {
      for await (const chunk of zip) {
        sha.update(chunk);
        size += chunk.length;
        await writeAll(fh, [chunk], chunk.length, dest).catch(keepFailed);
      }
      await fh.close().catch(keepFailed);
    } catch (err) {
      await fh.close().catch(() => undefined);
      await rm(dest, { force: true });
      throw err;
    }
    return { path: dest, size, sha256: sha.digest('hex') };
  });
}

/**
 * guard runs one request and turns its failure into a ProxyError naming `direct`:
 * a missing repository or revision is NOT_FOUND; a git failure is NETWORK; a tree
 * that is not a valid module for the version (wrong major, zip rules) is BAD_RESPONSE.
 */
async function guard<T>(
  path: string,
  what: string,
  signal: AbortSignal | undefined,
  run: () => Promise<T>,
): Promise<T> {
  try {
    signal?.throwIfAborted();
    return await run();
  } catch (err) {
    throw directError(path, what, err);
  }
}

function directError(path: string, what: string, err: unknown): ProxyError {
  if (err instanceof ProxyError) return err;
  const message = `${NAME}: ${path}/${what}: ${err instanceof Error ? err.message : String(err)}`;
  const details = { source: NAME, cause: err };
  if (err instanceof GitError) {
    if (err.code === 'NO_REPOSITORY' || err.code === 'NO_SUCH_REVISION') {
      return new ProxyError('NOT_FOUND', message, details);
    }
    if (err.code === 'GIT_FAILED') return new ProxyError('NETWORK', message, details);
    return new ProxyError('BAD_RESPONSE', message, details);
  }
  if (err instanceof ZipError) return new ProxyError('BAD_RESPONSE', message, details);
  if (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')) {
    return new ProxyError('TIMEOUT', message, details);
  }
  return new ProxyError('BAD_RESPONSE', message, details);
}
