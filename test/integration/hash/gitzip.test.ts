import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWNER_FILE } from '../../../src/temp-dirs.js';
import { GitError } from '../../../src/vcs/git.js';
import { refForVersion, withGitModuleTree } from '../../../src/vcs/gitzip.js';

let repo: string;
const git = (...args: string[]) => execa('git', args, { cwd: repo });

/** second is the commit after v1.0.0, untagged, committed at 2021-02-03T04:05:06Z. */
let second: string;

beforeAll(async () => {
  repo = mkdtempSync(join(tmpdir(), 'modguard-gitzip-'));
  await git('init', '-q');
  writeFileSync(join(repo, 'go.mod'), 'module example.com/g\n');
  writeFileSync(join(repo, 'hidden.go'), 'package g\n');
  writeFileSync(join(repo, '.gitattributes'), 'hidden.go export-ignore\n');
  await git('add', '-A');
  await git('-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-q', '-m', 'x');
  await git('tag', 'v1.0.0');
  writeFileSync(join(repo, 'b.go'), 'package g // after v1.0.0\n');
  await git('add', '-A');
  await execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-q', '-m', 'y'], {
    cwd: repo,
    env: { GIT_COMMITTER_DATE: '2021-02-03T04:05:06Z', GIT_AUTHOR_DATE: '2020-01-01T00:00:00Z' },
  });
  second = (await git('rev-parse', 'HEAD')).stdout.trim();
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('withGitModuleTree', () => {
  it('neutralizes export-ignore without touching the repository', async () => {
    const before = readdirSync(join(repo, '.git', 'info'));
    const names = await withGitModuleTree(
      { repo, ref: 'v1.0.0', modulePath: 'example.com/g', version: 'v1.0.0' },
      async (tree) => tree.files.map((f) => f.path).sort(),
    );
    expect(names).toEqual(['.gitattributes', 'go.mod', 'hidden.go']);
    expect(readdirSync(join(repo, '.git', 'info'))).toEqual(before);
    const attributes = join(repo, '.git', 'info', 'attributes');
    expect(existsSync(attributes) ? readFileSync(attributes, 'utf8') : '').not.toContain(
      'export-ignore',
    );
    expect((await git('status', '--porcelain')).stdout).toBe('');
  });

  it('works in a temporary folder that names its owner, for a sweep after a SIGKILL', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'modguard-gitzip-tmp-'));
    const before = process.env['TMPDIR'];
    process.env['TMPDIR'] = tmp;
    try {
      const owners = await withGitModuleTree(
        { repo, ref: 'v1.0.0', modulePath: 'example.com/g', version: 'v1.0.0' },
        async () =>
          readdirSync(tmp).map((d) => [d, readFileSync(join(tmp, d, OWNER_FILE), 'utf8')]),
      );
      expect(owners).toEqual([
        [
          expect.stringMatching(/^modguard-git-\w{6}$/),
          expect.stringContaining(` pid=${process.pid} `),
        ],
      ]);
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      if (before === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = before;
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('refuses a missing revision as unavailable', async () => {
    const req = { repo, ref: 'v2.0.0', modulePath: 'example.com/g', version: 'v1.0.1' };
    const err = await withGitModuleTree(req, async () => 'built').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitError);
    expect(err).toMatchObject({ code: 'NO_SUCH_REVISION', kind: 'unavailable' });
  });

  it('refuses a ref that is not the revision the version names (the go command would fetch that)', async () => {
    const build = (ref: string, version: string) =>
      withGitModuleTree({ repo, ref, modulePath: 'example.com/g', version }, async (t) =>
        t.files.map((f) => f.path).sort(),
      );
    const rev = second.slice(0, 12);
    const refused = [
      [second, 'v1.0.0'], // v1.0.0 is tagged on another commit
      [second, `v1.0.1-0.20210203040507-${rev}`], // not its committer time
      [second, `v1.0.1-0.20200101000000-${rev}`], // the author time is not it either
      ['v1.0.0', `v1.0.1-0.20210203040506-${rev}`], // another commit
    ];
    for (const [ref = '', version = ''] of refused) {
      await expect(build(ref, version), `${ref} ${version}`).rejects.toMatchObject({
        code: 'REVISION_MISMATCH',
        kind: 'invalid',
      });
    }
    // The pseudo-version of that commit, and a version not tagged yet, are built.
    expect(await build(second, `v1.0.1-0.20210203040506-${rev}`)).toContain('b.go');
    expect(await build(second, 'v1.1.0')).toContain('b.go');
  });

  it('refuses a ref that looks like an option', async () => {
    const req = { repo, ref: '--output=/tmp/x', modulePath: 'example.com/g', version: 'v1.0.0' };
    await expect(withGitModuleTree(req, async () => 'built')).rejects.toBeInstanceOf(GitError);
  });
});

describe('refForVersion', () => {
  it.each([
    ['', 'v1.2.3', 'v1.2.3'],
    ['sub', 'v1.2.3', 'sub/v1.2.3'],
    ['', 'v3.0.0+incompatible', 'v3.0.0'],
    ['sub', 'v0.0.0-20210203040506-0123456789ab', '0123456789ab'],
  ])('codeDir %j, version %s: %s', (dir, version, ref) => {
    expect(refForVersion(dir, version)).toBe(ref);
  });
});
