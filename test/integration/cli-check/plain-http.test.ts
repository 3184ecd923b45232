import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKey } from '../../../src/sumdb/note.js';
import { goEnvFor, run, Temps } from './helpers.js';

/**
 * MG506 for modguard's own witnesses: the --proxy URLs (or "proxies" of --config) and
 * the --sumdb URL. Every run is --offline with an empty cache, so none of the hosts
 * named here is ever contacted: the lines are inconclusive, the configuration is
 * still reported.
 */
const temps = new Temps();
let home: string;
let dir: string;
let cacheDir: string;
const KEY = generateKey('sum.corp.example').verifierKey;

beforeAll(async () => {
  home = await temps.make();
  dir = await temps.make();
  cacheDir = await temps.make();
  const h1 = `h1:${Buffer.alloc(32, 1).toString('base64')}`;
  await writeFile(join(dir, 'go.mod'), 'module example.test/project\n\ngo 1.21\n');
  await writeFile(join(dir, 'go.sum'), `example.test/m v1.0.0/go.mod ${h1}\n`);
});
afterAll(() => temps.cleanup());

interface Finding {
  code: string;
  title: string;
  detail: string;
}

async function mg506(flags: string[]): Promise<Finding[]> {
  const argv = ['check', '--dir', dir, '--offline', '--cache-dir', cacheDir, '--format', 'json'];
  // GOSUMDB is the default (https): the environment has nothing to report.
  const r = await run([...argv, ...flags], goEnvFor(home, { GOSUMDB: 'sum.golang.org' }));
  expect(r.code, r.err).toBe(1); // the line is inconclusive: nothing was asked
  expect(r.out).not.toMatch(/secret|t0k/);
  const report = JSON.parse(r.out) as { findings: Finding[] };
  return report.findings
    .filter((f) => f.code === 'MG506')
    .map(({ code, title, detail }) => ({ code, title, detail }))
    .sort((a, b) => a.detail.localeCompare(b.detail));
}

const said = (from: string, url: string): Finding => ({
  code: 'MG506',
  title: `plain-http source ${url}`,
  detail: `${from} uses ${url}, a plain-http URL to a host that is not loopback.`,
});

describe('MG506 for the witnesses modguard itself asks', () => {
  it('reports a plain-http --proxy and --sumdb URL, with credentials redacted', async () => {
    const found = await mg506([
      '--proxy',
      'corp=http://u:secret@mirror.corp.example/go?token=t0k',
      '--proxy',
      'https://ok.example',
      '--sumdb',
      `${KEY} http://sumdb.corp.example`,
    ]);
    expect(found).toEqual([
      said('--proxy', 'http://xxxxx@mirror.corp.example/go?xxxxx'),
      said('--sumdb', 'http://sumdb.corp.example/'),
    ]);
  });

  it('names the --config file the URLs came from', async () => {
    const file = join(home, 'team.json');
    await writeFile(
      file,
      JSON.stringify({
        proxies: ['http://mirror.corp.example', 'http://127.0.0.1:1'],
        sumdb: `${KEY} http://sumdb.corp.example`,
      }),
    );
    expect(await mg506(['--config', file])).toEqual([
      said(`"proxies" in --config ${file}`, 'http://mirror.corp.example/'),
      said(`"sumdb" in --config ${file}`, 'http://sumdb.corp.example/'),
    ]);
  });

  it('accepts loopback, https and file URLs, and the defaults', async () => {
    const loopback = [
      ['--proxy', 'http://127.0.0.1:1', '--proxy', 'http://localhost:1/x'],
      ['--sumdb', `${KEY} http://[::1]:1`],
    ].flat();
    expect(await mg506(loopback)).toEqual([]);
    const https = ['--proxy', 'https://a.example', '--proxy', 'file:///srv/mirror'];
    expect(await mg506([...https, '--sumdb', `${KEY} https://sumdb.corp.example`])).toEqual([]);
    expect(await mg506([])).toEqual([]);
  });
});
