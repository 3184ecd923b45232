import { execa } from 'execa';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proxyConfigFromEnv } from '../../../src/go/httpproxy.js';
import type { HttpClient } from '../../../src/proxy/http.js';
import { discoverRepo, discoveryClient } from '../../../src/vcs/discover.js';
import { goEnv } from '../hash/goenv.js';
import {
  readGoImportVectors,
  startVectorProxy,
  type GoImportVector,
  type VectorProxy,
} from '../../integration/vcs/goimport-vectors.js';

// Referee: the go command itself (Debian golang-go 1.19). Each vector's pages are served
// by a loopback HTTP proxy (HTTP_PROXY; CONNECT refused, so with GOINSECURE the go
// command falls back to http, and no name is resolved); `go mod download -x` reports the
// repository it then tries to reach (its cache line `# git3 <url>`, or the `mod` proxy's
// URL) or the discovery error. modguard must reach the same URL or the same error.

let proxy: VectorProxy;
let http: HttpClient;
let work: string;

beforeAll(async () => {
  proxy = await startVectorProxy();
  http = discoveryClient({ egress: proxyConfigFromEnv({ HTTP_PROXY: proxy.url }) });
  work = mkdtempSync(join(tmpdir(), 'modguard-goimport-'));
});
afterAll(async () => {
  await http.close();
  await proxy.stop();
  rmSync(work, { recursive: true, force: true });
});

async function goAnswer(v: GoImportVector): Promise<string> {
  const dir = join(work, v.file);
  mkdirSync(dir, { recursive: true });
  const env = goEnv(dir, {
    GO111MODULE: 'on',
    GOPATH: join(dir, 'gopath'),
    GOPROXY: 'direct',
    GOPRIVATE: '*.test',
    GOINSECURE: '*.test',
    GOFLAGS: '-mod=mod',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    HTTP_PROXY: proxy.url,
    HTTPS_PROXY: proxy.url,
  });
  const r = await execa('go', ['mod', 'download', '-x', '-json', `${v.path}@v1.0.0`], {
    cwd: dir,
    env,
    extendEnv: false,
    reject: false,
  });
  return `${r.stdout}\n${r.stderr}`;
}

describe('when the go command reads the same go-get pages', () => {
  for (const v of readGoImportVectors()) {
    it(
      v.file,
      async () => {
        proxy.current = v;
        // the JSON Error field escapes " < > &; -x shell-quotes the git remote
        const go = (await goAnswer(v))
          .replaceAll('\\"', '"')
          .replaceAll('\\u003c', '<')
          .replaceAll('\\u003e', '>')
          .replaceAll('\\u0026', '&');
        let ours: string;
        try {
          const r = await discoverRepo(v.path, { base: 'http:/', http });
          ours = r.vcs === 'mod' ? r.url : `# ${r.vcs}3 ${r.url}`;
          expect(go).not.toContain('unrecognized import path');
        } catch (err) {
          // Go says http/https fetch where it tried https first; the rest reads the same
          ours = (err as Error).message;
        }
        expect(go).toContain(ours);
      },
      60_000,
    );
  }
});
