import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Report } from '../check/summary.js';
import type { IssueComment, IssueComments } from './github-api.js';

/** StickyComment is the comment to keep on a pull request, and whether to start one. */
export interface StickyComment {
  /** the first line that finds the comment again (commentMarker) */
  readonly marker: string;
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
 * that begins with the marker and was written by the token's own user is updated in place
 * (or left alone when it already says this); without one, a comment is created when
 * `create` says so. Anyone can write the marker in a comment of theirs: such a comment is
 * never touched, whatever the token might be allowed to edit.
 */
export async function upsertStickyComment(
  api: IssueComments,
  issue: number,
  comment: StickyComment,
): Promise<CommentOutcome> {
  const own = await findOwnComment(api, issue, comment.marker);
  if (own !== undefined) {
    if (own.body.replace(/\r\n/g, '\n') === comment.body) {
      return { kind: 'unchanged', url: own.url };
    }
    return { kind: 'updated', url: (await api.update(own.id, comment.body)).url };
  }
  if (!comment.create) return { kind: 'none' };
  return { kind: 'created', url: (await api.create(issue, comment.body)).url };
}

/** findOwnComment pages through the comments; who the token is is asked once, when needed. */
async function findOwnComment(
  api: IssueComments,
  issue: number,
  marker: string,
): Promise<IssueComment | undefined> {
  let viewer: number | undefined;
  for await (const page of api.list(issue)) {
    for (const c of page) {
      if (!hasMarker(c.body, marker)) continue;
      viewer ??= await api.viewerId();
      if (c.authorId === viewer) return c;
    }
  }
  return undefined;
}

/** hasMarker reports a body whose first line is the marker. */
export function hasMarker(body: string, marker: string): boolean {
  if (!body.startsWith(marker)) return false;
  const after = body.slice(marker.length);
  return after === '' || after.startsWith('\n') || after.startsWith('\r\n');
}

/**
 * commentMarker is the hidden first line of the comment for one checked folder, so two
 * modguard steps on one pull request keep a comment each: an HTML comment, rendered as
 * nothing, whose folder is percent-encoded (no `>` can end it early).
 */
export function commentMarker(directory: string): string {
  return `<!-- modguard:comment dir=${encodeURIComponent(directory).replace(/%2F/g, '/')} -->`;
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
