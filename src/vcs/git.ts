import { execa } from 'execa';
import { ModguardError, type ErrorKind } from '../errors.js';

/** GitOptions: the git directory or work tree to run in, extra environment, stdout to a file. */
export interface GitOptions {
  readonly cwd?: string;
  readonly env?: Record<string, string>;
  readonly stdoutFile?: string;
}

/**
 * runGit runs git with an argument array (never a shell string) and returns stdout as
 * bytes. A failure is a GitError naming the git subcommand and git's own message.
 */
export async function runGit(args: readonly string[], options: GitOptions = {}): Promise<Buffer> {
  const result = await execGit(args, options);
  if (result.exitCode !== 0) throw gitFailed(args, result);
  return Buffer.from(result.stdout ?? new Uint8Array());
}

/**
 * gitAnswers runs a git command that answers yes or no with its exit status, as
 * `merge-base --is-ancestor` does: true for 0, false for 1; any other end is a GitError.
 */
export async function gitAnswers(
  args: readonly string[],
  options: GitOptions = {},
): Promise<boolean> {
  const result = await execGit(args, options);
  if (result.exitCode === 0 || result.exitCode === 1) return result.exitCode === 0;
  throw gitFailed(args, result);
}

type GitResult = Awaited<ReturnType<typeof execGit>>;

function execGit(args: readonly string[], options: GitOptions) {
  return execa('git', args, {
    cwd: options.cwd,
    env: { ...gitEnvironment(), ...options.env },
    extendEnv: false,
    encoding: 'buffer',
    stripFinalNewline: false,
    reject: false,
    stdin: 'ignore',
    ...(options.stdoutFile !== undefined ? { stdout: { file: options.stdoutFile } } : {}),
  });
}

function gitFailed(args: readonly string[], result: GitResult): GitError {
  const stderr = Buffer.from(result.stderr ?? new Uint8Array())
    .toString('utf8')
    .trim();
  return new GitError(
    'GIT_FAILED',
    `git ${args[0] ?? ''} failed: ${stderr || result.shortMessage}`,
  );
}

/**
 * gitEnvironment is the process environment without the variables that would point
 * git at another repository, object store or index than the one named by cwd, and
 * with prompts off. Global and system config stay: the go command inherits them too.
 */
function gitEnvironment(): Record<string, string> {
  const env: Record<string, string> = { GIT_TERMINAL_PROMPT: '0' };
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || OVERRIDES.has(k)) continue;
    env[k] = v;
  }
  return env;
}

const OVERRIDES = new Set([
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
  'GIT_CEILING_DIRECTORIES',
  'GIT_ATTR_SOURCE',
]);

/** GitErrorCode names why a repository could not give a module. */
export type GitErrorCode =
  | 'GIT_FAILED'
  | 'NO_REPOSITORY'
  | 'NO_SUCH_REVISION'
  | 'UNSUPPORTED_VCS'
  | 'BAD_MODULE_DIR'
  | 'BAD_ARCHIVE'
  | 'REVISION_MISMATCH';

const KINDS: Record<GitErrorCode, ErrorKind> = {
  GIT_FAILED: 'unavailable',
  NO_REPOSITORY: 'unavailable',
  NO_SUCH_REVISION: 'unavailable',
  UNSUPPORTED_VCS: 'unavailable',
  BAD_MODULE_DIR: 'invalid',
  BAD_ARCHIVE: 'invalid',
  REVISION_MISMATCH: 'invalid',
};

/**
 * GitError reports a repository that could not give the module: git failed or the
 * revision is missing ('unavailable': the git witness is inconclusive), or the tree at
 * that revision is not a valid module for the version asked ('invalid').
 */
export class GitError extends ModguardError {
  declare readonly code: GitErrorCode;

  constructor(code: GitErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, KINDS[code], message, options);
  }
}
