import { createHash } from 'node:crypto';
import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runGit } from './git.js';

/**
 * mirrorRepo keeps a bare copy of a repository's tags and branches under
 * `<dir>/<hex sha256("git:" + url)>` (the go command's cache naming,
 * G/modfetch/codehost/codehost.go:227) and brings it up to date: tags are fetched
 * with force, so a tag moved upstream is seen as moved. The URL is passed after `--`.
 */
export async function mirrorRepo(url: string, dir: string): Promise<string> {
  const gitDir = join(dir, createHash('sha256').update(`git:${url}`).digest('hex'));
  if (!(await exists(join(gitDir, 'HEAD')))) {
    await mkdir(gitDir, { recursive: true });
    await runGit(['init', '--bare', '--quiet', gitDir]);
  }
  await runGit(
    [
      'fetch',
      '--quiet',
      '--force',
      '--prune',
      '--no-tags',
      '--',
      url,
      '+refs/tags/*:refs/tags/*',
      '+refs/heads/*:refs/heads/*',
    ],
    { cwd: gitDir },
  );
  return gitDir;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
