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
  | 'GOENV_SYNTAX'
  | 'CGI_HTTP_PROXY';

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

/**
 * quote renders a string as Go's %q (strconv.Quote) does, for error messages: printable
 * characters as themselves, the rest escaped. A byte that is not UTF-8, spelled as a
 * lone surrogate U+DC80–U+DCFF (see spellBytes), is the \xNN Go writes for it.
 */
export function quote(s: string): string {
  return `"${s.replace(UNPRINTABLE, escapeChar)}"`;
}

// Go's strconv.IsPrint: letters, marks, numbers, punctuation, symbols and ASCII space.
const UNPRINTABLE = /["\\]|[^\p{L}\p{M}\p{N}\p{P}\p{S} ]/gu;
const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
};

function escapeChar(c: string): string {
  const short = SHORT_ESCAPES[c];
  if (short !== undefined) return short;
  const cp = c.codePointAt(0) ?? 0;
  if (cp < 0x80) return `\\x${hex(cp, 2)}`;
  if (cp >= 0xdc80 && cp <= 0xdcff) return `\\x${hex(cp - 0xdc00, 2)}`;
  if (cp >= 0xd800 && cp <= 0xdfff) return '\\ufffd';
  return cp > 0xffff ? `\\U${hex(cp, 8)}` : `\\u${hex(cp, 4)}`;
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
