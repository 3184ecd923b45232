import { isAbsolute, relative, resolve, sep } from 'node:path';
import * as core from '@actions/core';
import { UsageError, errorMessage } from '../errors.js';
import type { Report } from '../check/summary.js';
import { renderPullRequestComment } from '../report/github.js';
import { apiUrlOf, pullRequestOf, runUrlOf, type PullRequest } from './event.js';
import {
  GitHubApi,
  GitHubApiError,
  type IssueComment,
  type IssueComments,
  type Viewer,
} from './github-api.js';
import type { ActionInputs } from './inputs.js';
import { jobLeg, markerText, type JobLeg } from './leg.js';

/** COMMENT_DEADLINE_MS bounds everything the comment asks of the API. */
const COMMENT_DEADLINE_MS = 60_000;

/** StickyComment is the comment to keep on a pull request, and whether to start one. */
export interface StickyComment {
  /** the first line that finds the comment again (commentMarker) */
  readonly marker: string;
  /**
   * an older marker whose comment is this one's too, when there is none with the marker:
   * it is updated, and so given the marker (the comments written before they were kept
   * per job leg)
   */
  readonly formerMarker?: string;
  readonly body: string;
  /** create the comment when there is none yet; else only an earlier one is updated */
  readonly create: boolean;
}

/** CommentOutcome is what upsertStickyComment did, with the comment's page. */
export type CommentOutcome =
  | { readonly kind: 'created' | 'updated' | 'unchanged'; readonly url: string }
  | { readonly kind: 'none' };

/**
 * upsertStickyComment keeps one comment per marker on the pull request: the first comment
 * that begins with the marker (else with the former marker) and was written by the
 * token's own user is updated in place (or left alone when it already says this);
 * without one, a comment is created when `create` says so. Anyone can write the marker
 * in a comment of theirs: such a comment is never touched, whatever the token might be
 * allowed to edit.
 */
export async function upsertStickyComment(
  api: IssueComments,
  issue: number,
  comment: StickyComment,
): Promise<CommentOutcome> {
  const markers = [
    comment.marker,
    ...(comment.formerMarker === undefined ? [] : [comment.formerMarker]),
  ];
  const own = await findOwnComment(api, issue, markers);
  if (own !== undefined) return await updateOwnComment(api, own, comment.body);
  if (!comment.create) return { kind: 'none' };
  return await createComment(api, issue, comment.body, markers);
}

/** updateOwnComment brings the token's own comment up to date, when it is not yet. */
async function updateOwnComment(
  api: IssueComments,
  own: IssueComment,
  body: string,
): Promise<CommentOutcome> {
  if (own.body.replace(/\r\n/g, '\n') === body) return { kind: 'unchanged', url: own.url };
  return { kind: 'updated', url: (await api.update(own.id, body)).url };
}

/**
 * createComment posts the comment. A POST is never simply sent again: one that failed on
 * the way back (a reset connection, a 502 from a gateway) may have been made all the
 * same. After a failure worth another try (api.backoff), the comments are looked through
 * again: the comment found is this one (created, when it says this already), and only
 * without one is the comment posted anew.
 */
async function createComment(
  api: IssueComments,
  issue: number,
  body: string,
  markers: readonly string[],
): Promise<CommentOutcome> {
  for (let failures = 1; ; failures++) {
    try {
      return { kind: 'created', url: (await api.create(issue, body)).url };
    } catch (err) {
      if (!(await api.backoff(err, failures))) throw err;
    }
    const own = await findOwnComment(api, issue, markers);
    if (own !== undefined) {
      const outcome = await updateOwnComment(api, own, body);
      return outcome.kind === 'unchanged' ? { ...outcome, kind: 'created' } : outcome;
    }
  }
}

/**
 * findOwnComment is the token's own first comment with the first of the markers that one
 * has: it pages through the comments, and asks who the token is once, when needed.
 */
async function findOwnComment(
  api: IssueComments,
  issue: number,
  markers: readonly string[],
): Promise<IssueComment | undefined> {
  let viewer: Viewer | undefined;
  let found: { comment: IssueComment; rank: number } | undefined;
  for await (const page of api.list(issue)) {
    for (const c of page) {
      const rank = markers.findIndex((m) => hasMarker(c.body, m));
      if (rank < 0 || (found !== undefined && found.rank <= rank)) continue;
      viewer ??= await api.viewer();
      if (!isAuthor(c, viewer)) continue;
      if (rank === 0) return c;
      found = { comment: c, rank };
    }
  }
  return found?.comment;
}

/**
 * isAuthor says whether the token's user wrote comment c: the same user id, or the same
 * login, where REST spells a bot `NAME[bot]` and GraphQL may spell it `NAME` (a login is
 * unique, and a person's cannot hold `[`), as the widely used sticky-comment actions
 * compare them.
 */
export function isAuthor(c: IssueComment, viewer: Viewer): boolean {
  if (viewer.id !== undefined && c.authorId === viewer.id) return true;
  const author = c.authorLogin?.toLowerCase();
  const login = viewer.login.toLowerCase();
  return author !== undefined && (author === login || author === `${login}[bot]`);
}

/** hasMarker reports a body whose first line is the marker. */
export function hasMarker(body: string, marker: string): boolean {
  if (!body.startsWith(marker)) return false;
  const after = body.slice(marker.length);
  return after === '' || after.startsWith('\n') || after.startsWith('\r\n');
}

/**
 * commentMarker is the hidden first line of the comment for one checked folder and job
 * leg (JobLeg), so two modguard steps, jobs or matrix legs on one pull request keep a
 * comment each: an HTML comment, rendered as nothing, whose fields are percent-encoded
 * (no `>` can end it early). Without a leg it is the folder's alone, as comments were
 * marked before they were kept per leg.
 */
export function commentMarker(directory: string, leg?: JobLeg): string {
  const fields = [`dir=${markerText(directory)}`, ...(leg?.fields ?? [])];
  return `<!-- modguard:comment ${fields.join(' ')} -->`;
}

/**
 * commentDirectory names the checked folder as the same on every run: relative to the
 * workspace, with `/` (`.` for the workspace itself), or absolute when outside it.
 */
export function commentDirectory(workingDirectory: string, workspace: string): string {
  const dir = resolve(workingDirectory);
  const rel = relative(resolve(workspace), dir);
  if (rel === '') return '.';
  const outside = rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
  return (outside ? dir : rel).split(sep).join('/');
}

/** somethingToSay: the check found something, or could not check a line. */
export function somethingToSay(report: Report): boolean {
  return report.findings.length > 0 || report.summary.inconclusive > 0;
}

/**
 * writePullRequestComment writes the report as the sticky comment of the run's pull
 * request, as the comment input says (CommentMode). A comment that cannot be written is a
 * warning naming what failed, never the step's outcome, and never shows the token.
 */
export async function writePullRequestComment(
  report: Report,
  inputs: ActionInputs,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  if (inputs.comment === 'off') return;
  try {
    await comment(report, inputs, env);
  } catch (err) {
    const message = `modguard: the pull-request comment was not written: ${errorMessage(err)}${hint(err)}`;
    core.warning(redact(message, inputs.githubToken));
  }
}

/** redact hides the token in a line for the log, should the API have quoted it back. */
function redact(line: string, token: string): string {
  return token === '' ? line : line.split(token).join('***');
}

async function comment(
  report: Report,
  inputs: ActionInputs,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const pr = await pullRequestOf(env);
  if (pr === undefined) {
    if (inputs.comment === 'always') {
      const event = JSON.stringify(env.GITHUB_EVENT_NAME ?? '');
      core.info(
        `modguard: no pull-request comment: the event ${event} is not about a pull request`,
      );
    }
    return;
  }
  if (inputs.githubToken === '') throw new UsageError('the github-token input is empty');
  const api = new GitHubApi({
    baseUrl: apiUrlOf(env),
    token: inputs.githubToken,
    repository: pr.repository,
    env,
    signal: AbortSignal.timeout(COMMENT_DEADLINE_MS),
    log: (line) => core.info(redact(line, inputs.githubToken)),
  });
  try {
    const outcome = await upsertStickyComment(
      api,
      pr.number,
      stickyComment(report, inputs, env, pr),
    );
    core.info(describe(outcome, pr.number));
  } finally {
    await api.close();
  }
}

/**
 * stickyComment is this run's comment: its folder's and job leg's marker, the report (its
 * heading naming the leg of a matrix), and whether to start it.
 */
function stickyComment(
  report: Report,
  inputs: ActionInputs,
  env: NodeJS.ProcessEnv,
  pr: PullRequest,
): StickyComment {
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const directory = commentDirectory(inputs.workingDirectory, workspace);
  const leg = jobLeg(inputs.commentKey, inputs.matrix, env);
  const marker = commentMarker(directory, leg);
  const folderMarker = commentMarker(directory);
  const runUrl = runUrlOf(env, pr.repository);
  const body = renderPullRequestComment(report, {
    marker,
    directory,
    ...(leg.label === undefined ? {} : { leg: leg.label }),
    ...(runUrl === undefined ? {} : { runUrl }),
  });
  return {
    marker,
    ...(leg.adoptsFolderComment && folderMarker !== marker ? { formerMarker: folderMarker } : {}),
    body,
    create: inputs.comment === 'always' || somethingToSay(report),
  };
}

function describe(outcome: CommentOutcome, issue: number): string {
  switch (outcome.kind) {
    case 'none':
      return `modguard: no comment on pull request #${issue}: nothing to report`;
    case 'created':
      return `modguard: commented on pull request #${issue}: ${outcome.url}`;
    case 'updated':
      return `modguard: updated its comment on pull request #${issue}: ${outcome.url}`;
    case 'unchanged':
      return `modguard: its comment on pull request #${issue} already says this: ${outcome.url}`;
  }
}

/** hint says what to do about a refused call: 403 is a missing permission most of the time. */
function hint(err: unknown): string {
  if (!(err instanceof GitHubApiError) || err.code !== 'HTTP_STATUS') return '';
  if (err.status === 403) {
    return (
      ' (the token may not write comments: give the job `permissions: pull-requests: write`;' +
      ' a pull_request event from a fork only gets a read-only token)'
    );
  }
  if (err.status === 404) {
    return ' (not found with this token: it needs `pull-requests: read` at least)';
  }
  return '';
}
