/**
 * parseGoProxy against the go command's own GOPROXY parsing (Go 1.19 modfetch/proxy.go):
 * `go mod download` either refuses the list or tries its first entry. Every list here
 * can only reach loopback ports that refuse connections, missing file:// directories or
 * "off", so nothing leaves the machine.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GoError } from '../../../src/go/errors.js';
import { type ProxyEntry, parseGoProxy, redact } from '../../../src/go/goproxy.js';
import { goModuleEnv } from '../../support/go.js';

// Closed loopback ports (1, 9) refuse connections; /nonexistent is a missing file:// proxy.
const LISTS = [
  'proxy',
  'ftp://127.0.0.1',
  'file://127.0.0.1/x',
  'file:relative',
  ',',
  ' , | ',
  '/abs/path',
  'https://a b',
  'http://127.0.0.1:1/%zz',
  '127.0.0.1:1',
  'localhost:9',
  ' localhost:9 , off',
  'http://127.0.0.1:1|off',
  'http://127.0.0.1:1/base/',
  'https://[::1]:9',
  'file:///nonexistent,off',
  'file:/nonexistent|http://127.0.0.1:1',
  'off,http://127.0.0.1:1',
  'off',
  ',,127.0.0.1:1',
  'HTTP://127.0.0.1:1',
  'http://user:pw@127.0.0.1:1',
  '127.0.0.1:1/x?y',
  'file:///x#frag',
  'file:///x?q',
  ':1',
  'https://a{b',
  'http://[::1',
  'http://[::1]x',
  'https://127.0.0.1:1:2',
  'http://127.0.0.1%41:1',
  'http://u%zz@127.0.0.1:1',
  'https:opaque',
  'file:///nonexistent#x%zz',
  'FILE:///nonexistent,off',
  'file://,off',
];

let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modguard-goproxy-'));
  await writeFile(join(dir, 'go.mod'), 'module m\n\ngo 1.19\n');
});

afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

/** goDownloadError runs `go mod download -json` with the given GOPROXY and returns its Error field. */
async function goDownloadError(goproxy: string): Promise<string> {
  const { stdout } = await execa('go', ['mod', 'download', '-json', 'example.com/x@v1.0.0'], {
    cwd: dir,
    extendEnv: false,
    reject: false,
    timeout: 30_000,
    env: goModuleEnv(dir, { GOPROXY: goproxy }),
  });
  const parsed = JSON.parse(stdout) as { Error?: string };
  return parsed.Error ?? '';
}

/** isSafe: only loopback hosts, file:// and off (never direct, never a public host). */
function isSafe(entries: readonly ProxyEntry[]): boolean {
  return entries.every(
    (e) =>
      e.kind === 'off' ||
      /^(https?:\/\/([^@/]*@)?(127\.0\.0\.1|localhost|\[::1\]|)(:|\/|$)|file:)/i.test(e.url ?? ''),
  );
}

describe('when the go command referees parseGoProxy', () => {
  it.each(LISTS)(
    'GOPROXY=%j',
    async (value) => {
      let ours: ProxyEntry[] | GoError;
      try {
        ours = parseGoProxy(value);
      } catch (err) {
        if (!(err instanceof GoError)) throw err;
        ours = err;
      }
      if (!(ours instanceof GoError))
        expect(isSafe(ours), 'test list must stay on loopback').toBe(true);
      const goError = await goDownloadError(value);
      const goRefused =
        /invalid proxy URL|GOPROXY list is not|invalid file:\/\/ proxy URL|parse "|missing protocol scheme/.test(
          goError,
        );
      expect(goRefused, goError).toBe(ours instanceof GoError);
      if (ours instanceof GoError) return;
      const first = ours[0];
      if (first?.kind === 'off') expect(goError).toMatch(/module lookup disabled by GOPROXY=off/);
      else if (first?.url !== undefined && /^https?:/i.test(first.url)) {
        // The first request goes to <base>/example.com/x/@v/v1.0.0.info (proxy.go); Go
        // prints it with the scheme lower-cased, a password redacted, the query moved last.
        const base = redact(first.url)
          .replace(/^HTTP/i, 'http')
          .replace(/\?.*$/, '')
          .replace(/\/$/, '');
        expect(goError).toContain(`${base}/example.com/x/@v/v1.0.0.info`);
      }
    },
    60_000,
  );
});
