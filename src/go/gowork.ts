import { GoError } from './errors.js';
import { readGoWorkDirectives, type GoModReplace } from './gomod.js';
import { DirectiveError, parseString } from './gomod-args.js';
import { parseModSyntax, type ModLine } from './gomod-syntax.js';

/** GoWorkUse is one `use` directive: a module directory relative to go.work. */
export interface GoWorkUse {
  readonly dir: string;
  readonly line: number;
}

/** GoWork is the part of a go.work file modguard reads: module directories and replacements. */
export interface GoWork {
  readonly file: string;
  readonly use: readonly GoWorkUse[];
  /** replace directives, which override the workspace modules' own (go.dev/ref/mod#go-work-file-replace) */
  readonly replace: readonly GoModReplace[];
  readonly errors: readonly GoError[];
}

/**
 * parseGoWork reads the `use` and `replace` directives of a go.work file
 * (go.dev/ref/mod#go-work-file-use), single and in blocks, with quoted paths, in the
 * go.mod syntax (x/mod modfile ParseWork). The other directives (go, toolchain,
 * godebug) are checked as ParseWork checks them: the go command refuses a go.work with
 * an unknown or malformed one, and so does modguard. Every problem names file and line.
 */
export function parseGoWork(text: string, file = 'go.work'): GoWork {
  let stmts;
  try {
    stmts = parseModSyntax(text, file);
  } catch (err) {
    if (err instanceof GoError) return { file, use: [], replace: [], errors: [err] };
    throw err;
  }
  const use: GoWorkUse[] = [];
  const errors: GoError[] = [];
  const take = (line: ModLine, args: string[]) => {
    try {
      if (args.length !== 1) throw new DirectiveError('usage: use local/dir');
      use.push({ dir: parseString(args[0] ?? ''), line: line.line });
    } catch (err) {
      if (!(err instanceof DirectiveError)) throw err;
      errors.push(new GoError('GOMOD_SYNTAX', err.message, { file, line: line.line }));
    }
  };
  const directives = readGoWorkDirectives(stmts, file);
  errors.push(...directives.errors);
  for (const stmt of stmts) {
    if (stmt.kind === 'line' && stmt.line.tokens[0] === 'use') {
      take(stmt.line, stmt.line.tokens.slice(1));
    } else if (stmt.kind === 'block' && stmt.block.tokens[0] === 'use') {
      for (const l of stmt.block.lines) take(l, l.tokens);
    }
  }
  errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { file, use, replace: directives.replace, errors };
}
