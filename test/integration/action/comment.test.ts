import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  commentDirectory,
  commentMarker,
  hasMarker,
  somethingToSay,
  upsertStickyComment,
} from '../../../src/action/comment.js';
import { pullRequestOf, runUrlOf } from '../../../src/action/event.js';
import { jobLeg, parseCommentKey, parseMatrix } from '../../../src/action/leg.js';
import {
  GitHubApi,
  GitHubApiError,
  graphqlUrl,
  type GitHubApiOptions,
} from '../../../src/action/github-api.js';
import { makeFinding } from '../../../src/check/findings.js';
import { summarize, type Report } from '../../../src/check/summary.js';
import { InputError, UsageError } from '../../../src/errors.js';
import { COMMENT_MAX_CHARS, renderPullRequestComment } from '../../../src/report/github.js';
import { startLoopbackServer } from '../../../src/testing/world/loopback.js';
import {
  BOT,
  SOMEONE,
  startGitHubApi,
  type ApiCall,
  type Failure,
  type GitHubApiStandIn,
  type StandInOptions,
} from '../../support/github-api.js';
import { sampleReport } from '../../unit/report/sample.js';

const TOKEN = 'ghs_standInToken0123456789abcdefABCDEF';
const PR = { token: TOKEN, owner: 'octo-org', repo: 'app', pull: 7 };
const marker = commentMarker('.');
const commentPath = `/repos/octo-org/app/issues/7/comments`;

const clean = summarize([], []);
const body = (report: Report) => renderPullRequestComment(report, { marker, directory: '.' });
/** theirs/ours: a comment of someone else's and an earlier one of the bot's */
const theirs = (text: string) => ({ body: text, user: SOMEONE });
const ours = (text: string) => ({ body: text, user: BOT });

let api: GitHubApiStandIn | undefined;
let client: GitHubApi | undefined;

/** FAST: the retry policy's tries, with waits short enough for a test */
const FAST = { attempts: 3, backoffMs: 1, maxWaitMs: 2_000 };

async function standIn(
  options: Partial<StandInOptions> = {},
  clientOptions: Partial<GitHubApiOptions> = {},
): Promise<GitHubApi> {
  api = await startGitHubApi({ ...PR, ...options });
  client = new GitHubApi({
    baseUrl: new URL(api.url),
    token: TOKEN,
    repository: { owner: PR.owner, repo: PR.repo },
    env: {},
    retry: FAST,
    ...clientOptions,
  });
  return client;
}

/** once fails the first call that `which` picks, and no other */
function once(which: (c: ApiCall) => boolean, failure: Failure) {
  let done = false;
  return (c: ApiCall) => {
    if (done || !which(c)) return undefined;
    done = true;
    return failure;
  };
}
const isList = (c: ApiCall) => c.method === 'GET';
const isCreate = (c: ApiCall) => c.method === 'POST' && c.path === commentPath;
/** calls: each call as `METHOD path`, the list's path shortened to `list` */
const calls = () =>
  (api?.calls ?? []).map((c) => `${c.method} ${c.path === commentPath ? 'list' : c.path}`);

/** keep runs the sticky comment as the Action does, with or without something to say. */
function keep(gh: GitHubApi, report: Report, always = false) {
  return upsertStickyComment(gh, PR.pull, {
    marker,
    body: body(report),
    create: always || somethingToSay(report),
  });
}

afterEach(async () => {
  const problems = api?.problems ?? [];
  await client?.close();
  await api?.stop();
  api = client = undefined;
  // every call the client made kept to the API's contract
  expect(problems).toEqual([]);
});

describe('the sticky pull-request comment', () => {
  it('is created on a pull request with findings, the report after the marker', async () => {
    const gh = await standIn({ comments: [theirs('LGTM')] });
    const outcome = await keep(gh, sampleReport());
    expect(outcome).toEqual({
      kind: 'created',
      url: 'https://github.test/octo-org/app/pull/7#issuecomment-1001',
    });
    expect(api?.writes().map((c) => [c.method, c.path])).toEqual([['POST', commentPath]]);
    const posted = api?.comments[1];
    expect(posted?.user).toEqual(BOT);
    expect(posted?.body.split('\n')[0]).toBe(marker);
    expect(posted?.body).toContain('| error | MG102 | go.sum:7 | example.com/m v1.2.3 |');
    expect(api?.calls.every((c) => c.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('updates its earlier comment, found on a later page, instead of adding one', async () => {
    const chatter = Array.from({ length: 5 }, (_, i) => theirs(`comment ${i}`));
    const gh = await standIn({
      pageSize: 2,
      comments: [...chatter, ours(`${marker}\nold report`), theirs('after')],
    });
    const outcome = await keep(gh, sampleReport());
    expect(outcome.kind).toBe('updated');
    const pages = api?.calls.filter((c) => c.method === 'GET').map((c) => c.query.get('page'));
    expect(pages).toEqual([null, '2', '3']); // the first page, then the Link header's next
    expect(api?.writes().map((c) => [c.method, c.path])).toEqual([
      ['PATCH', '/repos/octo-org/app/issues/comments/1005'],
    ]);
    expect(api?.comments).toHaveLength(7);
    expect(api?.comments[5]?.body).toBe(body(sampleReport()));
  });

  it('leaves a clean pull request without a comment', async () => {
    const gh = await standIn({ comments: [theirs('LGTM')] });
    expect(await keep(gh, clean)).toEqual({ kind: 'none' });
    expect(api?.writes()).toEqual([]);
    expect(api?.comments).toHaveLength(1);
  });

  it('creates one on a clean pull request when told to always comment', async () => {
    const gh = await standIn();
    expect((await keep(gh, clean, true)).kind).toBe('created');
    expect(api?.comments[0]?.body).toContain('## modguard: no findings');
  });

  it('updates its earlier comment to say the check is now clean', async () => {
    const gh = await standIn({ comments: [ours(body(sampleReport()))] });
    expect((await keep(gh, clean)).kind).toBe('updated');
    expect(api?.writes().map((c) => c.method)).toEqual(['PATCH']);
    expect(api?.comments[0]?.body).toContain('## modguard: no findings');
    expect(api?.comments[0]?.body).not.toContain('MG102');
  });

  it('leaves its comment alone when it already says this', async () => {
    const gh = await standIn({ comments: [ours(body(sampleReport()).replace(/\n/g, '\r\n'))] });
    expect((await keep(gh, sampleReport())).kind).toBe('unchanged');
    expect(api?.writes()).toEqual([]);
  });

  it("never edits another user's comment that carries the marker", async () => {
    const spoofed = `${marker}\nmodguard: no findings, merge away`;
    const gh = await standIn({ comments: [theirs(spoofed)] });
    expect((await keep(gh, sampleReport())).kind).toBe('created');
    expect(api?.writes().map((c) => c.method)).toEqual(['POST']);
    expect(api?.comments[0]?.body).toBe(spoofed);
    // asked who the token is, once, to tell the two apart
    expect(api?.calls.filter((c) => c.path === '/graphql')).toHaveLength(1);
  });

  it('updates its own comment, not the spoofed one before it', async () => {
    const spoofed = `${marker}\nmodguard: no findings`;
    const gh = await standIn({ comments: [theirs(spoofed), ours(`${marker}\nold`)] });
    expect((await keep(gh, clean)).kind).toBe('updated');
    expect(api?.writes().map((c) => c.path)).toEqual(['/repos/octo-org/app/issues/comments/1001']);
    expect(api?.comments[0]?.body).toBe(spoofed);
  });

  it('knows its comment by login when GraphQL gives no id, with or without [bot]', async () => {
    for (const login of ['github-actions[bot]', 'github-actions', 'GitHub-Actions']) {
      const gh = await standIn({
        comments: [ours(`${marker}\nold`)],
        viewerAnswer: { login, databaseId: null },
      });
      expect((await keep(gh, clean)).kind).toBe('updated');
      await gh.close();
      await api?.stop();
    }
  });

  it('does not take a person whose login is the bot name without [bot] for the bot', async () => {
    const lookalike = { id: 9_000_001, login: 'github-actions', type: 'User' as const };
    const spoofed = `${marker}\nmodguard: no findings`;
    const gh = await standIn({ comments: [{ body: spoofed, user: lookalike }] });
    expect((await keep(gh, sampleReport())).kind).toBe('created');
    expect(api?.comments[0]?.body).toBe(spoofed);
  });

  it("keeps one comment per folder: another folder's comment is not this one's", async () => {
    const other = commentMarker('tools');
    const gh = await standIn({ comments: [ours(`${other}\nthe tools module's report`)] });
    expect((await keep(gh, sampleReport())).kind).toBe('created');
    expect(api?.comments[0]?.body).toBe(`${other}\nthe tools module's report`);
  });

  it('prefers its comment with the marker to one with the former marker', async () => {
    const former = commentMarker('.');
    const leg = commentMarker('.', jobLeg(undefined, undefined, { GITHUB_JOB: 'check' }));
    const gh = await standIn({
      comments: [ours(`${former}\nold`), theirs(`${leg}\nspoofed`), ours(`${leg}\nnewer`)],
    });
    const outcome = await upsertStickyComment(gh, PR.pull, {
      marker: leg,
      formerMarker: former,
      body: `${leg}\nnow`,
      create: false,
    });
    expect(outcome.kind).toBe('updated');
    expect(api?.comments.map((c) => c.body)).toEqual([
      `${former}\nold`,
      `${leg}\nspoofed`,
      `${leg}\nnow`,
    ]);
  });

  it('fails naming the call and its status when the token may not write (403)', async () => {
    const gh = await standIn({
      refuse: (c) =>
        c.method === 'POST' && c.path === commentPath
          ? { status: 403, message: 'Resource not accessible by integration' }
          : undefined,
    });
    const err = await keep(gh, sampleReport()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubApiError);
    expect(err).toMatchObject({ code: 'HTTP_STATUS', status: 403 });
    expect((err as Error).message).toBe(
      'commenting on pull request #7: 403 Resource not accessible by integration',
    );
    expect((err as Error).message).not.toContain(TOKEN);
  });

  it('tells a spent rate limit from a refusal', async () => {
    const gh = await standIn({
      refuse: () => ({
        status: 403,
        message: 'API rate limit exceeded',
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1893456000' },
      }),
    });
    await expect(keep(gh, sampleReport())).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      message:
        'listing the comments of pull request #7: 403 rate limited until 2030-01-01T00:00:00.000Z API rate limit exceeded',
    });
  });

  it('does not follow a next-page link off the API, where the token would go', async () => {
    const elsewhere = await startLoopbackServer('elsewhere', (_req, res) => {
      res.end('[]');
    });
    try {
      const gh = await standIn({
        pageSize: 1,
        linkOrigin: elsewhere.url,
        comments: [theirs('a'), theirs('b')],
      });
      await expect(keep(gh, sampleReport())).rejects.toMatchObject({
        code: 'BAD_RESPONSE',
        message: expect.stringContaining('a next-page link outside the API'),
      });
      expect(elsewhere.requests).toEqual([]);
      expect(api?.writes()).toEqual([]);
    } finally {
      await elsewhere.stop();
    }
  });

  it('is accepted by GitHub with many findings: the body stays under the limit', async () => {
    const many = Array.from({ length: 300 }, (_, i) =>
      makeFinding(
        'MG201',
        { module: `example.com/m${i}`, version: 'v1.0.0', kind: 'zip', file: 'go.sum', line: i },
        `proxy A said: ${'503 Service Unavailable '.repeat(80)}`,
      ),
    );
    const gh = await standIn();
    expect((await keep(gh, summarize([], many))).kind).toBe('created');
    const posted = api?.comments[0]?.body ?? '';
    expect(posted.length).toBeLessThanOrEqual(COMMENT_MAX_CHARS);
    expect(posted.includes('**This comment stops here**')).toBe(true);
  });
});

describe('when the API fails for a moment', () => {
  it('lists the comments again after a 502, 503 or 504, or a reset connection', async () => {
    for (const failure of [
      { status: 502, message: 'Bad Gateway' },
      { status: 503, message: 'Service Unavailable' },
      { status: 504, message: 'Gateway Timeout' },
      'reset' as const,
    ]) {
      const gh = await standIn({ refuse: once(isList, failure) });
      expect((await keep(gh, sampleReport())).kind).toBe('created');
      expect(calls()).toEqual(['GET list', 'GET list', 'POST list']);
      expect(api?.comments).toHaveLength(1);
      await gh.close();
      await api?.stop();
    }
  });

  it('updates its comment again after a reset, and asks who it is again', async () => {
    const isPatch = (c: ApiCall) => c.method === 'PATCH';
    const isViewer = (c: ApiCall) => c.path === '/graphql';
    const gh = await standIn({
      comments: [ours(`${marker}\nold`)],
      refuse: once(isViewer, 'reset'),
      lose: once(isPatch, 'reset'),
    });
    expect((await keep(gh, sampleReport())).kind).toBe('updated');
    const path = '/repos/octo-org/app/issues/comments/1000';
    expect(calls()).toEqual([
      'GET list',
      ...['POST /graphql', 'POST /graphql'],
      ...[`PATCH ${path}`, `PATCH ${path}`],
    ]);
    expect(api?.comments[0]?.body).toBe(body(sampleReport()));
  });

  it('gives up after three tries, with the last failure', async () => {
    const gh = await standIn({ refuse: () => ({ status: 503, message: 'Service Unavailable' }) });
    await expect(keep(gh, sampleReport())).rejects.toMatchObject({
      code: 'HTTP_STATUS',
      status: 503,
      message: 'listing the comments of pull request #7: 503 Service Unavailable',
    });
    expect(calls()).toEqual(['GET list', 'GET list', 'GET list']);
  });

  it('never tries a 4xx again, save a rate limit that says how long to wait', async () => {
    const failures: Failure[] = [
      { status: 403, message: 'Resource not accessible by integration' },
      { status: 404, message: 'Not Found' },
      { status: 422, message: 'Validation Failed' },
      { status: 500, message: 'Internal Server Error' },
      // a rate limit without a wait: GitHub asks for a minute at least
      { status: 429, message: 'slow down', headers: { 'x-ratelimit-remaining': '1' } },
      // a wait longer than the policy's longest
      { status: 429, message: 'slow down', headers: { 'retry-after': '3' } },
      {
        status: 403,
        message: 'API rate limit exceeded',
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1893456000' },
      },
    ];
    for (const failure of failures) {
      const gh = await standIn({ refuse: once(isList, failure) });
      await expect(keep(gh, sampleReport())).rejects.toBeInstanceOf(GitHubApiError);
      expect(calls()).toEqual(['GET list']);
      await gh.close();
      await api?.stop();
    }
  });

  it("waits out a secondary rate limit's retry-after, then tries again", async () => {
    const limited = {
      status: 403,
      message: 'You have exceeded a secondary rate limit',
      headers: { 'retry-after': '1' },
    };
    const gh = await standIn({ refuse: once(isList, limited) });
    const start = Date.now();
    expect((await keep(gh, sampleReport())).kind).toBe('created');
    expect(Date.now() - start).toBeGreaterThanOrEqual(1000);
    expect(calls()).toEqual(['GET list', 'GET list', 'POST list']);
  });

  it('waits no longer than the deadline', async () => {
    const limited = { status: 429, message: 'slow down', headers: { 'retry-after': '2' } };
    const gh = await standIn(
      { refuse: once(isList, limited) },
      { signal: AbortSignal.timeout(200), retry: { ...FAST, maxWaitMs: 5_000 } },
    );
    const start = Date.now();
    await expect(keep(gh, sampleReport())).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(Date.now() - start).toBeLessThan(1500);
    expect(calls()).toEqual(['GET list']);
  });

  it('does not post twice when a POST that was made failed on the way back', async () => {
    for (const failure of [{ status: 502, message: 'Bad Gateway' }, 'reset' as const]) {
      const gh = await standIn({ comments: [theirs('LGTM')], lose: once(isCreate, failure) });
      const outcome = await keep(gh, sampleReport());
      expect(outcome).toEqual({
        kind: 'created',
        url: 'https://github.test/octo-org/app/pull/7#issuecomment-1001',
      });
      // looked again, found the comment made, and left it as it is
      expect(calls()).toEqual(['GET list', 'POST list', 'GET list', 'POST /graphql']);
      expect(api?.comments.map((c) => c.user)).toEqual([SOMEONE, BOT]);
      await gh.close();
      await api?.stop();
    }
  });

  it('posts anew when the failed POST was not made', async () => {
    const gh = await standIn({ refuse: once(isCreate, 'reset') });
    expect((await keep(gh, sampleReport())).kind).toBe('created');
    expect(calls()).toEqual(['GET list', 'POST list', 'GET list', 'POST list']);
    expect(api?.comments).toHaveLength(1);
  });

  it('never posts again after a POST the API refused', async () => {
    const gh = await standIn({
      refuse: once(isCreate, { status: 422, message: 'Validation Failed' }),
    });
    await expect(keep(gh, sampleReport())).rejects.toMatchObject({ status: 422 });
    expect(calls()).toEqual(['GET list', 'POST list']);
  });
});

describe('the comment marker', () => {
  it('names the folder relative to the workspace, the same on every runner', () => {
    const ws = join(tmpdir(), 'ws');
    expect(commentDirectory('.', process.cwd())).toBe('.');
    expect(commentDirectory(join(ws, 'tools', 'go'), ws)).toBe('tools/go');
    expect(commentDirectory(join(ws, '..', 'elsewhere'), ws)).toBe(join(tmpdir(), 'elsewhere'));
  });

  it('is found on the first line only, and a folder cannot end it early', () => {
    expect(commentMarker('.')).toBe('<!-- modguard:comment dir=. -->');
    expect(commentMarker('a b/-->x')).toBe('<!-- modguard:comment dir=a%20b/--%3Ex -->');
    expect(hasMarker(`${marker}\r\nbody`, marker)).toBe(true);
    expect(hasMarker(`quoting:\n${marker}`, marker)).toBe(false);
    expect(hasMarker(`${marker}x`, marker)).toBe(false);
  });
});

describe('the job leg', () => {
  const env = { GITHUB_WORKFLOW: 'CI / go', GITHUB_JOB: 'test' };

  it('is the workflow, the job and the matrix values, whatever their order', () => {
    const leg = jobLeg(undefined, { os: 'ubuntu-latest', go: '1.22', cgo: false }, env);
    expect(commentMarker('tools', leg)).toBe(
      '<!-- modguard:comment dir=tools workflow=CI%20/%20go job=test ' +
        'matrix=%7B%22cgo%22%3Afalse%2C%22go%22%3A%221.22%22%2C%22os%22%3A%22ubuntu-latest%22%7D -->',
    );
    const reordered = jobLeg(undefined, { go: '1.22', cgo: false, os: 'ubuntu-latest' }, env);
    expect(commentMarker('tools', reordered)).toBe(commentMarker('tools', leg));
    // named as GitHub's checks list names the leg: in the workflow's order
    expect(leg.label).toBe('test (ubuntu-latest, 1.22, false)');
    expect(leg.adoptsFolderComment).toBe(false);
  });

  it('is the workflow and the job alone without a matrix, and takes the folder comment over', () => {
    const leg = jobLeg(undefined, undefined, env);
    expect(commentMarker('.', leg)).toBe(
      '<!-- modguard:comment dir=. workflow=CI%20/%20go job=test -->',
    );
    expect(leg).toMatchObject({ label: undefined, adoptsFolderComment: true });
    expect(commentMarker('.', jobLeg(undefined, undefined, {}))).toBe(commentMarker('.'));
  });

  it('is the comment-key when one is given, in place of the rest', () => {
    const leg = jobLeg(parseCommentKey('  Go tip -->  '), { go: 'tip' }, env);
    expect(commentMarker('.', leg)).toBe('<!-- modguard:comment dir=. key=Go%20tip%20--%3E -->');
    expect(leg).toMatchObject({ label: 'Go tip -->', adoptsFolderComment: false });
  });

  it('reads the matrix as toJSON(matrix) gives it, and refuses anything else', () => {
    expect(parseMatrix('')).toBe(undefined);
    expect(parseMatrix('null')).toBe(undefined);
    expect(parseMatrix('{}')).toBe(undefined);
    expect(parseMatrix('{\n  "go": "1.22"\n}')).toEqual({ go: '1.22' });
    for (const bad of ['1.22', '["1.22"]', '"go"', '{"go":']) {
      expect(() => parseMatrix(bad)).toThrow(UsageError);
    }
    expect(parseCommentKey(' ')).toBe(undefined);
    expect(() => parseCommentKey('a\nb')).toThrow(UsageError);
    expect(() => parseCommentKey('k'.repeat(201))).toThrow(UsageError);
  });
});

describe('the event', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'modguard-event-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function event(name: string, payload: unknown): Promise<NodeJS.ProcessEnv> {
    const path = join(dir, `${name}-${Math.random().toString(36).slice(2)}.json`);
    await writeFile(path, JSON.stringify(payload));
    return { GITHUB_EVENT_NAME: name, GITHUB_EVENT_PATH: path, GITHUB_REPOSITORY: 'o/r' };
  }

  it('names the pull request of pull_request and pull_request_target events', async () => {
    for (const name of ['pull_request', 'pull_request_target']) {
      const env = await event(name, { number: 9, pull_request: { number: 12 } });
      expect(await pullRequestOf(env)).toEqual({
        repository: { owner: 'o', repo: 'r' },
        number: 12,
      });
    }
  });

  it('names none for other events, whatever their payload', async () => {
    expect(await pullRequestOf(await event('push', { pull_request: { number: 12 } }))).toBe(
      undefined,
    );
    expect(await pullRequestOf({})).toBe(undefined);
  });

  it('refuses a payload or repository that does not say which pull request', async () => {
    await expect(pullRequestOf(await event('pull_request', { number: 12 }))).rejects.toThrow(
      InputError,
    );
    const env = await event('pull_request', { pull_request: { number: '12' } });
    await expect(pullRequestOf(env)).rejects.toThrow(/has no pull_request.number/);
    const bad = { ...(await event('pull_request', { pull_request: { number: 1 } })) };
    await expect(pullRequestOf({ ...bad, GITHUB_REPOSITORY: 'o/../x' })).rejects.toThrow(
      /not owner\/repo/,
    );
  });

  it('finds GraphQL beside the REST API, and the run page on the server', () => {
    expect(graphqlUrl(new URL('https://api.github.com')).href).toBe(
      'https://api.github.com/graphql',
    );
    expect(graphqlUrl(new URL('https://ghe.example/api/v3/')).href).toBe(
      'https://ghe.example/api/graphql',
    );
    const repo = { owner: 'o', repo: 'r' };
    expect(runUrlOf({ GITHUB_RUN_ID: '42' }, repo)).toBe('https://github.com/o/r/actions/runs/42');
    expect(runUrlOf({ GITHUB_RUN_ID: '4 2' }, repo)).toBe(undefined);
  });
});
