import { describe, expect, it } from 'vitest';
import { hash1FromDigests } from '../../../src/hash/dirhash.js';
import { ZipError } from '../../../src/hash/errors.js';
import { checkFiles, type CheckedFiles, type ModuleFile } from '../../../src/hash/create.js';
import { createModuleZipBytes } from '../../../src/hash/modzip.js';
import { checkZip, checkedZipError, type CheckedZip } from '../../../src/hash/zipcheck.js';
import { hashZip, sha256Entry } from '../../../src/hash/zipentry.js';
import { bufferSource } from '../../../src/hash/zipformat.js';
import { readZip } from '../../../src/hash/zipread.js';
import { collectZip, writeZip } from '../../../src/hash/zipwrite.js';
import { readXmodVectors, type TxtarFile, type XmodVector } from './txtar.js';

// Vectors: golang.org/x/mod v0.7.0 zip/testdata (Debian golang-golang-x-mod-dev), used
// as x/mod's zip_test.go uses them. Error texts are compared by substring; where our
// text differs from Go's, KNOWN_MESSAGE_DIFFERENCES names the meaning we check instead.
const KNOWN_MESSAGE_DIFFERENCES: Record<string, string> = {
  // The module path holds byte 0xFF; a JavaScript string cannot hold invalid UTF-8,
  // so the path arrives as U+FFFD and is refused as a malformed path (invalid char).
  'invalid_utf8_mod_path.txt': 'malformed module path',
};

function moduleFiles(files: TxtarFile[]): ModuleFile[] {
  return files.map((f) => ({
    path: f.name,
    kind: 'file',
    size: f.data.length,
    open: () => [f.data],
  }));
}

/**
 * goQuoting maps Go's %q of a rune ('\'') to the quoting src/go/module.ts uses ("'"):
 * the only difference in wording between x/mod's messages and ours.
 */
function goQuoting(s: string): string {
  return s.replaceAll(`'\\''`, `"'"`);
}

function expectRefusal(v: XmodVector, err: unknown): void {
  expect(err).toBeInstanceOf(ZipError);
  const want = KNOWN_MESSAGE_DIFFERENCES[v.file] ?? goQuoting(v.wantErr);
  expect((err as Error).message).toContain(want);
}

async function zipOf(files: TxtarFile[]): Promise<Buffer> {
  return collectZip(writeZip(files.map((f) => ({ name: f.name, content: () => [f.data] }))));
}

/** formatChecked renders CheckedFiles as x/mod zip_test.go formatCheckedFiles does. */
function formatChecked(
  cf: Pick<CheckedFiles, 'valid' | 'invalid'> & { omitted?: CheckedFiles['omitted'] },
): string {
  const issues = (list: CheckedFiles['omitted']) =>
    list.map((i) => `${i.path}: ${i.reason}\n`).join('');
  return (
    `valid:\n${cf.valid.map((v) => v + '\n').join('')}` +
    `\nomitted:\n${issues(cf.omitted ?? [])}` +
    `\ninvalid:\n${issues(cf.invalid)}`
  );
}

describe('x/mod zip/testdata/create', () => {
  it.each(readXmodVectors('create').map((v) => [v.file, v] as const))('%s', async (_name, v) => {
    let zip: Buffer;
    try {
      zip = await createModuleZipBytes(v.path, v.version, moduleFiles(v.files), {
        vendorRule: 'old',
      });
    } catch (err) {
      expect(v.wantErr, `unexpected error ${String(err)}`).not.toBe('');
      expectRefusal(v, err);
      return;
    }
    expect(v.wantErr).toBe('');
    expect(await hashZip(await readZip(bufferSource(zip)))).toBe(v.hash);
  });
});

describe('x/mod zip/testdata/check_files', () => {
  it.each(readXmodVectors('check_files').map((v) => [v.file, v] as const))('%s', (_name, v) => {
    const cf = checkFiles(moduleFiles(v.files), 'old');
    expect(formatChecked(cf)).toBe(goQuoting(v.want ?? ''));
  });
});

describe('x/mod zip/testdata/check_zip', () => {
  it.each(readXmodVectors('check_zip').map((v) => [v.file, v] as const))('%s', async (_name, v) => {
    const archive = await readZip(bufferSource(await zipOf(v.files)));
    const cz: CheckedZip = checkZip(v.path, v.version, archive);
    expect(formatChecked(cz)).toBe(goQuoting(v.want ?? ''));
  });
});

describe('x/mod zip/testdata/unzip', () => {
  it.each(readXmodVectors('unzip').map((v) => [v.file, v] as const))('%s', async (_name, v) => {
    const archive = await readZip(bufferSource(await zipOf(v.files)));
    let cz: CheckedZip;
    try {
      cz = checkZip(v.path, v.version, archive);
      const err = checkedZipError(cz);
      if (err !== undefined) throw err;
    } catch (err) {
      expect(v.wantErr, `unexpected error ${String(err)}`).not.toBe('');
      expectRefusal(v, err);
      return;
    }
    expect(v.wantErr).toBe('');
    // Unzip then HashDir(dir, prefix): Hash1 over the valid files' names and contents.
    const valid = new Set(cz.valid);
    const digests = [];
    for (const e of archive.entries) {
      if (valid.has(e.name))
        digests.push({ name: e.name, digest: await sha256Entry(archive.source, e) });
    }
    expect(hash1FromDigests(digests)).toBe(v.hash);
  });
});
