// A checksum database reached through a file:// GOPROXY: the go command probes
// `<proxy>/sumdb/<name>/supported` and then reads lookups and tiles below
// `<proxy>/sumdb/<name>` as files (G/modfetch/sumdb.go initBase, G/web/http.go getFile).
// The tree on disk is real: writeSumdbFiles lays out what the loopback database serves.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGoProxy } from '../../../src/go/goproxy.js';
import { connectSumdb } from '../../../src/sumdb/connect.js';
import { chooseSumdbBase } from '../../../src/sumdb/http.js';
import { generateKey } from '../../../src/sumdb/note.js';
import { writeSumdbFiles } from '../../../src/testing/sumdb-files.js';
import { SumdbState } from '../../../src/testing/sumdb-server.js';
import { logOf, recordFor } from './helpers.js';

const NAME = 'files.sumdb.test';
const key = generateKey(NAME);
let tmp = '';
let proxy = '';
let empty = '';

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'modguard-sumdb-file-'));
  proxy = pathToFileURL(join(tmp, 'proxy')).href;
  empty = pathToFileURL(join(tmp, 'empty')).href;
  await mkdir(join(tmp, 'empty'));
  await writeSumdbFiles(new SumdbState(logOf(600), key.signerKey), join(tmp, 'proxy/sumdb', NAME));
});

afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('when GOPROXY is a file:// directory holding the database', () => {
  it('the supported probe finds it, skipping a directory without it', async () => {
    const list = parseGoProxy(`${empty},${proxy},direct`);
    expect(await chooseSumdbBase(NAME, undefined, list)).toBe(`${proxy}/sumdb/${NAME}`);
  });

  it('reads lookups and tiles from the files and proves the records', async () => {
    const db = connectSumdb({ verifierKey: key.verifierKey, baseUrl: `${proxy}/sumdb/${NAME}` });
    try {
      for (const i of [7, 300, 599]) {
        const r = await db.client.lookup(`example.com/m${i}`, `v1.0.${i}`);
        expect(r.lines).toEqual(recordFor(i).trimEnd().split('\n'));
        expect(r.treeSize).toBe(600);
      }
      expect(db.remote.requests).toContain('/tile/8/1/000.p/2');
    } finally {
      await db.close();
    }
  });

  it('a missing lookup file is NOT_FOUND naming the file URL, never verified', async () => {
    const db = connectSumdb({ verifierKey: key.verifierKey, baseUrl: `${proxy}/sumdb/${NAME}` });
    try {
      const err = await db.client.lookup('example.com/none', 'v1.0.0').catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'NOT_FOUND', kind: 'unavailable' });
      expect(String(err)).toContain(`${proxy}/sumdb/${NAME}/lookup/example.com/none@v1.0.0`);
    } finally {
      await db.close();
    }
  });
});
