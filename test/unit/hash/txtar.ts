import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** XMOD_ZIP_TESTDATA is Debian's golang-golang-x-mod-dev copy of x/mod v0.7.0 zip/testdata. */
export const XMOD_ZIP_TESTDATA = '/usr/share/gocode/src/golang.org/x/mod/zip/testdata';

/** TxtarFile is one `-- name --` section; name and data are raw bytes (latin1 in, UTF-8 out). */
export interface TxtarFile {
  readonly name: string;
  readonly data: Buffer;
}

/** XmodVector is one x/mod zip test file: its `key=value` header and its sections. */
export interface XmodVector {
  readonly file: string;
  readonly path: string;
  readonly version: string;
  readonly wantErr: string;
  readonly hash: string;
  readonly files: TxtarFile[];
  readonly want: string | undefined;
}

const KEYS = new Set(['path', 'version', 'wantErr', 'hash']);

/**
 * readXmodVectors reads every .txt vector of one x/mod zip/testdata folder, parsed as
 * x/mod zip_test.go readTest does: `#` comments, `key=value` lines, unknown keys
 * rejected; sections as golang.org/x/tools/txtar.Parse. A `want` section is split off.
 */
export function readXmodVectors(folder: string): XmodVector[] {
  const dir = join(XMOD_ZIP_TESTDATA, folder);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => parseVector(f, readFileSync(join(dir, f))));
}

function parseVector(file: string, bytes: Buffer): XmodVector {
  const { comment, files } = parseTxtar(bytes);
  const header: Record<string, string> = { path: '', version: '', wantErr: '', hash: '' };
  comment.split('\n').forEach((raw, i) => {
    const line = (raw.includes('#') ? raw.slice(0, raw.indexOf('#')) : raw).trim();
    if (line === '') return;
    const eq = line.indexOf('=');
    if (eq < 0) throw new Error(`${file}:${i + 1}: missing = separator`);
    const key = line.slice(0, eq).trim();
    if (!KEYS.has(key)) throw new Error(`${file}:${i + 1}: unknown key ${JSON.stringify(key)}`);
    header[key] = line.slice(eq + 1).trim();
  });
  const want = files.find((f) => f.name === 'want');
  return {
    file,
    path: header.path ?? '',
    version: header.version ?? '',
    wantErr: header.wantErr ?? '',
    hash: header.hash ?? '',
    files: files.filter((f) => f !== want),
    want: want?.data.toString('utf8'),
  };
}

/** parseTxtar splits txtar bytes; the comment is decoded as UTF-8 with bytes kept as U+FFFD. */
export function parseTxtar(bytes: Buffer): { comment: string; files: TxtarFile[] } {
  const text = bytes.toString('latin1');
  const lines = text.split(/(?<=\n)/);
  const files: { name: string; parts: string[] }[] = [];
  const comment: string[] = [];
  for (const line of lines) {
    const bare = line.endsWith('\n') ? line.slice(0, -1) : line;
    if (bare.startsWith('-- ') && bare.endsWith(' --') && bare.length >= 6) {
      files.push({ name: bare.slice(3, -3).trim(), parts: [] });
      continue;
    }
    const last = files[files.length - 1];
    if (last === undefined) comment.push(line);
    else last.parts.push(line);
  }
  return {
    comment: Buffer.from(comment.join(''), 'latin1').toString('utf8'),
    files: files.map((f) => ({
      name: Buffer.from(f.name, 'latin1').toString('utf8'),
      data: Buffer.from(f.parts.join(''), 'latin1'),
    })),
  };
}
