/**
 * go.mod files: golang.org/x/mod/modfile rule.go (Parse and ParseLax), with every
 * directive error collected and named by file:line. Directive set: x/mod v0.7.0's
 * module, go, require, exclude, replace, retract, plus toolchain, godebug, tool and
 * ignore from later x/mod, because go.mod files written by Go ≥ 1.21 carry them
 * (ignore: Go 1.25).
 * go.mod is attacker-controlled input: nothing here throws on its content.
 */
import { GoError, quote } from './errors.js';
import {
  DirectiveError,
  fail,
  type GoModReplace,
  isDirectoryPath,
  parseString,
  replaceDirective,
  moduleVersion,
} from './gomod-args.js';
import {
  type ModBlock,
  type ModComment,
  type ModLine,
  type ModStmt,
  parseModSyntax,
} from './gomod-syntax.js';
import { fields, trimSpace } from './strings.js';

export { isDirectoryPath, type GoModReplace };

export interface GoModModule {
  readonly path: string;
  /** deprecated is the "Deprecated:" paragraph of the module directive's comments, or "". */
  readonly deprecated: string;
  readonly line: number;
}
export interface GoModRequire {
  readonly path: string;
  readonly version: string;
  readonly indirect: boolean;
  readonly line: number;
}
export interface GoModExclude {
  readonly path: string;
  readonly version: string;
  readonly line: number;
}
export interface GoModRetract {
  readonly low: string;
  readonly high: string;
  readonly rationale: string;
  readonly line: number;
}

/** GoMod is a parsed go.mod; `errors` holds every problem found (empty when valid). */
export interface GoMod {
  readonly file: string;
  module?: GoModModule;
  go?: { readonly version: string; readonly line: number };
  toolchain?: { readonly name: string; readonly line: number };
  readonly require: GoModRequire[];
  readonly exclude: GoModExclude[];
  readonly replace: GoModReplace[];
  readonly retract: GoModRetract[];
  readonly godebug: { readonly key: string; readonly value: string; readonly line: number }[];
  readonly tool: { readonly path: string; readonly line: number }[];
  /** ignore directives (Go 1.25): directories the go command skips, as written */
  readonly ignore: { readonly path: string; readonly line: number }[];
  readonly errors: GoError[];
}

/** GO_VERSION_RE is modfile.GoVersionRE at x/mod HEAD (1.21, 1.21.0, 1.21rc1). */
const GO_VERSION_RE = /^([1-9][0-9]*)\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?([a-z]+[0-9]+)?$/;
const LAX_GO_VERSION_RE = /^v?(([1-9][0-9]*)\.(0|[1-9][0-9]*))([^0-9].*)$/;
const TOOLCHAIN_RE = /^default$|^go1($|\.)/;
const DEPRECATED_RE = /(?:^|\n\n)Deprecated: *([\s\S]*?)(?:$|\n\n)/;

/**
 * parseGoMod parses go.mod text as modfile.Parse does for the main module, except that
 * versions must be valid semver (cmd/go's fixer resolves queries; a checked-in go.mod
 * has none) and are canonicalized. A lexical error stops parsing (one error);
 * directive errors are all collected.
 */
export function parseGoMod(text: string, file = 'go.mod'): GoMod {
  return parseWith(text, file, true);
}

/**
 * parseGoModLax reads only what modfile.ParseLax("go.mod", data, nil) would give the
 * zip vendor rule (GO-FACTS §2.4): the module path and go version, or neither when
 * the file does not parse. It never throws.
 */
export function parseGoModLax(text: string): { module?: string; go?: string } {
  const { module, go } = readGoModLax(text);
  return { ...(module !== undefined ? { module } : {}), ...(go !== undefined ? { go } : {}) };
}

/**
 * parseDependencyGoMod parses a dependency's go.mod as the go command reads one
 * (modfile.ParseLax: only module, go, require and retract directives count; unknown
 * and main-module-only directives are ignored), e.g. for its retractions.
 */
export function parseDependencyGoMod(text: string, file: string): GoMod {
  return parseWith(text, file, false);
}

/** readGoModLax is parseGoModLax that also says whether the file parsed (ok) at all. */
export function readGoModLax(text: string): { ok: boolean; module?: string; go?: string } {
  const f = parseWith(text, 'go.mod', false);
  if (f.errors.length > 0) return { ok: false };
  return {
    ok: true,
    ...(f.module !== undefined ? { module: f.module.path } : {}),
    ...(f.go !== undefined ? { go: f.go.version } : {}),
  };
}

/** goModError folds every problem of a parsed go.mod into one GoError, or undefined. */
export function goModError(mod: GoMod): GoError | undefined {
  if (mod.errors.length === 0) return undefined;
  const only = mod.errors[0];
  if (mod.errors.length === 1 && only !== undefined) return only;
  const text = mod.errors.map((e) => e.message).join('\n');
  return new GoError('GOMOD_SYNTAX', `malformed go.mod (${mod.errors.length} problems):\n${text}`, {
    file: mod.file,
  });
}

function emptyGoMod(file: string): GoMod {
  return {
    file,
    require: [],
    exclude: [],
    replace: [],
    retract: [],
    godebug: [],
    tool: [],
    ignore: [],
    errors: [],
  };
}

function parseWith(text: string, file: string, strict: boolean): GoMod {
  const f = emptyGoMod(file);
  try {
    for (const stmt of parseModSyntax(text, file)) {
      if (stmt.kind === 'line') {
        const [verb = '', ...args] = stmt.line.tokens;
        addDirective(f, undefined, stmt.line, verb, args, strict);
      } else {
        addBlock(f, stmt.block, strict);
      }
    }
  } catch (err) {
    if (!(err instanceof GoError)) throw err;
    f.errors.push(err);
    return f;
  }
  if (strict) checkRetractVersions(f);
  f.errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return f;
}

/** WORK_VERBS are the directives of a go.work file besides `use` (x/mod modfile/work.go add). */
const WORK_VERBS = new Set(['go', 'toolchain', 'godebug', 'replace']);
const WORK_BLOCK_VERBS = new Set(['use', 'replace', 'godebug']);

/**
 * readGoWorkDirectives is x/mod ParseWork for every directive but `use` (which the
 * caller reads): go, toolchain, godebug and replace as in go.mod, anything else
 * "unknown directive" or "unknown block type". It returns the replace directives and
 * every problem, each named by file and line.
 */
export function readGoWorkDirectives(
  stmts: readonly ModStmt[],
  file: string,
): { readonly replace: readonly GoModReplace[]; readonly errors: GoError[] } {
  const f = emptyGoMod(file);
  const check = (line: ModLine, verb: string, args: string[], block?: ModBlock) => {
    if (verb === 'use') return;
    try {
      if (!WORK_VERBS.has(verb)) fail(`unknown directive: ${verb}`);
      applyDirective(f, block, line, verb, args, true);
    } catch (err) {
      if (!(err instanceof DirectiveError)) throw err;
      f.errors.push(lineError(f, line.line, err.message));
    }
  };
  for (const stmt of stmts) {
    if (stmt.kind === 'line') {
      const [verb = '', ...args] = stmt.line.tokens;
      check(stmt.line, verb, args);
      continue;
    }
    const verb = stmt.block.tokens[0] ?? '';
    if (stmt.block.tokens.length > 1 || !WORK_BLOCK_VERBS.has(verb)) {
      f.errors.push(
        lineError(f, stmt.block.line, `unknown block type: ${stmt.block.tokens.join(' ')}`),
      );
      continue;
    }
    for (const l of stmt.block.lines) check(l, verb, l.tokens, stmt.block);
  }
  return { replace: f.replace, errors: f.errors };
}

const BLOCK_VERBS = new Set([
  'module',
  'require',
  'exclude',
  'replace',
  'retract',
  'tool',
  'ignore',
  'godebug',
]);

function addBlock(f: GoMod, block: ModBlock, strict: boolean): void {
  const verb = block.tokens[0] ?? '';
  if (block.tokens.length > 1 || !BLOCK_VERBS.has(verb)) {
    if (strict)
      f.errors.push(lineError(f, block.line, `unknown block type: ${block.tokens.join(' ')}`));
    return;
  }
  for (const l of block.lines) addDirective(f, block, l, verb, l.tokens, strict);
}

function lineError(f: GoMod, line: number, message: string): GoError {
  return new GoError('GOMOD_SYNTAX', message, { file: f.file, line });
}

function addDirective(
  f: GoMod,
  block: ModBlock | undefined,
  line: ModLine,
  verb: string,
  args: string[],
  strict: boolean,
): void {
  if (!strict && !['go', 'module', 'retract', 'require'].includes(verb)) return;
  try {
    applyDirective(f, block, line, verb, args, strict);
  } catch (err) {
    if (!(err instanceof DirectiveError)) throw err;
    if (strict || verb !== 'retract') f.errors.push(lineError(f, line.line, err.message));
  }
}

function applyDirective(
  f: GoMod,
  block: ModBlock | undefined,
  line: ModLine,
  verb: string,
  args: string[],
  strict: boolean,
): void {
  const at = line.line;
  switch (verb) {
    case 'go':
      return void (f.go = { version: goVersion(f, args, strict), line: at });
    case 'toolchain':
      if (f.toolchain !== undefined) fail('repeated toolchain statement');
      if (args.length !== 1) fail('toolchain directive expects exactly one argument');
      if (!TOOLCHAIN_RE.test(args[0] ?? ''))
        fail(`invalid toolchain version '${args[0] ?? ''}': must match format go1.23.0 or default`);
      return void (f.toolchain = { name: args[0] ?? '', line: at });
    case 'module':
      return void (f.module = moduleDirective(f, block, line, args));
    case 'godebug':
      return godebug(f, args, at);
    case 'require':
    case 'exclude': {
      if (args.length !== 2) fail(`usage: ${verb} module/path v1.2.3`);
      const path = parseString(args[0] ?? '');
      const version = moduleVersion(path, args[1] ?? '');
      if (verb === 'require')
        f.require.push({ path, version, indirect: isIndirect(line), line: at });
      else f.exclude.push({ path, version, line: at });
      return;
    }
    case 'replace':
      return void f.replace.push(replaceDirective(args, at));
    case 'retract':
      return void f.retract.push(retractDirective(block, line, args, strict));
    case 'tool':
      if (args.length !== 1) fail('tool directive expects exactly one argument');
      return void f.tool.push({ path: parseString(args[0] ?? ''), line: at });
    case 'ignore':
      if (args.length !== 1) fail('ignore directive expects exactly one argument');
      return void f.ignore.push({ path: parseString(args[0] ?? ''), line: at });
    default:
      fail(`unknown directive: ${verb}`);
  }
}

function goVersion(f: GoMod, args: string[], strict: boolean): string {
  if (f.go !== undefined) fail('repeated go statement');
  const v = args[0];
  if (args.length !== 1 || v === undefined) fail('go directive expects exactly one argument');
  if (GO_VERSION_RE.test(v)) return v;
  const m = strict ? null : LAX_GO_VERSION_RE.exec(v);
  if (m?.[1] !== undefined) return m[1];
  return fail(`invalid go version '${v}': must match format 1.23.0`);
}

function moduleDirective(
  f: GoMod,
  block: ModBlock | undefined,
  line: ModLine,
  args: string[],
): GoModModule {
  if (f.module !== undefined) fail('repeated module statement');
  const deprecated = DEPRECATED_RE.exec(directiveComment(block, line))?.[1] ?? '';
  if (args.length !== 1) {
    f.module = { path: '', deprecated, line: line.line };
    fail('usage: module module/path');
  }
  return { path: parseString(args[0] ?? ''), deprecated, line: line.line };
}

function godebug(f: GoMod, args: string[], at: number): void {
  const arg = args[0] ?? '';
  if (args.length !== 1 || /["`',]/.test(arg)) fail('usage: godebug key=value');
  const eq = arg.indexOf('=');
  if (eq < 0) fail('usage: godebug key=value');
  f.godebug.push({ key: arg.slice(0, eq), value: arg.slice(eq + 1), line: at });
}

/**
 * isIndirect is rule.go isIndirect: the first suffix comment is "// indirect", or
 * starts with "// indirect;" followed by more text.
 */
function isIndirect(line: ModLine): boolean {
  const c = line.suffix[0];
  if (c === undefined) return false;
  const f = fields(c.token.startsWith('//') ? c.token.slice(2) : c.token);
  return (f.length === 1 && f[0] === 'indirect') || (f.length > 1 && f[0] === 'indirect;');
}

/**
 * directiveComment is rule.go parseDirectiveComment: the text of the line's comments
 * (before, then suffix), or the block's when the line has none; blank markers skipped.
 */
function directiveComment(block: ModBlock | undefined, line: ModLine): string {
  let groups: ModComment[][] = [line.before, line.suffix];
  if (block !== undefined && line.before.length === 0 && line.suffix.length === 0) {
    groups = [block.before, block.suffix];
  }
  return groups
    .flat()
    .filter((c) => c.token.startsWith('//'))
    .map((c) => trimSpace(c.token.slice(2)))
    .join('\n');
}

/**
 * checkRetractVersions is rule.go fixRetract with cmd/go's version fixer
 * (modload/init.go fixVersion): retract needs a module directive with a path
 * (reported once, at the first retract), and each bound must be valid semver,
 * canonicalized, of the module's own major version: `retract v2.0.0` in a v0/v1
 * module is refused as it is in a require, while v2.0.0+incompatible is accepted.
 * Only the main module's go.mod is held to this: ParseLax has no fixer, so a
 * dependency's retract bounds stay as written.
 */
function checkRetractVersions(f: GoMod): void {
  const first = f.retract[0];
  if (first === undefined) return;
  const path = f.module?.path ?? '';
  if (path === '') {
    f.errors.push(lineError(f, first.line, 'no module directive found, so retract cannot be used'));
    return;
  }
  f.retract.forEach((r, i) => {
    try {
      f.retract[i] = { ...r, low: moduleVersion(path, r.low), high: moduleVersion(path, r.high) };
    } catch (err) {
      if (!(err instanceof DirectiveError)) throw err;
      f.errors.push(lineError(f, r.line, err.message));
    }
  });
}

/** retractDirective is rule.go's retract case with parseVersionInterval: `v` or `[lo, hi]`, rationale from comments. */
function retractDirective(
  block: ModBlock | undefined,
  line: ModLine,
  args: string[],
  strict: boolean,
): GoModRetract {
  const rationale = directiveComment(block, line);
  const toks = [...args];
  const next = (): string | undefined => toks.shift();
  let low: string;
  let high: string;
  const first = next();
  if (first === undefined || first === '(') fail("expected '[' or version");
  if (first !== '[') {
    low = high = parseString(first);
  } else {
    const lo = next();
    if (lo === undefined) fail("expected version after '['");
    low = parseString(lo);
    if (next() !== ',') fail("expected ',' after version");
    const hi = next();
    if (hi === undefined) fail("expected version after ','");
    high = parseString(hi);
    if (next() !== ']') fail("expected ']' after version");
  }
  if (toks.length > 0 && strict) fail(`unexpected token after version: ${quote(toks[0] ?? '')}`);
  return { low, high, rationale, line: line.line };
}
