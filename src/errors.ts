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

export class ModguardError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;

  constructor(code: string, kind: ErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.kind = kind;
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
