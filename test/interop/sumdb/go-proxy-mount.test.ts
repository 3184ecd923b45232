// Interop (2b): the database mounted under a GOPROXY's /sumdb/NAME/ (handleSumdb), reached
// through the connection choice (`supported` probe) by the go command and by modguard,
// over HTTP and from a file:// GOPROXY directory (writeSumdbFiles).
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGoProxy } from '../../../src/go/goproxy.js';
import { connectSumdb } from '../../../src/sumdb/connect.js';
import { chooseSumdbBase } from '../../../src/sumdb/http.js';
import { generateKey } from '../../../src/sumdb/note.js';
import { writeSumdbFiles } from '../../../src/testing/sumdb-files.js';
import { SumdbLog } from '../../../src/testing/sumdb-log.js';
import { SumdbState, handleSumdb } from '../../../src/testing/sumdb-server.js';
import { buildGoHelper, goEnv } from './gohelper.js';

const NAME = 'mounted.sumdb.test';
const key = generateKey(NAME);
let helper: Awaited<ReturnType<typeof buildGoHelper>>;
let work = '';
let proxyUrl = '';
let proxyDir = '';
let server: Server | undefined;
let state: SumdbState;

/** startProxy serves files under dir (a file GOPROXY tree) and the database under /sumdb/NAME/. */
async function startProxy(dir: string): Promise<string> {
  server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    const prefix = `/sumdb/${NAME}`;
    if (path.startsWith(`${prefix}/`)) {
      void handleSumdb(state, req, res, path.slice(prefix.length));
      return;
    }
    const file = normalize(join(dir, path));
    stat(file).then(
      (st) => {
        if (!file.startsWith(dir) || !st.isFile()) throw new Error('not a file');
        res.writeHead(200, { 'content-length': st.size });
        createReadStream(file).pipe(res);
      },
      () => {
        res.writeHead(404).end('not found\n');
      },
    );
  });
  const s = server;
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  helper = await buildGoHelper();
  work = await mkdtemp(join(tmpdir(), 'modguard-mount-'));
  const src = join(work, 'src');
  await mkdir(src);
  await writeFile(join(src, 'go.mod'), 'module example.com/mounted\n\ngo 1.19\n');
  await writeFile(join(src, 'm.go'), 'package mounted\n');
  proxyDir = join(work, 'proxy');
  const { stdout } = await execa(helper.bin, [
    'mkmod',
    src,
    'example.com/mounted',
    'v0.1.0',
    proxyDir,
  ]);
  const log = new SumdbLog();
  for (let i = 0; i < 20; i++)
    log.append(`example.com/pad${i} v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n`);
  log.append(`${stdout}\n`);
  state = new SumdbState(log, key.signerKey);
  proxyUrl = await startProxy(proxyDir);
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await rm(work, { recursive: true, force: true });
  await helper.cleanup();
});

describe('when the database is only reachable through a proxy', () => {
  it('modguard finds it with the supported probe and proves the record', async () => {
    const base = await chooseSumdbBase(NAME, undefined, parseGoProxy(`${proxyUrl},direct`));
    expect(base).toBe(`${proxyUrl}/sumdb/${NAME}`);
    const db = connectSumdb({ verifierKey: key.verifierKey, baseUrl: base });
    const r = await db.client.lookup('example.com/mounted', 'v0.1.0');
    expect(r.lines).toHaveLength(2);
    await db.close();
  });

  it('go mod download uses the proxy endpoint and accepts it', async () => {
    state.requests.length = 0;
    const dir = await mkdtemp(join(work, 'go-'));
    const r = await execa('go', ['mod', 'download', '-json', '--', 'example.com/mounted@v0.1.0'], {
      cwd: dir,
      env: goEnv(dir, { GOPROXY: proxyUrl, GOSUMDB: key.verifierKey }),
      extendEnv: false,
      reject: false,
    });
    await execa('chmod', ['-R', 'u+w', '--', dir]);
    await rm(dir, { recursive: true, force: true });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(state.requests).toContain('/supported');
    expect(state.requests).toContain('/lookup/example.com/mounted@v0.1.0');
  });

  it('go mod download refuses the proxy endpoint when it lies', async () => {
    state.faults.badSignature = true;
    const dir = await mkdtemp(join(work, 'go-'));
    const r = await execa('go', ['mod', 'download', '-json', '--', 'example.com/mounted@v0.1.0'], {
      cwd: dir,
      env: goEnv(dir, { GOPROXY: proxyUrl, GOSUMDB: key.verifierKey }),
      extendEnv: false,
      reject: false,
    });
    state.faults.badSignature = false;
    await execa('chmod', ['-R', 'u+w', '--', dir]);
    await rm(dir, { recursive: true, force: true });
    expect(r.exitCode).not.toBe(0);
    expect(`${r.stdout}${r.stderr}`).toContain('invalid signature');
  });
});

describe('when the database is only reachable through a file:// proxy', () => {
  /** fileProxy is the module's file:// GOPROXY with the database's files under sumdb/NAME. */
  async function fileProxy(): Promise<string> {
    await writeSumdbFiles(state, join(proxyDir, 'sumdb', NAME));
    return pathToFileURL(proxyDir).href;
  }

  it('go mod download reads the database from the files and accepts it', async () => {
    const proxy = await fileProxy();
    const dir = await mkdtemp(join(work, 'go-'));
    const r = await execa('go', ['mod', 'download', '-json', '--', 'example.com/mounted@v0.1.0'], {
      cwd: dir,
      env: goEnv(dir, { GOPROXY: proxy, GOSUMDB: key.verifierKey }),
      extendEnv: false,
      reject: false,
    });
    // Go keeps what it read from the database: the lookup came from the files.
    const cached = join(dir, 'gopath/pkg/mod/cache/download/sumdb', NAME, 'lookup');
    const read = await stat(join(cached, 'example.com/mounted@v0.1.0')).then(
      (st) => st.isFile(),
      () => false,
    );
    await execa('chmod', ['-R', 'u+w', '--', dir]);
    await rm(dir, { recursive: true, force: true });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(read).toBe(true);
  });

  it('modguard finds it with the supported probe and proves the record from the files', async () => {
    const proxy = await fileProxy();
    const base = await chooseSumdbBase(NAME, undefined, parseGoProxy(`${proxy},direct`));
    expect(base).toBe(`${proxy}/sumdb/${NAME}`);
    const db = connectSumdb({ verifierKey: key.verifierKey, baseUrl: base });
    const r = await db.client.lookup('example.com/mounted', 'v0.1.0');
    expect(r.lines).toHaveLength(2);
    await db.close();
  });
});

describe('when a "|" proxy fails the supported probe with 500 and a proxy without the database follows', () => {
  // GOPROXY="A|B": A answers 500 to everything, B (file://) has the module but no database.
  // TryProxies keeps A's error, since B's not-found ranks below it (G/modfetch/proxy.go:172),
  // and initBase connects directly only on not-found (G/modfetch/sumdb.go:186): unavailable.
  let failing: Server | undefined;
  let failingUrl = '';
  let list = '';

  beforeAll(async () => {
    failing = createServer((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('boom\n');
    });
    const s = failing;
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    failingUrl = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
    const moduleOnly = join(work, 'module-only');
    await execa(helper.bin, [
      'mkmod',
      join(work, 'src'),
      'example.com/mounted',
      'v0.1.0',
      moduleOnly,
    ]);
    list = `${failingUrl}|${pathToFileURL(moduleOnly).href}`;
  });

  afterAll(async () => {
    failing?.closeAllConnections();
    await new Promise((r) => failing?.close(r));
  });

  it('go mod download fails verifying with that 500', async () => {
    const dir = await mkdtemp(join(work, 'go-'));
    const r = await execa('go', ['mod', 'download', '-json', '--', 'example.com/mounted@v0.1.0'], {
      cwd: dir,
      env: goEnv(dir, { GOPROXY: list, GOSUMDB: key.verifierKey }),
      extendEnv: false,
      reject: false,
    });
    await execa('chmod', ['-R', 'u+w', '--', dir]);
    await rm(dir, { recursive: true, force: true });
    expect(r.exitCode).not.toBe(0);
    expect(r.stdout).toContain(`reading ${failingUrl}/sumdb/${NAME}/supported: 500`);
  });

  it('modguard finds the database unavailable with that 500, not a direct connection', async () => {
    const err = await chooseSumdbBase(NAME, undefined, parseGoProxy(list)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'UNAVAILABLE', kind: 'unavailable' });
    expect(String(err)).toContain(`${failingUrl}/sumdb/${NAME}/supported: 500`);
  });
});
