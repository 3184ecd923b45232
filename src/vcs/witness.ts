import { witnessError } from '../check/answer.js';
import { memoize } from '../check/pool.js';
import type { ModuleKind, TagSignature, VcsWitness, WitnessAnswer } from '../check/witness.js';
import { splitPathVersion } from '../go/module.js';
import { isPseudoVersion } from '../go/pseudo.js';
import { hashGoMod } from '../hash/dirhash.js';
import { hashModuleFiles } from '../hash/modzip.js';
import { discoverRepo, type RepoRoot } from './discover.js';
import { GitError } from './git.js';
import { refForVersion, withGitModuleTree } from './gitzip.js';
import { mirrorRepo } from './mirror.js';
import { tagSignature, type TagTrust } from './tagsig.js';

/** GitWitnessOptions: where mirrors live, how repositories are found, and whom to trust. */
export interface GitWitnessOptions {
  /** the directory of bare mirrors (the cache's vcs/ folder, or a temporary one) */
  readonly mirrorDir: string;
  /** go-get discovery base; default https:/ (https://<module path>?go-get=1) */
  readonly discoveryBase?: string;
  readonly trust?: TagTrust;
}

interface TagEvidence {
  readonly url: string;
  readonly zip: string;
  readonly mod: string;
  readonly signature?: TagSignature;
}

/**
 * gitWitness is the "direct" witness (ARCHITECTURE.md): it finds the module's
 * repository by go-import discovery, mirrors it, builds the module zip from the tag
 * for the version exactly as the go command does for GOPROXY=direct (src/vcs/gitzip.ts),
 * hashes it and the go.mod, and judges the tag's signature. Both go.sum lines of a
 * version share one build; failures come back as answers.
 */
export function gitWitness(options: GitWitnessOptions): VcsWitness {
  const discover = memoize((modulePath) =>
    discoverRepo(modulePath, { base: options.discoveryBase }),
  );
  const mirror = memoize((url) => mirrorRepo(url, options.mirrorDir));
  const build = memoize(async (key): Promise<TagEvidence> => {
    const at = key.lastIndexOf('@');
    return buildFromTag(key.slice(0, at), key.slice(at + 1), {
      discover,
      mirror,
      trust: options.trust,
    });
  });
  const fetch = async (
    module: string,
    version: string,
    kind: ModuleKind,
  ): Promise<WitnessAnswer> => {
    const base = { witness: 'git tag', role: 'vcs' as const };
    try {
      const tag = await build(`${module}@${version}`);
      const h1 = kind === 'zip' ? tag.zip : tag.mod;
      return tag.signature === undefined
        ? { ...base, url: tag.url, h1 }
        : { ...base, url: tag.url, h1, signature: tag.signature };
    } catch (err) {
      const notFound = err instanceof GitError && err.code === 'NO_SUCH_REVISION';
      return notFound
        ? { ...base, url: '', notFound }
        : { ...base, url: '', error: witnessError(err) };
    }
  };
  return { name: 'git tag', fetch };
}

interface BuildDeps {
  readonly discover: (modulePath: string) => Promise<RepoRoot>;
  readonly mirror: (url: string) => Promise<string>;
  readonly trust?: TagTrust;
}

async function buildFromTag(
  module: string,
  version: string,
  deps: BuildDeps,
): Promise<TagEvidence> {
  const repo = await deps.discover(module);
  if (repo.vcs !== 'git') {
    throw new GitError('GIT_FAILED', `${module}: repository is ${repo.vcs}, only git is supported`);
  }
  const gitDir = await deps.mirror(repo.url);
  const subdir = codeDir(module, repo.root);
  const ref = refForVersion(subdir, version);
  const request = { repo: gitDir, ref, modulePath: module, version, subdir };
  const hashes = await withGitModuleTree(request, async (tree) => ({
    zip: await hashModuleFiles(module, version, tree.files),
    mod: hashGoMod(tree.mod),
  }));
  const url = `${repo.url}#${ref}`;
  if (isPseudoVersion(version)) return { url, ...hashes };
  return { url, ...hashes, signature: await tagSignature(gitDir, ref, deps.trust) };
}

/**
 * codeDir is the module's directory in its repository without the /vN suffix
 * (GO-FACTS §2.6, G/modfetch/coderepo.go): the module path minus the repository root
 * and minus a `/vN` major suffix (gopkg.in `.vN` is never a directory).
 */
export function codeDir(module: string, root: string): string {
  const split = splitPathVersion(module);
  const prefix = split.pathMajor.startsWith('/') ? split.prefix : module;
  if (prefix === root) return '';
  if (!prefix.startsWith(`${root}/`)) {
    throw new GitError('BAD_MODULE_DIR', `${module} is not inside repository root ${root}`);
  }
  return prefix.slice(root.length + 1);
}
