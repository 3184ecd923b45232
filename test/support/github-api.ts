import type { IncomingMessage, ServerResponse } from 'node:http';
import { startLoopbackServer } from '../../src/testing/world/loopback.js';

/**
 * A stand-in for the part of the GitHub REST API the pull-request comment uses, on
 * loopback: the comments of one pull request (GET and POST
 * /repos/{owner}/{repo}/issues/{n}/comments, PATCH /repos/{owner}/{repo}/issues/comments/{id})
 * and GraphQL's `viewer` (POST /graphql). It records every call and checks it against the
 * API's contract (docs.github.com "REST API endpoints for issue comments"): the method and
 * path, the credentials, a JSON body of the documented shape and size, and that only the
 * token's own comments are edited. What breaks the contract is answered as GitHub would
 * (401, 404, 422) and listed in `problems`, which a test expects empty. It fails calls as
 * a flaky API does when told to (`refuse`, `lose`): an error answer, or a reset connection,
 * before or after serving the call.
 */

/** ApiUser is a comment's author, as the API gives it. */
export interface ApiUser {
  readonly id: number;
  readonly login: string;
  readonly type: 'User' | 'Bot';
}

/** BOT is the user GITHUB_TOKEN writes as. */
export const BOT: ApiUser = { id: 41898282, login: 'github-actions[bot]', type: 'Bot' };
/** SOMEONE is a person commenting on the pull request. */
export const SOMEONE: ApiUser = { id: 583231, login: 'octocat', type: 'User' };

export interface ApiComment {
  readonly id: number;
  body: string;
  readonly user: ApiUser;
}

/** ApiCall is one request as the stand-in received it. */
export interface ApiCall {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly authorization: string | undefined;
  readonly userAgent: string | undefined;
  /** the JSON body, parsed; undefined without one */
  readonly body: unknown;
}

/** Refusal is an error answer the stand-in gives instead of serving a call. */
export interface Refusal {
  readonly status: number;
  readonly message: string;
  readonly headers?: Record<string, string>;
}

/** Failure is a refusal, or `reset`: the connection closed without an answer. */
export type Failure = Refusal | 'reset';

export interface StandInOptions {
  readonly token: string;
  readonly owner: string;
  readonly repo: string;
  readonly pull: number;
  /** the token's user; BOT by default */
  readonly viewer?: ApiUser;
  /**
   * how GraphQL's viewer answer spells that user, when not as REST does: a login without
   * `[bot]`, and no databaseId (null)
   */
  readonly viewerAnswer?: { readonly login?: string; readonly databaseId?: null };
  /** the pull request's comments, oldest first */
  readonly comments?: ReadonlyArray<{ body: string; user: ApiUser }>;
  /** the most comments a page holds, whatever per_page asks; 100 by default */
  readonly pageSize?: number;
  /** the origin next-page links point at; the stand-in's own by default */
  readonly linkOrigin?: string;
  /** refuse answers a call with an error instead, when it returns one */
  readonly refuse?: (call: ApiCall) => Failure | undefined;
  /**
   * lose serves a call (a comment is created or edited), then answers with the failure it
   * returns instead: the answer lost on the way back
   */
  readonly lose?: (call: ApiCall) => Failure | undefined;
}

export interface GitHubApiStandIn {
  /** the API's base URL, for GITHUB_API_URL */
  readonly url: string;
  readonly calls: ApiCall[];
  /** every way a call broke the API's contract */
  readonly problems: string[];
  /** the pull request's comments as they are now */
  readonly comments: ApiComment[];
  /** writes is the POST and PATCH calls to the REST API */
  writes(): ApiCall[];
  stop(): Promise<void>;
}

/** COMMENT_LIMIT: GitHub refuses a longer comment body with 422. */
const COMMENT_LIMIT = 65_536;

export async function startGitHubApi(options: StandInOptions): Promise<GitHubApiStandIn> {
  const viewer = options.viewer ?? BOT;
  let nextId = 1000;
  const comments: ApiComment[] = (options.comments ?? []).map((c) => ({ id: nextId++, ...c }));
  const calls: ApiCall[] = [];
  const problems: string[] = [];
  const repoPath = `/repos/${options.owner}/${options.repo}`;
  const listPath = `${repoPath}/issues/${options.pull}/comments`;
  const commentPath = new RegExp(`^${repoPath}/issues/comments/([0-9]+)$`);
  let base = '';

  const json = (res: ServerResponse, status: number, value: unknown, headers = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(value));
  };
  const refuse = (res: ServerResponse, call: ApiCall, status: number, message: string) => {
    problems.push(`${call.method} ${call.path}: ${message}`);
    json(res, status, { message });
  };
  const render = (c: ApiComment) => ({
    id: c.id,
    body: c.body,
    user: c.user,
    html_url: `https://github.test/${options.owner}/${options.repo}/pull/${options.pull}#issuecomment-${c.id}`,
  });

  const server = await startLoopbackServer('github-api', async (req, res) => {
    const call = await readCall(req);
    calls.push(call);
    const contract = contractProblem(call, options.token);
    if (contract !== undefined) {
      return refuse(res, call, contract.status, contract.message);
    }
    const fail = (failure: Failure): void => {
      if (failure === 'reset') res.destroy();
      else json(res, failure.status, { message: failure.message }, failure.headers);
    };
    const refusal = options.refuse?.(call);
    if (refusal !== undefined) return fail(refusal);
    const lost = options.lose?.(call);
    const reply = (status: number, value: unknown, headers = {}) =>
      lost === undefined ? json(res, status, value, headers) : fail(lost);
    const bodyText = field(call.body, 'body');
    if (call.method === 'POST' && call.path === '/graphql') {
      const query = field(call.body, 'query');
      if (typeof query !== 'string' || !/^query \{ viewer \{ login databaseId \} \}$/.test(query)) {
        return refuse(res, call, 422, 'a GraphQL query other than viewer { login databaseId }');
      }
      const spelled = options.viewerAnswer ?? {};
      const answer = {
        login: spelled.login ?? viewer.login,
        ...(spelled.databaseId === null ? {} : { databaseId: viewer.id }),
      };
      return reply(200, { data: { viewer: answer } });
    }
    if (call.path === listPath && call.method === 'GET') {
      const perPage = Number(call.query.get('per_page') ?? '30');
      const page = Number(call.query.get('page') ?? '1');
      if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100 || !(page >= 1)) {
        return refuse(res, call, 422, `a bad per_page or page: ${call.query.toString()}`);
      }
      const size = Math.min(perPage, options.pageSize ?? 100);
      const pages = Math.max(1, Math.ceil(comments.length / size));
      const link = (p: number, rel: string) =>
        `<${options.linkOrigin ?? base}${listPath}?per_page=${perPage}&page=${p}>; rel="${rel}"`;
      const links = [
        ...(page < pages ? [link(page + 1, 'next'), link(pages, 'last')] : []),
        ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : []),
      ];
      const slice = comments.slice((page - 1) * size, page * size).map(render);
      return reply(200, slice, links.length === 0 ? {} : { link: links.join(', ') });
    }
    if (call.path === listPath && call.method === 'POST') {
      if (typeof bodyText !== 'string') return refuse(res, call, 422, 'no body');
      if (bodyText.length > COMMENT_LIMIT) return refuse(res, call, 422, 'body is too long');
      const c: ApiComment = { id: nextId++, body: bodyText, user: viewer };
      comments.push(c);
      return reply(201, render(c));
    }
    const edited = commentPath.exec(call.path);
    if (edited !== null && call.method === 'PATCH') {
      const c = comments.find((x) => x.id === Number(edited[1]));
      if (c === undefined) return refuse(res, call, 404, 'no such comment');
      if (c.user.id !== viewer.id) return refuse(res, call, 403, "edited someone else's comment");
      if (typeof bodyText !== 'string') return refuse(res, call, 422, 'no body');
      if (bodyText.length > COMMENT_LIMIT) return refuse(res, call, 422, 'body is too long');
      c.body = bodyText;
      return reply(200, render(c));
    }
    return refuse(res, call, 404, 'not an endpoint the comment uses');
  });
  base = server.url;
  return {
    url: server.url,
    calls,
    problems,
    comments,
    writes: () => calls.filter((c) => c.method !== 'GET' && c.path !== '/graphql'),
    stop: () => server.stop(),
  };
}

/** contractProblem checks what every call must carry: the token, a user agent, JSON bodies. */
function contractProblem(call: ApiCall, token: string): Refusal | undefined {
  if (call.authorization !== `Bearer ${token}` && call.authorization !== `token ${token}`) {
    return { status: 401, message: 'Bad credentials' };
  }
  if (!call.userAgent) return { status: 403, message: 'a request without a User-Agent' };
  const shapes: Record<string, readonly string[]> = { POST: ['body', 'query'], PATCH: ['body'] };
  const allowed = shapes[call.method];
  if (allowed === undefined) {
    return call.body === undefined ? undefined : { status: 400, message: 'a body on a GET' };
  }
  const keys = typeof call.body === 'object' && call.body !== null ? Object.keys(call.body) : [];
  if (keys.length !== 1 || !allowed.includes(keys[0] ?? '')) {
    return { status: 422, message: `a body that is not {${allowed.join(' | ')}}` };
  }
  return undefined;
}

async function readCall(req: IncomingMessage): Promise<ApiCall> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const url = new URL(req.url ?? '/', 'http://stand-in');
  let body: unknown;
  if (text !== '') {
    const typed = /^application\/json\b/.test(req.headers['content-type'] ?? '');
    try {
      body = typed ? JSON.parse(text) : { notJson: text };
    } catch {
      body = { notJson: text };
    }
  }
  return {
    method: req.method ?? '',
    path: url.pathname,
    query: url.searchParams,
    authorization: req.headers.authorization,
    userAgent: req.headers['user-agent'],
    body,
  };
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[name]
    : undefined;
}
