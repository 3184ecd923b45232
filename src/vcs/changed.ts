import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { spellBytes } from '../go/strings.js';
import { GitError, runGit } from './git.js';

/** Revision is a commit of the repository a check runs in, as --changed-since names it. */
export interface Revision {
  /** the repository's work tree */
  readonly top: string;
  /** the commit, as a full object name */
  readonly commit: string;
}

/**
 * revisionAt is the commit `ref` names in the repository holding the folder
 * `repository`, resolved once for every go.sum a check reads at it (goSumAt). Throws
 * GitError NO_REPOSITORY when `repository` is in no work tree and NO_SUCH_REVISION when
 * `ref` names no commit.
 */
export async function revisionAt(repository: string, ref: string): Promise<Revision> {
  const top = await workTree(await realpath(repository));
  return { top, commit: await commitOf(top, ref) };
}

/**
 * goSumAt returns the text of a go.sum file as it was at `revision`, or '' when the file
 * did not exist there (every line is then new). The revision is passed after
 * --end-of-options, so a ref that looks like an option is still a ref, and the file is
 * read from the commit it names (commitOf), never from `ref:path`. A go.sum in a
 * submodule is read from the commit the repository recorded for the submodule at the
 * revision (what a change of the repository changed there), not from the submodule's
 * own `ref`; when that commit is not at hand, or the file is in a repository the
 * revision does not record (a nested clone, a go.work above the repository), or in
 * none, every line is new.
 */
export async function goSumAt(revision: Revision, file: string): Promise<string> {
  const { top, commit } = revision;
  const dir = await realpath(dirname(resolve(file)));
  const own = await workTree(dir).catch(() => undefined);
  if (own === undefined) return '';
  const at = own === top ? commit : await recordedCommit(top, commit, own);
  if (at === undefined) return '';
  const rel = relative(own, resolve(dir, basename(file)));
  const spec = `${at}:${rel.split(sep).join('/')}`;
  const exists = await runGit(['cat-file', '-e', '--end-of-options', spec], { cwd: own }).then(
    () => true,
    () => false,
  );
  if (!exists) return '';
  // Spelled as the check spells the go.sum on disk (src/cli/check/modules.ts), so the
  // same line reads the same at REF.
  return spellBytes(await runGit(['cat-file', 'blob', '--end-of-options', spec], { cwd: own }));
}

/**
 * recordedCommit is the commit that the work tree `top` at `commit` records for the
 * work tree `inner` below it (a submodule's gitlink, through every submodule between
 * them), when `inner` has it; undefined when `inner` is not below `top`, was no
 * submodule at `commit`, or its clone lacks that commit.
 */
async function recordedCommit(
  top: string,
  commit: string,
  inner: string,
): Promise<string | undefined> {
  const below = relative(top, inner);
  if (below === '' || below.startsWith('..') || isAbsolute(below)) return undefined;
  const parent = await workTree(dirname(inner));
  const parentCommit = parent === top ? commit : await recordedCommit(top, commit, parent);
  if (parentCommit === undefined) return undefined;
  const path = relative(parent, inner).split(sep).join('/');
  const entry = await runGit(['--literal-pathspecs', 'ls-tree', '-z', parentCommit, '--', path], {
    cwd: parent,
  });
  // "<mode> <type> <object>\t<path>\0"; a submodule is mode 160000, type commit.
  const gitlink = /^160000 commit ([0-9a-f]+)\t/.exec(entry.toString('utf8'))?.[1];
  if (gitlink === undefined) return undefined;
  return revParse(inner, `${gitlink}^{commit}`).then(
    () => gitlink,
    () => undefined,
  );
}

/**
 * commitOf is the commit `ref` names, as a full object name. The revision is resolved
 * alone, then peeled: a suffix glued to it (`^{commit}`, `:path`) would be read as part
 * of some revisions, e.g. `:/text`, which searches commit messages to the end.
 */
async function commitOf(top: string, ref: string): Promise<string> {
  try {
    return await revParse(top, `${await revParse(top, ref)}^{commit}`);
  } catch (err) {
    const what = `--changed-since: no commit ${JSON.stringify(ref)} in ${top}`;
    throw new GitError('NO_SUCH_REVISION', what, { cause: err });
  }
}

/** revParse is the object name `rev` names in the repository at `cwd`; throws if none. */
async function revParse(cwd: string, rev: string): Promise<string> {
  const args = ['rev-parse', '--verify', '--quiet', '--end-of-options', rev];
  return (await runGit(args, { cwd })).toString('utf8').trim();
}

async function workTree(dir: string): Promise<string> {
  try {
    const top = (await runGit(['rev-parse', '--show-toplevel'], { cwd: dir })).toString('utf8');
    return await realpath(top.trim());
  } catch (err) {
    throw new GitError('NO_REPOSITORY', `--changed-since: ${dir} is not in a git work tree`, {
      cause: err,
    });
  }
}
