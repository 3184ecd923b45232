import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { expect } from 'vitest';
import { ProxyError } from '../../../src/proxy/errors.js';
import { HttpClient, type HttpOptions } from '../../../src/proxy/http.js';
import type { StoredVersion } from '../../../src/testing/proxy-server.js';

/** fakeVersion is a stored version whose zip is opaque bytes beginning like a zip. */
export function fakeVersion(path: string, version: string, salt = ''): StoredVersion {
  return {
    info: { Version: version, Time: '2024-01-02T03:04:05Z' },
    mod: Buffer.from(`module ${path}\n`),
    zip: Buffer.concat([
      Buffer.from('PK\x03\x04'),
      Buffer.from(`${path}@${version}${salt}`.repeat(8)),
    ]),
  };
}

/** fastHttp is an HttpClient with short timeouts and backoff, so fault tests stay quick. */
export function fastHttp(options: HttpOptions = {}): HttpClient {
  return new HttpClient({
    timeouts: { connectMs: 2_000, headersMs: 800, bodyMs: 800 },
    retries: 1,
    backoffMs: 20,
    ...options,
  });
}

/** tempDir makes a temporary directory and returns it with its cleanup. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'modguard-proxy-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** failure awaits p, expects it to reject with a ProxyError, and returns that error. */
export async function failure(p: Promise<unknown>): Promise<ProxyError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProxyError);
  return err as ProxyError;
}

/** RepoSteps are commits in order: the files each writes, then the tags it gets. */
export type RepoSteps = readonly (readonly [Record<string, string | Uint8Array>, string[]])[];

const gitEnv = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.test',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.test',
};

/**
 * makeBareRepo commits each step's files in a work tree under `dir/work/<name>` (step i
 * on March i+1, 2024), tags it, and bare-clones it to `dir/srv/<name>.git` for a git
 * server rooted at `dir/srv`.
 */
export async function makeBareRepo(dir: string, name: string, steps: RepoSteps): Promise<void> {
  const work = join(dir, 'work', name);
  await mkdir(work, { recursive: true });
  const git = (args: string[], date = '2024-03-04T05:06:07Z') =>
    execa('git', args, {
      cwd: work,
      env: { ...gitEnv, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
    });
  await git(['init', '-q', '-b', 'main']);
  for (const [i, [files, tags]] of steps.entries()) {
    for (const [file, content] of Object.entries(files)) {
      await mkdir(join(work, file, '..'), { recursive: true });
      await writeFile(join(work, file), content);
    }
    await git(['add', '-A']);
    await git(['commit', '-q', '-m', `step ${i}`], `2024-03-0${i + 1}T05:06:07Z`);
    for (const tag of tags) await git(['tag', '--', tag]);
  }
  const bare = join(dir, 'srv', `${name}.git`);
  await execa('git', ['clone', '-q', '--bare', '--', work, bare], { env: gitEnv });
}
