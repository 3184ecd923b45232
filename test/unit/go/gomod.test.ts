import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GoError } from '../../../src/go/errors.js';
import {
  goModError,
  isDirectoryPath,
  parseDependencyGoMod,
  parseGoMod,
  parseGoModLax,
} from '../../../src/go/gomod.js';
import tables from './testdata/modfile-tables.json' with { type: 'json' };

const modfileTestdata = join(import.meta.dirname, 'testdata', 'modfile');

function errorLines(text: string): number[] {
  return parseGoMod(text).errors.map((e) => e.line ?? -1);
}

describe('when parsing a typical go.mod', () => {
  const text = [
    '// Leading comment',
    'module example.com/m',
    '',
    'go 1.21',
    'toolchain go1.22.3',
    'godebug panicnil=1',
    'tool example.com/tool/cmd',
    '',
    'require example.com/a v1.2.3',
    'require (',
    '\texample.com/b v1.0.0 // indirect',
    '\t"example.com/c" "v2.0.0+incompatible"',
    '\texample.com/d/v2 v2.1',
    ')',
    'exclude example.com/a v1.2.2',
    'replace example.com/a => ../a',
    'replace example.com/b v1.0.0 => example.com/fork v1.0.1',
    '// Broken build.',
    'retract [v1.0.0, v1.0.5]',
    'retract v0.9.0 // Published by mistake.',
    '',
  ].join('\n');
  const mod = parseGoMod(text);

  it('reads every directive with its line', () => {
    expect(mod.errors).toEqual([]);
    expect(mod.module).toEqual({ path: 'example.com/m', deprecated: '', line: 2 });
    expect(mod.go).toEqual({ version: '1.21', line: 4 });
    expect(mod.toolchain).toEqual({ name: 'go1.22.3', line: 5 });
    expect(mod.godebug).toEqual([{ key: 'panicnil', value: '1', line: 6 }]);
    expect(mod.tool).toEqual([{ path: 'example.com/tool/cmd', line: 7 }]);
    expect(mod.require).toEqual([
      { path: 'example.com/a', version: 'v1.2.3', indirect: false, line: 9 },
      { path: 'example.com/b', version: 'v1.0.0', indirect: true, line: 11 },
      { path: 'example.com/c', version: 'v2.0.0+incompatible', indirect: false, line: 12 },
      { path: 'example.com/d/v2', version: 'v2.1.0', indirect: false, line: 13 },
    ]);
    expect(mod.exclude).toEqual([{ path: 'example.com/a', version: 'v1.2.2', line: 15 }]);
    expect(mod.replace).toEqual([
      {
        old: { path: 'example.com/a', version: '' },
        new: { path: '../a', version: '' },
        local: true,
        line: 16,
      },
      {
        old: { path: 'example.com/b', version: 'v1.0.0' },
        new: { path: 'example.com/fork', version: 'v1.0.1' },
        local: false,
        line: 17,
      },
    ]);
    expect(mod.retract).toEqual([
      { low: 'v1.0.0', high: 'v1.0.5', rationale: 'Broken build.', line: 19 },
      { low: 'v0.9.0', high: 'v0.9.0', rationale: 'Published by mistake.', line: 20 },
    ]);
    expect(goModError(mod)).toBeUndefined();
  });

  it('reads the lax view used by the zip vendor rule', () => {
    expect(parseGoModLax(text)).toEqual({ module: 'example.com/m', go: '1.21' });
  });
});

// Source: golang.org/x/mod v0.7.0 modfile/testdata/*.in (files that parse).
describe('modfile testdata', () => {
  // block.in and comment.in exercise the syntax layer only (read_test.go TestPrintGolden):
  // their made-up directives are errors for Parse, so only the statement count is checked.
  it.each(['block.in', 'comment.in'])('%s lexes and parses into statements', (name) => {
    const mod = parseGoMod(readFileSync(join(modfileTestdata, name), 'utf8'), name);
    expect(
      mod.errors.every((e) => /unknown (directive|block type)|repeated module/.test(e.message)),
    ).toBe(true);
  });

  it.each(readdirSync(modfileTestdata).filter((n) => n !== 'block.in' && n !== 'comment.in'))(
    '%s parses without error',
    (name) => {
      const mod = parseGoMod(readFileSync(join(modfileTestdata, name), 'utf8'), name);
      expect(mod.errors.map((e) => e.message)).toEqual([]);
    },
  );

  it('retract.in has the quoted versions and intervals', () => {
    const mod = parseGoMod(readFileSync(join(modfileTestdata, 'retract.in'), 'utf8'));
    expect(mod.retract.map((r) => [r.low, r.high, r.line])).toEqual([
      ['v1.2.3', 'v1.2.3', 3],
      ['v1.2.3', 'v1.2.4', 5],
      ['v1.2.3', 'v1.2.3', 8],
      ['v1.2.3', 'v1.2.4', 10],
    ]);
  });
});

// Source: modfile/rule_test.go retractRationaleTests and moduleDeprecatedTests.
describe('comments (rule_test.go)', () => {
  // The go command refuses retract without a module directive (rule.go fixRetract), so
  // the two block cases that lack one get "module m" first; their comments are unchanged.
  it.each(tables.retractRationaleTests)('retract rationale: $desc', ({ in: text, want }) => {
    const mod = parseGoMod(text.startsWith('module') ? text : `module m\n${text}`);
    expect(mod.errors).toEqual([]);
    expect(mod.retract[0]?.rationale).toBe(want);
  });

  it.each(tables.moduleDeprecatedTests)('module deprecation: $desc', ({ in: text, want }) => {
    const mod = parseGoMod(text);
    expect(mod.errors).toEqual([]);
    expect(mod.module?.deprecated).toBe(want);
  });

  it.each([
    ['// indirect', true],
    ['//indirect', true],
    ['// indirect; reason', true],
    ['// indirect reason', false],
    ['// indirectly', false],
    ['// other // indirect', false],
  ])('require x.y/z v1.0.0 %s → indirect %s (rule.go isIndirect)', (comment, want) => {
    expect(parseGoMod(`require x.y/z v1.0.0 ${comment}\n`).require[0]?.indirect).toBe(want);
  });
});

// Source: read_test.go TestGoVersion, with x/mod HEAD's GoVersionRE (1.N.P and 1.Nrc1 allowed).
describe('go directive (read_test.go TestGoVersion)', () => {
  it.each([
    ['go \n', false, false],
    ['go 1\n', false, false],
    ['go 1.22\n', true, true],
    ['go 1.22.333', true, true],
    ['go v1.2\n', false, false], // laxGoVersionRE needs a non-digit suffix
    ['go 1.2rc1\n', true, true],
    ['go 1.2 3.4\n', false, false],
    ['go 1.2beta1\n', true, true],
    ['go 1.2.beta1\n', false, true],
    ['go v1.2.3\n', false, true],
    ['go 01.2\n', false, false],
  ])('module m\\n%j → strict %s, lax %s', (line, ok, laxOK) => {
    const text = `module m\n${line}`;
    expect(parseGoMod(text).errors.length === 0).toBe(ok);
    expect(parseGoModLax(text).go !== undefined).toBe(laxOK);
  });

  it('lax reads v1.2.3 as 1.2 (laxGoVersionRE)', () => {
    expect(parseGoModLax('module m\ngo v1.2.3\n')).toEqual({ module: 'm', go: '1.2' });
  });
});

// Source: read_test.go TestParseLax.
describe('parseGoModLax (read_test.go TestParseLax)', () => {
  const bad = `module m
		surprise attack
		x y (
			z
		)
		exclude v1.2.3
		replace <-!!!
		retract v1.2.3 v1.2.4
		retract (v1.2.3, v1.2.4]
		retract v1.2.3 (
			key1 value1
			key2 value2
		)
		require good v1.0.0
	`;
  it('ignores what a dependency go.mod may carry', () => {
    expect(parseGoModLax(bad)).toEqual({ module: 'm' });
  });

  it('reports every line of it in strict mode', () => {
    expect(errorLines(bad)).toEqual([2, 3, 6, 7, 8, 9, 10]);
  });

  it.each([
    'module m\n/* x */\n',
    'module "m\n',
    'require (\n',
    '\u0001',
    'go 1.21\nrequire x v1 ) y\n',
  ])('returns {} for %j', (text) => {
    expect(parseGoModLax(text)).toEqual({});
  });
});

describe('when go.mod has ignore directives (Go 1.25)', () => {
  it('reads them, as a line and as a block, quoted or not', () => {
    const mod = parseGoMod(
      'module example.com/m\ngo 1.25\nignore ./node_modules\nignore (\n\tdocs\n\t"./has space"\n)\n',
    );
    expect(mod.errors).toEqual([]);
    expect(mod.ignore).toEqual([
      { path: './node_modules', line: 3 },
      { path: 'docs', line: 5 },
      { path: './has space', line: 6 },
    ]);
  });

  it.each([
    ['ignore\n', 1],
    ['ignore ./a ./b\n', 1],
    ['ignore (\n\t./a ./b\n)\n', 2],
  ])('refuses %j, as Go does', (text, line) => {
    const [err] = parseGoMod(text).errors;
    expect(err?.message).toMatch(/ignore directive expects exactly one argument/);
    expect(err?.line).toBe(line);
  });

  it('skips them in a dependency go.mod (lax)', () => {
    expect(parseGoModLax('module m\nignore ./a ./b\n')).toEqual({ module: 'm' });
  });
});

describe('when a replace names the directory "." or ".." (x/mod v0.14, Go 1.22)', () => {
  // Nested modules (examples/, tests/) point back at their parent with a bare "..".
  it('reads it as a local replacement, as the go command does', () => {
    const mod = parseGoMod(
      'module example.com/m/examples\ngo 1.25\nrequire example.com/m v0.0.0\nreplace (\n\texample.com/m => ..\n\texample.com/n v1.0.0 => .\n)\n',
    );
    expect(mod.errors).toEqual([]);
    expect(mod.replace.map((r) => [r.new.path, r.local])).toEqual([
      ['..', true],
      ['.', true],
    ]);
  });

  it('refuses a version after it, as for any directory', () => {
    expect(parseGoMod('replace example.com/m => .. v1.0.0\n').errors[0]?.message).toMatch(
      /replacement module directory path "\.\." cannot have version/,
    );
  });
});

describe('when go.mod has syntax errors (read.go, rule.go)', () => {
  it.each([
    ['module m\n/* c */\n', 2, /mod files must use \/\/ comments/],
    ['module "m\n', 1, /unexpected newline in string/],
    ['module "m', 1, /unexpected EOF in string/],
    ['require (\n\tx.y/z v1.0.0\n', 3, /unterminated block started at dir\/go\.mod:1/],
    ['require (\n) x\n', 2, /expected newline after closing paren/],
    ['module m\n\u0007\n', 2, /unexpected input character/],
    ['module m\nmodule n\n', 2, /repeated module statement/],
    ['module\n', 1, /usage: module module\/path/],
    ['module m\ngo 1.21\ngo 1.22\n', 3, /repeated go statement/],
    ['toolchain go1.21\ntoolchain go1.22\n', 2, /repeated toolchain statement/],
    ['toolchain 1.21\n', 1, /invalid toolchain version/],
    ['godebug x\n', 1, /usage: godebug key=value/],
    ['require x.y/z\n', 1, /usage: require module\/path v1\.2\.3/],
    ['require x.y/z 1.0.0\n', 1, /must be of the form v1\.2\.3/],
    ['require x.y/z v2.0.0\n', 1, /should be v0 or v1, not v2/],
    ['require x.y/z/v1 v1.0.0\n', 1, /invalid module path/],
    ["require 'x.y/z' v1.0.0\n", 1, /unquoted string cannot contain quote/],
    ['require `x.y/z` v1.0.0\n', 1, /unquoted string cannot contain quote/],
    ['require "x.y/\\q" v1.0.0\n', 1, /invalid quoted string/],
    ['replace x.y/z => y.z/w\n', 1, /must be directory path/],
    ['replace x.y/z => y.z/w@v1.0.0\n', 1, /not 'path@version'/],
    ['replace x.y/z => ./w v1.0.0\n', 1, /cannot have version/],
    ['replace x.y/z => .\\w\n', 1, /appears to be Windows path/],
    ['replace x.y/z v1 v2 => ./w\n', 1, /usage: replace/],
    ['module m\nretract\n', 2, /expected '\[' or version/],
    ['module m\nretract [v1.0.0 v1.1.0]\n', 2, /expected ',' after version/],
    ['module m\nretract v1.0.0 extra\n', 2, /unexpected token after version/],
    ['retract v1.0.0\n', 1, /no module directive found/],
    ['frobnicate x\n', 1, /unknown directive: frobnicate/],
    ['frobnicate (\n\tx\n)\n', 1, /unknown block type: frobnicate/],
  ])('%j: line %d', (text, line, message) => {
    const mod = parseGoMod(text, 'dir/go.mod');
    expect(mod.errors).toHaveLength(1);
    const err = mod.errors[0]!;
    expect(err.code).toBe('GOMOD_SYNTAX');
    expect(err.line).toBe(line);
    expect(err.message).toMatch(message);
    expect(err.message.startsWith(`dir/go.mod:${line}: `)).toBe(true);
  });

  it('collects every directive error', () => {
    const mod = parseGoMod('module m\nrequire a.b/c\nfoo\nrequire a.b/c v2.0.0\ngo x\n');
    expect(mod.errors.map((e) => e.line)).toEqual([2, 3, 4, 5]);
    expect(goModError(mod)?.message).toMatch(/4 problems/);
  });

  it('reads quoted paths with Go escapes', () => {
    expect(parseGoMod('require "x.y/\\u007a" "v1.0.0"\n').require[0]?.path).toBe('x.y/z');
  });
});

// cmd/go's version fixer (modload/init.go fixVersion) holds each retract bound to the
// main module's major version, and a replacement's version to its path's. Each case
// was put to Go 1.19's `go list -m -json`; test/interop/go/gomod-cmdgo.test.ts keeps asking.
describe("when a version is not of its module's major (cmd/go's fixer)", () => {
  it.each([
    ['module example.com/m\nretract v2.0.0\n', 2, /example\.com\/m: .*should be v0 or v1, not v2/],
    ['module example.com/m\nretract [v2.0.0, v999.0.0]\n', 2, /should be v0 or v1, not v2/],
    ['module example.com/m\nretract [v1.0.0, v999.0.0]\n', 2, /should be v0 or v1, not v999/],
    ['module example.com/m/v2\nretract v1.0.0\n', 2, /should be v2, not v1/],
    ['module gopkg.in/yaml.v2\nretract v3.0.0\n', 2, /should be v2, not v3/],
    ['module x.y/z/v1\nretract v1.0.0\n', 2, /x\.y\/z\/v1: invalid module path/],
    ['replace a.b/c => x.y/z v2.0.0\n', 1, /x\.y\/z: .*should be v0 or v1, not v2/],
  ])('refuses %j at line %d', (text, line, message) => {
    const mod = parseGoMod(text);
    expect(mod.errors.map((e) => [e.line, e.message])).toEqual([
      [line, expect.stringMatching(message)],
    ]);
  });

  it.each([
    ['module example.com/m\nretract v2.0.0+incompatible\n', 'v2.0.0+incompatible'],
    ['module example.com/m/v2\nretract v2.0.0+incompatible\n', 'v2.0.0+incompatible'],
    ['module gopkg.in/yaml.v2\nretract v2.0.0\n', 'v2.0.0'],
    ['module gopkg.in/yaml.v2-unstable\nretract v2.0.0\n', 'v2.0.0'],
    [
      'module gopkg.in/check.v1\nretract v0.0.0-20161208181325-20d25e280405\n',
      'v0.0.0-20161208181325-20d25e280405',
    ],
  ])('accepts %j', (text, low) => {
    const mod = parseGoMod(text);
    expect(mod.errors).toEqual([]);
    expect(mod.retract.map((r) => r.low)).toEqual([low]);
  });

  it('reports a retract under a module directive without a path as having no module', () => {
    const mod = parseGoMod('module\nretract v1.0.0\nretract v2.0.0\n');
    expect(mod.errors.map((e) => [e.line, e.message])).toEqual([
      [1, expect.stringMatching(/usage: module/)],
      [2, expect.stringMatching(/no module directive found/)],
    ]);
  });

  it("keeps a dependency's bounds as written (ParseLax has no fixer)", () => {
    const mod = parseDependencyGoMod('module example.com/m\nretract [v2.0.0, v999]\n', 'dep.mod');
    expect(mod.errors).toEqual([]);
    expect(mod.retract.map((r) => [r.low, r.high])).toEqual([['v2.0.0', 'v999']]);
  });
});

describe('isDirectoryPath (rule.go IsDirectoryPath)', () => {
  it.each([
    ['.', true], // x/mod v0.14 (Go 1.22); false in x/mod v0.7.0 (Go 1.19)
    ['..', true],
    ['...', false],
    ['.../x', false],
    ['./x', true],
    ['.\\x', true],
    ['../x', true],
    ['/abs', true],
    ['\\abs', true],
    ['C:x', true],
    ['x.y/z', false],
    ['.x', false],
    ['1:x', false],
  ])('%j → %s', (p, want) => expect(isDirectoryPath(p)).toBe(want));
});

describe('when go.mod is arbitrary text (property)', () => {
  const tokens = fc.constantFrom(
    'module',
    'go',
    'require',
    'replace',
    'retract',
    'exclude',
    '(',
    ')',
    '[',
    ']',
    ',',
    '=>',
    'x.y/z',
    'v1.0.0',
    '1.21',
    '"q"',
    '`b`',
    '//',
    '/*',
    '\n',
    '\n',
    ' ',
    '\t',
    'é',
    '\\',
  );
  it('never throws, and reports GoErrors with a line', () => {
    fc.assert(
      fc.property(fc.array(tokens, { maxLength: 30 }), (ts) => {
        const text = ts.join(' ');
        const mod = parseGoMod(text);
        for (const e of mod.errors) {
          expect(e).toBeInstanceOf(GoError);
          expect(e.line).toBeGreaterThan(0);
        }
        parseGoModLax(text);
      }),
    );
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => void parseGoMod(s)));
  });
});
