/**
 * parseGoSumdb against the go command's dbDial (Go 1.19 modfetch/sumdb.go): `go get`
 * from a file:// proxy must verify the module's go.mod, so it either refuses GOSUMDB or
 * dials the database URL. Every accepted value names a closed loopback URL, so the
 * database is never reached; refused values never dial.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GoError } from '../../../src/go/errors.js';
import { SUM_GOLANG_ORG_KEY, parseGoSumdb } from '../../../src/go/gosumdb.js';
import { goModuleEnv } from '../../support/go.js';

const LOOP = 'http://127.0.0.1:1';
// OTHER_KEY is a verifier key for a made-up database: name+hash+base64(0x01 || 32 bytes of 7),
// where hash is the first 4 bytes of SHA-256(name + "\n" + key) (x/mod sumdb/note keyHash).
const OTHER_KEY = 'sum.example.com+98b90949+AQcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH';
const VALUES = [
  `${OTHER_KEY} ${LOOP}`,
  `${OTHER_KEY.replace('AQcH', 'AgcH')} ${LOOP}`,
  `${OTHER_KEY.replace('sum.example.com', 'sum.example.com/x')} ${LOOP}`,
  `sum.golang.org ${LOOP}`,
  `${SUM_GOLANG_ORG_KEY} ${LOOP}`,
  `sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8 ${LOOP}/x`,
  `sum.golang.org+033de0af+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8 ${LOOP}`,
  `sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn ${LOOP}`,
  `sum.golang.org+033de0a+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8 ${LOOP}`,
  `nope ${LOOP}`,
  `sum.example.com ${LOOP}`,
  `a b c`,
  `sum.golang.org ${LOOP} extra`,
  `  sum.golang.org   ${LOOP}  `,
];

let dir = '';

/** storedZip builds a zip archive with uncompressed entries (APPNOTE.TXT 4.3). */
function storedZip(files: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text);
    const nameBytes = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modguard-gosumdb-'));
  const v = join(dir, 'proxy', 'example.com', 'x', '@v');
  await mkdir(v, { recursive: true });
  await mkdir(join(dir, 'm'));
  await writeFile(join(v, 'list'), 'v1.0.0\n');
  await writeFile(join(v, 'v1.0.0.info'), '{"Version":"v1.0.0","Time":"2020-01-01T00:00:00Z"}');
  await writeFile(join(v, 'v1.0.0.mod'), 'module example.com/x\n');
  await writeFile(
    join(v, 'v1.0.0.zip'),
    storedZip({ 'example.com/x@v1.0.0/go.mod': 'module example.com/x\n' }),
  );
  await writeFile(join(dir, 'm', 'go.mod'), 'module m\n\ngo 1.19\n');
});

afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

async function goGet(gosumdb: string): Promise<string> {
  const { stderr } = await execa('go', ['get', 'example.com/x@v1.0.0'], {
    cwd: join(dir, 'm'),
    extendEnv: false,
    reject: false,
    timeout: 30_000,
    env: goModuleEnv(dir, { GOPROXY: `file://${join(dir, 'proxy')}`, GOSUMDB: gosumdb }),
  });
  return stderr;
}

describe('when the go command referees parseGoSumdb', () => {
  it.each(VALUES)(
    'GOSUMDB=%j',
    async (value) => {
      let ours: ReturnType<typeof parseGoSumdb> | GoError;
      try {
        ours = parseGoSumdb(value);
      } catch (err) {
        if (!(err instanceof GoError)) throw err;
        ours = err;
      }
      if (!(ours instanceof GoError) && ours.off !== true)
        expect(ours.url ?? '', 'must stay on loopback').toMatch(/^http:\/\/127\.0\.0\.1:1(\/|$)/);
      const stderr = await goGet(value);
      const refused = /invalid GOSUMDB|missing GOSUMDB|invalid sumdb name/.test(stderr);
      expect(refused, stderr).toBe(ours instanceof GoError);
      if (!refused)
        expect(stderr).toMatch(
          /verifying .*127\.0\.0\.1:1.*connection refused|dial tcp 127\.0\.0\.1:1/,
        );
    },
    60_000,
  );
});
