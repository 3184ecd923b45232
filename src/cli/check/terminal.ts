import { constants as osConstants } from 'node:os';

/** StreamLike is the part of a writable stream the terminal decisions look at. */
export interface StreamLike {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * useColor decides whether the text report is coloured: only when it goes to a
 * terminal (not to --output, not to a pipe), and never when NO_COLOR is present in the
 * environment, whatever its value (no-color.org: "when present and not an empty
 * string"; modguard also honours an empty one, as many tools do), nor with TERM=dumb.
 */
export function useColor(stream: StreamLike, env: NodeJS.ProcessEnv, toFile: boolean): boolean {
  if (toFile || stream.isTTY !== true) return false;
  if ('NO_COLOR' in env) return false;
  return env['TERM'] !== 'dumb';
}

/** ProgressOptions: when a run counts as long, and how often the line is redrawn. */
export interface ProgressOptions {
  /** the line appears only once the run has lasted this long; default 1 s */
  readonly afterMs?: number;
  /** the least time between two redraws; default 100 ms */
  readonly everyMs?: number;
  readonly now?: () => number;
}

/** Progress is the "checked N/M go.sum lines" line: update it per line, end it once. */
export interface Progress {
  update(done: number, total: number): void;
  done(): void;
}

/**
 * progressLine writes "modguard: checked N/M go.sum lines" to `stream`, redrawn in
 * place with a carriage return, only when `stream` is a terminal and only for long
 * runs (after `afterMs`), so pipes, CI logs and quick runs stay clean. done() ends the
 * line with a newline if anything was drawn.
 */
export function progressLine(stream: StreamLike, options: ProgressOptions = {}): Progress {
  const now = options.now ?? Date.now;
  const start = now();
  const afterMs = options.afterMs ?? 1000;
  const everyMs = options.everyMs ?? 100;
  let last = Number.NEGATIVE_INFINITY;
  let shown = false;
  return {
    update: (done, total) => {
      const t = now();
      if (stream.isTTY !== true || t - start < afterMs) return;
      if (t - last < everyMs && done < total) return;
      last = t;
      shown = true;
      stream.write(`\rmodguard: checked ${done}/${total} go.sum lines`);
    },
    done: () => {
      if (shown) stream.write('\n');
    },
  };
}

/** TERMINATE_GRACE_MS bounds the cleanup an interrupted run does before it ends. */
const TERMINATE_GRACE_MS = 3000;

/** Termination is a run's SIGINT and SIGTERM handling: which arrived, and its end. */
export interface Termination {
  /** the signal that arrived, once one has */
  readonly signal: NodeJS.Signals | undefined;
  /** stop removes the handlers */
  stop(): void;
}

/**
 * onTerminate runs cleanup when SIGINT or SIGTERM arrives, then ends the process as
 * the signal would have: the handlers are removed and the signal raised again. A
 * second signal ends it at once, and so does a cleanup that takes more than a few
 * seconds. The handlers stay while the cleanup runs: execa's child cleanup
 * (signal-exit, listening while a git child runs) ends the process at once when it
 * finds itself the only listener. Stop it once the run has nothing left to lose.
 */
export function onTerminate(cleanup: () => Promise<void>): Termination {
  let arrived: NodeJS.Signals | undefined;
  const raise = (signal: NodeJS.Signals): void => {
    stop();
    process.kill(process.pid, signal);
  };
  const handler = (signal: NodeJS.Signals): void => {
    if (arrived !== undefined) return raise(signal);
    arrived = signal;
    const grace = new Promise<void>((resolve) => setTimeout(resolve, TERMINATE_GRACE_MS).unref());
    void Promise.race([cleanup().catch(() => undefined), grace]).finally(() => raise(signal));
  };
  const stop = (): void => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    get signal() {
      return arrived;
    },
    stop,
  };
}

/** signalStatus is the exit status a shell gives a process a signal ended: 128 + its number. */
export function signalStatus(signal: NodeJS.Signals): number {
  return 128 + (osConstants.signals[signal] ?? 0);
}
