/**
 * Cases for the x/mod referee (xmodref/main.go): hand-picked edge cases plus many
 * hundreds drawn from fast-check generators with a fixed seed, so every run asks Go
 * the same questions and a mismatch is reproducible.
 */
import fc from 'fast-check';
import { pseudoVersion } from '../../../src/go/pseudo.js';

export interface Case {
  readonly op: string;
  readonly a: string;
  readonly b?: string;
  readonly c?: string;
  readonly t?: number;
}

const SEED = 20261121;

function sample<T>(arb: fc.Arbitrary<T>, n: number, offset: number): T[] {
  return fc.sample(arb, { seed: SEED + offset, numRuns: n });
}

function stringFrom(chars: readonly string[], maxLength: number): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom(...chars), { maxLength }).map((cs) => cs.join(''));
}

const PATH_CHARS = [
  'a', 'b', 'q', 'z', 'A', 'Q', 'Z', '0', '1', '2', '9', '.', '.', '-', '_', '~', '/', '/', '/',
  '+', '!', ' ', ':', '@', '#', '(', '[', ']', '\\', 'é', 'ǅ', '日', '²', '٣', '😀', '\u0870', '\u{2b739}', 'v', 'v',
]; // prettier-ignore

const ELEMENTS = [
  'con', 'CON', 'Con.txt', 'aux', 'nul.go', 'com1', 'COM9', 'com0', 'lpt0', 'lpt1.x', 'conx',
  'v2', 'v1', 'v0', 'v02', 'v2.0', 'v10', 'gopkg.in', 'yaml.v2', 'yaml.v0', 'yaml.v1-unstable',
  'a~1', 'a~', '~1', '.git', '..', '.', '-x', 'x.', 'Upper', 'github.com', 'x.y',
]; // prettier-ignore

const element = fc.oneof(
  fc.constantFrom(...ELEMENTS),
  stringFrom(
    PATH_CHARS.filter((c) => c !== '/'),
    6,
  ),
);
const structuredPath = fc.array(element, { minLength: 1, maxLength: 4 }).map((es) => es.join('/'));
const MOD_CHARS = ['a', 'b', 'z', 'A', 'Z', '0', '9', '.', '-', '_', '~', 'v'];
const modElement = stringFrom(MOD_CHARS, 6);
const domain = fc.oneof(
  fc.constantFrom(
    'example.com',
    'rsc.io',
    'gopkg.in',
    'github.com',
    'x.y',
    'a-b.c',
    'Ex.com',
    '-x.y',
    'x_y.z',
  ),
  stringFrom(['a', 'z', '0', '.', '-'], 6),
);
const suffix = fc.constantFrom(
  '',
  '',
  '/v2',
  '/v1',
  '/v0',
  '/v10',
  '/v2.0',
  '.v2',
  '.v0',
  '.v1-unstable',
  '-unstable',
  '/V2',
);
const modulePathLike = fc
  .tuple(domain, fc.array(modElement, { maxLength: 3 }), suffix)
  .map(([d, es, sfx]) => [d, ...es].join('/') + sfx);
export const pathArb = fc.oneof(
  structuredPath,
  stringFrom(PATH_CHARS, 14),
  modulePathLike,
  modulePathLike,
);

const VERSION_CHARS = [
  'v',
  '0',
  '1',
  '2',
  '9',
  '.',
  '.',
  '-',
  '+',
  'a',
  'Z',
  'incompatible',
  'rc',
  '00',
  '!',
  '/',
  ' ',
  'é',
];
const num = fc.oneof(
  fc.constantFrom('0', '1', '2', '10', '01', '99999999999999999999'),
  fc.nat(30).map(String),
);
const ident = fc.oneof(
  num,
  fc.constantFrom('alpha', 'beta', 'rc', 'pre', '0a', 'X-y', '', 'incompatible'),
);
const structuredVersion = fc
  .tuple(
    num,
    fc.option(num),
    fc.option(num),
    fc.option(fc.array(ident, { minLength: 1, maxLength: 3 })),
    fc.option(fc.array(ident, { minLength: 1, maxLength: 2 })),
  )
  .map(([ma, mi, pa, pre, bu]) => {
    let v = `v${ma}`;
    if (mi !== null) v += `.${mi}`;
    if (mi !== null && pa !== null) v += `.${pa}`;
    if (pre !== null) v += `-${pre.join('.')}`;
    if (bu !== null) v += `+${bu.join('.')}`;
    return v;
  });
export const versionArb = fc.oneof(
  structuredVersion,
  structuredVersion,
  stringFrom(VERSION_CHARS, 10),
);

const GLOB_CHARS = [
  '*',
  '*',
  '?',
  '[',
  ']',
  '^',
  '-',
  '\\',
  '/',
  ',',
  'a',
  'b',
  'c',
  '.',
  'x',
  'é',
];
export const globArb = stringFrom(GLOB_CHARS, 10);
/** globFrom turns a target into a glob over its first elements: chars become *, ?, classes or escapes. */
const globFrom = fc
  .tuple(
    modulePathLike,
    fc.nat(3),
    fc.array(fc.nat(9), { minLength: 40, maxLength: 40 }),
    fc.boolean(),
  )
  .map(([target, k, dice, slash]) => {
    const elems = target.split('/').slice(0, k + 1);
    let i = 0;
    const mutate = (c: string): string => {
      const d = dice[i++ % dice.length] ?? 0;
      return ['*', '?', `[${c}-z]`, `[^${c}]`, `\\${c}`, '[a-c]'][d] ?? c;
    };
    const glob = elems.map((e) => [...e].map(mutate).join('')).join('/') + (slash ? '/' : '');
    return [glob, target] as [string, string];
  });
const targetArb = fc.oneof(
  stringFrom(['a', 'b', 'c', '.', '/', 'x', '-', '^', ']', 'é'], 10),
  fc.constantFrom('a.b/c', 'ab/c/d', 'x.b/a', '', 'a/b/c/d'),
);

const revArb = stringFrom(['a', 'b', 'f', '0', '9', 'Z', '-', '.'], 14);
const dateArb = fc.integer({ min: -62135596800, max: 253402300799 }).map((s) => new Date(s * 1000));
const pseudoArb = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('', 'v0', 'v1', 'v2', 'v3'),
      fc.oneof(versionArb, fc.constant('')),
      dateArb,
      revArb,
    )
    .map(([maj, older, t, rev]) => pseudoVersion(maj, older, t, rev)),
  fc
    .tuple(
      versionArb,
      fc.constantFrom(
        '-20060102150405-abcdef',
        '.0.20191231235960-x',
        '-0.00000229000000-a',
        '-99991301000000-b',
      ),
    )
    .map(([v, s]) => v + s),
);

const PATH_OPS = [
  'checkPath',
  'checkImportPath',
  'checkFilePath',
  'escapePath',
  'unescapePath',
  'splitPathVersion',
];
const VERSION_OPS = [
  'isValid',
  'canonical',
  'major',
  'majorMinor',
  'prerelease',
  'build',
  'canonicalVersion',
  'escapeVersion',
  'unescapeVersion',
  'isPseudoVersion',
];
const PSEUDO_OPS = [
  'isPseudoVersion',
  'pseudoVersionBase',
  'pseudoVersionRev',
  'pseudoVersionTime',
];
const VALID_PATHS = [
  'example.com/x',
  'example.com/x/v2',
  'gopkg.in/yaml.v1',
  'gopkg.in/yaml.v0',
  'gopkg.in/x.v2-unstable',
];
const MAJORS = ['', '/v2', '/v3', '.v0', '.v1', '.v2', '.v1-unstable', '/v1', 'v2'];

const pseudoInputs = fc.record({
  a: fc.constantFrom('', 'v0', 'v1', 'v2', 'v17'),
  b: fc.oneof(versionArb, fc.constant('')),
  c: revArb,
  t: fc.integer({ min: -62135596800, max: 253402300799 }),
});

/** xmodCases returns every case the referee answers: about 6,000 questions. */
export function xmodCases(): Case[] {
  const paths = sample(pathArb, 500, 1);
  const versions = sample(versionArb, 400, 2);
  const pseudos = sample(pseudoArb, 200, 3);
  const globs = sample(
    fc.tuple(
      fc.array(globArb, { minLength: 1, maxLength: 3 }).map((g) => g.join(',')),
      targetArb,
    ),
    500,
    4,
  ).concat(sample(globFrom, 500, 7));
  const pairs = sample(fc.tuple(versionArb, versionArb), 400, 5);
  const checks = sample(fc.tuple(fc.oneof(pathArb, modulePathLike), versionArb), 600, 6);
  return [
    ...paths.flatMap((a) => PATH_OPS.map((op) => ({ op, a }))),
    ...versions.flatMap((a) => VERSION_OPS.map((op) => ({ op, a }))),
    ...[...pseudos, ...versions].flatMap((a) => PSEUDO_OPS.map((op) => ({ op, a }))),
    ...globs.flatMap(([a, b]) => [
      { op: 'matchPrefixPatterns', a, b },
      { op: 'pathMatch', a, b },
    ]),
    ...pairs.flatMap(([a, b]) => [
      { op: 'compare', a, b },
      { op: 'max', a, b },
    ]),
    ...checks.map(([a, b]) => ({ op: 'check', a, b })),
    ...sample(pseudoInputs, 400, 8).map((p) => ({ op: 'pseudoVersion', ...p })),
    ...VALID_PATHS.flatMap((a) => versions.map((b) => ({ op: 'check', a, b }))),
    ...versions.flatMap((a) => MAJORS.map((b) => ({ op: 'checkPathMajor', a, b }))),
  ];
}
