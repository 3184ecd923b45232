import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_PROXIES,
  parseCheckOptions,
  splitProxyArg,
} from '../../../src/cli/check/options.js';
import { proxyName } from '../../../src/cli/check/options.js';
import { UsageError } from '../../../src/errors.js';
import { generateKey } from '../../../src/sumdb/note.js';
import { Temps } from './helpers.js';

const temps = new Temps();
let dir: string;
beforeAll(async () => {
  dir = await temps.make();
});
afterAll(() => temps.cleanup());

const KEY = generateKey('sum.world.test').verifierKey;

async function config(value: unknown): Promise<string> {
  const file = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

async function refused(args: string[], message: RegExp): Promise<void> {
  const err = await parseCheckOptions(args).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, args.join(' ')).toBeInstanceOf(UsageError);
  expect((err as Error).message).toMatch(message);
}

describe('parseCheckOptions', () => {
  it('defaults: ., proxy.golang.org and goproxy.cn, text, --fail-on error, the default cache', async () => {
    const o = await parseCheckOptions([]);
    expect(o).toEqual({
      dir: '.',
      recursive: false,
      proxies: ['https://proxy.golang.org', 'https://goproxy.cn'],
      direct: false,
      format: 'text',
      failOn: 'error',
      allowInconclusive: false,
      noCache: false,
      offline: false,
      concurrency: 16,
      timeoutMs: 300_000,
    });
    expect(DEFAULT_PROXIES).toEqual(['https://proxy.golang.org', 'https://goproxy.cn']);
  });

  it('takes --proxy twice, in order, instead of the defaults', async () => {
    const o = await parseCheckOptions(['--proxy', 'http://127.0.0.1:1/a', '--proxy', 'file:///m']);
    expect(o.proxies).toEqual(['http://127.0.0.1:1/a', 'file:///m']);
  });

  it('reads proxies, sumdb, failOn and direct from --config; flags win', async () => {
    const file = await config({
      proxies: ['http://127.0.0.1:1', 'http://127.0.0.1:2'],
      sumdb: 'off',
      failOn: 'warning',
      direct: true,
    });
    const o = await parseCheckOptions(['--config', file]);
    expect(o).toMatchObject({
      proxies: ['http://127.0.0.1:1', 'http://127.0.0.1:2'],
      sumdb: 'off',
      failOn: 'warning',
      direct: true,
    });
    const flags = ['--config', file, '--proxy', 'http://127.0.0.1:3', '--fail-on', 'notice'];
    expect(await parseCheckOptions(flags)).toMatchObject({
      proxies: ['http://127.0.0.1:3'],
      failOn: 'notice',
    });
  });

  it('refuses a config file with an unknown key, a wrong type or bad JSON', async () => {
    await refused(['--config', await config({ proxy: ['x'] })], /unknown key "proxy"/);
    await refused(['--config', await config({ proxies: 'http://a' })], /"proxies" must be a list/);
    await refused(['--config', await config({ direct: 'yes' })], /"direct" must be true or false/);
    await refused(
      ['--config', await config({ failOn: 'never' })],
      /^--config .*\.json: "failOn": --fail-on must be one of/,
    );
    await refused(
      ['--config', await config({ sumdb: 'not a+key' })],
      /^--config .*\.json: "sumdb": --sumdb "not a\+key"/,
    );
    await refused(
      ['--config', await config({ proxies: ['ftp://x'] })],
      /^--config .*\.json: "proxies": .*only http, https and file/,
    );
    await refused(
      ['--config', await config('{\n  "direct": true,\n}')],
      /^--config .*\.json:3:1: /,
    );
    await refused(['--config', await config('[1]')], /expected a JSON object/);
    await refused(['--config', await config('{')], /--config .*JSON/);
    await refused(['--config', join(dir, 'missing.json')], /--config .*ENOENT/);
    await refused(
      ['--config', await config({ proxies: [] })],
      /^--config .*\.json: "proxies": at least one --proxy/,
    );
  });

  it('takes --sumdb off or "name+key url" and refuses what GOSUMDB would refuse', async () => {
    expect((await parseCheckOptions(['--sumdb', 'off'])).sumdb).toBe('off');
    const value = `${KEY} http://127.0.0.1:9`;
    expect((await parseCheckOptions(['--sumdb', value])).sumdb).toBe(value);
    await refused(['--sumdb', 'not a+key'], /--sumdb "not a\+key"/);
    await refused(['--sumdb', `${KEY} http://a http://b`], /too many fields/);
  });

  it('refuses bad values and contradictions as usage', async () => {
    await refused(['--format', 'yaml'], /--format must be one of text, json, sarif/);
    await refused(['--fail-on', 'fatal'], /--fail-on must be one of error, warning, notice/);
    await refused(['--no-cache', '--cache-dir', dir], /exclude each other/);
    await refused(['--offline', '--no-cache'], /cannot go with --no-cache/);
    await refused(['--proxy', 'ftp://x'], /only http, https and file/);
    await refused(['--proxy', 'not a url'], /is not a URL/);
    await refused(['--concurrency', '0'], /--concurrency takes a whole number/);
    await refused(['--timeout', '1.5'], /--timeout takes a whole number/);
    await refused(['--bogus'], /Unknown option '--bogus'/);
    await refused(['stray'], /expected 0 argument/);
    await refused(['--output', ''], /--output needs a file name/);
    await refused(['--output', dir], /is a directory, not a file/);
    // An empty --cache-dir (a CI variable that is not set) would cache in the current folder.
    await refused(['--cache-dir', ''], /--cache-dir needs a folder name/);
  });
});

describe('--proxy NAME=URL', () => {
  it('names a proxy witness for reports; a bare URL is named by its host', () => {
    expect(splitProxyArg('corp=https://goproxy.corp.test/base')).toEqual({
      name: 'corp',
      url: 'https://goproxy.corp.test/base',
    });
    expect(splitProxyArg('proxy A=http://127.0.0.1:8080')).toEqual({
      name: 'proxy A',
      url: 'http://127.0.0.1:8080',
    });
    expect(splitProxyArg('https://proxy.test/?a=b')).toEqual({ url: 'https://proxy.test/?a=b' });
    expect(proxyName('https://proxy.test/sub/')).toBe('proxy.test/sub');
  });

  it('refuses one proxy given twice, however spelled: one server is one witness', async () => {
    const twice: [string, string][] = [
      ['https://proxy.test', 'https://proxy.test'],
      ['https://proxy.test/', 'https://Proxy.TEST:443'],
      ['http://127.0.0.1:80/base//', 'http://127.0.0.1/base'],
      ['a=https://proxy.test/sub', 'b=https://me:tok@proxy.test/sub/'],
      ['file:///srv/mods/', 'file:///srv/mods'],
    ];
    for (const [first, second] of twice) {
      const err = await parseCheckOptions(['--proxy', first, '--proxy', second]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, `${first} ${second}`).toBeInstanceOf(UsageError);
      const message = (err as Error).message;
      expect(message).toContain('are the same proxy');
      expect(message).toContain(JSON.stringify(first));
      expect(message).toContain(JSON.stringify(second.replace('me:tok@', 'xxxxx@')));
      expect(message).not.toContain('tok@');
    }
    const file = await config({ proxies: ['https://proxy.test', 'https://proxy.test/'] });
    await refused(['--config', file], /^--config .*\.json: "proxies": .*are the same proxy/);
  });

  it('takes proxies that differ in scheme, port, path or query as different servers', async () => {
    const apart = [
      'https://proxy.test',
      'plain=http://proxy.test', // named: by default both would be the witness "proxy.test"
      'https://proxy.test:8443',
      'https://proxy.test/other',
      'https://proxy.test/?mirror=b',
    ];
    const o = await parseCheckOptions(apart.flatMap((p) => ['--proxy', p]));
    expect(o.proxies).toEqual(apart);
  });

  it('refuses two proxies that would be one witness name: reports and the cache name witnesses', async () => {
    const pairs: [string, string, string][] = [
      ['https://proxy.test/', 'http://proxy.test', 'proxy.test'],
      ['corp=https://a.test', 'corp=https://b.test', 'corp'],
      ['b.test=https://a.test', 'https://b.test', 'b.test'],
    ];
    for (const [first, second, name] of pairs) {
      await refused(
        ['--proxy', first, '--proxy', second],
        new RegExp(`would both be the witness "${name.replace('.', '\\.')}": name them apart`),
      );
    }
    const ok = await parseCheckOptions([
      '--proxy',
      'https://proxy.test',
      '--proxy',
      'plain=http://proxy.test',
    ]);
    expect(ok.proxies).toHaveLength(2);
  });

  it('checks the URL after the name, and refuses a name without a URL', async () => {
    const ok = await parseCheckOptions(['--proxy', 'a=https://a.test', '--proxy', 'b=file:///p']);
    expect(ok.proxies).toEqual(['a=https://a.test', 'b=file:///p']);
    await refused(['--proxy', 'a=ftp://a.test'], /only http, https and file URLs/);
    await refused(['--proxy', 'a=not a url'], /is not a URL/);
  });
});
