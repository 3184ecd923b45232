import { rm } from 'node:fs/promises';
import { bypassesProxy, resolveGoEnv, type GoEnv } from '../go/env.js';
import { proxyConfigFromEnv } from '../go/httpproxy.js';
import { makeTempDir } from '../temp-dirs.js';
import { discoveryClient } from '../vcs/discover.js';
import { SourceChain } from './chain.js';
import { ProxyClient, type ModuleSource } from './client.js';
import { directSource } from './direct.js';
import { ProxyError } from './errors.js';
import { FileTransport, isFileUrl } from './file-transport.js';
import { HttpClient, type HttpOptions, type WebSettings } from './http.js';
import { loadNetrc, type NetrcEntry } from './netrc.js';

/** ChainSetup is a chain built from a Go environment, with the HTTP client it owns. */
export interface ChainSetup {
  readonly env: GoEnv;
  readonly chain: SourceChain;
  readonly http: HttpClient;
  close(): Promise<void>;
}

/** ChainSetupOptions override parts of the environment or inject sources. */
export interface ChainSetupOptions {
  /** a GOPROXY value used instead of the environment's */
  goproxy?: string;
  /** the direct (VCS) fetcher, when the caller has one; overrides `vcs` */
  direct?: ModuleSource;
  /**
   * builds the direct source (src/proxy/direct.ts) when `direct` is not given: bare
   * mirrors in `mirrorDir`, or in a temporary directory removed by close(); go-get
   * discovery at `discoveryBase` (default https:/), with the web settings (.netrc, egress)
   */
  vcs?: { mirrorDir?: string; discoveryBase?: string };
  /** HTTP settings beyond those the environment implies (timeouts, CA, retries) */
  http?: HttpOptions;
  deadlineMs?: number;
}

/**
 * chainFromEnv resolves the module environment as the go command does (src/go/env.ts:
 * GOPROXY, GONOPROXY falling back to GOPRIVATE, GOAUTH), takes its web settings (.netrc
 * unless GOAUTH=off, the egress proxy of HTTPS_PROXY/HTTP_PROXY/NO_PROXY), and builds
 * the source chain with one ProxyClient per GOPROXY URL over one shared HttpClient, and
 * the direct (VCS) source when the caller injects or asks for one (options.vcs).
 */
export async function chainFromEnv(
  processEnv: NodeJS.ProcessEnv,
  options: ChainSetupOptions = {},
): Promise<ChainSetup> {
  const proc =
    options.goproxy === undefined ? processEnv : { ...processEnv, GOPROXY: options.goproxy };
  const env = resolveGoEnv({ process: proc });
  const httpOptions = { ...(await webSettings(env, processEnv)), ...options.http };
  const http = new HttpClient(httpOptions);
  const clients = new Map<string, ModuleSource>();
  const vcs = await directFor(options, httpOptions);
  const chain = new SourceChain({
    entries: env.proxy,
    proxyFor: (url) => clientFor(clients, url, http),
    ...(vcs.direct === undefined ? {} : { direct: vcs.direct }),
    bypassesProxy: (path) => bypassesProxy(env, path),
    ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
  });
  const close = async () => {
    try {
      await http.close();
    } finally {
      await vcs.cleanup();
    }
  };
  return { env, chain, http, close };
}

/**
 * directFor picks the injected direct source, or builds one from options.vcs (with its
 * cleanup) whose go-get discovery uses the web settings the proxies' reads do.
 */
async function directFor(
  options: ChainSetupOptions,
  web: HttpOptions,
): Promise<{ direct?: ModuleSource; cleanup: () => Promise<void> }> {
  const none = async () => {};
  if (options.direct !== undefined) return { direct: options.direct, cleanup: none };
  if (options.vcs === undefined) return { cleanup: none };
  const { mirrorDir, discoveryBase } = options.vcs;
  const { netrc, egress, ca } = web;
  const http = discoveryClient({
    ...(netrc === undefined ? {} : { netrc }),
    ...(egress === undefined ? {} : { egress }),
    ...(ca === undefined ? {} : { ca }),
  });
  const base = { ...(discoveryBase === undefined ? {} : { discoveryBase }), http };
  if (mirrorDir !== undefined)
    return { direct: directSource({ mirrorDir, ...base }), cleanup: () => http.close() };
  const dir = await makeTempDir('modguard-vcs-');
  return {
    direct: directSource({ mirrorDir: dir, ...base }),
    cleanup: async () => {
      try {
        await http.close();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

function clientFor(cache: Map<string, ModuleSource>, url: string, http: HttpClient): ModuleSource {
  let client = cache.get(url);
  if (client === undefined) {
    client = new ProxyClient(url, isFileUrl(url) ? new FileTransport() : http);
    cache.set(url, client);
  }
  return client;
}

/**
 * webSettings are the go command's web settings for this environment: the credentials GOAUTH
 * allows and the egress proxy environment as net/http reads it (src/go/httpproxy.ts:
 * HTTPS_PROXY, HTTP_PROXY, NO_PROXY, upper case first). Every HTTP client of a command is
 * built from them, so the GOPROXY and checksum database reads of one run send the same
 * credentials through the same egress, which go-get discovery goes through too, as with
 * the go command's one web client (G/web/http.go).
 */
export async function webSettings(env: GoEnv, processEnv: NodeJS.ProcessEnv): Promise<WebSettings> {
  return { netrc: await credentials(env, processEnv), egress: proxyConfigFromEnv(processEnv) };
}

/**
 * credentials applies GOAUTH: `netrc` (the default) reads .netrc, `off` sends none;
 * `git` and `command` are refused (AUTH_UNSUPPORTED) rather than silently ignored.
 */
export async function credentials(
  env: GoEnv,
  processEnv: NodeJS.ProcessEnv,
): Promise<NetrcEntry[]> {
  if (env.auth.some((a) => a.kind === 'off')) return [];
  const other = env.auth.find((a) => a.kind === 'git' || a.kind === 'command');
  if (other !== undefined) {
    throw new ProxyError(
      'AUTH_UNSUPPORTED',
      `GOAUTH mode "${other.kind}" is not supported by modguard; use netrc or off`,
    );
  }
  return loadNetrc(processEnv);
}
