import { fields } from './strings.js';
import { XmlError, XmlTokenizer, echo } from './xmltoken.js';

/** MetaImport is one `<meta name="go-import" content="prefix vcs repoRoot">` (go.dev/ref/mod#vcs-find). */
export interface MetaImport {
  readonly prefix: string;
  readonly vcs: string;
  readonly repoRoot: string;
}

/** ModuleMode: whether `mod` entries count (PreferMod, as module fetches ask) or are ignored. */
export type ModuleMode = 'preferMod' | 'ignoreMod';

/** MetaImports is a page's go-import entries, or the parse error Go gives when there are none. */
export interface MetaImports {
  readonly imports: readonly MetaImport[];
  /** set only when imports is empty: Go reports a parse error only then */
  readonly error?: string;
}

/**
 * parseMetaGoImports reads the go-import entries of a `?go-get=1` page as the go command
 * does (G/vcs/discovery.go parseMetaGoImports): encoding/xml raw tokens in non-strict
 * mode (src/go/xmltoken.ts), only `<meta>` elements (local name, any case) before the
 * first `<body>` or `</head>`, `name` (any case, first one) exactly `go-import`, and a
 * `content` of exactly three strings.Fields. A parse error ends the page: it is the
 * answer only when no entry came before it. With preferMod, the `mod` entries come first
 * and a VCS entry with the prefix of a `mod` one is dropped; with ignoreMod, `mod`
 * entries are dropped. The page is attacker-controlled bytes; an XmlError UNDECIDED (a
 * non-ASCII XML name) is thrown rather than guessed.
 */
export function parseMetaGoImports(page: Uint8Array, mode: ModuleMode): MetaImports {
  const found: MetaImport[] = [];
  const tokens = new XmlTokenizer(page);
  let error: string | undefined;
  for (;;) {
    let t;
    try {
      t = tokens.next();
    } catch (err) {
      if (!(err instanceof XmlError) || err.code === 'UNDECIDED') throw err;
      if (found.length === 0) error = err.message;
      break;
    }
    if (t === undefined) break;
    if (t.kind === 'start' && equalFoldAscii(t.local, 'body')) break;
    if (t.kind === 'end' && equalFoldAscii(t.local, 'head')) break;
    if (t.kind !== 'start' || !equalFoldAscii(t.local, 'meta')) continue;
    const attr = (name: string) => t.attrs.find((a) => equalFoldAscii(a.local, name))?.value ?? '';
    if (attr('name') !== 'go-import') continue;
    const f = fields(attr('content'));
    if (f.length === 3) found.push({ prefix: f[0] ?? '', vcs: f[1] ?? '', repoRoot: f[2] ?? '' });
  }
  return error === undefined ? { imports: ordered(found, mode) } : { imports: [], error };
}

function ordered(found: readonly MetaImport[], mode: ModuleMode): MetaImport[] {
  const mods = mode === 'preferMod' ? found.filter((m) => m.vcs === 'mod') : [];
  const modded = new Set(mods.map((m) => m.prefix));
  return [...mods, ...found.filter((m) => m.vcs !== 'mod' && !modded.has(m.prefix))];
}

/** MatchResult is matchGoImport's answer: the entry, or why none was chosen. */
export type MatchResult =
  | { readonly kind: 'match'; readonly match: MetaImport }
  | { readonly kind: 'mismatch'; readonly message: string }
  | { readonly kind: 'multiple'; readonly message: string };

/**
 * matchGoImport picks the entry whose prefix is a path prefix of importPath
 * (G/vcs/vcs.go matchGoImport): the only one, or the first `mod` entry when `mod`
 * entries lead (parseMetaGoImports orders them so); two matching entries otherwise are
 * "multiple meta tags match"; none is an ImportMismatchError listing every prefix.
 */
export function matchGoImport(imports: readonly MetaImport[], importPath: string): MatchResult {
  let match: MetaImport | undefined;
  const mismatches: string[] = [];
  for (const im of imports) {
    if (!hasPathPrefix(importPath, im.prefix)) {
      mismatches.push(`meta tag ${bounded(im.prefix)} did not match import path ${importPath}`);
      continue;
    }
    if (match !== undefined) {
      if (match.vcs === 'mod' && im.vcs !== 'mod') break;
      return {
        kind: 'multiple',
        message: `multiple meta tags match import path ${JSON.stringify(importPath)}`,
      };
    }
    match = im;
  }
  if (match !== undefined) return { kind: 'match', match };
  const shown = mismatches.slice(0, 8);
  if (mismatches.length > shown.length) shown.push(`… ${mismatches.length - shown.length} more`);
  return { kind: 'mismatch', message: shown.join(', ') };
}

/**
 * hasPathPrefix reports whether s is prefix or begins with prefix at a `/` boundary (a
 * prefix that itself ends in `/` included), as G/internal/str HasPathPrefix does.
 */
export function hasPathPrefix(s: string, prefix: string): boolean {
  if (s.length === prefix.length) return s === prefix;
  if (prefix === '') return true;
  if (s.length < prefix.length || !s.startsWith(prefix)) return false;
  return prefix.endsWith('/') || s[prefix.length] === '/';
}

function equalFoldAscii(a: string, b: string): boolean {
  return a.length === b.length && a.toLowerCase() === b;
}

function bounded(s: string): string {
  return s.length > 128 ? echo(s) : s;
}
