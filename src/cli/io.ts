/** CliIO is everything a command may touch of its process: streams and environment. */
export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

/** Command is one `modguard` subcommand. `run` returns the process exit status. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], io: CliIO): Promise<number>;
}

/** Exit statuses shared by every command. */
export const Exit = {
  ok: 0,
  /** a refused input, a failed verification, or findings at or above --fail-on */
  failed: 1,
  /** bad usage or an internal error */
  usage: 2,
} as const;
