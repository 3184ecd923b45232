import { execa } from 'execa';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { craftZip } from '../../unit/hash/craft.js';
import { capture } from '../../support/streams.js';

async function run(...args: string[]) {
  const c = capture();
  const code = await main(['hash', ...args], c.io);
  return { code, out: c.out(), err: c.err() };
}

let work: string;
const P = 'example.com/x@v1.0.0/';
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'modguard-hash-cli-'));
  const content = Buffer.from('module example.com/x\n');
  writeFileSync(join(work, 'good.zip'), craftZip([{ name: P + 'go.mod', content }]));
  writeFileSync(join(work, 'evil.zip'), craftZip([{ name: P + '../evil', content }]));
  const dir = join(work, 'mod');
  mkdirSync(dir);
  writeFileSync(join(dir, 'go.mod'), content);
  const repo = join(work, 'repo');
  mkdirSync(repo);
  writeFileSync(join(repo, 'go.mod'), content);
  const git = (...a: string[]) => execa('git', a, { cwd: repo });
  await git('init', '-q');
  await git('add', '-A');
  await git('-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-q', '-m', 'x');
  await git('tag', 'v1.0.0');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

// GO-FACTS §1, verified with Go 1.19.8: the /go.mod hash of "module example.com/x\n".
const MOD_H1 = 'h1:cq1Wlc5Q/3TKMd9Nt+I/D/H5kAJrHbzSCzH20/f7O0w=';

describe('modguard hash', () => {
  it('zip prints the h1 of a zip', async () => {
    const r = await run('zip', join(work, 'good.zip'));
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(/^h1:[A-Za-z0-9+/]{43}=\n$/);
    const checked = await run(
      'zip',
      join(work, 'good.zip'),
      '--module',
      'example.com/x',
      '--version',
      'v1.0.0',
    );
    expect(checked.out).toBe(r.out);
  });

  it('dir and git print the same two go.sum lines for the same module', async () => {
    const dir = await run(
      'dir',
      join(work, 'mod'),
      '--module',
      'example.com/x',
      '--version',
      'v1.0.0',
    );
    expect(dir.code).toBe(0);
    const lines = dir.out.split('\n');
    expect(lines[0]).toMatch(/^example\.com\/x v1\.0\.0 h1:/);
    expect(lines[1]).toBe(`example.com/x v1.0.0/go.mod ${MOD_H1}`);
    const git = await run(
      'git',
      join(work, 'repo'),
      'v1.0.0',
      '--module',
      'example.com/x',
      '--version',
      'v1.0.0',
    );
    expect(git).toMatchObject({ code: 0, out: dir.out });
    const rooted = await run(
      'git',
      join(work, 'repo'),
      'v1.0.0',
      '--module',
      'example.com/x',
      '--version',
      'v1.0.0',
      '--root',
      'example.com/x',
      '--subdir',
      '',
    );
    expect(rooted).toMatchObject({ code: 0, out: dir.out });
    const zip = await run('zip', join(work, 'good.zip'));
    expect(lines[0]?.endsWith(zip.out.trim())).toBe(true);
  });

  it('refuses a hostile zip with exit 1 and writes nothing to stdout', async () => {
    const r = await run(
      'zip',
      join(work, 'evil.zip'),
      '--module',
      'example.com/x',
      '--version',
      'v1.0.0',
    );
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain('../evil');
  });

  it('refuses a missing revision with exit 1', async () => {
    const r = await run(
      'git',
      join(work, 'repo'),
      'v9.9.9',
      '--module',
      'example.com/x',
      '--version',
      'v9.9.9',
    );
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
  });

  it.each([
    [['frob']],
    [['zip']],
    [['dir', join('x')]],
    [['zip', 'a.zip', '--module', 'example.com/x']],
    [['dir', 'd', '--module', 'm', '--version', 'v1.0.0', '--vendor-rule', 'newest']],
    [['zip', 'a.zip', '--bogus']],
    [
      [
        'git',
        'r',
        'v2.0.0',
        '--module',
        'example.com/a/b/v2',
        '--version',
        'v2.0.0',
        '--root',
        'example.com/c',
      ],
    ],
    [
      [
        'git',
        'r',
        'v2.0.0',
        '--module',
        'example.com/a/b/v2',
        '--version',
        'v2.0.0',
        '--root',
        'example.com/a',
        '--subdir',
        'c',
      ],
    ],
  ])('exits 2 on bad usage %j', async (args) => {
    const r = await run(...args);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
  });
});
