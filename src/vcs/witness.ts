import { witnessError } from '../check/answer.js';
import { memoize } from '../check/pool.js';
import type { ModuleKind, TagSignature, VcsWitness, WitnessAnswer } from '../check/witness.js';
import { isPseudoVersion } from '../go/pseudo.js';
import { hashGoMod } from '../hash/dirhash.js';
import { hashModuleFiles } from '../hash/modzip.js';
import type { Transport } from '../proxy/http.js';
import { GitError } from './git.js';
import { refForVersion, withGitModuleTree } from './gitzip.js';
import { moduleLocator, type LocatedModule } from './locate.js';
import { tagSignature, type TagTrust } from './tagsig.js';

/** GitWitnessOptions: where mirrors live, how repositories are found, and whom to trust. */
export interface GitWitnessOptions {
  /** the directory of bare mirrors (the cache's vcs/ folder, or a temporary one) */
  readonly mirrorDir: string;
  /** go-get discovery base; default https:/ (https://<module path>?go-get=1) */
  readonly discoveryBase?: string;
  /** the web client of go-get discovery (.netrc credentials, egress proxy), owned by the caller */
  readonly http?: Transport;
  readonly trust?: TagTrust;
}

interface TagEvidence {
  readonly url: string;
  readonly zip: string;
  readonly mod: string;
  readonly signature?: TagSignature;
}

/** GIT_WITNESS is the git tag witness's name (what the verified-line store records). */
export const GIT_WITNESS = 'git tag';

/**
 * gitWitness is the "direct" witness (ARCHITECTURE.md): it finds the module's
 * repository by go-import discovery, mirrors it, builds the module zip from the tag
 * for the version exactly as the go command does for GOPROXY=direct (src/vcs/gitzip.ts),
 * hashes it and the go.mod, and judges the tag's signature. Both go.sum lines of a
 * version share one build; failures come back as answers.
 */
export function gitWitness(options: GitWitnessOptions): VcsWitness {
  const locate = moduleLocator(options);
  const build = memoize(async (key): Promise<TagEvidence> => {
    const at = key.lastIndexOf('@');
    return buildFromTag(key.slice(0, at), key.slice(at + 1), locate, options.trust);
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
  return { name: GIT_WITNESS, fetch };
}

async function buildFromTag(
  module: string,
  version: string,
  locate: (modulePath: string) => Promise<LocatedModule>,
  trust: TagTrust | undefined,
): Promise<TagEvidence> {
  const { url: repoUrl, gitDir, subdir, root } = await locate(module);
  const ref = refForVersion(subdir, version);
  const request = { repo: gitDir, ref, modulePath: module, version, subdir, root };
  const hashes = await withGitModuleTree(request, async (tree) => ({
    zip: await hashModuleFiles(module, version, tree.files),
    mod: hashGoMod(tree.mod),
  }));
  const url = `${repoUrl}#${ref}`;
  if (isPseudoVersion(version)) return { url, ...hashes };
  return { url, ...hashes, signature: await tagSignature(gitDir, ref, trust) };
}
