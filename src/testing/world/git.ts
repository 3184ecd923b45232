import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { splitPathVersion } from '../../go/module.js';
import type { GitRepoRoute } from '../git-server.js';
import type { GpgKey, SshKey } from '../keys.js';
import { publishTime } from './build.js';
import { generateSources, type Variant } from './sources.js';
import type { ModuleSpec, TagKind } from './spec.js';

/** GitKeys are the signing keys for gpg- and ssh-signed tags. */
export interface GitKeys {
  readonly gpg: GpgKey;
  readonly ssh: SshKey;
}

/** BuiltRepo is one module's bare repository and the commit each tag names. */
export interface BuiltRepo extends GitRepoRoute {
  readonly module: string;
  /** tag → commit hash, after every knob (a moved tag names its new commit) */
  readonly tags: ReadonlyMap<string, string>;
  /** tag → the commit it named when the version was published */
  readonly published: ReadonlyMap<string, string>;
}

/** repoRoot is the repository root of a module path: the path without its /vN suffix. */
export function repoRoot(path: string): string {
  const split = splitPathVersion(path);
  return split.ok && split.pathMajor.startsWith('/') ? split.prefix : path;
}

/**
 * buildRepo commits each version's sources at a fixed time and tags it the spec's way
 * (gpg- or ssh-signed, annotated or lightweight), moves the tags named in `moved` to a new
 * commit with different content (re-tagging after publication), then bare-clones the
 * work tree into `<gitRoot>/<dir>` for the git server.
 */
export async function buildRepo(
  spec: ModuleSpec,
  dirs: { work: string; gitRoot: string },
  keys: GitKeys,
  moved: readonly string[],
): Promise<BuiltRepo> {
  const root = repoRoot(spec.path);
  const dir = root.replace(/[^A-Za-z0-9._-]/g, '_') + '.git';
  const work = join(dirs.work, dir.replace(/\.git$/, ''));
  const git = gitRunner(work, keys);
  await mkdir(work, { recursive: true });
  await git(['init', '-q', '-b', 'main']);
  const ctx: RepoContext = { git, work, keys };
  const published = new Map<string, string>();
  for (const [i, version] of spec.versions.entries()) {
    published.set(version, await commitAndTag(ctx, spec, version, 'honest', i, false));
  }
  const tags = new Map(published);
  for (const [j, version] of moved.entries()) {
    tags.set(
      version,
      await commitAndTag(ctx, spec, version, 'moved', spec.versions.length + j, true),
    );
  }
  await execa('git', ['clone', '-q', '--bare', '--', work, join(dirs.gitRoot, dir)], {
    env: gitEnv(keys, 0),
  });
  return { root, dir, module: spec.path, tags, published };
}

type Git = (args: string[], at?: number) => Promise<string>;

function gitRunner(cwd: string, keys: GitKeys): Git {
  return async (args, at = 0) => (await execa('git', args, { cwd, env: gitEnv(keys, at) })).stdout;
}

/** gitEnv isolates git from the user's configuration and fixes identities and times. */
function gitEnv(keys: GitKeys, at: number): Record<string, string> {
  const when = `${Math.floor(publishTime(at).getTime() / 1000)} +0000`;
  return {
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GNUPGHOME: keys.gpg.gnupgHome,
    GIT_AUTHOR_NAME: 'World Author',
    GIT_AUTHOR_EMAIL: 'author@example.test',
    GIT_COMMITTER_NAME: 'World Signer',
    GIT_COMMITTER_EMAIL: 'signer@example.test',
    GIT_AUTHOR_DATE: when,
    GIT_COMMITTER_DATE: when,
  };
}

interface RepoContext {
  git: Git;
  work: string;
  keys: GitKeys;
}

async function commitAndTag(
  { git, work, keys }: RepoContext,
  spec: ModuleSpec,
  version: string,
  variant: Variant,
  at: number,
  force: boolean,
): Promise<string> {
  for (const name of await readdir(work))
    if (name !== '.git') await rm(join(work, name), { recursive: true });
  for (const f of generateSources(spec, version, variant)) {
    await mkdir(dirname(join(work, f.path)), { recursive: true });
    await writeFile(join(work, f.path), f.content);
  }
  await git(['add', '-A'], at);
  await git(['commit', '-q', '-m', `${variant === 'moved' ? 'retag' : 'release'} ${version}`], at);
  await git(
    [...tagArgs(spec.tag ?? 'annotated', version, keys), ...(force ? ['-f'] : []), '--', version],
    at,
  );
  return git(['rev-parse', 'HEAD'], at);
}

function tagArgs(kind: TagKind, version: string, keys: GitKeys): string[] {
  const message = ['-m', `${kind} tag ${version}`];
  if (kind === 'lightweight') return ['tag'];
  if (kind === 'annotated') return ['tag', '-a', ...message];
  const signing =
    kind === 'gpg'
      ? ['-c', 'gpg.format=openpgp', '-c', `user.signingkey=${keys.gpg.fingerprint}`]
      : ['-c', 'gpg.format=ssh', '-c', `user.signingkey=${keys.ssh.privateKeyPath}`];
  return [...signing, 'tag', '-s', ...message];
}
