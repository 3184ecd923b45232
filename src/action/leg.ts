import { UsageError } from '../errors.js';

/**
 * Matrix is one leg's values of a job's `strategy.matrix`, as `toJSON(matrix)` gives them
 * (docs.github.com "Contexts reference", matrix context), in the workflow's order.
 */
export type Matrix = Readonly<Record<string, unknown>>;

/**
 * JobLeg says which job leg a run is, for the pull-request comment: each leg keeps a
 * comment of its own. The runner gives the workflow's name (GITHUB_WORKFLOW) and the job's
 * id (GITHUB_JOB), the same for every leg of a matrix; the leg's matrix values reach the
 * Action only through an input whose default is `${{ toJSON(matrix) }}` (action.yml: an
 * input's default may use the github, strategy, matrix, job and runner contexts, as
 * actions/runner's action_yaml.json `input-default-context` lists them).
 */
export interface JobLeg {
  /** the marker's fields after the folder's: what tells this leg's comment from others */
  readonly fields: readonly string[];
  /** what the comment's heading calls the leg; undefined for a job without a matrix */
  readonly label: string | undefined;
  /**
   * a comment with the folder's marker alone (written before comments were kept per leg)
   * is this leg's: true only for a job without a matrix and without a comment-key, the one
   * job such a comment can have been for alone
   */
  readonly adoptsFolderComment: boolean;
}

/** MAX_KEY_CHARS bounds the comment-key input: it is a name, shown in the heading. */
const MAX_KEY_CHARS = 200;

/**
 * jobLeg is the leg a run is: the comment-key input when one is given (the workflow author
 * names the comment, and steps or workflows that give the same key share it); else the
 * workflow, the job and the matrix values, which stay the same across re-runs and pushes.
 */
export function jobLeg(
  commentKey: string | undefined,
  matrix: Matrix | undefined,
  env: NodeJS.ProcessEnv,
): JobLeg {
  if (commentKey !== undefined) {
    return {
      fields: [`key=${markerText(commentKey)}`],
      label: commentKey,
      adoptsFolderComment: false,
    };
  }
  const workflow = env.GITHUB_WORKFLOW ?? '';
  const job = env.GITHUB_JOB ?? '';
  const fields = [
    ...(workflow === '' ? [] : [`workflow=${markerText(workflow)}`]),
    ...(job === '' ? [] : [`job=${markerText(job)}`]),
    ...(matrix === undefined ? [] : [`matrix=${markerText(canonicalJson(matrix))}`]),
  ];
  if (matrix === undefined) return { fields, label: undefined, adoptsFolderComment: true };
  const values = Object.values(matrix).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  // as GitHub names a matrix leg in the checks list: `job (value, value)`
  const label = `${job === '' ? '' : `${job} `}(${values.join(', ')})`;
  return { fields, label, adoptsFolderComment: false };
}

/**
 * markerText percent-encodes a marker field's value: no space ends the field, and no `>`
 * ends the HTML comment early. `/` is kept, to read.
 */
export function markerText(value: string): string {
  return encodeURIComponent(value).replace(/%2F/g, '/');
}

/** parseCommentKey reads the comment-key input: empty is none; one line, at most MAX_KEY_CHARS. */
export function parseCommentKey(value: string): string | undefined {
  const key = value.trim();
  if (key === '') return undefined;
  if (key.length > MAX_KEY_CHARS || /\p{Cc}/u.test(key)) {
    throw new UsageError(
      `the comment-key input must be one line of at most ${MAX_KEY_CHARS} characters`,
    );
  }
  return key;
}

/**
 * parseMatrix reads the matrix input, `${{ toJSON(matrix) }}` by default: empty, `null`
 * (a job without a matrix) and `{}` are none; anything but a JSON object is an error.
 */
export function parseMatrix(value: string): Matrix | undefined {
  const text = value.trim();
  if (text === '' || text === 'null') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(
      "the matrix input must be the job's matrix as JSON (its default, ${{ toJSON(matrix) }}), not " +
        JSON.stringify(text.slice(0, 100)),
    );
  }
  return Object.keys(parsed).length === 0 ? undefined : (parsed as Matrix);
}

/** canonicalJson is value as compact JSON with every object's keys sorted: one spelling per value. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
