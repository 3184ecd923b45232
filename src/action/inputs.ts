import { UsageError } from '../errors.js';
import type { Matrix } from './leg.js';

/** Inputs names every input of action.yml, in one place. */
export enum Inputs {
  WorkingDirectory = 'working-directory',
  Proxies = 'proxies',
  Sumdb = 'sumdb',
  FailOn = 'fail-on',
  Comment = 'comment',
  CommentKey = 'comment-key',
  Matrix = 'matrix',
  GitHubToken = 'github-token',
}

/** Outputs names every output of action.yml. */
export enum Outputs {
  Findings = 'findings',
  Verified = 'verified',
}

/** CheckInputs are the inputs `modguard check` is run with. */
export interface CheckInputs {
  readonly workingDirectory: string;
  readonly proxies: readonly string[];
  readonly sumdb?: string;
  readonly failOn: string;
}

/** ActionInputs is action.yml's inputs read once. */
export interface ActionInputs extends CheckInputs {
  readonly comment: CommentMode;
  /** the comment-key input: names the comment in place of the workflow, job and matrix */
  readonly commentKey?: string;
  /** the matrix input: this job leg's matrix values, undefined for a job without a matrix */
  readonly matrix?: Matrix;
  /** the token the comment is written with; a secret, masked in the log once read */
  readonly githubToken: string;
}

/**
 * CommentMode is the comment input: `auto` writes the pull-request comment on a
 * pull_request or pull_request_target event when there is something to say (a finding or
 * an inconclusive line), or an earlier comment to bring up to date; `always` writes it on
 * those events even when the check is clean; `off` never does.
 */
export type CommentMode = 'auto' | 'always' | 'off';

const COMMENT_MODES: readonly CommentMode[] = ['auto', 'always', 'off'];

/** parseCommentMode reads the comment input: empty is `auto`, anything unknown an error. */
export function parseCommentMode(value: string): CommentMode {
  const mode = value === '' ? 'auto' : COMMENT_MODES.find((m) => m === value);
  if (mode === undefined) {
    throw new UsageError(
      `the comment input must be one of ${COMMENT_MODES.join(', ')}, not ${JSON.stringify(value)}`,
    );
  }
  return mode;
}

/**
 * checkArgs turns the Action's inputs into `modguard check` arguments, so the Action
 * and the command validate them in one place (src/cli/check/options.ts): a bad value is
 * a usage error there, never a silent default here.
 */
export function checkArgs(inputs: CheckInputs): string[] {
  // An empty list would leave `check` to its public defaults: say so instead.
  if (inputs.proxies.length === 0) {
    throw new UsageError(
      'the proxies input is empty: give GOPROXY URLs one per line, or leave it out for the defaults',
    );
  }
  const args = ['--dir', inputs.workingDirectory, '--fail-on', inputs.failOn];
  for (const p of inputs.proxies) args.push('--proxy', p);
  if (inputs.sumdb !== undefined) args.push('--sumdb', inputs.sumdb);
  return args;
}

/** splitList reads a multi-line or comma-separated input into its non-empty entries. */
export function splitList(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
