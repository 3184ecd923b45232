import { STATUS_CODES } from 'node:http';
import {
  matchGoImport,
  parseMetaGoImports,
  type MetaImport,
  type MetaImports,
} from '../go/goimport.js';
import { XmlError, echo } from '../go/xmltoken.js';
import { ProxyError } from '../proxy/errors.js';
import { HttpClient, type HttpOptions, type Transport, type WebSettings } from '../proxy/http.js';
import { GitError } from './git.js';

/**
 * RepoRoot is a go-import answer: the repository root's import path, its VCS (`mod` when
 * the go command would fetch the module from the module proxy at `url` instead) and URL.
 */
export interface RepoRoot {
  readonly root: string;
  readonly vcs: string;
  readonly url: string;
}

/** DiscoveryOptions: where to ask, and the web client to ask with. */
export interface DiscoveryOptions {
  /** default `https:/`; a loopback base serves tests and the demo world */
  readonly base?: string | undefined;
  /**
   * the command's web client for discovery, which its caller owns and closes: an
   * HttpClient with the command's web settings (src/proxy/config.ts webSettings) and no
   * retries, as web.Get makes none (discoveryClient); by default one with no settings
   */
  readonly http?: Transport | undefined;
}

/** MAX_PAGE caps a go-get page; Go reads it whole, modguard refuses a bigger one (TOO_LARGE). */
const MAX_PAGE = 1 << 20;
const SOURCE = 'go-get discovery';
/** the VCS names G/vcs/vcs.go vcsList knows, besides `mod` */
const KNOWN_VCS = new Set(['hg', 'git', 'svn', 'bzr', 'fossil']);

/**
 * discoverRepo finds a module's repository as the go command does for GOPROXY=direct
 * (G/vcs/vcs.go repoRootForImportDynamic, go.dev/ref/mod#vcs-find): a GET of
 * `<base>/<module path>?go-get=1` (base `https:/` by default) with the go command's web
 * client (src/proxy/http.ts: .netrc over https, redirects as G/web/http.go allows them,
 * the egress proxy), whatever its status; the go-import entries of the page's head
 * (src/go/goimport.ts, `mod` entries preferred); the one that matches; and, when its root
 * is a proper prefix of the module path, the same entry from the root's own page. Errors
 * read as the go command's do ("unrecognized import path …"); the page is
 * attacker-controlled and only bounded parts of it reach an error.
 */
export async function discoverRepo(
  modulePath: string,
  options: DiscoveryOptions = {},
): Promise<RepoRoot> {
  const fail: Fail = (msg, code = 'NO_REPOSITORY', cause) =>
    new GitError(code, `unrecognized import path ${JSON.stringify(modulePath)}: ${msg}`, {
      cause,
    });
  const url = pageUrl(modulePath, options, fail);
  const page = await fetchPage(url, options, (why, cause) =>
    fail(`https fetch: ${why}`, 'GIT_FAILED', cause),
  );
  const { imports, error } = parsePage(page, fail);
  if (imports.length === 0 && page.status !== 200) throw fail(statusError(url, page.status));
  if (error !== undefined) throw fail(`parsing ${modulePath}: ${error}`);
  const m = matchGoImport(imports, modulePath);
  if (m.kind === 'mismatch') throw fail(`parse ${url}: no go-import meta tags (${m.message})`);
  if (m.kind === 'multiple') throw fail(`parse ${schemeless(url)}: ${m.message}`);
  const found = m.match;
  if (found.prefix !== modulePath) await verifyPrefix(found, modulePath, url, options, fail);
  const bad = invalidRepoRoot(found.repoRoot);
  if (bad !== undefined) throw fail(`${url}: invalid repo root ${echo(found.repoRoot)}: ${bad}`);
  if (found.vcs !== 'mod' && !KNOWN_VCS.has(found.vcs))
    throw fail(`${url}: unknown vcs ${echo(found.vcs)}`);
  return { root: found.prefix, vcs: found.vcs, url: found.repoRoot };
}

type Fail = (msg: string, code?: 'NO_REPOSITORY' | 'GIT_FAILED', cause?: unknown) => GitError;

/**
 * verifyPrefix asks the matched root's own page (G/vcs/vcs.go metaImportsForPrefix): a
 * page that answers for a longer path cannot claim a shorter one unless the root's page
 * gives, for the same module path, the very same entry.
 */
async function verifyPrefix(
  found: MetaImport,
  modulePath: string,
  firstUrl: string,
  options: DiscoveryOptions,
  fail: Fail,
): Promise<void> {
  const url = pageUrl(found.prefix, options, fail);
  const fetching = `fetching ${found.prefix}`;
  const page = await fetchPage(url, options, (why, cause) =>
    fail(`${fetching}: ${why}`, 'GIT_FAILED', cause),
  );
  const { imports, error } = parsePage(page, fail);
  if (imports.length === 0 && page.status !== 200) throw fail(statusError(url, page.status));
  if (error !== undefined) throw fail(`parsing ${url}: ${error}`);
  if (imports.length === 0) throw fail(`${fetching}: no go-import meta tag found in ${url}`);
  const again = matchGoImport(imports, modulePath);
  if (again.kind !== 'match' || !sameImport(again.match, found)) {
    // the prefix is a path prefix of the module path: no longer than what we asked for
    throw fail(`${firstUrl} and ${schemeless(url)} disagree about go-import for ${found.prefix}`);
  }
}

/** pageUrl is `<base>/<path>?go-get=1`, the path's first element a host (vcs.go urlForImportPath). */
function pageUrl(path: string, options: DiscoveryOptions, fail: Fail): string {
  const slash = path.indexOf('/');
  const host = slash < 0 ? path : path.slice(0, slash);
  if (!host.includes('.')) throw fail('import path does not begin with hostname');
  const base = (options.base ?? 'https:/').replace(/\/+$/, '');
  try {
    return new URL(`${base}/${slash < 0 ? `${path}/` : path}?go-get=1`).href;
  } catch {
    throw fail(`invalid go-get URL for ${path} under ${echo(base)}`);
  }
}

interface Page {
  readonly status: number;
  readonly body: Buffer;
}

async function fetchPage(
  url: string,
  options: DiscoveryOptions,
  fail: (why: string, cause: unknown) => GitError,
): Promise<Page> {
  try {
    const got = await (options.http ?? defaultClient()).get(new URL(url), {
      source: SOURCE,
      maxBytes: MAX_PAGE,
      anyStatus: true,
    });
    if (got.kind !== 'buffer') throw new Error('page not read into memory');
    return { status: got.status ?? 200, body: got.body };
  } catch (err) {
    // an egress proxy modguard cannot use stays what it is; anything else failed the fetch
    if (err instanceof ProxyError && err.code.startsWith('EGRESS_')) throw err;
    throw fail(err instanceof Error ? err.message : String(err), err);
  }
}

function parsePage(page: Page, fail: Fail): MetaImports {
  try {
    return parseMetaGoImports(page.body, 'preferMod');
  } catch (err) {
    if (!(err instanceof XmlError)) throw err;
    throw fail(err.message, 'GIT_FAILED');
  }
}

/** statusError is web.HTTPError's text without the body's detail: `reading <url>: 404 Not Found`. */
function statusError(url: string, status: number): string {
  return `reading ${url}: ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd();
}

/**
 * invalidRepoRoot is why vcs.go validateRepoRoot refuses a repository URL: net/url's
 * control-character and scheme rules (getScheme), no scheme, or file://; undefined if none.
 */
function invalidRepoRoot(repoRoot: string): string | undefined {
  const parse = `parse ${echo(repoRoot)}`;
  const control = [...repoRoot].some((c) => c < ' ' || c === '\x7f');
  if (control) return `${parse}: net/url: invalid control character in URL`;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(repoRoot)?.[1];
  if (repoRoot.startsWith(':')) return `${parse}: missing protocol scheme`;
  if (scheme === undefined) return 'no scheme';
  if (scheme.toLowerCase() === 'file') return 'file scheme disallowed';
  return undefined;
}

function sameImport(a: MetaImport, b: MetaImport): boolean {
  return a.prefix === b.prefix && a.vcs === b.vcs && a.repoRoot === b.repoRoot;
}

function schemeless(url: string): string {
  return url.replace(/^[a-z]+:/, '');
}

let plain: HttpClient | undefined;

/**
 * discoveryClient is a web client for go-get discovery with the command's web settings:
 * no retries, as web.Get makes none. Its caller closes it with the command.
 */
export function discoveryClient(web: WebSettings & Pick<HttpOptions, 'ca'> = {}): HttpClient {
  return new HttpClient({ ...web, retries: 0 });
}

/** defaultClient is the discovery client of callers that pass none: no web settings, kept for the process. */
function defaultClient(): HttpClient {
  return (plain ??= discoveryClient());
}
