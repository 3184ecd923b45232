/**
 * go.mod texts for the referee: x/mod's own testdata and comment tables, plus
 * generated files built from directive templates with mutated tokens (seeded).
 * Generated files avoid what x/mod v0.7.0 predates (toolchain, godebug, tool, go 1.N.P).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import tables from '../../unit/go/testdata/modfile-tables.json' with { type: 'json' };

const testdata = join(import.meta.dirname, '..', '..', 'unit', 'go', 'testdata', 'modfile');

const paths = [
  'x.y/z',
  'example.com/a/v2',
  'gopkg.in/yaml.v2',
  '"x.y/q"',
  'x.y/z/v1',
  'Ex.com/A',
  "'x'",
  '`x.y/b`',
  '"x\\u0079"',
  'm',
];
const versions = [
  'v1.0.0',
  'v1.2',
  'v2.0.0',
  'v2.0.0+incompatible',
  '"v1.3.0"',
  '1.0.0',
  'v1.0.0-pre',
  'master',
  'v0.0.0-20060102150405-abcdefabcdef',
];
// Not bare "." or "..": directories since x/mod v0.14 (Go 1.22), module paths to the
// v0.7.0 referee (test/unit/go/gomod.test.ts pins the newer reading).
const dirs = ['./dir', '../up', '/abs', '.\\win', 'C:\\x', 'x.y/fork', 'x.y/f@v1.0.0', '.x', '..x'];
const comments = [
  '',
  '',
  ' // indirect',
  ' //indirect',
  ' // indirect; why',
  ' // Deprecated: old',
  ' // note',
  ' /* c */',
];
const goVersions = ['1.19', '1.21', '1', 'v1.2', '1.19 1.20', '01.2', ''];

const pick = <T>(xs: readonly T[]): fc.Arbitrary<T> => fc.constantFrom(...xs);

const line = fc.oneof(
  fc.tuple(pick(paths), pick(versions), pick(comments)).map(([p, v, c]) => `require ${p} ${v}${c}`),
  fc.tuple(pick(paths), pick(versions)).map(([p, v]) => `exclude ${p} ${v}`),
  fc
    .tuple(pick(paths), pick(['', ...versions]), pick(dirs), pick(['', ...versions]))
    .map(([p, v, d, w]) => `replace ${p} ${v} => ${d} ${w}`),
  fc
    .tuple(pick(versions), pick(versions), pick(['[', '']), pick(comments))
    .map(([a, b, br, c]) => (br === '[' ? `retract [${a}, ${b}]${c}` : `retract ${a}${c}`)),
  fc.tuple(pick(goVersions)).map(([v]) => `go ${v}`),
  fc.tuple(pick(paths), pick(comments)).map(([p, c]) => `module ${p}${c}`),
  pick([
    '// comment',
    '//Deprecated: x',
    '',
    '',
    'unknown x',
    'retract',
    'require',
    'retract [v1.0.0 v1.1.0]',
    'retract v1.0.0 v1.1.0',
    'replace a => b c d e',
    '"unterminated',
    ') stray',
    'a ( b ) c',
  ]),
);

const inner = fc.oneof(
  fc.tuple(pick(paths), pick(versions), pick(comments)).map(([p, v, c]) => `\t${p} ${v}${c}`),
  pick(['\t// before', '', '\t[v1.0.0, v1.1.0]', '\tv1.0.0 // why']),
);
const block = fc
  .tuple(
    pick(['require', 'exclude', 'retract', 'module', 'replace', 'foo', 'require x']),
    fc.array(inner, { maxLength: 4 }),
    pick(['', ' // lp']),
    pick([')', ') // rp', ') x', '']),
  )
  .map(([verb, lines, lp, rp]) => [`${verb} (${lp}`, ...lines, rp].join('\n'));

const file = fc
  .tuple(
    fc.boolean(),
    fc.array(fc.oneof(line, line, block), { maxLength: 8 }),
    pick(['\n', '', '\r\n']),
  )
  .map(
    ([withModule, ls, eol]) =>
      (withModule ? ['module example.com/m', ...ls] : ls).join(eol === '\r\n' ? '\r\n' : '\n') +
      eol,
  );

/** goModCases returns every go.mod text the referee parses. */
export function goModCases(): string[] {
  const fixed = readdirSync(testdata).map((name) => readFileSync(join(testdata, name), 'utf8'));
  const tabled = [...tables.retractRationaleTests, ...tables.moduleDeprecatedTests].map(
    (t) => t.in,
  );
  return [...fixed, ...tabled, ...fc.sample(file, { seed: 20261121, numRuns: 1500 })];
}
