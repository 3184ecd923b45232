/**
 * ModguardError is the root of every error modguard raises on purpose. Each domain
 * (go vocabulary, hashing, sumdb, proxy, vcs, usage) has its own subclass with a
 * string-union `code`, so callers branch on codes, never on message text.
 *
 * `kind` says what the error means for a verdict (ARCHITECTURE.md, "fail closed"):
 *   - 'invalid'      the input is malformed or refused (a go.sum line, a zip, a note);
 *   - 'verification' a witness's evidence failed verification (bad signature, bad proof);
 *   - 'unavailable'  a witness could not answer: the result is inconclusive, never verified;
 *   - 'usage'        modguard was called wrong (exit status 2).
 */
export type ErrorKind = 'invalid' | 'verification' | 'unavailable' | 'usage';

/** ModguardErrorOptions: what caused an error, and where on this machine it is, if it is. */
export interface ModguardErrorOptions {
  readonly cause?: unknown;
  /**
   * local names the file or folder on this machine whose failure this is (a cache or
   * temporary file that could not be read, written or locked): the witness is not at
   * fault, and the remedy is here, not in the network. Set where the file is touched,
   * so nothing has to read it back out of a message.
   */
  readonly local?: string;
}

export class ModguardError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly local: string | undefined;

  constructor(code: string, kind: ErrorKind, message: string, options?: ModguardErrorOptions) {
    super(
      message,
      options !== undefined && 'cause' in options ? { cause: options.cause } : undefined,
    );
    this.name = new.target.name;
    this.code = code;
    this.kind = kind;
    this.local = options?.local;
  }
}

/** UsageError reports a command called wrong: unknown flag, missing argument, bad value. */
export class UsageError extends ModguardError {
  constructor(message: string) {
    super('USAGE', 'usage', message);
  }
}

/**
 * InputError is an input file that cannot be used (unreadable, malformed, missing): exit
 * status 2 like a usage error, but the command line was right, so no usage is printed.
 */
export class InputError extends ModguardError {
  constructor(message: string) {
    super('INPUT', 'usage', message);
  }
}

/** errorMessage renders anything thrown as one line, for reports and stderr. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return `non-Error thrown: ${String(err)}`;
}
