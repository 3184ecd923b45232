import { resolve } from 'node:path';
import { GitError, runGit } from './git.js';

/**
 * goSumAtRef returns the text of a go.sum file as it was at git revision `ref`, or ''
 * when the file did not exist there (every line is then new). `file` is a path on
 * disk inside the work tree. The revision is passed after --end-of-options.
 */
export async function goSumAtRef(file: string, ref: string): Promise<string> {
  const abs = resolve(file);
  const dir = abs.slice(0, abs.lastIndexOf('/'));
  const top = (await runGit(['rev-parse', '--show-toplevel'], { cwd: dir }))
    .toString('utf8')
    .trim();
  await runGit(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], {
    cwd: top,
  }).catch((err: unknown) => {
    throw new GitError(
      'NO_SUCH_REVISION',
      `--changed-since: no commit ${JSON.stringify(ref)} in ${top}`,
      {
        cause: err,
      },
    );
  });
  const rel = abs.slice(top.length + 1);
  try {
    return (await runGit(['show', '--end-of-options', `${ref}:${rel}`], { cwd: top })).toString(
      'utf8',
    );
  } catch {
    return '';
  }
}
