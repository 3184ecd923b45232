import { execa, type ResultPromise } from 'execa';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashGoMod } from '../../../src/hash/dirhash.js';
import { hashModuleFiles } from '../../../src/hash/modzip.js';
import { refForVersion, withGitModuleTree } from '../../../src/vcs/gitzip.js';
import { goEnv } from './goenv.js';

// Referee: the go command (Go 1.19.8) with GOPROXY=direct, fetching over git:// from a
// loopback `git daemon`; the host example.test is rewritten to 127.0.0.1 by url.insteadOf
// in a temporary global git config, so nothing leaves the machine.
let work: string;
let daemon: ResultPromise | undefined;
let port: number;
let discovery: HttpServer | undefined;
let discoveryUrl = '';
const pseudo = { version: '', rev: '', tagged: '', orphan: '' };

async function git(cwd: string, ...args: string[]): Promise<string> {
  const env = {
    GIT_AUTHOR_DATE: '2021-02-03T04:05:06Z',
    GIT_COMMITTER_DATE: '2021-02-03T04:05:06Z',
  };
  return (await execa('git', args, { cwd, env })).stdout;
}

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

async function commitAndTag(dir: string, ...tags: string[]): Promise<void> {
  await git(dir, 'add', '-A');
  await git(
    dir,
    '-c',
    'user.name=t',
    '-c',
    'user.email=t@example.test',
    'commit',
    '-q',
    '-m',
    tags.join(' ') || 'wip',
  );
  for (const t of tags) await git(dir, 'tag', t);
}

async function makeRepo(): Promise<void> {
  const r = join(work, 'src', 'repo');
  mkdirSync(r, { recursive: true });
  await git(r, 'init', '-q', '-b', 'main');
  write(r, {
    'go.mod': 'module example.test/repo.git\n\ngo 1.19\n',
    LICENSE: 'root license\n',
    'a.go': 'package repo\n',
    'crlf.txt': 'one\ntwo\n',
    'ünïcode/Ａ.go': 'package unicode\n',
    'empty.txt': '',
    'ignored.go': 'package repo // export-ignore must be neutralized\n',
    'subst.txt': 'commit $Format:%H$\n',
    '.gitattributes': '*.txt text eol=crlf\nignored.go export-ignore\nsubst.txt export-subst\n',
    '.hg/kept': 'a tracked .hg directory survives the git path\n',
    'vendor/modules.txt': '# vendored\n',
    'vendor/example.org/v/v.go': 'package v\n',
    'pkg/vendor/p.go': 'package vendor\n',
    'nested/go.mod': 'module example.test/repo.git/nested\n',
    'nested/n.go': 'package nested\n',
    'sub/go.mod': 'module example.test/repo.git/sub\n',
    'sub/s.go': 'package sub\n',
    'v2/go.mod': 'module example.test/repo.git/v2\n',
    'v2/m.go': 'package m\n',
    'sub2/go.mod': 'module example.test/repo.git/sub2/v3\n',
    'sub2/x.go': 'package sub2\n',
  });
  symlinkSync('a.go', join(r, 'link.go'));
  await commitAndTag(r, 'v1.0.0', 'sub/v1.0.0', 'v2.0.0', 'sub2/v3.0.0');
  write(r, { 'b.go': 'package repo // after v1.0.0\n' });
  await commitAndTag(r);
  pseudo.rev = (await git(r, 'rev-parse', 'HEAD')).slice(0, 12);
  pseudo.version = `v1.0.1-0.20210203040506-${pseudo.rev}`;
  pseudo.tagged = (await git(r, 'rev-parse', 'v1.0.0^{commit}')).slice(0, 12);
  // A commit on a branch of its own: no tag is its ancestor.
  await git(r, 'checkout', '-q', '--orphan', 'side');
  write(r, { 'side.go': 'package repo // on a branch of its own\n' });
  await commitAndTag(r);
  pseudo.orphan = (await git(r, 'rev-parse', 'HEAD')).slice(0, 12);
  await git(r, 'checkout', '-q', 'main');

  const old = join(work, 'src', 'old');
  mkdirSync(old, { recursive: true });
  await git(old, 'init', '-q', '-b', 'main');
  write(old, { 'old.go': 'package old\n', LICENSE: 'old license\n' });
  await commitAndTag(old, 'v1.0.0', 'v3.0.0');
  await makeQuirks();
  // A repository whose root is a /v2 module path (go-import names the whole path, as
  // nanomsg.org/go/mangos/v2 does): its v2/ directory is just a nested module.
  const mangos = join(work, 'src', 'mangos');
  mkdirSync(mangos, { recursive: true });
  await git(mangos, 'init', '-q', '-b', 'main');
  write(mangos, {
    'go.mod': 'module example.test/mangos/v2\n',
    'm.go': 'package mangos\n',
    'v2/go.mod': 'module example.test/mangos/v2\n',
    'v2/copy.go': 'package mangos // a stale copy Go does not look at here\n',
  });
  await commitAndTag(mangos, 'v2.0.0');
  for (const name of ['repo', 'old', 'quirks', 'mangos']) {
    await execa('git', [
      'clone',
      '-q',
      '--bare',
      join(work, 'src', name),
      join(work, 'srv', `${name}.git`),
    ]);
  }
}

/**
 * makeQuirks commits, tag after tag, what codehost's ReadFile and findDir treat in
 * their own ways (found by fuzzing against the go command): a go.mod or LICENSE that is
 * a directory (absent to Go), go.mod files read only for their first module line
 * (modfile.ModulePath), gopkg.in paths for an unversioned module path, and a root
 * LICENSE over 16 MiB for a subdirectory module (refused).
 */
async function makeQuirks(): Promise<void> {
  const q = join(work, 'src', 'quirks');
  mkdirSync(q, { recursive: true });
  await git(q, 'init', '-q', '-b', 'main');
  write(q, { 'go.mod/readme.txt': 'a directory named go.mod\n', 'a.go': 'package q\n' });
  await commitAndTag(q, 'v1.0.0');
  write(q, {
    'LICENSE/readme.txt': 'a directory named LICENSE\n',
    'sub/go.mod': 'module example.test/quirks.git/sub\n',
    'sub/s.go': 'package sub\n',
  });
  await commitAndTag(q, 'sub/v1.0.0');
  await rm(join(q, 'go.mod'), { recursive: true });
  const versions: [string, string][] = [
    ['v1.1.0', 'module example.test/quirks.git\nrequire (\n'],
    ['v1.2.0', 'module example.test/quirks.git extra words\n'],
    ['v1.3.0', '// first\nmodule "example.test/quirks.git" // quoted\nmodule example.test/other\n'],
    ['v1.4.0', 'module gopkg.in/quirks.v1\n'],
    ['v1.5.0', 'module gopkg.in/quirks.v3\n'],
    ['v1.6.0', 'module example.test/quirks.git/v2\n'],
  ];
  for (const [tag, text] of versions) {
    write(q, { 'go.mod': text });
    await commitAndTag(q, tag);
  }
  await rm(join(q, 'LICENSE'), { recursive: true });
  write(q, { LICENSE: 'x'.repeat((16 << 20) + 1) });
  await commitAndTag(q, 'sub/v1.1.0');
  // Names that are not UTF-8, compared as bytes: \xfe/ is a nested module (omitted
  // whole), and \xff/a.go is not in it (so the module is refused for its name).
  await rm(join(q, 'LICENSE'));
  write(q, { 'go.mod': 'module example.test/quirks.git\n' });
  const raw = (...parts: (string | number[])[]) =>
    Buffer.concat([Buffer.from(`${q}/`), ...parts.map((p) => Buffer.from(p))]);
  mkdirSync(raw([0xfe]));
  writeFileSync(raw([0xfe], '/go.mod'), 'module example.test/quirks.git/nested\n');
  writeFileSync(raw([0xfe], '/x.go'), 'package nested\n');
  await commitAndTag(q, 'v1.7.0');
  mkdirSync(raw([0xff]));
  writeFileSync(raw([0xff], '/a.go'), 'package bad\n');
  await commitAndTag(q, 'v1.8.0');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() =>
        typeof addr === 'object' && addr !== null
          ? resolve(addr.port)
          : reject(new Error('no port')),
      );
    });
  });
}

async function startDaemon(): Promise<void> {
  port = await freePort();
  const args = [
    'daemon',
    '--export-all',
    `--base-path=${join(work, 'srv')}`,
    '--listen=127.0.0.1',
    `--port=${port}`,
    '--reuseaddr',
  ];
  daemon = execa('git', args, { reject: false });
  for (let i = 0; i < 50; i++) {
    const probe = await execa('git', ['ls-remote', `git://127.0.0.1:${port}/repo.git`], {
      reject: false,
    });
    if (probe.exitCode === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('git daemon did not start');
}

/**
 * startDiscovery answers every `?go-get=1` request for example.test/mangos/v2 with its
 * go-import tag. The go command reaches it as its HTTP proxy (HTTP_PROXY; a CONNECT for
 * https is refused, and GOINSECURE lets it fall back to http), so no name is resolved.
 */
async function startDiscovery(): Promise<void> {
  discovery = createHttpServer((req, res) => {
    const meta =
      '<meta name="go-import" content="example.test/mangos/v2 git https://example.test/mangos.git">';
    res.writeHead(req.url?.includes('go-get=1') ? 200 : 404, { 'content-type': 'text/html' });
    res.end(`<html><head>${meta}</head></html>\n`);
  });
  discovery.on('connect', (_req, socket: Socket) => socket.destroy());
  await new Promise<void>((resolve) => discovery?.listen(0, '127.0.0.1', resolve));
  const addr = discovery.address();
  discoveryUrl = typeof addr === 'object' && addr !== null ? `http://127.0.0.1:${addr.port}` : '';
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'modguard-gitzip-'));
  await makeRepo();
  await startDaemon();
  await startDiscovery();
  const url = `git://127.0.0.1:${port}/`;
  writeFileSync(
    join(work, 'gitconfig'),
    `[url "${url}"]\n\tinsteadOf = git://example.test/\n\tinsteadOf = https://example.test/\n\tinsteadOf = http://example.test/\n`,
  );
});
afterAll(() => {
  daemon?.kill();
  discovery?.close();
  rmSync(work, { recursive: true, force: true });
});

const CASES: [string, string, string, string][] = [
  // [repo, module path, version, codeDir]
  ['repo', 'example.test/repo.git', 'v1.0.0', ''],
  ['repo', 'example.test/repo.git/sub', 'v1.0.0', 'sub'],
  ['repo', 'example.test/repo.git/v2', 'v2.0.0', ''],
  ['repo', 'example.test/repo.git/sub2/v3', 'v3.0.0', 'sub2'],
  ['old', 'example.test/old.git', 'v1.0.0', ''],
  ['old', 'example.test/old.git', 'v3.0.0+incompatible', ''],
];

async function goDownload(
  specs: string[],
): Promise<Map<string, { Sum?: string; GoModSum?: string; Error?: string }>> {
  const gotmp = join(work, 'gocmd');
  mkdirSync(gotmp, { recursive: true });
  const env = goEnv(gotmp, {
    GO111MODULE: 'on',
    GOPROXY: 'direct',
    GOPRIVATE: 'example.test',
    GOINSECURE: 'example.test',
    GOFLAGS: '-mod=mod',
    GIT_CONFIG_GLOBAL: join(work, 'gitconfig'),
    GIT_CONFIG_NOSYSTEM: '1',
    HTTP_PROXY: discoveryUrl,
    HTTPS_PROXY: discoveryUrl,
    NO_PROXY: '127.0.0.1',
  });
  const { stdout } = await execa('go', ['mod', 'download', '-json', ...specs], {
    cwd: gotmp,
    env,
    extendEnv: false,
    reject: false,
  });
  const list = JSON.parse(`[${stdout.replace(/}\s*{/g, '},{')}]`) as {
    Path: string;
    Version: string;
    Sum?: string;
    GoModSum?: string;
    Error?: string;
  }[];
  return new Map(list.map((d) => [`${d.Path}@${d.Version}`, d]));
}

async function ours(
  repo: string,
  modulePath: string,
  version: string,
  subdir: string,
  root?: string,
): Promise<[string, string]> {
  const req = {
    repo: join(work, 'src', repo),
    ref: refForVersion(subdir, version),
    modulePath,
    version,
    subdir,
    root,
  };
  return withGitModuleTree(req, async (tree) => [
    await hashModuleFiles(modulePath, version, tree.files, { vendorRule: 'old' }),
    hashGoMod(tree.mod),
  ]);
}

describe('when the go command fetches the same tags with GOPROXY=direct', () => {
  it('records the same go.sum lines for every module version', async () => {
    const cases = [
      ...CASES,
      ['repo', 'example.test/repo.git', pseudo.version, ''] as [string, string, string, string],
    ];
    const theirs = await goDownload(cases.map(([, m, v]) => `${m}@${v}`));
    for (const [repo, m, v, dir] of cases) {
      const d = theirs.get(`${m}@${v}`);
      expect(d?.Error, `${m}@${v}`).toBeUndefined();
      expect(await ours(repo, m, v, dir), `${m}@${v}`).toEqual([d?.Sum, d?.GoModSum]);
    }
  });

  it('refuses what the go command refuses: a /vN module without its go.mod', async () => {
    await expect(ours('repo', 'example.test/repo.git/sub/v4', 'v4.0.0', 'sub')).rejects.toThrow();
    await expect(ours('old', 'example.test/old.git', 'v3.0.0', '')).rejects.toThrow();
  });
});

describe('when the version is a pseudo-version', () => {
  it('hashes the ones the go command accepts and refuses the rest, as validatePseudoVersion does', async () => {
    const m = 'example.test/repo.git';
    const t = '20210203040506';
    const cases: [string, RegExp | undefined][] = [
      [`v1.0.1-0.${t}-${pseudo.rev}`, undefined],
      [`v0.0.0-${t}-${pseudo.rev}`, undefined],
      [`v0.0.0-${t}-${pseudo.orphan}`, undefined],
      [`v1.0.1-0.${t}-${pseudo.rev.slice(0, 10)}`, /shorter than canonical/],
      [`v1.0.1-0.20210203040507-${pseudo.rev}`, /timestamp \(expected 20210203040506\)/],
      [`v1.0.0-${t}-${pseudo.rev}`, /must be v0, not v1/],
      [`v1.0.1-0.${t}-${pseudo.tagged}`, /tag \(v1\.0\.0\) found on revision .* already canonical/],
      [`v1.4.1-0.${t}-${pseudo.rev}`, /preceding tag \(v1\.4\.0\) not found/],
      [`v1.0.1-0.${t}-${pseudo.orphan}`, /not a descendent of preceding tag \(v1\.0\.0\)/],
    ];
    const theirs = await goDownload(cases.map(([v]) => `${m}@${v}`));
    for (const [v, refusal] of cases) {
      const d = theirs.get(`${m}@${v}`);
      if (refusal === undefined) {
        expect(d?.Error, v).toBeUndefined();
        expect(await ours('repo', m, v, ''), v).toEqual([d?.Sum, d?.GoModSum]);
      } else {
        expect(d?.Error, v).toMatch(refusal);
        await expect(ours('repo', m, v, ''), v).rejects.toThrow(refusal);
      }
    }
  });
});

describe('when the repository root is itself a /vN module path', () => {
  it('builds the module from the root, as the go command does after go-import discovery', async () => {
    const m = 'example.test/mangos/v2';
    const d = (await goDownload([`${m}@v2.0.0`])).get(`${m}@v2.0.0`);
    expect(d?.Error).toBeUndefined();
    expect(await ours('mangos', m, 'v2.0.0', '', m)).toEqual([d?.Sum, d?.GoModSum]);
    // Not told the root, the repository looks like github.com/x/y with both go.mod files.
    await expect(ours('mangos', m, 'v2.0.0', '')).rejects.toThrow(/both declare/);
  });
});

describe('when codehost reads files its own way', () => {
  const QUIRKS: [string, string, string][] = [
    // [module path, version, codeDir]
    ['example.test/quirks.git', 'v1.0.0', ''],
    ['example.test/quirks.git/sub', 'v1.0.0', 'sub'],
    ['example.test/quirks.git', 'v1.1.0', ''],
    ['example.test/quirks.git', 'v1.2.0', ''],
    ['example.test/quirks.git', 'v1.3.0', ''],
    ['example.test/quirks.git', 'v1.4.0', ''],
    ['example.test/quirks.git', 'v1.5.0', ''],
    ['example.test/quirks.git', 'v1.6.0', ''],
    ['example.test/quirks.git/sub', 'v1.1.0', 'sub'],
    ['example.test/quirks.git', 'v1.7.0', ''],
    ['example.test/quirks.git', 'v1.8.0', ''],
  ];

  it('hashes what the go command hashes and refuses what it refuses', async () => {
    const theirs = await goDownload(QUIRKS.map(([m, v]) => `${m}@${v}`));
    const refused: string[] = [];
    for (const [m, v, dir] of QUIRKS) {
      const d = theirs.get(`${m}@${v}`);
      const mine = ours('quirks', m, v, dir);
      if (d?.Error !== undefined) {
        refused.push(`${m}@${v}`);
        await expect(mine, `${m}@${v}: ${d.Error}`).rejects.toThrow();
      } else {
        expect(await mine, `${m}@${v}`).toEqual([d?.Sum, d?.GoModSum]);
      }
    }
    // The cases Go refuses: a go.mod for another major version, the large LICENSE, and
    // a name that is not UTF-8 outside the nested module.
    expect(refused).toEqual([
      'example.test/quirks.git@v1.6.0',
      'example.test/quirks.git/sub@v1.1.0',
      'example.test/quirks.git@v1.8.0',
    ]);
  });
});
