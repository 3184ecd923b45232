import { randomUUID } from 'node:crypto';
import * as core from '@actions/core';
import { errorMessage } from '../errors.js';
import { parseCheckOptions } from '../cli/check/options.js';
import { checkAndReport } from '../cli/commands/check.js';
import { loadGoEnv } from '../toolchain/goenv.js';
import type { Report } from '../check/summary.js';
import { annotations, renderJobSummary } from '../report/github.js';
import { writePullRequestComment } from './comment.js';
import { parseCommentKey, parseMatrix } from './leg.js';
import {
  checkArgs,
  Inputs,
  Outputs,
  parseCommentMode,
  splitList,
  type ActionInputs,
} from './inputs.js';

/**
 * readInputs reads action.yml's inputs once into a typed value. The token is masked first:
 * from then on the runner prints `***` wherever it would appear in the log.
 */
function readInputs(): ActionInputs {
  const githubToken = core.getInput(Inputs.GitHubToken);
  if (githubToken !== '') core.setSecret(githubToken);
  const sumdb = core.getInput(Inputs.Sumdb).trim();
  const commentKey = parseCommentKey(core.getInput(Inputs.CommentKey));
  const matrix = parseMatrix(core.getInput(Inputs.Matrix));
  return {
    workingDirectory: core.getInput(Inputs.WorkingDirectory) || '.',
    proxies: splitList(core.getInput(Inputs.Proxies)),
    ...(sumdb === '' ? {} : { sumdb }),
    failOn: core.getInput(Inputs.FailOn) || 'error',
    comment: parseCommentMode(core.getInput(Inputs.Comment)),
    ...(commentKey === undefined ? {} : { commentKey }),
    ...(matrix === undefined ? {} : { matrix }),
    githubToken,
  };
}

/**
 * run is the GitHub Action's entry: read the inputs once, run `modguard check` on the
 * working directory with the text report in the log, annotate the go.sum lines of its
 * findings, write the job summary and the pull-request comment, set the outputs, and fail
 * the step when the check fails (exit status 1) or cannot run.
 */
export async function run(): Promise<void> {
  try {
    const inputs = readInputs();
    const options = await parseCheckOptions(checkArgs(inputs));
    const env = loadGoEnv({ processEnv: process.env }).then((e) => e.env);
    const io = { stdout: process.stdout, stderr: process.stderr, env: process.env };
    const { report, status } = await withCommandsStopped(() => checkAndReport(options, env, io));
    annotate(report);
    await writeJobSummary(report);
    await writePullRequestComment(report, inputs, process.env);
    core.setOutput(Outputs.Findings, report.summary.findings);
    core.setOutput(Outputs.Verified, report.summary.verified);
    if (status !== 0) {
      const { findings, inconclusive } = report.summary;
      const counts = `${findings} finding(s), ${inconclusive} inconclusive line(s)`;
      core.setFailed(`modguard: the check failed: ${counts}; see the report above`);
    }
  } catch (err) {
    core.setFailed(`modguard: ${errorMessage(err)}`);
  }
}

/**
 * withCommandsStopped runs `work` with the runner's workflow commands stopped
 * (`::stop-commands::TOKEN` … `::TOKEN::`, docs.github.com "Stopping and starting
 * workflow commands"). The report quotes go.sum and what servers said, and the runner
 * acts on a log line that starts with `::cmd::` or holds `##[cmd]` anywhere
 * (actions/runner ActionCommandManager); the token is random, so quoted text cannot
 * resume commands either.
 */
async function withCommandsStopped<T>(work: () => Promise<T>): Promise<T> {
  const token = randomUUID();
  process.stdout.write(`::stop-commands::${token}\n`);
  try {
    return await work();
  } finally {
    process.stdout.write(`::${token}::\n`);
  }
}

/**
 * annotate issues one annotation per finding, on its go.sum line (file names are relative
 * to the repository root, as the runner resolves them when the repository is checked out
 * at the workspace root). GitHub shows the first few of each kind per step; the job
 * summary and the log have them all.
 */
function annotate(report: Report): void {
  const issue = { error: core.error, warning: core.warning, notice: core.notice };
  for (const a of annotations(report)) {
    issue[a.level](a.message, {
      title: a.title,
      file: a.file,
      ...(a.line === undefined ? {} : { startLine: a.line }),
    });
  }
}

/**
 * writeJobSummary appends the report to the step's job summary, when the runner gives
 * one. A summary that cannot be written is a warning: the step's outcome is the check's.
 */
async function writeJobSummary(report: Report): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    await core.summary.addRaw(renderJobSummary(report)).write();
  } catch (err) {
    core.warning(`modguard: the job summary could not be written: ${errorMessage(err)}`);
  }
}
