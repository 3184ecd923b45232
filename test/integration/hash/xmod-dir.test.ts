import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ZipError } from '../../../src/hash/errors.js';
import { hashZip } from '../../../src/hash/zipentry.js';
import { bufferSource } from '../../../src/hash/zipformat.js';
import { readZip } from '../../../src/hash/zipread.js';
import { collectZip } from '../../../src/hash/zipwrite.js';
import { checkModuleDir, createModuleZipFromDir } from '../../../src/vcs/dirfiles.js';
import { readXmodVectors, type TxtarFile } from '../../unit/hash/txtar.js';

// Vectors: golang.org/x/mod v0.7.0 zip/testdata/{create_from_dir,check_dir}, extracted
// to a temporary directory as x/mod zip_test.go extractTxtarToTempDir does.
const work = mkdtempSync(join(tmpdir(), 'modguard-hash-dir-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let counter = 0;
function extract(files: TxtarFile[]): string {
  const dir = join(work, String(counter++));
  mkdirSync(dir);
  for (const f of files) {
    mkdirSync(dirname(join(dir, f.name)), { recursive: true });
    writeFileSync(join(dir, f.name), f.data);
  }
  return dir;
}

/** goQuoting: Go's %q of a rune ('\'') versus the quoting of src/go/module.ts ("'"). */
const goQuoting = (s: string) => s.replaceAll(`'\\''`, `"'"`);

describe('x/mod zip/testdata/create_from_dir', () => {
  it.each(readXmodVectors('create_from_dir').map((v) => [v.file, v] as const))(
    '%s',
    async (_n, v) => {
      const dir = extract(v.files);
      let zip: Buffer;
      try {
        zip = await collectZip(
          await createModuleZipFromDir(v.path, v.version, dir, { vendorRule: 'old' }),
        );
      } catch (err) {
        expect(v.wantErr, `unexpected error ${String(err)}`).not.toBe('');
        expect(err).toBeInstanceOf(ZipError);
        const want =
          v.file === 'invalid_utf8_mod_path.txt' ? 'malformed module path' : goQuoting(v.wantErr);
        expect((err as Error).message).toContain(want);
        return;
      }
      expect(v.wantErr).toBe('');
      expect(await hashZip(await readZip(bufferSource(zip)))).toBe(v.hash);
    },
  );
});

describe('x/mod zip/testdata/check_dir', () => {
  it.each(readXmodVectors('check_dir').map((v) => [v.file, v] as const))('%s', async (_n, v) => {
    const dir = extract(v.files);
    const cf = await checkModuleDir(dir, 'old');
    const issues = (l: { path: string; reason: string }[]) =>
      l.map((i) => `$work/${i.path}: ${i.reason}\n`).join('');
    const got =
      `valid:\n${cf.valid.map((p) => `$work/${p}\n`).join('')}` +
      `\nomitted:\n${issues(cf.omitted)}\ninvalid:\n${issues(cf.invalid)}`;
    expect(got).toBe(goQuoting(v.want ?? ''));
  });
});
