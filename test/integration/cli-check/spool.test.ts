import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModuleFile } from '../../../src/hash/create.js';
import { createModuleZipBytes } from '../../../src/hash/modzip.js';
import { hashModuleZip } from '../../../src/hash/zipcheck.js';
import { bufferSource } from '../../../src/hash/zipformat.js';
import { startProxyServer, type ProxyServer } from '../../../src/testing/proxy-server.js';
import { goEnvFor, Temps } from './helpers.js';

const M = 'example.test/big';
const V = 'v1.0.0';

function file(path: string, content: Buffer): ModuleFile {
  return { path, kind: 'file', size: content.length, open: () => [content] };
}

/**
 * RUN runs the check with its temporary folder on a tmpfs of a given size, in a mount
 * namespace of its own (unshare -m, then mount): a full disk on demand. Both need root,
 * as the project's machines and CI run; the mount is gone with the process.
 */
const RUN = fileURLToPath(new URL('./tmpfs-run.ts', import.meta.url));
const PAGE = 4096;

const temps = new Temps();
let a: ProxyServer;
let b: ProxyServer;
let honest: Buffer;
let honestH1: string;
let home: string;
let project: string;

/**
 * pageZip is a module zip of about `size` bytes whose length is a whole number of pages
 * (so a tmpfs can be made to hold exactly it): an incompressible file's size is tuned.
 */
async function pageZip(size: number): Promise<Buffer> {
  const blob = randomBytes(size + PAGE);
  let pad = 0;
  for (;;) {
    const zip = await createModuleZipBytes(M, V, [
      file('go.mod', Buffer.from(`module ${M}\n`)),
      file('blob.bin', blob.subarray(0, size + pad)),
    ]);
    if (zip.length % PAGE === 0) return zip;
    pad += PAGE - (zip.length % PAGE);
  }
}

beforeAll(async () => {
  honest = await pageZip(12 << 20);
  honestH1 = await hashModuleZip(M, V, bufferSource(honest));
  [a, b] = await Promise.all([startProxyServer({ name: 'A' }), startProxyServer({ name: 'B' })]);
  home = await temps.make();
  project = join(home, 'project');
  await mkdir(project);
  await writeFile(
    join(project, 'go.mod'),
    `module example.test/p\n\ngo 1.21\n\nrequire ${M} ${V}\n`,
  );
  await writeFile(join(project, 'go.sum'), `${M} ${V} ${honestH1}\n`);
}, 60_000);
afterAll(async () => {
  await Promise.all([a.stop(), b.stop()]);
  await temps.cleanup();
});

const version = (zip: Buffer) => ({
  info: { Version: V, Time: '2024-01-02T03:04:05Z' },
  mod: Buffer.from(`module ${M}\n`),
  zip,
});

interface Report {
  findings: {
    code: string;
    detail: string;
    remedy: string;
    evidence: { witness: string; h1: string | null; error: string | null }[];
  }[];
  summary: { lines: number; verified: number; inconclusive: number };
}

/**
 * checkOnTmpfs runs `modguard check --format json` as a process in a mount namespace of
 * its own whose temporary folder (where zips are spooled) is a tmpfs of `size` bytes;
 * `left` is what the run left in that folder.
 */
async function checkOnTmpfs(size: number) {
  const tmp = await temps.make();
  const env = goEnvFor(home, { TSX_DISABLE_CACHE: '1' }); // nothing of tsx's on that disk
  const args = [RUN, tmp, String(size), 'check', '--dir', project, '--no-cache'];
  const proxies = ['--proxy', a.url, '--proxy', b.url, '--format', 'json'];
  const r = await execa(
    'unshare',
    ['-m', process.execPath, '--import', 'tsx', ...args, ...proxies],
    {
      env,
      extendEnv: false,
      reject: false,
    },
  );
  const left = JSON.parse(r.stderr.trim().split('\n').at(-1) ?? '') as string[];
  return { code: r.exitCode, left, report: JSON.parse(r.stdout) as Report };
}

/** evidenceOf is what the report shows of a witness's answer about the zip line. */
function evidenceOf(report: Report, server: ProxyServer) {
  const witness = new URL(server.url).host;
  return report.findings.flatMap((f) => f.evidence).find((e) => e.witness === witness);
}

describe('when the disk holding spooled zips fills up', () => {
  it('a write that stops short makes that witness an error, never a hash of the bytes written', async () => {
    // A's zip is kept in memory (it fits the check's 16 MiB budget); B serves it with
    // one byte more (refused as a zip: data after the end record), which no longer fits
    // the budget and is spooled to a disk that holds exactly A's zip: a hash of what was
    // written there would be A's, and the line verified.
    a.put(M, V, version(honest));
    b.put(M, V, version(Buffer.concat([honest, Buffer.from('!')])));
    b.faults.splice(0, Infinity, { fault: { kind: 'slow', delayMs: 500 } }); // A's leads
    const roomy = await checkOnTmpfs(4 * honest.length);
    expect(roomy.report.summary).toMatchObject({ lines: 1, verified: 0, inconclusive: 1 });
    expect(evidenceOf(roomy.report, b)).toMatchObject({
      h1: null,
      error: expect.stringContaining('ZIP_FORMAT'),
    });
    expect(roomy.left).toEqual([]);

    const full = await checkOnTmpfs(honest.length);
    expect(full.report.summary).toMatchObject({ lines: 1, verified: 0, inconclusive: 1 });
    expect(full.code).toBe(1);
    expect(evidenceOf(full.report, a)).toBeUndefined(); // A answered, and agreed
    expect(evidenceOf(full.report, b)).toMatchObject({
      h1: null,
      error: expect.stringContaining('ENOSPC'),
    });
    expect(full.left).toEqual([]);
  }, 120_000);

  it('the failure is named as this machine’s, with its file, and the download is not retried', async () => {
    a.put(M, V, version(honest));
    b.put(M, V, version(Buffer.concat([honest, Buffer.from('!')])));
    b.faults.splice(0, Infinity, { fault: { kind: 'slow', delayMs: 500 } }); // A's leads
    b.requests.length = 0;
    const full = await checkOnTmpfs(honest.length);
    expect(full.report.summary).toMatchObject({ lines: 1, verified: 0, inconclusive: 1 });
    const error = evidenceOf(full.report, b)?.error ?? '';
    expect(error).toMatch(/could not keep .* in \/.*\.zip: ENOSPC: .*\(SPOOL\)$/);
    const finding = full.report.findings.find((f) => f.evidence.some((e) => e.error === error));
    expect(finding?.code).toBe('MG201');
    expect(finding?.detail).toMatch(/^On this machine, not at /);
    expect(finding?.remedy).toContain('$TMPDIR');
    expect(b.requests.filter((r) => r.path.endsWith('.zip'))).toHaveLength(1);
    expect(full.left).toEqual([]);
  }, 120_000);
});
