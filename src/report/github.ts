import { SEVERITIES, type Finding, type Severity } from '../check/findings.js';
import type { Report } from '../check/summary.js';
import { clean, location, summaryLine } from './text.js';

/**
 * Annotation is one finding as a GitHub annotation: the workflow command of its severity
 * (`error`, `warning` and `notice` are the names GitHub uses too), on the go.sum line the
 * finding is about. The runner escapes nothing itself: whoever issues the command
 * (@actions/core) escapes message and properties, so a newline in a witness's text cannot
 * start a command of its own.
 */
export interface Annotation {
  readonly level: Severity;
  readonly title: string;
  readonly message: string;
  /** the file, relative to the repository root (as findings name files inside git) */
  readonly file: string;
  readonly line: number | undefined;
}

/** annotations are the report's findings as annotations, errors first (the report's order). */
export function annotations(report: Report): Annotation[] {
  return report.findings.map((f) => ({
    level: f.severity,
    title: `modguard ${f.code}: ${clean(f.title)}`,
    message: clean(`${f.detail}\n\nRemedy: ${f.remedy}`),
    file: f.file,
    line: f.line ?? undefined,
  }));
}

/** SUMMARY_ROWS: the job summary's table lists at most this many findings. */
export const SUMMARY_ROWS = 200;
/** SUMMARY_DETAILS: the job summary gives the detail, evidence and remedy of at most this many. */
export const SUMMARY_DETAILS = 50;

/**
 * renderJobSummary renders the report as the step's job summary (GitHub-flavoured
 * Markdown): a heading (`modguard: 2 findings`, its title given for a comment that names
 * its job leg), the summary line, a table of findings (severity, code, where, module,
 * title), then each finding's detail, evidence and remedy. Every piece of text is
 * escaped (markdownText): module paths, file names and witnesses' messages come from
 * outside, and must not make links, images, mentions or HTML. The table and the details
 * are capped (SUMMARY_ROWS, SUMMARY_DETAILS; GitHub takes at most 1 MiB a step), saying
 * how many more the log's report holds.
 */
export function renderJobSummary(report: Report, title = 'modguard'): string {
  const { findings } = report;
  const heading =
    findings.length === 0
      ? `${title}: no findings`
      : `${title}: ${findings.length} ${findings.length === 1 ? 'finding' : 'findings'}`;
  const out = [`## ${markdownText(heading)}`, '', markdownText(summaryLine(report)), ''];
  if (findings.length === 0) return `${out.join('\n')}\n`;
  out.push('| Severity | Code | Where | Module | Finding |', '| --- | --- | --- | --- | --- |');
  for (const f of findings.slice(0, SUMMARY_ROWS)) {
    const cells = [f.severity, f.code, location(f), moduleOf(f), f.title].map(markdownText);
    out.push(`| ${cells.join(' | ')} |`);
  }
  out.push('', ...more(findings.length - SUMMARY_ROWS, 'in the table'));
  for (const severity of SEVERITIES) {
    const group = findings.slice(0, SUMMARY_DETAILS).filter((f) => f.severity === severity);
    for (const f of group) out.push(...details(f));
  }
  out.push(...more(findings.length - SUMMARY_DETAILS, 'with their details'));
  return `${out.join('\n')}\n`;
}

/**
 * COMMENT_MAX_CHARS: the longest issue or pull-request comment GitHub takes (the REST API
 * refuses a longer one: "body is too long (maximum is 65536 characters)").
 */
export const COMMENT_MAX_CHARS = 65_536;

/** CommentOptions: what the pull-request comment says besides the report. */
export interface CommentOptions {
  /** the comment's first line, an HTML comment (rendered as nothing) that finds it again */
  readonly marker: string;
  /** the folder checked, relative to the workspace: `.` is the repository root */
  readonly directory: string;
  /** the job leg the comment is for, named in its heading: a matrix leg, or a comment-key */
  readonly leg?: string;
  /** the workflow run's page, whose job summary and log hold the whole report */
  readonly runUrl?: string;
}

/**
 * renderPullRequestComment renders the report as the body of the pull-request comment:
 * the marker line, the job summary (renderJobSummary: the comment says what the summary
 * says; its heading names the job leg, when given), then a line naming the folder
 * checked and the run. A body longer than GitHub
 * takes (COMMENT_MAX_CHARS; counted here in UTF-16 code units, never fewer than the
 * characters GitHub counts) is cut after the last whole line that fits, followed by a
 * line saying so and where the rest is.
 */
export function renderPullRequestComment(report: Report, options: CommentOptions): string {
  const head = `${options.marker}\n`;
  const summary = renderJobSummary(
    report,
    options.leg === undefined ? undefined : `modguard · ${options.leg}`,
  );
  const where = options.directory === '.' ? 'the repository root' : markdownText(options.directory);
  const run = options.runUrl === undefined ? '' : ` · ${runLink(options.runUrl)}`;
  const foot = `\n<sub>modguard checked go.sum in ${where}${run}</sub>\n`;
  if (head.length + summary.length + foot.length <= COMMENT_MAX_CHARS) {
    return head + summary + foot;
  }
  const rest =
    options.runUrl === undefined
      ? 'the job summary'
      : `the job summary of the ${runLink(options.runUrl)}`;
  const cut =
    `\n**This comment stops here**: GitHub takes at most 65,536 characters in a comment. ` +
    `The rest of the report is in ${rest}, and all of it in the step's log.\n`;
  const room = COMMENT_MAX_CHARS - head.length - cut.length - foot.length;
  const kept = summary.slice(0, summary.lastIndexOf('\n', room - 1) + 1);
  return head + kept + cut + foot;
}

/**
 * runLink links the run's page. The URL is the runner's (GITHUB_SERVER_URL…), not outside
 * text; what would end a Markdown link destination early is percent-encoded all the same.
 */
function runLink(url: string): string {
  const target = url.replace(
    /[\s()<>]/g,
    (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`,
  );
  return `[workflow run](${target})`;
}

function details(f: Finding): string[] {
  const lines = [
    `### ${markdownText(`${f.severity} ${f.code}: ${f.title}`)}`,
    '',
    markdownText(`${location(f)}${f.module === null ? '' : ` · ${moduleOf(f)}`}`),
    '',
    markdownText(f.detail),
    '',
  ];
  if (f.evidence.length > 0) {
    lines.push('| Witness | URL | h1 or error |', '| --- | --- | --- |');
    for (const e of f.evidence) {
      const cells = [e.witness, e.url ?? '', e.h1 ?? e.error ?? ''].map(markdownText);
      lines.push(`| ${cells.join(' | ')} |`);
    }
    lines.push('');
  }
  lines.push(`Remedy: ${markdownText(f.remedy)}`, '');
  return lines;
}

function more(n: number, what: string): string[] {
  return n > 0
    ? [
        `${n} more ${n === 1 ? 'finding' : 'findings'} than shown ${what}: see the report in the step's log.`,
        '',
      ]
    : [];
}

function moduleOf(f: Finding): string {
  if (f.module === null) return '';
  const kind = f.kind === 'go.mod' ? '/go.mod' : '';
  return f.version === null ? f.module : `${f.module} ${f.version}${kind}`;
}

/**
 * markdownText is text as Markdown that renders as that text and nothing else: control
 * characters replaced (as in the terminal report), lines joined (a table cell or a
 * heading is one line), and each character that could start Markdown or HTML
 * backslash-escaped (MARKDOWN_SPECIAL; CommonMark allows escaping any ASCII
 * punctuation): so no emphasis, code, link, image, heading, bullet, quote, HTML, entity,
 * math, table cell break (`|`) or mention (`@`) can come from the text.
 */
export function markdownText(s: string): string {
  return clean(s)
    .replace(/\s*\n\s*/g, ' ')
    .replace(MARKDOWN_SPECIAL, (c) => `\\${c}`);
}

/** MARKDOWN_SPECIAL: the characters markdownText escapes. */
export const MARKDOWN_SPECIAL = /[\\`*_{}[\]()<>#+\-!|~@&$]/g;
