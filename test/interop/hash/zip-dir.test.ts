import { execa } from 'execa';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashGoMod } from '../../../src/hash/dirhash.js';
import { hashZip } from '../../../src/hash/zipentry.js';
import { readZip } from '../../../src/hash/zipread.js';
import { collectZip } from '../../../src/hash/zipwrite.js';
import { createModuleZipFromDir, openFileSource } from '../../../src/vcs/dirfiles.js';
import { buildReferee, goEnv, referee } from './goenv.js';

// Referee: golang.org/x/mod v0.7.0 (Debian) zip.CreateFromDir + dirhash.HashZip, and
// the go command (Go 1.19.8) reading our zips from a file:// GOPROXY.
type Tree = Record<string, string | Buffer | { symlink: string }>;

const lorem = (n: number) =>
  Buffer.from(Array.from({ length: n }, (_, i) => `line ${i} of text\n`).join(''));
const binary = (n: number) =>
  Buffer.from(Array.from({ length: n }, (_, i) => (i * 2654435761) >>> 24));

const MODULES: [string, string, string, Tree][] = [
  [
    'simple',
    'example.com/simple',
    'v1.0.0',
    { 'go.mod': 'module example.com/simple\n', 'a.go': 'package a\n' },
  ],
  ['empty files', 'example.com/empty', 'v0.1.0', { 'go.mod': '', 'empty.txt': '', 'd/e.go': '' }],
  [
    'nested dirs',
    'example.com/nest',
    'v1.2.3',
    { 'go.mod': 'module example.com/nest\n', 'a/b/c/d/e.go': 'package e\n', 'a/x.txt': 'x' },
  ],
  [
    'vendor old rule',
    'example.com/vend',
    'v1.0.0',
    {
      'go.mod': 'module example.com/vend\n\ngo 1.19\n',
      'vendor/modules.txt': '# m\n',
      'vendor/example.org/x/x.go': 'package x\n',
      'pkg/vendor/vendor.go': 'package vendor\n',
      'pkg/vendor/sub/y.go': 'package sub\n',
      'vendorish/a.go': 'package vendorish\n',
    },
  ],
  [
    'submodules',
    'example.com/outer',
    'v1.0.0',
    {
      'go.mod': 'module example.com/outer\n',
      'a.go': 'package outer\n',
      'inner/go.mod': 'module example.com/outer/inner\n',
      'inner/b.go': 'package inner\n',
      'other/GO.MOD': 'module x\n',
      'other/c.go': 'package other\n',
    },
  ],
  [
    'binary and large',
    'example.com/bin',
    'v2.0.0+incompatible',
    {
      'blob.bin': binary(3 << 20),
      'big.txt': lorem(200_000),
      'zero.bin': Buffer.alloc(1 << 20),
    },
  ],
  [
    'unicode names',
    'example.com/uni',
    'v1.0.0',
    {
      'go.mod': 'module example.com/uni\n',
      'ｆｕｌｌ/Ａ.go': 'package a\n',
      'é/ß.txt': 'x',
      'ǅ.txt': 'title case',
      'Ω.txt': 'omega',
      '𝒜.txt': 'supplementary-plane letter: sorts after U+FF21 in UTF-8, before it in UTF-16',
    },
  ],
  [
    'CRLF kept as is',
    'example.com/crlf',
    'v1.0.0',
    { 'go.mod': 'module example.com/crlf\r\n', 'a.go': 'package a\r\n\r\n' },
  ],
  [
    'symlinks and VCS dirs',
    'example.com/links',
    'v1.0.0',
    {
      'go.mod': 'module example.com/links\n',
      'a.go': 'package a\n',
      'link.go': { symlink: 'a.go' },
      '.git/config': '[core]\n',
      '.hg/x': 'x',
      'sub/.svn/y': 'y',
      '.hg_archival.txt': 'repo: x\n',
    },
  ],
  [
    'v2 module',
    'example.com/m/v2',
    'v2.1.0',
    { 'go.mod': 'module example.com/m/v2\n', 'm.go': 'package m\n' },
  ],
];

let work: string;
let bin: string;
let refTmp: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'modguard-hash-interop-'));
  ({ bin, tmp: refTmp } = await buildReferee('refhash'));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(refTmp, { recursive: true, force: true });
});

function writeTree(dir: string, tree: Tree): void {
  for (const [name, content] of Object.entries(tree)) {
    const full = join(dir, name);
    mkdirSync(dirname(full), { recursive: true });
    if (typeof content === 'object' && 'symlink' in content) symlinkSync(content.symlink, full);
    else writeFileSync(full, content);
  }
}

async function tsZip(path: string, version: string, dir: string, out: string): Promise<string> {
  const zip = await collectZip(
    await createModuleZipFromDir(path, version, dir, { vendorRule: 'old' }),
  );
  await writeFile(out, zip);
  const source = await openFileSource(out);
  try {
    return await hashZip(await readZip(source));
  } finally {
    await source.close();
  }
}

describe('when the Go toolchain referees module zips from directories', () => {
  it.each(MODULES)(
    '%s: h1 equals x/mod CreateFromDir + HashZip',
    async (name, path, version, tree) => {
      const dir = join(work, name.replaceAll(' ', '-'));
      writeTree(dir, tree);
      const ours = await tsZip(path, version, dir, `${dir}.ts.zip`);
      const [theirs] = await referee(bin, ['createfromdir', path, version, dir, `${dir}.go.zip`]);
      expect(ours).toBe(theirs);
      // Each reader on the other's zip.
      expect(await referee(bin, ['hashzip', `${dir}.ts.zip`])).toEqual([ours]);
      const source = await openFileSource(`${dir}.go.zip`);
      try {
        expect(await hashZip(await readZip(source))).toBe(theirs);
      } finally {
        await source.close();
      }
    },
  );

  it('agrees on refusals (case collision, bad file name)', async () => {
    for (const [name, tree] of [
      ['collide', { 'a.go': 'x', 'A.go': 'y' }],
      ['badname', { "bad'.go": 'x' }],
    ] as const) {
      const dir = join(work, name);
      writeTree(dir, tree);
      const [theirs] = await referee(bin, [
        'createfromdir',
        'example.com/x',
        'v1.0.0',
        dir,
        `${dir}.go.zip`,
      ]);
      expect(theirs).toMatch(/^error: /);
      await expect(tsZip('example.com/x', 'v1.0.0', dir, `${dir}.ts.zip`)).rejects.toThrow();
    }
  });
});

describe('when file names are not UTF-8', () => {
  // Bytes, not strings: readdir would spell these lossily and name no file.
  const bytesPath = (dir: string, ...names: (string | Buffer)[]) =>
    Buffer.concat([Buffer.from(dir), ...names.flatMap((n) => [Buffer.from('/'), Buffer.from(n)])]);
  const FF = Buffer.from([0xff]);
  const FE = Buffer.from([0xfe, 0x41]);

  it('hashes as Go does when every such name is in a place the walk skips', async () => {
    const dir = join(work, 'non-utf8-skipped');
    writeTree(dir, {
      'go.mod': 'module example.com/bytes\n\ngo 1.19\n',
      'a.go': 'package a\n',
      'vendor/modules.txt': '# m\n',
      '.git/config': '[core]\n',
    });
    mkdirSync(bytesPath(dir, 'vendor', FF), { recursive: true });
    writeFileSync(bytesPath(dir, 'vendor', FF, 'x.go'), 'package x\n');
    writeFileSync(bytesPath(dir, '.git', FF), 'x');
    mkdirSync(bytesPath(dir, FE));
    writeFileSync(bytesPath(dir, FE, 'go.mod'), 'module nested\n');
    writeFileSync(bytesPath(dir, FE, FF), 'nested file\n');
    symlinkSync('a.go', bytesPath(dir, FF));
    const [theirs] = await referee(bin, [
      'createfromdir',
      'example.com/bytes',
      'v1.0.0',
      dir,
      `${dir}.go.zip`,
    ]);
    expect(theirs).toMatch(/^h1:/);
    expect(await tsZip('example.com/bytes', 'v1.0.0', dir, `${dir}.ts.zip`)).toBe(theirs);
  });

  it('refuses, as Go does, such a name among the module files', async () => {
    const dir = join(work, 'non-utf8-file');
    writeTree(dir, { 'go.mod': 'module example.com/bytes\n', 'a.go': 'package a\n' });
    mkdirSync(bytesPath(dir, 'd'));
    writeFileSync(bytesPath(dir, 'd', FE), 'x');
    const [theirs] = await referee(bin, [
      'createfromdir',
      'example.com/bytes',
      'v1.0.0',
      dir,
      `${dir}.go.zip`,
    ]);
    expect(theirs).toMatch(/^error: .*invalid/);
    await expect(tsZip('example.com/bytes', 'v1.0.0', dir, `${dir}.ts.zip`)).rejects.toMatchObject({
      message: expect.stringMatching(/d\/.*invalid/),
    });
  });
});

describe('when go mod download reads our zips from a file:// GOPROXY', () => {
  it('accepts them and records the same go.sum hashes', async () => {
    const proxy = join(work, 'proxy');
    const results: { path: string; version: string; sum: string; modSum: string }[] = [];
    for (const [name, path, version, tree] of MODULES) {
      const dir = join(work, name.replaceAll(' ', '-'));
      const at = join(proxy, path, '@v');
      mkdirSync(at, { recursive: true });
      const sum = await tsZip(path, version, dir, join(at, `${version}.zip`));
      const gomod = typeof tree['go.mod'] === 'string' ? tree['go.mod'] : `module ${path}\n`;
      writeFileSync(join(at, `${version}.mod`), gomod);
      writeFileSync(
        join(at, `${version}.info`),
        JSON.stringify({ Version: version, Time: '2020-01-01T00:00:00Z' }),
      );
      writeFileSync(join(at, 'list'), `${version}\n`);
      results.push({ path, version, sum, modSum: hashGoMod(Buffer.from(gomod)) });
    }
    const gotmp = join(work, 'gocmd');
    mkdirSync(gotmp);
    const env = goEnv(gotmp, {
      GO111MODULE: 'on',
      GOPROXY: `file://${proxy}`,
      GOFLAGS: '-mod=mod',
      GONOSUMDB: '*',
      GOPRIVATE: '',
    });
    const args = ['mod', 'download', '-json', ...results.map((r) => `${r.path}@${r.version}`)];
    const { stdout } = await execa('go', args, {
      cwd: gotmp,
      env,
      extendEnv: false,
      reject: false,
    });
    const downloads = JSON.parse(`[${stdout.replace(/}\s*{/g, '},{')}]`) as {
      Path: string;
      Version: string;
      Sum?: string;
      GoModSum?: string;
      Error?: string;
    }[];
    for (const r of results) {
      const d = downloads.find((x) => x.Path === r.path && x.Version === r.version);
      expect(d?.Error, `${r.path}@${r.version}`).toBeUndefined();
      expect(d?.Sum, `${r.path}@${r.version}`).toBe(r.sum);
      expect(d?.GoModSum, `${r.path}@${r.version}`).toBe(r.modSum);
    }
  });
});
