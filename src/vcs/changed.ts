import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { spellBytes } from '../go/strings.js';
import { GitError, runGit } from './git.js';

/**
 * goSumAtRef returns the text of a go.sum file as it was at git revision `ref`, or ''
 * when the file did not exist there (every line is then new). `file` is a path on
 * disk inside a git work tree. The revision is passed after --end-of-options, so a ref
 * that looks like an option is still a ref, and the file is read from the commit it
 * names (commitOf), never from `ref:path`. Throws GitError NO_REPOSITORY when `file`
 * is in no work tree and NO_SUCH_REVISION when `ref` names no commit.
 */
export async function goSumAtRef(file: string, ref: string): Promise<string> {
  const dir = await realpath(dirname(resolve(file)));
  const top = await workTree(dir);
  const commit = await commitOf(top, ref);
  const rel = relative(top, resolve(dir, basename(file)));
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new GitError('NO_REPOSITORY', `${file} is outside the work tree ${top}`);
  }
  const spec = `${commit}:${rel.split(sep).join('/')}`;
  const exists = await runGit(['cat-file', '-e', '--end-of-options', spec], { cwd: top }).then(
    () => true,
    () => false,
  );
  if (!exists) return '';
  // Spelled as the check spells the go.sum on disk (src/cli/check/modules.ts), so the
  // same line reads the same at REF.
  return spellBytes(await runGit(['cat-file', 'blob', '--end-of-options', spec], { cwd: top }));
}

/**
 * commitOf is the commit `ref` names, as a full object name. The revision is resolved
 * alone, then peeled: a suffix glued to it (`^{commit}`, `:path`) would be read as part
 * of some revisions, e.g. `:/text`, which searches commit messages to the end.
 */
async function commitOf(top: string, ref: string): Promise<string> {
  try {
    const verify = (rev: string) =>
      runGit(['rev-parse', '--verify', '--quiet', '--end-of-options', rev], { cwd: top });
    const object = (await verify(ref)).toString('utf8').trim();
    return (await verify(`${object}^{commit}`)).toString('utf8').trim();
  } catch (err) {
    const what = `--changed-since: no commit ${JSON.stringify(ref)} in ${top}`;
    throw new GitError('NO_SUCH_REVISION', what, { cause: err });
  }
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
