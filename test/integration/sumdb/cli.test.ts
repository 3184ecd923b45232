import { execa } from 'execa';
import { watch } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { generateKey, parseSignerKey, signNote } from '../../../src/sumdb/note.js';
import { createTlogProof } from '../../../src/sumdb/tlog-proof.js';
import { formatCheckpoint } from '../../../src/sumdb/tlog-note.js';
import { SumdbLog } from '../../../src/testing/sumdb-log.js';
import { startEgressProxy, worldTestUrl } from '../../../src/testing/world/egress.js';
import { logOf, recordFor, startFixture, type Fixture } from './helpers.js';
import { capture } from '../../support/streams.js';

let fx: Fixture | undefined;
const temps: string[] = [];
afterEach(async () => {
  await fx?.cleanup();
  fx = undefined;
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function temp(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'modguard-cli-sumdb-'));
  temps.push(d);
  return d;
}

/** lookupArgs is `modguard sumdb lookup TARGET` against the fixture's database and state. */
function lookupArgs(f: Fixture, target: string): string[] {
  const db = `${f.key.verifierKey} ${f.server.url}`;
  return ['sumdb', 'lookup', target, '--sumdb', db, '--state-dir', f.dir];
}

describe('modguard sumdb lookup', () => {
  it('prints the proven lines and the tree size', async () => {
    fx = await startFixture(logOf(300));
    const c = capture();
    const code = await main(lookupArgs(fx, 'example.com/m9@v1.0.9'), c.io);
    expect(c.err()).toBe('');
    expect(code).toBe(0);
    expect(c.out()).toBe(
      `${recordFor(9)}# verified: record 9 in tree of size 300 of sumdb.example.test\n`,
    );
  });

  it('takes the database from GOSUMDB', async () => {
    fx = await startFixture(logOf(10));
    const c = capture({ GOSUMDB: `${fx.key.verifierKey} ${fx.server.url}`, GOPROXY: 'off' });
    expect(
      await main(['sumdb', 'lookup', 'example.com/m3@v1.0.3', '--state-dir', fx.dir], c.io),
    ).toBe(0);
    expect(c.out()).toContain('example.com/m3 v1.0.3/go.mod h1:');
  });

  it('reads the database through the egress proxy of HTTPS_PROXY/HTTP_PROXY', async () => {
    fx = await startFixture(logOf(10));
    const egress = await startEgressProxy();
    try {
      const c = capture({
        GOSUMDB: `${fx.key.verifierKey} ${worldTestUrl(fx.server.url, 'db')}`,
        GOPROXY: 'off',
        HTTPS_PROXY: egress.url,
        HTTP_PROXY: egress.url,
      });
      const args = ['sumdb', 'lookup', 'example.com/m3@v1.0.3', '--state-dir', fx.dir];
      expect(await main(args, c.io)).toBe(0);
      expect(c.out()).toContain('example.com/m3 v1.0.3/go.mod h1:');
      expect(new Set(egress.forwards)).toEqual(
        new Set([`db.world.test:${new URL(fx.server.url).port}`]),
      );
    } finally {
      await egress.stop();
    }
  });

  it('exits 1 with the reason when verification fails', async () => {
    fx = await startFixture(logOf(10));
    fx.server.state.faults.badSignature = true;
    const c = capture();
    const code = await main(lookupArgs(fx, 'example.com/m3@v1.0.3'), c.io);
    expect(code).toBe(1);
    expect(c.out()).toBe('');
    expect(c.err()).toContain('invalid signature for key sumdb.example.test+');
  });

  it('exits 1 naming the stored tree head when it does not verify, and keeps it', async () => {
    fx = await startFixture(logOf(10));
    const args = lookupArgs(fx, 'example.com/m3@v1.0.3');
    expect(await main(args, capture().io)).toBe(0);
    const head = join(fx.dir, 'latest', 'sumdb.example.test');
    const other = parseSignerKey(generateKey('sumdb.example.test').signerKey);
    const text = await readFile(head, 'utf8');
    const forged = signNote(text.slice(0, text.indexOf('\n\n') + 1), [other]);
    await writeFile(head, forged);
    for (let pass = 0; pass < 2; pass++) {
      const c = capture();
      expect(await main(args, c.io)).toBe(1);
      expect(c.out()).toBe('');
      expect(c.err()).toContain(
        `modguard sumdb: the stored tree head ${head} does not verify: note has no verifiable signatures`,
      );
      expect(await readFile(head, 'utf8')).toBe(forged);
    }
  });

  it('never looks up a private module', async () => {
    fx = await startFixture(logOf(10));
    const c = capture({ GOPRIVATE: 'example.com/m3' });
    const args = [
      'sumdb',
      'lookup',
      'example.com/m3@v1.0.3',
      '--sumdb',
      `${fx.key.verifierKey} ${fx.server.url}`,
    ];
    expect(await main([...args, '--state-dir', fx.dir], c.io)).toBe(1);
    expect(fx.server.state.requests).toEqual([]);
  });

  it('exits 2 on bad usage', async () => {
    const c = capture();
    expect(await main(['sumdb', 'lookup', 'no-version'], c.io)).toBe(2);
    expect(await main(['sumdb', 'fetch'], c.io)).toBe(2);
  });
});

describe('modguard proof verify', () => {
  async function writeProof(origin: string | undefined, leafIndex = 5) {
    const key = generateKey('log.example.test');
    const log = new SumdbLog();
    for (let i = 0; i < 40; i++) log.append(`entry ${i}\n`);
    const text = formatCheckpoint({
      origin: origin ?? 'log.example.test',
      n: log.size,
      hash: await log.treeHash(),
      extensions: [],
    });
    const note = signNote(text, [parseSignerKey(key.signerKey)]);
    const proof = await createTlogProof(log.reader, leafIndex, note);
    const dir = await temp();
    await writeFile(join(dir, 'p.tlog-proof'), proof);
    await writeFile(join(dir, 'leaf'), `entry ${leafIndex}\n`);
    await writeFile(join(dir, 'other'), 'entry 6\n');
    return { key, dir, proof };
  }

  it('exits 0 when the checkpoint is signed and the leaf is included', async () => {
    const { key, dir, proof } = await writeProof(undefined);
    expect(proof.startsWith('c2sp.org/tlog-proof@v1\nindex 5\n')).toBe(true);
    const c = capture();
    const code = await main(
      [
        'proof',
        'verify',
        join(dir, 'p.tlog-proof'),
        '--key',
        key.verifierKey,
        '--leaf-file',
        join(dir, 'leaf'),
      ],
      c.io,
    );
    expect(c.err()).toBe('');
    expect(code).toBe(0);
    expect(c.out()).toContain('verified: leaf 5 in tree of size 40 of log.example.test');
  });

  it('exits 1 for another leaf, another key, or a foreign origin', async () => {
    const { key, dir } = await writeProof(undefined);
    const file = join(dir, 'p.tlog-proof');
    const c = capture();
    expect(
      await main(
        ['proof', 'verify', file, '--key', key.verifierKey, '--leaf-file', join(dir, 'other')],
        c.io,
      ),
    ).toBe(1);
    expect(c.err()).toContain('invalid inclusion proof');
    const other = generateKey('log.example.test').verifierKey;
    expect(
      await main(['proof', 'verify', file, '--key', other, '--leaf-file', join(dir, 'leaf')], c.io),
    ).toBe(1);
    const foreign = await writeProof('other.example.test');
    const f2 = join(foreign.dir, 'p.tlog-proof');
    expect(
      await main(
        [
          'proof',
          'verify',
          f2,
          '--key',
          foreign.key.verifierKey,
          '--leaf-file',
          join(foreign.dir, 'leaf'),
        ],
        c.io,
      ),
    ).toBe(1);
    expect(c.err()).toContain('checkpoint origin');
  });

  it('accepts a Go sumdb tree note as the checkpoint', async () => {
    const { key, dir } = await writeProof('go.sum database tree');
    const c = capture();
    expect(
      await main(
        [
          'proof',
          'verify',
          join(dir, 'p.tlog-proof'),
          '--key',
          key.verifierKey,
          '--leaf-file',
          join(dir, 'leaf'),
        ],
        c.io,
      ),
    ).toBe(0);
  });

  it('exits 2 without --key', async () => {
    const c = capture();
    expect(await main(['proof', 'verify', 'x', '--leaf-file', 'y'], c.io)).toBe(2);
  });
});

describe('modguard sumdb lookup, interrupted while it writes the tree head', () => {
  const bin = fileURLToPath(new URL('../../../src/cli/bin.ts', import.meta.url));

  it('finishes the write and ends as the signal would have, leaving no lock (SIGINT, SIGTERM)', async () => {
    fx = await startFixture(logOf(10));
    const f = fx;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      await rm(join(f.dir, 'latest'), { recursive: true, force: true });
      await mkdir(join(f.dir, 'latest'), { recursive: true });
      const child = execa(
        process.execPath,
        ['--import', 'tsx', bin, ...lookupArgs(f, 'example.com/m3@v1.0.3')],
        {
          env: { PATH: process.env['PATH'] ?? '', GOPROXY: 'off' },
          extendEnv: false,
          reject: false,
        },
      );
      const w = watch(join(f.dir, 'latest'), (_event, file) => {
        if (file?.endsWith('.lock') !== true) return;
        w.close();
        child.kill(signal);
      });
      const r = await child.finally(() => w.close());
      expect(r.signal ?? r.exitCode, r.stderr).toBe(signal);
      expect(await readdir(join(f.dir, 'latest'))).toEqual(['sumdb.example.test']);
      expect(await f.latestOnDisk()).toContain('go.sum database tree\n10\n');
    }
  }, 60_000);
});
