import { ModguardError, errorMessage } from '../errors.js';
import { proxyConfigFromEnv } from '../go/httpproxy.js';
import { EgressRouter } from '../proxy/egress.js';
import { defaultTimeouts } from '../proxy/http.js';
import type { Dispatcher } from '../proxy/undici.js';
import { sleep } from '../proxy/retry.js';
import { clean } from '../report/text.js';
import { DEFAULT_RETRY_POLICY, retryDelay, serverWait, type RetryPolicy } from './retry.js';

/**
 * GitHubApiErrorCode names every way a call to the GitHub API can fail.
 *
 *   HTTP_STATUS   an answer other than success: 403 (the token may not), 404, 422, 5xx…
 *   RATE_LIMITED  403 or 429 with the rate limit spent (x-ratelimit-remaining: 0 or
 *                 retry-after: docs.github.com "Rate limits for the REST API")
 *   NETWORK       no answer: connection refused or reset, DNS, TLS, a timeout
 *   BAD_RESPONSE  an answer that is not what the call returns (not JSON, too large, a
 *                 GraphQL error, a next page on another server)
 */
export type GitHubApiErrorCode = 'HTTP_STATUS' | 'RATE_LIMITED' | 'NETWORK' | 'BAD_RESPONSE';

/** GitHubApiError is a GitHub API call that failed; its message names the call, never the token. */
export class GitHubApiError extends ModguardError {
  declare readonly code: GitHubApiErrorCode;
  /** the HTTP status of the answer, when there was one */
  readonly status: number | undefined;
  /** the wait the answer asked for before another request (serverWait), when it did */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: GitHubApiErrorCode,
    message: string,
    details: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(code, 'unavailable', message, { cause: details.cause });
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** Repository is a repository on GitHub, as GITHUB_REPOSITORY names it (`owner/repo`). */
export interface Repository {
  readonly owner: string;
  readonly repo: string;
}

/**
 * IssueComment is what modguard reads of an issue or pull-request comment. Anyone who can
 * comment writes the body: it is compared, never trusted.
 */
export interface IssueComment {
  readonly id: number;
  readonly body: string;
  /** the author's user id and login; undefined for a deleted account */
  readonly authorId: number | undefined;
  readonly authorLogin: string | undefined;
  /** the comment's page, for the log; empty when the answer gave none that is a URL */
  readonly url: string;
}

/**
 * IssueComments is the part of the GitHub API the sticky comment uses: the comments of one
 * issue (a pull request is an issue), and who the token is.
 */
export interface IssueComments {
  /** list yields the issue's comments page by page, oldest first */
  list(issue: number): AsyncIterable<readonly IssueComment[]>;
  create(issue: number, body: string): Promise<IssueComment>;
  update(id: number, body: string): Promise<IssueComment>;
  /** viewer is the token's user (for GITHUB_TOKEN, github-actions[bot]) */
  viewer(): Promise<Viewer>;
  /**
   * backoff waits as the retry policy says after the `failures`-th failure of a call,
   * err, and says whether to try again: false at once for a failure not worth another
   * try, and when the deadline passes. list, update and viewer try again themselves;
   * create never does, as a POST that failed on the way back may have been made.
   */
  backoff(err: unknown, failures: number): Promise<boolean>;
}

/**
 * Viewer is the token's user as GraphQL names it: its login (`github-actions[bot]` for
 * GITHUB_TOKEN) and, when the answer gives one, its database id (the REST `user.id`).
 */
export interface Viewer {
  readonly login: string;
  readonly id: number | undefined;
}

/** GitHubApiOptions: where the API is, whose it is, and how long the calls may take. */
export interface GitHubApiOptions {
  /** the REST API's base URL (GITHUB_API_URL: https://api.github.com, https://HOST/api/v3) */
  readonly baseUrl: URL;
  readonly token: string;
  readonly repository: Repository;
  /** the process environment, for an egress proxy (HTTPS_PROXY, NO_PROXY) */
  readonly env: NodeJS.ProcessEnv;
  /** aborts every call and every wait: the comment's deadline */
  readonly signal?: AbortSignal;
  /** how failed calls are tried again; DEFAULT_RETRY_POLICY by default */
  readonly retry?: RetryPolicy;
  /** log says that a call is tried again, and why (a line for the step's log) */
  readonly log?: (line: string) => void;
}

/** PAGE_SIZE is per_page for lists: the most GitHub gives. */
const PAGE_SIZE = 100;
/** MAX_PAGES bounds a list: 100 pages of 100 comments. */
const MAX_PAGES = 100;
/** MAX_BYTES bounds an answer: a page of 100 comments of 65,536 characters, escaped as JSON. */
const MAX_BYTES = 64 << 20;

/**
 * GitHubApi calls the GitHub REST API (and GraphQL's `viewer`, the one way every kind of
 * token can learn its own user: GET /user refuses installation tokens such as
 * GITHUB_TOKEN) over undici, with the token as a Bearer credential, sent only to the API's
 * own origin: a next-page link elsewhere is refused, and redirects are not followed.
 * Calls safe to repeat are tried again after a failure of the moment (retryDelay); the
 * POST that creates a comment never is (backoff leaves that to the caller).
 */
export class GitHubApi implements IssueComments {
  private readonly router: EgressRouter;

  constructor(private readonly options: GitHubApiOptions) {
    const { connectMs, headersMs, bodyMs } = defaultTimeouts;
    this.router = new EgressRouter(proxyConfigFromEnv(options.env), {
      connectMs,
      headersMs,
      bodyMs,
    });
  }

  /** close ends the connections; the client is unusable afterwards. */
  async close(): Promise<void> {
    await this.router.destroy();
  }

  async *list(issue: number): AsyncIterable<readonly IssueComment[]> {
    const what = `listing the comments of pull request #${issue}`;
    let url: URL | undefined = this.url(`${this.repoPath()}/issues/${issue}/comments`);
    url.search = `?per_page=${PAGE_SIZE}`;
    for (let page = 1; url !== undefined; page++) {
      if (page > MAX_PAGES) {
        throw new GitHubApiError('BAD_RESPONSE', `${what}: more than ${MAX_PAGES} pages`);
      }
      const { json, link } = await this.call('GET', url, undefined, what);
      if (!Array.isArray(json)) throw badResponse(what, 'not a list');
      yield json.map((c: unknown) => parseComment(c, what));
      url = this.nextPage(link, what);
    }
  }

  async create(issue: number, body: string): Promise<IssueComment> {
    const what = `commenting on pull request #${issue}`;
    const url = this.url(`${this.repoPath()}/issues/${issue}/comments`);
    return parseComment((await this.callOnce('POST', url, { body }, what)).json, what);
  }

  async update(id: number, body: string): Promise<IssueComment> {
    const what = `updating comment ${id}`;
    const url = this.url(`${this.repoPath()}/issues/comments/${id}`);
    return parseComment((await this.call('PATCH', url, { body }, what)).json, what);
  }

  async viewer(): Promise<Viewer> {
    const what = 'asking the API whose token this is (GraphQL viewer)';
    const query = { query: 'query { viewer { login databaseId } }' };
    const { json } = await this.call('POST', graphqlUrl(this.options.baseUrl), query, what);
    const viewer = field(field(json, 'data'), 'viewer');
    const login = field(viewer, 'login');
    const id = field(viewer, 'databaseId');
    if (typeof login !== 'string' || login === '') {
      throw badResponse(what, graphqlErrors(json) ?? 'no viewer.login');
    }
    return { login, id: isId(id) ? id : undefined };
  }

  private repoPath(): string {
    const { owner, repo } = this.options.repository;
    return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
  }

  /** url is path below the API's base URL (which may have a path itself: /api/v3). */
  private url(path: string): URL {
    const base = this.options.baseUrl;
    return new URL(`${base.origin}${base.pathname.replace(/\/+$/, '')}${path}`);
  }

  /**
   * nextPage is the Link header's rel="next" (docs.github.com "Using pagination in the
   * REST API"), which GitHub may spell with another path (/repositories/ID/…). The server
   * wrote it: it is followed only below the API's base URL, where the token may go.
   */
  private nextPage(link: string, what: string): URL | undefined {
    const next = /<([^<>]*)>[^,]*;\s*rel="?next"?\s*(?:[;,]|$)/.exec(link)?.[1];
    if (next === undefined) return undefined;
    let url: URL;
    try {
      url = new URL(next, this.options.baseUrl);
    } catch {
      throw badResponse(what, 'a next-page link that is not a URL');
    }
    const base = this.url('/');
    if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) {
      throw badResponse(what, 'a next-page link outside the API');
    }
    return url;
  }

  async backoff(err: unknown, failures: number): Promise<boolean> {
    const signal = this.options.signal;
    if (!(err instanceof GitHubApiError) || signal?.aborted) return false;
    const wait = retryDelay(err, failures, this.options.retry ?? DEFAULT_RETRY_POLICY);
    if (wait === undefined) return false;
    this.options.log?.(`modguard: ${err.message}; trying again in ${(wait / 1000).toFixed(1)}s`);
    await sleep(wait, signal);
    return signal?.aborted !== true;
  }

  /**
   * call makes a request that is safe to repeat (a GET, a PATCH of a comment, GraphQL's
   * viewer query), trying it again as backoff says, and returns its JSON answer and Link
   * header, or throws the last failure.
   */
  private async call(
    method: 'GET' | 'POST' | 'PATCH',
    url: URL,
    body: object | undefined,
    what: string,
  ): Promise<{ json: unknown; link: string }> {
    for (let failures = 1; ; failures++) {
      try {
        return await this.callOnce(method, url, body, what);
      } catch (err) {
        if (!(await this.backoff(err, failures))) throw err;
      }
    }
  }

  /** callOnce makes one request and returns its JSON answer and Link header, or throws. */
  private async callOnce(
    method: 'GET' | 'POST' | 'PATCH',
    url: URL,
    body: object | undefined,
    what: string,
  ): Promise<{ json: unknown; link: string }> {
    let res: Dispatcher.ResponseData;
    let text: string;
    try {
      res = await this.router.dispatcherFor(url, 'the GitHub API').request({
        origin: url.origin,
        path: url.pathname + url.search,
        method,
        headers: this.headers(body !== undefined),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: this.options.signal,
      });
      text = await readText(res.body, what);
    } catch (err) {
      if (err instanceof GitHubApiError) throw err;
      throw new GitHubApiError('NETWORK', `${what}: ${errorMessage(err)}`, { cause: err });
    }
    if (res.statusCode < 200 || res.statusCode > 299) throw statusError(res, text, what);
    try {
      return { json: JSON.parse(text) as unknown, link: headerValue(res.headers.link) };
    } catch {
      throw badResponse(what, 'not JSON');
    }
  }

  private headers(json: boolean): Record<string, string> {
    return {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${this.options.token}`,
      'user-agent': 'modguard',
      'x-github-api-version': '2022-11-28',
      ...(json ? { 'content-type': 'application/json' } : {}),
    };
  }
}

/**
 * graphqlUrl is the GraphQL endpoint beside a REST base URL, as Octokit derives it:
 * https://api.github.com → /graphql; GitHub Enterprise Server's /api/v3 → /api/graphql.
 */
export function graphqlUrl(base: URL): URL {
  const path = base.pathname.replace(/\/+$/, '');
  const graphql = path.endsWith('/api/v3') ? `${path.slice(0, -3)}/graphql` : `${path}/graphql`;
  return new URL(`${base.origin}${graphql}`);
}

/** parseComment reads one comment of an answer, refusing one without a usable id. */
function parseComment(value: unknown, what: string): IssueComment {
  const id = field(value, 'id');
  if (!isId(id)) throw badResponse(what, 'a comment without an id');
  const body = field(value, 'body');
  const authorId = field(field(value, 'user'), 'id');
  const authorLogin = field(field(value, 'user'), 'login');
  const url = field(value, 'html_url');
  return {
    id,
    body: typeof body === 'string' ? body : '',
    authorId: isId(authorId) ? authorId : undefined,
    authorLogin: typeof authorLogin === 'string' && authorLogin !== '' ? authorLogin : undefined,
    // printed in the log: a URL, on one line, or nothing
    url: typeof url === 'string' && /^https?:\/\/[^\s]+$/.test(url) ? url : '',
  };
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, name)
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/** readText reads an answer's body as UTF-8, up to MAX_BYTES. */
async function readText(body: Dispatcher.ResponseData['body'], what: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BYTES) {
      body.destroy();
      throw badResponse(what, `an answer over ${MAX_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

/**
 * statusError names the call, the status and GitHub's own message (its JSON `message`,
 * one line, at most 200 characters: the server's text); a spent rate limit is RATE_LIMITED.
 */
function statusError(res: Dispatcher.ResponseData, text: string, what: string): GitHubApiError {
  const status = res.statusCode;
  let message: unknown;
  try {
    message = field(JSON.parse(text), 'message');
  } catch {
    message = undefined;
  }
  const said = typeof message === 'string' ? ` ${oneLine(message)}` : '';
  const remaining = headerValue(res.headers['x-ratelimit-remaining']);
  const retryAfter = headerValue(res.headers['retry-after']);
  const wait = serverWait(
    retryAfter,
    remaining,
    headerValue(res.headers['x-ratelimit-reset']),
    Date.now(),
  );
  const details = { status, ...(wait === undefined ? {} : { retryAfterMs: wait }) };
  const limited = (status === 403 || status === 429) && (remaining === '0' || retryAfter !== '');
  if (!limited) return new GitHubApiError('HTTP_STATUS', `${what}: ${status}${said}`, details);
  const reset = Number(headerValue(res.headers['x-ratelimit-reset']));
  const until =
    Number.isSafeInteger(reset) && reset > 0
      ? ` until ${new Date(reset * 1000).toISOString()}`
      : '';
  return new GitHubApiError(
    'RATE_LIMITED',
    `${what}: ${status} rate limited${until}${said}`,
    details,
  );
}

function graphqlErrors(json: unknown): string | undefined {
  const errors = field(json, 'errors');
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  const message = field(errors[0], 'message');
  return typeof message === 'string' ? `GraphQL error: ${oneLine(message)}` : 'GraphQL error';
}

function badResponse(what: string, why: string): GitHubApiError {
  return new GitHubApiError('BAD_RESPONSE', `${what}: the API answered with ${why}`);
}

function oneLine(s: string): string {
  const line = clean(s).replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

function headerValue(v: string | string[] | undefined): string {
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}
