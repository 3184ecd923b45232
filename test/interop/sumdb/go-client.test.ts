// Interop (2): the Go toolchain is the referee for modguard's sumdb server. `go mod download`
// (Go 1.19.8) with GOSUMDB pointing at our server on loopback and a file GOPROXY built by
// x/mod's own zip code must accept the honest server and refuse it when it lies. The x/mod
// sumdb.Client (gohelper client) is checked the same way.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectSumdb } from '../../../src/sumdb/connect.js';
import { generateKey } from '../../../src/sumdb/note.js';
import { SumdbLog } from '../../../src/testing/sumdb-log.js';
import {
  goSumRecord,
  startSumdbServer,
  type RunningSumdb,
} from '../../../src/testing/sumdb-server.js';
import { buildGoHelper, goEnv } from './gohelper.js';

const NAME = 'sumdb.modguard.test';
let helper: Awaited<ReturnType<typeof buildGoHelper>>;
let work = '';
let helloRecord = '';
const key = generateKey(NAME);
let server: RunningSumdb | undefined;

function filler(i: number, salt = ''): string {
  const h = (s: string) =>
    `h1:${Buffer.from(`${s}${salt}`.padEnd(32, '-').slice(0, 32)).toString('base64')}`;
  return goSumRecord(`example.com/fill${i}`, 'v1.0.0', h(`zip${i}`), h(`mod${i}`));
}

beforeAll(async () => {
  helper = await buildGoHelper();
  work = await mkdtemp(join(tmpdir(), 'modguard-gosumdb-'));
  const src = join(work, 'src');
  await mkdir(src);
  await writeFile(join(src, 'go.mod'), 'module example.com/hello\n\ngo 1.19\n');
  await writeFile(
    join(src, 'hello.go'),
    'package hello\n\n// Hello greets.\nfunc Hello() string { return "hello" }\n',
  );
  const { stdout } = await execa(helper.bin, [
    'mkmod',
    src,
    'example.com/hello',
    'v1.0.0',
    join(work, 'proxy'),
  ]);
  helloRecord = `${stdout}\n`;
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await helper.cleanup();
});

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** serve starts our server with 300 filler records, the hello record, and 499 more. */
async function serve(): Promise<RunningSumdb> {
  const log = new SumdbLog();
  for (let i = 0; i < 300; i++) log.append(filler(i));
  log.append(helloRecord);
  for (let i = 300; i < 799; i++) log.append(filler(i));
  server = await startSumdbServer({ signerKey: key.signerKey, log });
  return server;
}

async function goModDownload(s: RunningSumdb): Promise<{ ok: boolean; out: string }> {
  const dir = await mkdtemp(join(work, 'go-'));
  const r = await execa('go', ['mod', 'download', '-json', '--', 'example.com/hello@v1.0.0'], {
    cwd: dir,
    env: goEnv(dir, {
      GOPROXY: `file://${join(work, 'proxy')}`,
      GOSUMDB: `${key.verifierKey} ${s.url}`,
    }),
    extendEnv: false,
    reject: false,
  });
  await execa('chmod', ['-R', 'u+w', '--', dir]);
  await rm(dir, { recursive: true, force: true });
  return { ok: r.exitCode === 0, out: `${r.stdout}\n${r.stderr}` };
}

describe('when `go mod download` checks our server', () => {
  it('accepts the honest server and records the proven hashes', async () => {
    const s = await serve();
    const r = await goModDownload(s);
    expect(r.out).toContain('"Sum": "h1:');
    expect(r.ok).toBe(true);
    expect(r.out).toContain(helloRecord.split('\n')[0]?.split(' ')[2]);
    expect(s.state.requests.some((p) => p.startsWith('/lookup/example.com/hello@v1.0.0'))).toBe(
      true,
    );
    expect(s.state.requests.some((p) => p.startsWith('/tile/8/'))).toBe(true);
  });

  it('refuses a bad signature', async () => {
    const s = await serve();
    s.state.faults.badSignature = true;
    const r = await goModDownload(s);
    expect(r.ok).toBe(false);
    expect(r.out).toContain('invalid signature');
  });

  it('refuses a record that differs from the log', async () => {
    const s = await serve();
    s.state.faults.records = new Map([
      ['example.com/hello@v1.0.0', filler(0, 'evil').replaceAll('fill0', 'hello')],
    ]);
    const r = await goModDownload(s);
    expect(r.ok).toBe(false);
    expect(r.out).toContain('cannot authenticate record data');
  });

  it('refuses a zip whose hash the (honest) log records differently', async () => {
    const log = new SumdbLog();
    log.append(filler(1).replaceAll('fill1', 'hello'));
    server = await startSumdbServer({ signerKey: key.signerKey, log });
    const r = await goModDownload(server);
    expect(r.ok).toBe(false);
    expect(r.out).toContain('SECURITY ERROR');
  });

  it('refuses a forked tree after it saw the honest one (x/mod client, shared state)', async () => {
    const s = await serve();
    const dir = await mkdtemp(join(work, 'fork-'));
    const q = 'example.com/fill5 v1.0.0\n';
    const first = await execa(helper.bin, ['client', key.verifierKey, s.url, dir], { input: q });
    expect(first.stdout).toMatch(/^OK /);
    const fork = new SumdbLog();
    for (let i = 0; i < 900; i++) fork.append(filler(i, i === 3 ? 'evil' : ''));
    s.state.faults.view = () => ({ log: fork });
    // Another module: the first lookup is cached with its old note and would not reach the server.
    const q2 = 'example.com/fill6 v1.0.0\n';
    const second = await execa(helper.bin, ['client', key.verifierKey, s.url, dir], {
      input: q2,
      reject: false,
    });
    // Go proves the old tree inside the new one with its cached honest tile 0/000 and the fork's
    // partial tiles, and refuses: "checking tree#800 against tree#900: downloaded inconsistent tile".
    expect(second.stdout).toMatch(/^ERROR .*(security error|inconsistent tile)/);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('when the lookup writes its record id as strconv.ParseInt(s, 10, 64) may read it', () => {
  // x/mod tlog/note.go ParseRecord parses the id with strconv.ParseInt(…, 10, 64): a sign and
  // leading zeros are fine; a negative id passes checkRecord's size check and names stored
  // hash 0 (StoredHashIndex(0, n) is 0 for n <= 0), so only record 0's text proves there.
  const hello = 'example.com/hello v1.0.0';
  const fill0 = 'example.com/fill0 v1.0.0';
  const cases: [query: string, idLine: string, ok: boolean][] = [
    [hello, '300', true],
    [hello, '+300', true],
    [hello, '0300', true],
    [hello, '+00000000000000000000000000300', true],
    [fill0, '-0', true],
    [fill0, '-7', true],
    [fill0, '-9223372036854775808', true],
    [hello, '-1', false],
    [fill0, '-9223372036854775809', false],
    [hello, '9223372036854775807', false],
    [hello, '9223372036854775808', false],
    [hello, '0x12c', false],
    [hello, ' 300', false],
    [hello, '300 ', false],
    [hello, '3_00', false],
    [hello, '+-300', false],
    [hello, '+', false],
    [hello, '', false],
    [hello, '\u0663\u0660\u0660', false],
  ];

  it.each(cases)('%s with id %j: Go and modguard agree (ok %s)', async (query, idLine, ok) => {
    const s = await serve();
    s.state.faults.recordId = () => idLine;
    const dir = await mkdtemp(join(work, 'id-'));
    const go = await execa(helper.bin, ['client', key.verifierKey, s.url, dir], {
      input: `${query}\n`,
    });
    await rm(dir, { recursive: true, force: true });
    expect(go.stdout.startsWith('OK ')).toBe(ok);
    const db = connectSumdb({ verifierKey: key.verifierKey, baseUrl: s.url });
    const [path = '', version = ''] = query.split(' ');
    const ours = await db.client.lookup(path, version).then(
      (r) => r.lines.length === 2,
      () => false,
    );
    await db.close();
    expect(ours).toBe(ok);
  });
});
