import { readFile } from 'node:fs/promises';
import { InputError, errorMessage } from '../errors.js';
import type { Repository } from './github-api.js';

/** PullRequest is the pull request a run is for: where its comment goes. */
export interface PullRequest {
  readonly repository: Repository;
  readonly number: number;
}

/**
 * PULL_REQUEST_EVENTS are the events about one pull request whose payload names it in
 * `pull_request.number` (docs.github.com "Events that trigger workflows").
 */
export const PULL_REQUEST_EVENTS: readonly string[] = ['pull_request', 'pull_request_target'];

/**
 * pullRequestOf is the pull request of the run's event (GITHUB_EVENT_NAME), read from the
 * event's payload (the JSON file at GITHUB_EVENT_PATH) in GITHUB_REPOSITORY; undefined for
 * any other event. The runner writes these, but a security tool reads them strictly all
 * the same: a payload or repository that does not say which pull request is an error,
 * never a guess.
 */
export async function pullRequestOf(env: NodeJS.ProcessEnv): Promise<PullRequest | undefined> {
  if (!PULL_REQUEST_EVENTS.includes(env.GITHUB_EVENT_NAME ?? '')) return undefined;
  const repository = repositoryOf(env.GITHUB_REPOSITORY ?? '');
  const path = env.GITHUB_EVENT_PATH ?? '';
  if (path === '') throw new InputError('GITHUB_EVENT_PATH is not set: no event payload to read');
  let payload: unknown;
  try {
    payload = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new InputError(`reading the event payload ${path}: ${errorMessage(err)}`);
  }
  const pr =
    typeof payload === 'object' && payload !== null
      ? Reflect.get(payload, 'pull_request')
      : undefined;
  const number: unknown =
    typeof pr === 'object' && pr !== null ? Reflect.get(pr, 'number') : undefined;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number <= 0) {
    throw new InputError(`the event payload ${path} has no pull_request.number`);
  }
  return { repository, number };
}

/** repositoryOf reads GITHUB_REPOSITORY, `owner/repo`, as GitHub spells names. */
export function repositoryOf(value: string): Repository {
  const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(value);
  const dots = (s: string | undefined) => s === '.' || s === '..';
  if (m === null || dots(m[1]) || dots(m[2])) {
    throw new InputError(`GITHUB_REPOSITORY is ${JSON.stringify(value)}, not owner/repo`);
  }
  return { owner: m[1] ?? '', repo: m[2] ?? '' };
}

/** apiUrlOf is the REST API's base URL: GITHUB_API_URL, else https://api.github.com. */
export function apiUrlOf(env: NodeJS.ProcessEnv): URL {
  const value = env.GITHUB_API_URL || 'https://api.github.com';
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new InputError(`GITHUB_API_URL is ${JSON.stringify(value)}, not an http(s) URL`);
  }
  return url;
}

/**
 * runUrlOf is the page of the workflow run (GITHUB_SERVER_URL/GITHUB_REPOSITORY/actions/
 * runs/GITHUB_RUN_ID), where the job summary and the log are; undefined when the runner
 * did not say.
 */
export function runUrlOf(env: NodeJS.ProcessEnv, repository: Repository): string | undefined {
  const id = env.GITHUB_RUN_ID ?? '';
  if (!/^[0-9]+$/.test(id)) return undefined;
  try {
    const server = new URL(env.GITHUB_SERVER_URL || 'https://github.com');
    if (server.protocol !== 'https:' && server.protocol !== 'http:') return undefined;
    const path = `${server.pathname.replace(/\/+$/, '')}/${repository.owner}/${repository.repo}`;
    return new URL(`${server.origin}${path}/actions/runs/${id}`).href;
  } catch {
    return undefined;
  }
}
