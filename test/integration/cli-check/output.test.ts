import { execa } from 'execa';
import { createReadStream } from 'node:fs';
import {
  chmod,
  chown,
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { World } from '../../../src/testing/world/index.js';
import { proxyFlags, requestCount, run, worldEnv, writeFiles, writeProject } from './helpers.js';
import { useCliWorld, honest } from './world.js';

// --output is replaced atomically when it is a file; what is not a report file must not
// be replaced by one: the files the check reads, a device, a pipe, a link to them.

let world: World;
let home: string;
const temps = useCliWorld((w, h) => ((world = w), (home = h)));

async function check(dir: string, output: string, flags: string[] = []) {
  const argv = ['check', '--dir', dir, ...proxyFlags(world), '--no-cache', '--output', output];
  return run([...argv, ...flags], worldEnv(world, home));
}

describe('--output naming a file the check reads', () => {
  it('is refused before any witness is asked, and the file is kept', async () => {
    const dir = await temps.make();
    await writeProject(world, dir, honest);
    await writeFiles(dir, { 'sub/go.mod': 'module example.test/sub\n', 'modguard.json': '{}\n' });
    await symlink(join(dir, 'go.sum'), join(dir, 'link-to-go.sum'));
    const goSum = await readFile(join(dir, 'go.sum'), 'utf8');
    const cases: [string, string[]][] = [
      [join(dir, 'go.sum'), []],
      [join(dir, 'go.mod'), []],
      [join(dir, 'link-to-go.sum'), []],
      [join(dir, 'sub', 'go.mod'), ['--recursive']],
      [join(dir, 'modguard.json'), ['--config', join(dir, 'modguard.json')]],
    ];
    for (const [output, flags] of cases) {
      const r = await check(dir, output, flags);
      expect(r.code, output).toBe(2);
      expect(r.err).toContain(`--output ${JSON.stringify(output)} is `);
      expect(r.err).toContain('which the check reads');
    }
    expect(await readFile(join(dir, 'go.sum'), 'utf8')).toBe(goSum);
    expect(await readFile(join(dir, 'go.mod'), 'utf8')).toMatch(/^module example.test\/project/);
    expect(await readFile(join(dir, 'sub', 'go.mod'), 'utf8')).toBe('module example.test/sub\n');
    expect(await readFile(join(dir, 'modguard.json'), 'utf8')).toBe('{}\n');
    expect(requestCount(world)).toEqual({ a: 0, b: 0, sumdb: 0 });
  });
});

describe('--output naming what is not a regular file', () => {
  it('writes to a device through a link and keeps both (/dev/stdout is such a link)', async () => {
    const dir = await temps.make();
    await writeProject(world, dir, honest);
    const out = await temps.make();
    const link = join(out, 'stdout');
    await symlink('/dev/null', link);
    const r = await check(dir, link);
    expect(r.code, r.err).toBe(0);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe('/dev/null');
    expect((await lstat('/dev/null')).isCharacterDevice()).toBe(true);
    expect(await readdir(out)).toEqual(['stdout']);
  });

  it('writes to its own stdout or stderr for /dev/stdout and /dev/stderr', async () => {
    const dir = await temps.make();
    await writeProject(world, dir, honest);
    for (const [output, stream] of [
      ['/dev/stdout', 'out'],
      ['/dev/fd/1', 'out'],
      ['/proc/self/fd/2', 'err'],
      ['/dev/stderr', 'err'],
    ] as const) {
      const r = await check(dir, output, ['--format', 'json']);
      expect(r.code, r.err).toBe(0);
      const written = stream === 'out' ? r.out : r.err;
      expect(JSON.parse(written), output).toMatchObject({ summary: { verified: 6 } });
    }
  });

  it('writes the report into a named pipe', async () => {
    const dir = await temps.make();
    await writeProject(world, dir, honest);
    const fifo = join(await temps.make(), 'report.fifo');
    await execa('mkfifo', [fifo]);
    let read = '';
    const reader = new Promise<void>((resolve, reject) => {
      const s = createReadStream(fifo, 'utf8');
      s.on('data', (d) => (read += String(d)));
      s.on('end', resolve);
      s.on('error', reject);
    });
    const r = await check(dir, fifo, ['--format', 'json']);
    await reader;
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(read)).toMatchObject({ summary: { verified: 6 } });
    expect((await lstat(fifo)).isFIFO()).toBe(true);
  });

  it('replaces the file a link points to, and keeps the link', async () => {
    const dir = await temps.make();
    await writeProject(world, dir, honest);
    const out = await temps.make();
    await mkdir(join(out, 'reports'));
    await writeFile(join(out, 'reports', 'last.txt'), 'old\n');
    await symlink(join('reports', 'last.txt'), join(out, 'report.txt'));
    const r = await check(dir, join(out, 'report.txt'));
    expect(r.code, r.err).toBe(0);
    expect((await lstat(join(out, 'report.txt'))).isSymbolicLink()).toBe(true);
    expect(await readFile(join(out, 'reports', 'last.txt'), 'utf8')).toMatch(/6 verified/);
    expect((await readdir(out)).sort()).toEqual(['report.txt', 'reports']);
  });
});

describe('--output that cannot be written', () => {
  it('is refused before any witness is asked, naming what is in the way', async () => {
    const dir = await temps.make();
    await writeProject(world, dir, honest);
    const out = await temps.make();
    await writeFile(join(out, 'a-file'), 'kept\n');
    const r = await check(dir, join(out, 'a-file', 'reports', 'report.txt'));
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${join(out, 'a-file')} is not a folder`);
    expect(requestCount(world)).toEqual({ a: 0, b: 0, sumdb: 0 });
    expect(await readFile(join(out, 'a-file'), 'utf8')).toBe('kept\n');
    // Folders that are only missing are made.
    const deep = join(out, 'new', 'deeper', 'report.txt');
    expect((await check(dir, deep)).code).toBe(0);
    expect(await readFile(deep, 'utf8')).toMatch(/6 verified/);
  });
});

describe('--output naming an existing report', () => {
  const perm = async (file: string) => (await stat(file)).mode & 0o7777;

  it('keeps its permissions: a report made private stays private', async () => {
    const dir = await temps.make();
    await writeProject(world, dir, honest);
    const out = await temps.make();
    for (const mode of [0o600, 0o640, 0o664]) {
      const report = join(out, `report-${mode.toString(8)}.txt`);
      await writeFile(report, 'old\n');
      await chmod(report, mode);
      const r = await check(dir, report);
      expect(r.code, r.err).toBe(0);
      expect(await readFile(report, 'utf8')).toMatch(/6 verified/);
      expect(await perm(report), report).toBe(mode);
    }
  });

  it('keeps the permissions of the file a link points to', async () => {
    const dir = await temps.make();
    await writeProject(world, dir, honest);
    const out = await temps.make();
    await writeFile(join(out, 'last.txt'), 'old\n', { mode: 0o600 });
    await chmod(join(out, 'last.txt'), 0o600);
    await symlink('last.txt', join(out, 'report.txt'));
    expect((await check(dir, join(out, 'report.txt'))).code).toBe(0);
    expect(await perm(join(out, 'last.txt'))).toBe(0o600);
  });

  it('gives a new report the permissions a plain write would (umask applies)', async () => {
    const dir = await temps.make();
    await writeProject(world, dir, honest);
    const out = await temps.make();
    // A group-writable umask (Debian's user private groups) shows whose default it is.
    const before = process.umask(0o002);
    try {
      await writeFile(join(out, 'plain.txt'), 'plain\n');
      expect((await check(dir, join(out, 'report.txt'))).code).toBe(0);
    } finally {
      process.umask(before);
    }
    expect(await perm(join(out, 'plain.txt'))).toBe(0o664);
    expect(await perm(join(out, 'report.txt'))).toBe(0o664);
  });

  it.skipIf(process.getuid?.() !== 0)('keeps its owner when root replaces it', async () => {
    const dir = await temps.make();
    await writeProject(world, dir, honest);
    const out = await temps.make();
    const report = join(out, 'report.txt');
    await writeFile(report, 'old\n');
    await chown(report, 4321, 4322);
    await chmod(report, 0o600);
    expect((await check(dir, report)).code).toBe(0);
    const info = await stat(report);
    expect([info.uid, info.gid, info.mode & 0o7777]).toEqual([4321, 4322, 0o600]);
  });
});
