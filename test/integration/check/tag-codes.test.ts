import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, type World } from '../../../src/testing/world/index.js';
import { codes, names, only, row, runCheckOn, sumLines } from './helpers.js';

// A world with git: one module per tag kind or tag fault.
const V = 'v1.0.0';
const M = {
  gpg: 'example.test/gpg',
  ssh: 'example.test/ssh',
  plain: 'example.test/plain',
  light: 'example.test/light',
  moved: 'example.test/moved',
  notag: 'example.test/notag',
  badsig: 'example.test/badsig',
  secret: 'private.test/secret',
} as const;

let world: World;
let W: ReturnType<typeof names>;
let emptyGnupg: string;

beforeAll(async () => {
  world = await startWorld({
    modules: [
      { path: M.gpg, versions: [V], tag: 'gpg' },
      { path: M.ssh, versions: [V], tag: 'ssh' },
      { path: M.plain, versions: [V], tag: 'annotated' },
      { path: M.light, versions: [V], tag: 'lightweight' },
      { path: M.moved, versions: [V], tag: 'gpg' },
      { path: M.notag, versions: [V], tag: 'gpg' },
      { path: M.badsig, versions: [V], tag: 'gpg' },
      { path: M.secret, versions: [V], tag: 'gpg', private: true },
    ],
    knobs: [{ kind: 'moved-tag', path: M.moved, version: V }],
  });
  W = names(world);
  await git(M.notag, ['tag', '-d', V]);
  await breakSignature(M.badsig, V);
  emptyGnupg = await mkdtemp(join(tmpdir(), 'modguard-gnupg-'));
});
afterAll(async () => {
  await world?.stop();
  await rm(emptyGnupg, { recursive: true, force: true });
});

function bareRepo(module: string): string {
  const repo = world.repos.find((r) => r.module === module);
  if (repo === undefined) throw new Error(`no repository for ${module}`);
  return join(world.dir, 'git', repo.dir);
}

async function git(module: string, args: string[], input?: string): Promise<string> {
  const opts = input === undefined ? {} : { input };
  return (await execa('git', ['-C', bareRepo(module), ...args], opts)).stdout;
}

/**
 * breakSignature replaces a signed tag by one whose message was edited after signing:
 * the signature block no longer matches the content (git verify-tag: BAD signature).
 */
async function breakSignature(module: string, tag: string): Promise<void> {
  const text = await git(module, ['cat-file', 'tag', tag]);
  expect(text).toContain('-----BEGIN PGP SIGNATURE-----');
  const blank = text.indexOf('\n\n');
  const forged = `${text.slice(0, blank + 2)}forged: ${text.slice(blank + 2)}\n`;
  const oid = (await git(module, ['mktag'], forged)).trim();
  await git(module, ['update-ref', `refs/tags/${tag}`, oid]);
}

const v = (path: string) => world.find(path, V);
const goSum = (...paths: string[]) => ({ goSum: paths.map((p) => sumLines(v(p))).join('') });

describe('when the tags match and are signed by trusted keys', () => {
  it('gpg- and ssh-signed tags verify every line with no finding', async () => {
    const { report, status } = await runCheckOn(world, goSum(M.gpg, M.ssh), { direct: true });
    expect(report.findings).toEqual([]);
    expect(report.summary).toMatchObject({ lines: 4, verified: 4 });
    expect(status).toBe(0);
  });
});

describe('MG7xx: the git tag', () => {
  it('MG701: a tag moved after publication differs from the sumdb', async () => {
    const { report, status } = await runCheckOn(world, goSum(M.moved), { direct: true });
    const [f] = only(report, 'MG701');
    expect(f).toMatchObject({ severity: 'warning', module: M.moved, kind: 'zip', line: 1 });
    expect(f.witness).toBe(W.git);
    const tag = row(f, W.git);
    expect(tag.url).toMatch(new RegExp(`^${world.git?.url ?? '?'}/.*#${V}$`));
    expect(tag.h1).not.toBe(v(M.moved).zipHash);
    expect(row(f, W.sumdb).h1).toBe(v(M.moved).zipHash);
    expect(row(f, 'go.sum').h1).toBe(v(M.moved).zipHash);
    expect(report.summary.mismatched).toBeGreaterThanOrEqual(1);
    // MG701 is a warning (docs/findings.md): the line is a mismatch, yet the default
    // --fail-on error passes; --fail-on warning fails.
    expect(status).toBe(0);
    const strict = await runCheckOn(world, goSum(M.moved), {
      direct: true,
      args: ['--fail-on', 'warning'],
    });
    expect(strict.status).toBe(1);
  });

  it('MG702: no tag for the version', async () => {
    const { report, status } = await runCheckOn(world, goSum(M.notag), { direct: true });
    const found = only(report, 'MG702');
    expect(found.map((f) => f.line).sort()).toEqual([1, 2]);
    expect(found[0]).toMatchObject({ severity: 'warning', module: M.notag, witness: W.git });
    expect(row(found[0], W.git)).toMatchObject({ h1: null, error: 'not found' });
    expect(report.summary).toMatchObject({ verified: 0, inconclusive: 2 });
    expect(status).toBe(1);
  });

  it('MG703: a tag whose signature does not match its content voids both lines', async () => {
    const { report, status } = await runCheckOn(world, goSum(M.badsig), { direct: true });
    const found = only(report, 'MG703');
    expect(found.map((f) => f.line).sort()).toEqual([1, 2]);
    expect(found[0]).toMatchObject({ severity: 'error', module: M.badsig, witness: W.git });
    expect(row(found[0], W.git).url).toContain(`#${V}`);
    expect(report.summary).toMatchObject({ verified: 0, inconclusive: 2 });
    expect(status).toBe(1);
  });

  it.each([
    { tag: 'annotated', path: M.plain },
    { tag: 'lightweight', path: M.light },
  ])(
    'MG704: an unsigned $tag tag is a notice on the go.mod line; lines still verify',
    async (c) => {
      const { report, status } = await runCheckOn(world, goSum(c.path), { direct: true });
      const [f] = only(report, 'MG704');
      expect(f).toMatchObject({ severity: 'notice', module: c.path, kind: 'go.mod', line: 2 });
      expect(row(f, W.git).h1).toBe(v(c.path).modHash);
      expect(codes(report)).toEqual(['MG704']);
      expect(report.summary.verified).toBe(2);
      expect(status).toBe(0);
      const strict = await runCheckOn(world, goSum(c.path), {
        direct: true,
        args: ['--fail-on', 'notice'],
      });
      expect(strict.status).toBe(1);
    },
  );

  it('MG705: a gpg tag checked with a keyring that lacks the key', async () => {
    const direct = { gnupgHome: emptyGnupg };
    const { report, status } = await runCheckOn(world, goSum(M.gpg), { direct });
    const [f] = only(report, 'MG705');
    expect(f).toMatchObject({ severity: 'notice', module: M.gpg, kind: 'go.mod', line: 2 });
    expect(f.witness).toBe(W.git);
    expect(codes(report)).toEqual(['MG705']);
    expect(report.summary.verified).toBe(2);
    expect(status).toBe(0);
  });

  it('MG705: an ssh tag checked without an allowed-signers file', async () => {
    const { report } = await runCheckOn(world, goSum(M.ssh), { direct: { allowedSigners: null } });
    expect(only(report, 'MG705')[0]).toMatchObject({ module: M.ssh, line: 2 });
    expect(report.summary.verified).toBe(2);
  });

  it('a private module is asked of git only, never of a proxy or the sumdb', async () => {
    const secret = v(M.secret);
    const before = {
      A: world.proxyA.requests.length,
      B: world.proxyB.requests.length,
      sumdb: world.sumdb.server.state.requests.length,
    };
    // go.mod requires it too: the retraction check must not ask a proxy either
    const goMod = `module example.test/app\n\ngo 1.21\n\nrequire ${M.secret} ${V}\n`;
    const project = { ...goSum(M.secret), goMod };
    const { report } = await runCheckOn(world, project, { direct: true });
    expect(report.findings).toEqual([]);
    expect(report.summary.verified).toBe(2);
    const leaked = [
      ...world.proxyA.requests.slice(before.A).map((r) => r.target),
      ...world.proxyB.requests.slice(before.B).map((r) => r.target),
      ...world.sumdb.server.state.requests.slice(before.sumdb),
    ].filter((u) => u.includes('secret'));
    expect(leaked).toEqual([]);
    expect(world.git?.requests.some((r) => r.target.includes('secret'))).toBe(true);
    expect(secret.private).toBe(true);
  });

  it('MG101: a private module whose go.sum line differs from its tag, the only witness, fails', async () => {
    const secret = v(M.secret);
    const edited = secret.zipHash.replace(/^h1:./, (c) => (c === 'h1:A' ? 'h1:B' : 'h1:A'));
    const project = { goSum: sumLines(secret, edited) };
    const { report, status } = await runCheckOn(world, project, { direct: true });
    const [f] = only(report, 'MG101');
    expect(f).toMatchObject({ module: M.secret, line: 1, severity: 'error' });
    expect(f?.detail).toContain('the only witness asked');
    expect(report.summary).toMatchObject({ verified: 1, mismatched: 1 });
    expect(status).toBe(1);
  });
});
