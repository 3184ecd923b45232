import { mkdir, realpath, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findModules } from '../../../src/cli/check/modules.js';
import { goEnvFor, git, run, Temps, writeFiles } from './helpers.js';

const temps = new Temps();
let home: string;
let cacheDir: string;

beforeAll(async () => {
  home = await temps.make();
  cacheDir = await temps.make();
});
afterAll(() => temps.cleanup());

const HASH = (n: number) => `h1:${Buffer.alloc(32, n).toString('base64')}`;

/** module is a go.mod requiring `dep` v1.0.0 and a go.sum with its two lines. */
function module(path: string, dep: string, n: number): Record<string, string> {
  return {
    'go.mod': `module ${path}\n\ngo 1.21\n\nrequire ${dep} v1.0.0\n`,
    'go.sum': `${dep} v1.0.0 ${HASH(n)}\n${dep} v1.0.0/go.mod ${HASH(n + 1)}\n`,
  };
}

function prefixed(prefix: string, files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [`${prefix}${k}`, v]));
}

/**
 * files runs `modguard check --offline` over an empty cache, so that every go.sum line
 * comes out as one MG201 finding naming its file and line, without any server (the
 * environment's GOSUMDB=off adds MG501, about the configuration).
 */
async function files(
  argv: string[],
  cwdDir?: string,
  env: Record<string, string> = {},
): Promise<string[]> {
  const dirFlags = cwdDir === undefined ? [] : ['--dir', cwdDir];
  const r = await run(
    ['check', ...dirFlags, ...argv, '--offline', '--cache-dir', cacheDir, '--format', 'json'],
    goEnvFor(home, env),
  );
  expect(r.code, r.err).toBe(1);
  const report = JSON.parse(r.out) as { findings: { code: string; file: string; line: number }[] };
  const lines = report.findings.filter((f) => f.code === 'MG201');
  return lines.map((f) => `${f.file}:${f.line}`).sort();
}

describe('when the directory is one module', () => {
  it('checks its go.sum, and names it relative to the directory outside git', async () => {
    const dir = await temps.make();
    await writeFiles(dir, module('example.test/one', 'example.test/dep', 1));
    expect(await files([], dir)).toEqual(['go.sum:1', 'go.sum:2']);
  });

  it('names go.sum from the repository root with "/" inside a git work tree', async () => {
    const repo = await temps.make();
    await git(repo, ['init', '--quiet']);
    await writeFiles(
      repo,
      prefixed('services/api/', module('example.test/api', 'example.test/dep', 3)),
    );
    expect(await files([], join(repo, 'services', 'api'))).toEqual([
      'services/api/go.sum:1',
      'services/api/go.sum:2',
    ]);
    const link = join(await temps.make(), 'link');
    await symlink(join(repo, 'services'), link);
    expect(await files([], join(link, 'api'))).toEqual([
      'services/api/go.sum:1',
      'services/api/go.sum:2',
    ]);
  });
});

/** workspace writes a go.work using ./a and ./b, its go.work.sum, and a module ./c it does not use. */
async function workspace(): Promise<string> {
  const dir = await temps.make();
  await writeFiles(dir, {
    'go.work': 'go 1.21\n\nuse (\n\t./a\n\t"./b"\n)\n',
    'go.work.sum': `example.test/extra v1.0.0/go.mod ${HASH(9)}\n`,
    ...prefixed('a/', module('example.test/a', 'example.test/x', 1)),
    ...prefixed('b/', module('example.test/b', 'example.test/y', 3)),
    ...prefixed('c/', module('example.test/c', 'example.test/z', 5)),
  });
  return dir;
}

/** fileCodes runs `modguard check --offline` and lists the file findings (MG4xx) as "code file:line". */
async function fileCodes(dir: string, env: Record<string, string> = {}): Promise<string[]> {
  const r = await run(
    ['check', '--dir', dir, '--offline', '--cache-dir', cacheDir, '--format', 'json'],
    goEnvFor(home, env),
  );
  const report = JSON.parse(r.out) as { findings: { code: string; file: string; line: number }[] };
  return report.findings
    .filter((f) => f.code.startsWith('MG4'))
    .map((f) => `${f.code} ${f.file}:${f.line}`);
}

describe('when a workspace shares go.sum lines (go.dev/ref/mod#workspaces)', () => {
  it('a requirement another workspace go.sum records, or on a workspace module, is not missing', async () => {
    const dir = await temps.make();
    const dep = 'example.test/shared';
    await writeFiles(dir, {
      'go.work': 'go 1.21\n\nuse (\n\t./a\n\t./b\n)\n',
      'a/go.mod': `module example.test/a\n\ngo 1.21\n\nrequire (\n\t${dep} v1.0.0\n\texample.test/b v0.0.0\n)\n`,
      'a/go.sum': '',
      ...prefixed('b/', module('example.test/b', dep, 1)),
    });
    expect(await fileCodes(dir)).toEqual([]);
    // Outside the workspace, the go command would need a's own lines.
    expect(await fileCodes(join(dir, 'a'), { GOWORK: 'off' })).toEqual([
      'MG403 go.mod:6',
      'MG403 go.mod:7',
    ]);
  });
});

describe('when a workspace replaces modules (go.dev/ref/mod#go-work-file-replace)', () => {
  it("applies go.work's replace and every module's to all its modules, as Go does", async () => {
    const dir = await temps.make();
    await writeFiles(dir, {
      'go.work':
        'go 1.21\n\nuse (\n\t./a\n\t./b\n)\n\nreplace example.test/local => ./local\n' +
        'replace example.test/moved v1.0.0 => example.test/fork v1.0.1\n',
      'a/go.mod':
        'module example.test/a\n\ngo 1.21\n\nrequire (\n\texample.test/local v1.0.0\n' +
        '\texample.test/bs v1.0.0\n\texample.test/moved v1.0.0\n)\n',
      'a/go.sum': `example.test/fork v1.0.1/go.mod ${HASH(2)}\n`,
      // b replaces a module a requires by a folder: in the workspace, a needs no line for it.
      'b/go.mod': 'module example.test/b\n\ngo 1.21\n\nreplace example.test/bs => ../bs\n',
      'b/go.sum': '',
    });
    expect(await fileCodes(dir)).toEqual([]);
    // Alone, a needs a line for every requirement go.work or b replaced.
    expect(await fileCodes(join(dir, 'a'), { GOWORK: 'off' })).toEqual([
      'MG403 go.mod:6',
      'MG403 go.mod:7',
      'MG403 go.mod:8',
    ]);
  });

  it("lets go.work's replace of a path override a module's replace of it", async () => {
    const dir = await temps.make();
    await writeFiles(dir, {
      'go.work': 'go 1.21\n\nuse ./a\n\nreplace example.test/dep => example.test/work v1.0.0\n',
      'a/go.mod':
        'module example.test/a\n\ngo 1.21\n\nrequire example.test/dep v1.0.0\n\n' +
        'replace example.test/dep v1.0.0 => ../dep\n',
      'a/go.sum': '',
    });
    expect(await fileCodes(dir)).toEqual(['MG403 a/go.mod:5']);
  });
});

describe('when the directory holds a go.work', () => {
  it('checks every module it uses and go.work.sum, and no other', async () => {
    const dir = await workspace();
    expect(await files([], dir)).toEqual([
      'a/go.sum:1',
      'a/go.sum:2',
      'b/go.sum:1',
      'b/go.sum:2',
      'go.work.sum:1',
    ]);
    expect(await files(['--recursive'], dir)).toEqual([
      'a/go.sum:1',
      'a/go.sum:2',
      'b/go.sum:1',
      'b/go.sum:2',
      'c/go.sum:1',
      'c/go.sum:2',
      'go.work.sum:1',
    ]);
  });

  it('refuses a go.work that does not parse (exit 2)', async () => {
    const dir = await temps.make();
    await writeFiles(dir, { 'go.work': 'use (\n' });
    const r = await run(
      ['check', '--dir', dir, '--offline', '--cache-dir', cacheDir],
      goEnvFor(home),
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain('go.work');
  });

  it.each([
    ['an unknown directive', 'go 1.21\n\nuse ./a\nfoo bar\n', /go\.work:4: unknown directive: foo/],
    [
      'a malformed replace',
      'go 1.21\n\nuse ./a\nreplace example.test/x =>\n',
      /go\.work:4: usage: replace/,
    ],
    [
      'a use folder without go.mod',
      'go 1.21\n\nuse ./a\nuse ./gone\n',
      /go\.work:4: use \.\/gone: no go\.mod/,
    ],
  ])(
    'refuses, naming its line and printing no usage, a go.work with %s (exit 2)',
    async (_, work, message) => {
      const dir = await temps.make();
      await writeFiles(dir, {
        'go.work': work,
        ...prefixed('a/', module('example.test/a', 'example.test/dep', 1)),
      });
      const r = await run(
        ['check', '--dir', dir, '--offline', '--cache-dir', cacheDir],
        goEnvFor(home),
      );
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err).not.toContain('usage: modguard check');
    },
  );

  it('names a go.sum it cannot read (a directory), printing no usage (exit 2)', async () => {
    const dir = await temps.make();
    await writeFiles(dir, { 'go.mod': 'module example.test/m\n' });
    await mkdir(join(dir, 'go.sum'));
    const r = await run(
      ['check', '--dir', dir, '--offline', '--cache-dir', cacheDir],
      goEnvFor(home),
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/go\.sum: EISDIR/);
    expect(r.err).not.toContain('usage: modguard check');
  });
});

describe('when go.sum or go.work.sum holds bytes that are not UTF-8', () => {
  // Go reads go.sum as bytes (G/modfetch/fetch.go readGoSum): such a line still has three
  // fields, and module.CheckPath refuses its path, quoting the byte as %q does: \xff.
  const hostile = Buffer.concat([
    Buffer.from('example.test/'),
    Buffer.from([0xff]),
    Buffer.from(` v1.0.0 ${HASH(7)}\n`),
  ]);
  const want = String.raw`malformed module path "example.test/\xff": invalid UTF-8`;

  it('reports the line with the byte escaped, in every format, never as U+FFFD', async () => {
    const dir = await workspace();
    await writeFile(join(dir, 'go.work.sum'), hostile, { flag: 'a' });
    await writeFile(join(dir, 'a', 'go.sum'), hostile, { flag: 'a' });
    for (const format of ['json', 'sarif', 'text']) {
      const r = await run(
        ['check', '--dir', dir, '--offline', '--cache-dir', cacheDir, '--format', format],
        goEnvFor(home),
      );
      expect(r.out).not.toContain('\ufffd');
      if (format === 'text') {
        expect(r.out).toContain(`a/go.sum:3: ${want}`);
        expect(r.out).toContain(`go.work.sum:2: ${want}`);
        continue;
      }
      const text = JSON.stringify(JSON.parse(r.out));
      expect(text).toContain(JSON.stringify(`a/go.sum:3: ${want}`).slice(1, -1));
      expect(text).toContain(JSON.stringify(`go.work.sum:2: ${want}`).slice(1, -1));
    }
    const json = await run(
      ['check', '--dir', dir, '--offline', '--cache-dir', cacheDir, '--format', 'json'],
      goEnvFor(home),
    );
    const report = JSON.parse(json.out) as { findings: { code: string; file: string }[] };
    const malformed = report.findings.filter((f) => f.code === 'MG405').map((f) => f.file);
    expect(malformed.sort()).toEqual(['a/go.sum', 'go.work.sum']);
  });
});

describe('--recursive', () => {
  it('adds nested modules, skipping vendor, testdata, node_modules, dot and underscore folders', async () => {
    const dir = await temps.make();
    await writeFiles(dir, {
      ...module('example.test/root', 'example.test/r', 1),
      ...prefixed('tools/', module('example.test/tools', 'example.test/t', 3)),
      ...prefixed('deep/er/', module('example.test/deeper', 'example.test/d', 5)),
      ...prefixed('vendor/v/', module('example.test/v', 'example.test/v', 7)),
      ...prefixed('testdata/t/', module('example.test/td', 'example.test/td', 9)),
      ...prefixed('node_modules/n/', module('example.test/n', 'example.test/n', 11)),
      ...prefixed('.hidden/', module('example.test/h', 'example.test/h', 13)),
      ...prefixed('_skip/', module('example.test/s', 'example.test/s', 15)),
    });
    expect(await files([], dir)).toEqual(['go.sum:1', 'go.sum:2']);
    expect(await files(['--recursive'], dir)).toEqual([
      'deep/er/go.sum:1',
      'deep/er/go.sum:2',
      'go.sum:1',
      'go.sum:2',
      'tools/go.sum:1',
      'tools/go.sum:2',
    ]);
    const found = await findModules(dir, true);
    expect(found.dirs).toHaveLength(3);
  });

  it('checks the modules of a folder that is not a module itself', async () => {
    const dir = await temps.make();
    await writeFiles(dir, {
      ...prefixed('svc1/', module('example.test/svc1', 'example.test/s1', 1)),
      ...prefixed('svc2/', module('example.test/svc2', 'example.test/s2', 3)),
    });
    expect(await files(['--recursive'], dir)).toEqual([
      'svc1/go.sum:1',
      'svc1/go.sum:2',
      'svc2/go.sum:1',
      'svc2/go.sum:2',
    ]);
    const empty = await temps.make();
    await mkdir(join(empty, 'docs'));
    await expect(findModules(empty, true)).rejects.toThrow(/no go.mod here or in any folder below/);
  });

  it('--dir defaults to the current directory', async () => {
    const dir = await temps.make();
    await mkdir(join(dir, 'x'));
    await writeFiles(dir, module('example.test/cwd', 'example.test/c', 1));
    const before = process.cwd();
    process.chdir(dir);
    try {
      expect(await files([])).toEqual(['go.sum:1', 'go.sum:2']);
    } finally {
      process.chdir(before);
    }
  });
});

describe('GOWORK', () => {
  const filesWith = (dir: string, gowork: string | undefined) =>
    files([], dir, gowork === undefined ? {} : { GOWORK: gowork });

  const all = ['a/go.sum:1', 'a/go.sum:2', 'b/go.sum:1', 'b/go.sum:2', 'go.work.sum:1'];

  it('unset: a module inside a workspace is checked with the whole workspace, as go finds go.work above it', async () => {
    const dir = await workspace();
    // outside git, named relative to the go.work's folder: no name starts with "../"
    expect(await filesWith(join(dir, 'a'), undefined)).toEqual(all);
    expect(await filesWith(join(dir, 'a'), 'auto')).toEqual(all);
    expect(await filesWith(dir, undefined)).toEqual(all);
  });

  it('off: only the module in --dir, even beside a go.work', async () => {
    const dir = await workspace();
    expect(await filesWith(join(dir, 'a'), 'off')).toEqual(['go.sum:1', 'go.sum:2']);
  });

  it('an absolute path: that go.work, wherever --dir is, beside the module in --dir', async () => {
    const dir = await realpath(await workspace());
    const other = await realpath(await temps.make());
    await writeFiles(other, module('example.test/o', 'example.test/z', 5));
    // Outside git, names are relative to the folder holding both: no name starts "../".
    const base = dirname(other);
    expect(dirname(dir)).toBe(base);
    const rel = (at: string, f: string) => relative(base, join(at, f)).split(sep).join('/');
    const expected = all.map((f) => `${rel(dir, f.split(':')[0] ?? '')}:${f.split(':')[1]}`);
    expected.push(`${rel(other, 'go.sum')}:1`, `${rel(other, 'go.sum')}:2`);
    expect(await filesWith(other, join(dir, 'go.work'))).toEqual(expected.sort());
  });

  it('a relative path: refused as go does (exit 2)', async () => {
    const dir = await workspace();
    const r = await run(
      ['check', '--dir', join(dir, 'a'), '--offline', '--cache-dir', cacheDir],
      goEnvFor(home, { GOWORK: 'go.work' }),
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain('GOWORK');
    expect(r.err).toContain('absolute path');
  });
});
