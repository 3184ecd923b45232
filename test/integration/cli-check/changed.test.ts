import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWorld, type World } from '../../../src/testing/world/index.js';
import {
  clearRequests,
  git,
  goSumLines,
  proxyFlags,
  requestCount,
  run,
  Temps,
  worldEnv,
  writeProject,
} from './helpers.js';
import { cliWorld, honest } from './world.js';

let world: World;
const temps = new Temps();
let home: string;
let repo: string;

const [greet, upper, light] = honest as [
  (typeof honest)[0],
  (typeof honest)[0],
  (typeof honest)[0],
];
const BOGUS = `h1:${Buffer.alloc(32, 7).toString('base64')}`;

/**
 * The repository: commit 1 has svc/go.sum with greet and Upper/case; commit 2 adds
 * light/v2 and changes the hash of Upper/case's zip line. Only those three lines differ.
 */
beforeAll(async () => {
  world = await startWorld(cliWorld);
  home = await temps.make();
  repo = await temps.make();
  const svc = join(repo, 'svc');
  await git(repo, ['init', '--quiet', '--initial-branch=main']);
  await writeProject(world, svc, [greet, upper]);
  await git(repo, ['add', '.']);
  await git(repo, ['commit', '--quiet', '-m', 'first']);
  await writeProject(world, svc, [greet, upper, light]);
  const lines = goSumLines(world, [greet, upper, light]).map((l) =>
    l.startsWith(`${upper.path} ${upper.version} h1:`)
      ? `${upper.path} ${upper.version} ${BOGUS}`
      : l,
  );
  await writeFile(join(svc, 'go.sum'), `${lines.join('\n')}\n`);
  await git(repo, ['commit', '--quiet', '-am', 'second']);
});
afterAll(async () => {
  await world?.stop();
  await temps.cleanup();
});
beforeEach(() => clearRequests(world));

function check(flags: string[], dir = join(repo, 'svc')) {
  const cache = flags.includes('--cache-dir') ? [] : ['--no-cache'];
  return run(
    ['check', '--dir', dir, ...proxyFlags(world), ...cache, ...flags],
    worldEnv(world, home),
  );
}

describe('--changed-since', () => {
  it('deep-checks only the lines added or changed since the ref', async () => {
    const r = await check(['--changed-since', 'HEAD~1', '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as {
      findings: { code: string; module: string; kind: string; file: string }[];
      summary: { lines: number; verified: number };
    };
    expect(report.summary).toMatchObject({ lines: 6, verified: 2 });
    expect(report.findings.map((f) => [f.module, f.kind, f.file])).toEqual([
      [upper.path, 'zip', 'svc/go.sum'],
    ]);
    expect(r.err).toBe(
      'modguard: 3 go.sum lines skipped: unchanged since "HEAD~1" and not in the cache of verified lines\n',
    );
    // Proxy B is asked for the changed lines only; proxy A also for the retractions of
    // the modules with a changed line (@v/list and the latest version's .mod).
    const paths = (reqs: readonly { path: string }[]) =>
      [...new Set(reqs.map((q) => q.path))].sort();
    const changed = [
      '/example.test/!upper/case/@v/v1.0.0.zip',
      '/example.test/light/v2/@v/v2.0.1.mod',
      '/example.test/light/v2/@v/v2.0.1.zip',
    ];
    expect(paths(world.proxyB.requests)).toEqual(changed);
    const retractions = [
      '/example.test/!upper/case/@v/list',
      '/example.test/!upper/case/@v/v1.0.0.mod',
      '/example.test/light/v2/@v/list',
    ];
    expect(paths(world.proxyA.requests)).toEqual([...changed, ...retractions].sort());
    const lookups = world.sumdb.server.state.requests.filter((p) => p.startsWith('/lookup/'));
    expect(lookups.sort()).toEqual([
      '/lookup/example.test/!upper/case@v1.0.0',
      '/lookup/example.test/light/v2@v2.0.1',
    ]);
  });

  it('reads the go.sum of the commit REF names, however REF is spelled', async () => {
    // ":/first" names the commit whose message matches "first"; "<ref>:<path>" would
    // search for a message matching "first:svc/go.sum" instead.
    for (const ref of [':/first', 'main~1', 'HEAD^']) {
      const r = await check(['--changed-since', ref]);
      expect(r.out, ref).toContain(
        '6 go.sum lines: 2 verified, 1 mismatched, 0 inconclusive, 3 skipped',
      );
    }
  });

  it('the text summary counts the skipped lines', async () => {
    const r = await check(['--changed-since', 'HEAD~1']);
    expect(r.out).toContain('6 go.sum lines: 2 verified, 1 mismatched, 0 inconclusive, 3 skipped');
  });

  it('with the ref at HEAD nothing is asked', async () => {
    const r = await check(['--changed-since', 'HEAD']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('6 go.sum lines: 0 verified, 0 mismatched, 0 inconclusive, 6 skipped');
    expect(requestCount(world)).toEqual({ a: 0, b: 0, sumdb: 0 });
  });

  it('unchanged lines already in the cache count as verified; the rest are skipped', async () => {
    const cacheDir = await temps.make();
    expect((await check(['--cache-dir', cacheDir])).code).toBe(1);
    clearRequests(world);
    const r = await check(['--changed-since', 'HEAD', '--cache-dir', cacheDir]);
    expect(r.out).toContain('6 go.sum lines: 5 verified, 0 mismatched, 0 inconclusive, 1 skipped');
    expect(r.err).toContain('modguard: 1 go.sum line skipped: unchanged since "HEAD"');
    expect(r.code).toBe(0);
    expect(requestCount(world)).toEqual({ a: 0, b: 0, sumdb: 0 });
  });

  describe('with --offline', () => {
    it('unchanged lines not in the cache are skipped, not inconclusive', async () => {
      const cacheDir = await temps.make();
      const r = await check(['--offline', '--changed-since', 'HEAD', '--cache-dir', cacheDir]);
      expect(r.out).toContain(
        '6 go.sum lines: 0 verified, 0 mismatched, 0 inconclusive, 6 skipped',
      );
      expect(r.err).toContain('modguard: 6 go.sum lines skipped: unchanged since "HEAD"');
      expect(r.code).toBe(0);
      expect(requestCount(world)).toEqual({ a: 0, b: 0, sumdb: 0 });
    });

    it('changed lines not in the cache stay inconclusive; cached ones are verified', async () => {
      const cacheDir = await temps.make();
      const flags = ['--changed-since', 'HEAD~1', '--cache-dir', cacheDir];
      // Online first: light/v2's two new lines are verified and kept in the cache.
      expect((await check(flags)).out).toContain(
        '6 go.sum lines: 2 verified, 1 mismatched, 0 inconclusive, 3 skipped',
      );
      clearRequests(world);
      // Upper/case's changed zip line was never verified: inconclusive, failing the check.
      const r = await check(['--offline', ...flags]);
      expect(r.out).toContain(
        '6 go.sum lines: 2 verified, 0 mismatched, 1 inconclusive, 3 skipped',
      );
      expect(r.code).toBe(1);
      expect((await check(['--offline', '--allow-inconclusive', ...flags])).code).toBe(0);
      expect(requestCount(world)).toEqual({ a: 0, b: 0, sumdb: 0 });
    });
  });

  it('a ref that names no commit is a usage error (exit 2) before anything is asked', async () => {
    for (const ref of ['no-such-branch', '--all', 'HEAD~9']) {
      const r = await check([`--changed-since=${ref}`]);
      expect(r.code, ref).toBe(2);
      expect(r.err).toContain(`no commit ${JSON.stringify(ref)}`);
    }
    expect(requestCount(world)).toEqual({ a: 0, b: 0, sumdb: 0 });
  });

  it('a directory outside git is a usage error (exit 2)', async () => {
    const dir = await temps.make();
    await writeProject(world, dir, [greet]);
    const r = await check(['--changed-since', 'HEAD'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('is not in a git work tree');
  });

  it('without --changed-since every line is checked, named from the repository root', async () => {
    const r = await check(['--format', 'json']);
    const report = JSON.parse(r.out) as {
      findings: { file: string }[];
      summary: { verified: number };
    };
    expect(report.summary.verified).toBe(5);
    expect(report.findings.map((f) => f.file)).toEqual(['svc/go.sum']);
  });
});

describe('--changed-since with a git submodule', () => {
  it('compares its go.sum with the commit the submodule had at REF, not its own REF', async () => {
    // lib: commit X has greet; Y1 adds Upper/case; Y2 adds light/v2. The outer
    // repository's last commit moves lib from X to Y2: both additions are its own.
    const lib = await temps.make();
    await git(lib, ['init', '--quiet', '--initial-branch=main']);
    await writeProject(world, lib, [greet], 'example.test/lib');
    await git(lib, ['add', '.']);
    await git(lib, ['commit', '--quiet', '-m', 'X']);
    const outer = await temps.make();
    await git(outer, ['init', '--quiet', '--initial-branch=main']);
    await writeProject(world, outer, [greet], 'example.test/outer');
    const fileOk = ['-c', 'protocol.file.allow=always'];
    await git(outer, [...fileOk, 'submodule', '--quiet', 'add', lib, 'lib']);
    await git(outer, ['add', '.']);
    await git(outer, ['commit', '--quiet', '-m', 'first']);
    await writeProject(world, lib, [greet, upper], 'example.test/lib');
    await git(lib, ['commit', '--quiet', '-am', 'Y1']);
    await writeProject(world, lib, [greet, upper, light], 'example.test/lib');
    await git(lib, ['commit', '--quiet', '-am', 'Y2']);
    await git(join(outer, 'lib'), [...fileOk, 'pull', '--quiet', 'origin', 'main']);
    await git(outer, ['commit', '--quiet', '-am', 'move lib to Y2']);

    const r = await check(['--recursive', '--changed-since', 'HEAD~1'], outer);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('8 go.sum lines: 4 verified, 0 mismatched, 0 inconclusive, 4 skipped');
    // The commit that added lib: it was not there, every line of it is new.
    const added = await check(['--recursive', '--changed-since', 'HEAD~1'], join(outer, 'lib'));
    expect(added.out).toContain(
      '6 go.sum lines: 2 verified, 0 mismatched, 0 inconclusive, 4 skipped',
    );
  });
});
