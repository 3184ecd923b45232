/**
 * cmd/go referees what xmodref's stand-in fixer cannot prove by itself: Go 1.19's
 * `go list -m` reads each go.mod as the main module's (modfile.Parse with
 * modload/init.go fixVersion), and parseGoMod must refuse the same lines. The cases
 * are the versions that fixer, not x/mod, holds to the module path's major version.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGoMod } from '../../../src/go/gomod.js';
import { goModuleEnv } from '../../support/go.js';

const TEXTS = [
  'module example.com/m\nretract v2.0.0\n',
  'module example.com/m\nretract [v2.0.0, v999.0.0]\n',
  'module example.com/m\nretract [v1.0.0, v999.0.0]\n',
  'module example.com/m\nretract v2.0.0+incompatible\n',
  'module example.com/m\nretract (\n\tv1.0.0\n\tv2.0.0\n\tv3.0.0 // why\n)\n',
  'module example.com/m/v2\nretract v1.0.0\n',
  'module example.com/m/v2\nretract v2.0.0+incompatible\n',
  'module gopkg.in/yaml.v2\nretract v3.0.0\n',
  'module gopkg.in/yaml.v2\nretract v2.0.0\n',
  'module gopkg.in/yaml.v2-unstable\nretract v2.0.0\n',
  'module gopkg.in/check.v1\nretract v0.0.0-20161208181325-20d25e280405\n',
  'module x.y/z/v1\nretract v1.0.0\n',
  'module\nretract v1.0.0\nretract v2.0.0\n',
  'module example.com/m\nreplace a.b/c => x.y/z v2.0.0\n',
  'module example.com/m\nreplace a.b/c => x.y/z v2.0.0+incompatible\n',
  'module example.com/m\nreplace a.b/c => x.y/z/v2 v2.0.0\n',
  'module example.com/m\nreplace a.b/c => x.y/z/v1 v1.0.0\n',
];

let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modguard-cmdgo-gomod-'));
});

afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

/** goErrorLines is the go.mod lines `go list -m` refuses, [] when it reads the file. */
async function goErrorLines(text: string): Promise<number[]> {
  await writeFile(join(dir, 'go.mod'), text);
  const r = await execa('go', ['list', '-m', '-json'], {
    cwd: dir,
    extendEnv: false,
    reject: false,
    timeout: 30_000,
    env: goModuleEnv(dir),
  });
  if (r.exitCode === 0) return [];
  const lines = [...r.stderr.matchAll(/go\.mod:(\d+):(?:\d+:)? /g)].map((m) => Number(m[1]));
  expect(lines, r.stderr).not.toEqual([]);
  return lines;
}

describe("when cmd/go's fixer referees the versions of a main module's go.mod", () => {
  it.each(TEXTS)('%j', async (text) => {
    const ours = parseGoMod(text).errors.map((e) => e.line ?? -1);
    expect(ours).toEqual(await goErrorLines(text));
  });
});
