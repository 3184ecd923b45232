import type { HttpProxyConfig } from '../go/httpproxy.js';
import { EgressRouter } from '../proxy/egress.js';
import { ProxyError } from '../proxy/errors.js';
import { GitError } from './git.js';

/** RepoRoot is a go-import answer: the repository root's import path, its VCS and URL. */
export interface RepoRoot {
  readonly root: string;
  readonly vcs: string;
  readonly url: string;
}

const MAX_PAGE = 1 << 20;
const META = /<meta\s+([^>]*)>/gi;
const ATTR = /([a-zA-Z-]+)\s*=\s*("([^"]*)"|'([^']*)')/g;

/**
 * parseGoImport reads the `<meta name="go-import" content="root vcs url">` tags of a
 * `?go-get=1` page (go.dev/ref/mod#vcs-find) and returns the one whose root is the
 * module path or a path-prefix of it. Several matching roots, or none, are errors, as
 * in cmd/go (G/vcs/vcs.go matchGoImport). `mod` entries (a module proxy) are skipped:
 * the git witness wants the repository. The page is attacker-controlled text.
 */
export function parseGoImport(page: string, modulePath: string): RepoRoot {
  const found: RepoRoot[] = [];
  for (const tag of page.matchAll(META)) {
    const attrs = new Map<string, string>();
    for (const a of (tag[1] ?? '').matchAll(ATTR)) {
      attrs.set((a[1] ?? '').toLowerCase(), a[3] ?? a[4] ?? '');
    }
    if (attrs.get('name') !== 'go-import') continue;
    const [root, vcs, url, extra] = (attrs.get('content') ?? '').trim().split(/\s+/);
    if (root === undefined || vcs === undefined || url === undefined || extra !== undefined)
      continue;
    if (vcs === 'mod') continue;
    if (modulePath === root || modulePath.startsWith(`${root}/`)) found.push({ root, vcs, url });
  }
  if (found.length === 1 && found[0] !== undefined) return found[0];
  const why =
    found.length === 0 ? 'no go-import meta tag matches' : 'several go-import meta tags match';
  throw new GitError('NO_REPOSITORY', `${modulePath}: ${why}`);
}

/** DiscoveryOptions: where to ask, how long to wait, and through which egress proxy. */
export interface DiscoveryOptions {
  /** default `https:/`; a loopback base serves tests and the demo world */
  readonly base?: string | undefined;
  readonly timeoutMs?: number;
  /** the egress proxy environment of the command's web settings; none by default */
  readonly egress?: HttpProxyConfig | undefined;
}

/**
 * discoverRepo asks `<base>/<module path>?go-get=1` for the go-import answer; `base`
 * defaults to `https:/` (so the URL is https://<module path>?go-get=1, as the go
 * command asks), through the egress proxy the go command's web client would use for it
 * (src/proxy/egress.ts).
 */
export async function discoverRepo(
  modulePath: string,
  options: DiscoveryOptions = {},
): Promise<RepoRoot> {
  const base = (options.base ?? 'https:/').replace(/\/+$/, '');
  const url = `${base}/${modulePath}?go-get=1`;
  const timeout = options.timeoutMs ?? 30_000;
  let page: string;
  try {
    const u = new URL(url);
    const res = await discoveryRouter(options.egress)
      .dispatcherFor(u, SOURCE)
      .request({
        origin: u.origin,
        path: u.pathname + u.search,
        method: 'GET',
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
    if (res.statusCode !== 200) {
      await res.body.dump();
      throw new GitError('NO_REPOSITORY', `${url}: HTTP ${res.statusCode}`);
    }
    page = await readCapped(res.body, url);
  } catch (err) {
    if (err instanceof GitError || err instanceof ProxyError) throw err;
    const why = err instanceof Error ? err.message : String(err);
    throw new GitError('GIT_FAILED', `${url}: ${why}`, { cause: err });
  }
  return parseGoImport(page, modulePath);
}

const SOURCE = 'go-get discovery';
let direct: EgressRouter | undefined;
const routers = new WeakMap<HttpProxyConfig, EgressRouter>();

/**
 * discoveryRouter holds the connection pools of go-get discovery for one egress
 * environment, made on first use and kept as long as that environment is (undici's global
 * dispatcher kept them for the process before).
 */
function discoveryRouter(egress: HttpProxyConfig | undefined): EgressRouter {
  if (egress === undefined) return (direct ??= new EgressRouter(undefined));
  let router = routers.get(egress);
  if (router === undefined) {
    router = new EgressRouter(egress);
    routers.set(egress, router);
  }
  return router;
}

async function readCapped(body: AsyncIterable<Buffer>, url: string): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_PAGE)
      throw new GitError('NO_REPOSITORY', `${url}: go-get page over ${MAX_PAGE} bytes`);
    parts.push(chunk);
  }
  return Buffer.concat(parts).toString('utf8');
}
