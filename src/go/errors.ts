import { ModguardError } from '../errors.js';

/**
 * GoErrorCode names what was wrong with a piece of Go vocabulary: a module path,
 * a version, a file path, a go.sum or go.mod line, or a Go environment value.
 */
export type GoErrorCode =
  | 'INVALID_PATH'
  | 'INVALID_IMPORT_PATH'
  | 'INVALID_FILE_PATH'
  | 'INVALID_VERSION'
  | 'INVALID_PSEUDO_VERSION'
  | 'INVALID_ESCAPE'
  | 'GOSUM_SYNTAX'
  | 'GOMOD_SYNTAX'
  | 'GOPROXY_SYNTAX'
  | 'GOSUMDB_SYNTAX'
  | 'GOENV_SYNTAX';

/** GoErrorLocation says where in a file the error was found, when it came from a file. */
export interface GoErrorLocation {
  readonly file?: string;
  readonly line?: number;
}

/**
 * GoError reports Go vocabulary that the go command itself would refuse. It is
 * always kind 'invalid'; the message names `file:line` when a location is given.
 */
export class GoError extends ModguardError {
  declare readonly code: GoErrorCode;
  readonly file: string | undefined;
  readonly line: number | undefined;

  constructor(
    code: GoErrorCode,
    message: string,
    location: GoErrorLocation = {},
    options?: { cause?: unknown },
  ) {
    super(code, 'invalid', withLocation(message, location), options);
    this.file = location.file;
    this.line = location.line;
  }
}

function withLocation(message: string, { file, line }: GoErrorLocation): string {
  if (file === undefined) return message;
  if (line === undefined) return `${file}: ${message}`;
  return `${file}:${line}: ${message}`;
}

/** quote renders a string the way Go's %q does for printable ASCII, for error messages. */
export function quote(s: string): string {
  return JSON.stringify(s);
}
