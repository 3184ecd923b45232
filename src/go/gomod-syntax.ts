/**
 * The go.mod lexer and statement parser: golang.org/x/mod/modfile read.go (v0.7.0).
 * It turns text into lines of tokens with their comments; gomod.ts gives them meaning.
 * A lexical or structural error stops parsing, as in read.go (in.Error panics).
 */
import { GoError, quote } from './errors.js';
import { trimSpace, isGoSpace } from './strings.js';

/** ModComment is one `//` comment; an empty token marks a blank line inside a block. */
export interface ModComment {
  readonly token: string;
  readonly line: number;
}

/** ModLine is one directive line: its tokens, where it starts, and the comments read.go attaches to it. */
export interface ModLine {
  readonly tokens: string[];
  readonly line: number;
  before: ModComment[];
  suffix: ModComment[];
}

/** ModBlock is `verb (` … `)`: its lines and the comments before the verb. */
export interface ModBlock {
  readonly tokens: string[];
  readonly line: number;
  readonly lines: ModLine[];
  before: ModComment[];
  suffix: ModComment[];
}

export type ModStmt = { kind: 'line'; line: ModLine } | { kind: 'block'; block: ModBlock };

type Kind =
  | 'eof'
  | 'eolcomment'
  | 'comment'
  | 'ident'
  | 'string'
  | '\n'
  | '('
  | ')'
  | '['
  | ']'
  | '{'
  | '}'
  | ',';

interface Token {
  readonly kind: Kind;
  readonly text: string;
  readonly line: number;
}

const PUNCT = new Set(['\n', '(', ')', '[', ']', '{', '}', ',']);
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** isIdent is read.go isIdent: printable, not space, not one of ` ()[]{},`. */
function isIdent(c: string): boolean {
  if (c === '' || PUNCT.has(c) || c === ' ') return false;
  const cp = c.codePointAt(0) ?? 0;
  return !isGoSpace(cp) && PRINTABLE.test(c);
}

function isEOL(k: Kind): boolean {
  return k === 'eof' || k === 'eolcomment' || k === '\n';
}

/** Lexer is read.go's input: a cursor over the text producing one token of lookahead. */
class Lexer {
  private pos = 0;
  private lineNo = 1;
  token: Token = { kind: 'eof', text: '', line: 1 };
  lastComment: ModComment | undefined;

  constructor(
    private readonly text: string,
    readonly file: string,
  ) {}

  fail(message: string, line = this.lineNo): never {
    throw new GoError('GOMOD_SYNTAX', message, { file: this.file, line });
  }

  private readRune(): string {
    const cp = this.text.codePointAt(this.pos) ?? 0;
    const c = String.fromCodePoint(cp);
    this.pos += c.length;
    if (c === '\n') this.lineNo++;
    return c;
  }

  private peekRune(): string {
    if (this.pos >= this.text.length) return '';
    return String.fromCodePoint(this.text.codePointAt(this.pos) ?? 0);
  }

  /** lex returns the current token and reads the next. */
  lex(): Token {
    const tok = this.token;
    this.readToken();
    return tok;
  }

  readToken(): void {
    for (;;) {
      const c = this.peekRune();
      if (c === ' ' || c === '\t' || c === '\r') {
        this.readRune();
        continue;
      }
      if (this.text.startsWith('//', this.pos)) return this.readComment();
      if (this.text.startsWith('/*', this.pos))
        this.fail('mod files must use // comments (not /* */ comments)');
      break;
    }
    const start = this.pos;
    const line = this.lineNo;
    const c = this.peekRune();
    if (c === '') return void (this.token = { kind: 'eof', text: '', line });
    if (PUNCT.has(c)) {
      this.readRune();
      return void (this.token = { kind: c as Kind, text: c, line });
    }
    if (c === '"' || c === '`') return this.readString(c, start, line);
    if (!isIdent(c)) this.fail(`unexpected input character ${quote(c)}`);
    while (isIdent(this.peekRune())) {
      if (this.text.startsWith('//', this.pos)) break;
      if (this.text.startsWith('/*', this.pos))
        this.fail('mod files must use // comments (not /* */ comments)');
      this.readRune();
    }
    this.token = { kind: 'ident', text: this.text.slice(start, this.pos), line };
  }

  private readComment(): void {
    const start = this.pos;
    const line = this.lineNo;
    const lineStart = this.text.lastIndexOf('\n', start - 1) + 1;
    const suffix = trimSpace(this.text.slice(lineStart, start)) !== '';
    while (this.pos < this.text.length && this.readRune() !== '\n') {
      // read to the end of the line
    }
    let text = this.text.slice(start, this.pos);
    text = text.endsWith('\r\n')
      ? text.slice(0, -2)
      : text.endsWith('\n')
        ? text.slice(0, -1)
        : text;
    this.token = { kind: suffix ? 'eolcomment' : 'comment', text, line };
    if (suffix) this.lastComment = { token: text, line };
  }

  private readString(q: string, start: number, line: number): void {
    this.readRune();
    for (;;) {
      if (this.pos >= this.text.length) this.fail('unexpected EOF in string', line);
      if (this.peekRune() === '\n') this.fail('unexpected newline in string');
      const c = this.readRune();
      if (c === q) break;
      if (c === '\\' && q !== '`') {
        if (this.pos >= this.text.length) this.fail('unexpected EOF in string', line);
        this.readRune();
      }
    }
    this.token = { kind: 'string', text: this.text.slice(start, this.pos), line };
  }
}

/**
 * parseModSyntax splits go.mod text into statements (read.go parse, parseFile,
 * parseStmt, parseLineBlock, parseLine) and attaches comments as assignComments does:
 * full-line comments directly above a line or block are its `before`, a comment after
 * tokens on the same line is the `suffix` of the line it ends. Throws GoError
 * GOMOD_SYNTAX naming file:line at the first lexical or block error.
 */
export function parseModSyntax(text: string, file: string): ModStmt[] {
  const lx = new Lexer(text, file);
  lx.readToken();
  const stmts: ModStmt[] = [];
  let pending: ModComment[] | undefined;
  for (;;) {
    const k = lx.token.kind;
    if (k === 'eof') return stmts;
    if (k === '\n') {
      lx.lex();
      pending = undefined;
    } else if (k === 'comment') {
      const tok = lx.lex();
      (pending ??= []).push({ token: tok.text, line: tok.line });
    } else {
      const stmt = parseStmt(lx);
      const target = stmt.kind === 'line' ? stmt.line : stmt.block;
      if (pending !== undefined) target.before = pending;
      pending = undefined;
      stmts.push(stmt);
    }
  }
}

/** takeSuffix returns the end-of-line comment just lexed, when the token ending the line was one. */
function takeSuffix(lx: Lexer, end: Token): ModComment[] {
  if (end.kind !== 'eolcomment' || lx.lastComment === undefined) return [];
  return [lx.lastComment];
}

function parseStmt(lx: Lexer): ModStmt {
  const first = lx.lex();
  const tokens = [first.text];
  for (;;) {
    const tok = lx.lex();
    if (isEOL(tok.kind)) {
      return {
        kind: 'line',
        line: { tokens, line: first.line, before: [], suffix: takeSuffix(lx, tok) },
      };
    }
    if (tok.kind === '(') {
      const next = lx.token.kind;
      if (isEOL(next)) return { kind: 'block', block: parseLineBlock(lx, tokens, first.line) };
      if (next === ')') {
        const rparen = lx.lex();
        if (isEOL(lx.token.kind)) {
          const end = lx.lex();
          const block = {
            tokens,
            line: first.line,
            lines: [],
            before: [],
            suffix: takeSuffix(lx, end),
          };
          return { kind: 'block', block };
        }
        tokens.push(tok.text, rparen.text);
        continue;
      }
    }
    tokens.push(tok.text);
  }
}

function parseLineBlock(lx: Lexer, tokens: string[], line: number): ModBlock {
  const block: ModBlock = { tokens, line, lines: [], before: [], suffix: [] };
  let comments: ModComment[] = [];
  for (;;) {
    const k = lx.token.kind;
    if (k === 'eolcomment') {
      lx.lex();
    } else if (k === '\n') {
      const tok = lx.lex();
      const last = comments[comments.length - 1];
      if (
        (comments.length === 0 && block.lines.length > 0) ||
        (last !== undefined && last.token !== '')
      ) {
        comments.push({ token: '', line: tok.line });
      }
    } else if (k === 'comment') {
      const tok = lx.lex();
      comments.push({ token: tok.text, line: tok.line });
    } else if (k === 'eof') {
      lx.fail(`syntax error (unterminated block started at ${lx.file}:${line})`);
    } else if (k === ')') {
      lx.lex();
      if (!isEOL(lx.token.kind)) lx.fail('syntax error (expected newline after closing paren)');
      lx.lex();
      return block;
    } else {
      const l = parseLine(lx);
      l.before = comments;
      comments = [];
      block.lines.push(l);
    }
  }
}

function parseLine(lx: Lexer): ModLine {
  const first = lx.lex();
  const tokens = [first.text];
  for (;;) {
    const tok = lx.lex();
    if (isEOL(tok.kind))
      return { tokens, line: first.line, before: [], suffix: takeSuffix(lx, tok) };
    tokens.push(tok.text);
  }
}
