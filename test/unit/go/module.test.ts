import { describe, expect, it } from 'vitest';
import { GoError } from '../../../src/go/errors.js';
import {
  canonicalVersion,
  check,
  checkFilePath,
  checkImportPath,
  checkPath,
  checkPathMajor,
  escapePath,
  escapeVersion,
  matchPathMajor,
  matchPrefixPatterns,
  pathMajorPrefix,
  sortModuleVersions,
  splitPathVersion,
  unescapePath,
  unescapeVersion,
} from '../../../src/go/module.js';
import tables from './testdata/xmod-tables.json' with { type: 'json' };

function outcome(f: () => void): true | string {
  try {
    f();
    return true;
  } catch (err) {
    if (err instanceof GoError) return err.code;
    throw err;
  }
}

// Source: golang.org/x/mod v0.7.0 module/module_test.go checkPathTests (dumped to JSON; its
// "x.y/\xFFz" case arrives as U+FFFD, so the invalid-UTF-8 case is re-added below as a lone surrogate).
describe('checkPath, checkImportPath, checkFilePath (module_test.go checkPathTests)', () => {
  it.each(tables.checkPathTests)('$path', ({ path, ok, importOK, fileOK }) => {
    expect(outcome(() => checkPath(path))).toBe(ok ? true : 'INVALID_PATH');
    expect(outcome(() => checkImportPath(path))).toBe(importOK ? true : 'INVALID_IMPORT_PATH');
    expect(outcome(() => checkFilePath(path))).toBe(fileOK ? true : 'INVALID_FILE_PATH');
  });

  it('refuses invalid UTF-8 (a lone surrogate) for every kind', () => {
    for (const f of [checkPath, checkImportPath, checkFilePath]) {
      expect(() => f('x.y/\ud800z')).toThrow(/invalid UTF-8/);
    }
  });
});

// Source: GO-FACTS §2.2 and module.go checkElem/fileNameOK.
describe('when checking file paths (GO-FACTS §2.2)', () => {
  it.each([
    ['.gitignore', true],
    ['-dash/file', true],
    ['a b/c d', true],
    ['!#$%&()+,-.=@[]^_{}~ x', true],
    ['héllo/日本語', true],
    ['a/con.txt', false],
    ['a/Con.txt', false],
    ['a/cOn', false],
    ['COM0', true], // reverted upstream: golang/mod 232e49f
    ['LPT0.txt', true],
    ['com1.go', false],
    ['lpt9', false],
    ['conx', true],
    ['a~1', true], // tilde-digits only matters for module and import paths
    ['a/./b', false],
    ['a/../b', false],
    ['a/b.', false],
    ['a//b', false],
    ['/a', false],
    ['a/', false],
    ['a:b', false],
    ['a\\b', false],
    ['a\u00b2', false], // superscript two is not a letter
    ['😀', false],
    ['\u0870', false], // a letter since Unicode 14, not in Go 1.19's Unicode 13 tables
    ['ǅ', true], // title case is a letter
    ['a\tb', false],
  ] as const)('%j → %s', (path, ok) => {
    expect(outcome(() => checkFilePath(path))).toBe(ok ? true : 'INVALID_FILE_PATH');
  });
});

// Source: module_test.go checkTests.
describe('check (module_test.go checkTests)', () => {
  it.each(tables.checkTests)('$path@$version', ({ path, version, ok }) => {
    expect(outcome(() => check(path, version)) === true).toBe(ok);
  });
});

// Source: module_test.go splitPathVersionTests.
describe('splitPathVersion (module_test.go)', () => {
  it.each([
    ['x.y/z', ''],
    ['x.y/z', '/v2'],
    ['x.y/z', '/v3'],
    ['x.y/v', ''],
    ['gopkg.in/yaml', '.v0'],
    ['gopkg.in/yaml', '.v1'],
    ['gopkg.in/yaml', '.v2'],
    ['gopkg.in/yaml', '.v3'],
  ])('%s + %s', (prefix, pathMajor) => {
    expect(splitPathVersion(prefix + pathMajor)).toEqual({ prefix, pathMajor, ok: true });
  });

  it.each(tables.checkPathTests)('$path splits into parts that add up', ({ path }) => {
    const { prefix, pathMajor } = splitPathVersion(path);
    expect(prefix + pathMajor).toBe(path);
  });

  it.each([
    'x.y/z/v1',
    'x.y/z/v0',
    'x.y/z/v2.0',
    'x.y/z/v02',
    'gopkg.in/yaml',
    'gopkg.in/yaml.v01',
  ])('%s is malformed', (path) => {
    expect(splitPathVersion(path).ok).toBe(false);
  });

  it('keeps gopkg.in -unstable', () => {
    expect(splitPathVersion('gopkg.in/yaml.v2-unstable')).toEqual({
      prefix: 'gopkg.in/yaml',
      pathMajor: '.v2-unstable',
      ok: true,
    });
  });
});

// Source: module_test.go escapeTests and badUnescape.
describe('escapePath and unescapePath (module_test.go)', () => {
  it.each([
    [
      'ascii.com/abcdefghijklmnopqrstuvwxyz.-/~_0123456789',
      'ascii.com/abcdefghijklmnopqrstuvwxyz.-/~_0123456789',
    ],
    ['github.com/GoogleCloudPlatform/omega', 'github.com/!google!cloud!platform/omega'],
  ])('%s ⇄ %s', (path, esc) => {
    expect(escapePath(path)).toBe(esc);
    expect(unescapePath(esc)).toBe(path);
  });

  it.each(tables.checkPathTests.filter((t) => !t.ok))('refuses invalid path $path', ({ path }) => {
    expect(() => escapePath(path)).toThrow(GoError);
    expect(() => unescapePath(path)).toThrow(GoError);
  });

  it('answers the same when asked again: valid paths are remembered, invalid ones refused each time', () => {
    const valid = tables.checkPathTests.filter((t) => t.ok).map((t) => t.path);
    const first = valid.map((p) => escapePath(p));
    expect(valid.map((p) => escapePath(p))).toEqual(first);
    for (const { path } of tables.checkPathTests.filter((t) => !t.ok)) {
      expect(() => escapePath(path)).toThrow(GoError);
      expect(() => escapePath(path)).toThrow(GoError);
    }
  });

  it.each([
    'github.com/GoogleCloudPlatform/omega',
    'github.com/!google!cloud!platform!/omega',
    'github.com/!0google!cloud!platform/omega',
    'github.com/!_google!cloud!platform/omega',
    'github.com/!!google!cloud!platform/omega',
    '',
  ])('refuses bad escape %j', (bad) => {
    expect(outcome(() => unescapePath(bad))).toBe('INVALID_ESCAPE');
  });
});

describe('escapeVersion and unescapeVersion (module.go)', () => {
  it.each([
    ['v1.2.3-RC1', 'v1.2.3-!r!c1'],
    ['v1.0.0+incompatible', 'v1.0.0+incompatible'],
    ['master', 'master'],
  ])('%s ⇄ %s', (v, esc) => {
    expect(escapeVersion(v)).toBe(esc);
    expect(unescapeVersion(esc)).toBe(v);
  });

  it.each(['', 'v1!', 'a/b', '..', 'v1.', 'con', 'vé'])('escapeVersion refuses %j', (v) => {
    expect(outcome(() => escapeVersion(v))).toBe('INVALID_VERSION');
  });

  it.each(['V1', 'v1!', '!1', 'a/b', 'v1.'])('unescapeVersion refuses %j', (v) => {
    expect(outcome(() => unescapeVersion(v))).toBe('INVALID_ESCAPE');
  });
});

// Source: module_test.go TestMatchPathMajor.
describe('matchPathMajor and checkPathMajor (module_test.go)', () => {
  it.each([
    ['v0.0.0', '', true],
    ['v0.0.0', '/v2', false],
    ['v0.0.0', '.v0', true],
    ['v0.0.0-20190510104115-cbcb75029529', '.v1', true],
    ['v1.0.0', '/v2', false],
    ['v1.0.0', '.v1', true],
    ['v1.0.0', '.v1-unstable', true],
    ['v2.0.0+incompatible', '', true],
    ['v2.0.0', '', false],
    ['v2.0.0', '/v2', true],
    ['v2.0.0', '.v2', true],
  ] as const)('%s with %j → %s', (v, pathMajor, want) => {
    expect(matchPathMajor(v, pathMajor)).toBe(want);
    expect(outcome(() => checkPathMajor(v, pathMajor))).toBe(want ? true : 'INVALID_VERSION');
  });

  it('names the expected major in the message', () => {
    expect(() => checkPathMajor('v2.0.0', '')).toThrow('should be v0 or v1, not v2');
  });
});

describe('pathMajorPrefix and canonicalVersion (module.go)', () => {
  it.each([
    ['', ''],
    ['/v2', 'v2'],
    ['.v1', 'v1'],
    ['.v2-unstable', 'v2'],
  ])('pathMajorPrefix(%j) = %j', (pm, want) => {
    expect(pathMajorPrefix(pm)).toBe(want);
  });

  it.each(['v2', '/2', '/v2.0'])('pathMajorPrefix(%j) throws', (pm) => {
    expect(() => pathMajorPrefix(pm)).toThrow(GoError);
  });

  it.each([
    ['v1.2', 'v1.2.0'],
    ['v1.2.3+meta', 'v1.2.3'],
    ['v2.0.0+incompatible', 'v2.0.0+incompatible'],
    ['v2+incompatible', ''], // the short forms take no build suffix
    ['bad', ''],
  ])('canonicalVersion(%j) = %j', (v, want) => {
    expect(canonicalVersion(v)).toBe(want);
  });
});

// Source: module_test.go TestMatchPrefixPatterns, then GO-FACTS §4 and path.Match syntax.
describe('matchPrefixPatterns (module_test.go)', () => {
  it.each([
    ['', 'rsc.io/quote', false],
    ['/', 'rsc.io/quote', false],
    ['*/quote', 'rsc.io/quote', true],
    ['*/quo', 'rsc.io/quote', false],
    ['*/quo??', 'rsc.io/quote', true],
    ['*/quo*', 'rsc.io/quote', true],
    ['*quo*', 'rsc.io/quote', false],
    ['rsc.io', 'rsc.io/quote', true],
    ['*.io', 'rsc.io/quote', true],
    ['rsc.io/', 'rsc.io/quote', true],
    ['rsc', 'rsc.io/quote', false],
    ['rsc*', 'rsc.io/quote', true],
    ['rsc.io', 'rsc.io/quote/v3', true],
    ['*/quote', 'rsc.io/quote/v3', true],
    ['*/quote/', 'rsc.io/quote/v3', true],
    ['*/quote/*', 'rsc.io/quote/v3', true],
    ['*/quote/*/', 'rsc.io/quote/v3', true],
    ['*/v3', 'rsc.io/quote/v3', false],
    ['*/*/v3', 'rsc.io/quote/v3', true],
    ['*/*/*', 'rsc.io/quote/v3', true],
    ['*/*/*/', 'rsc.io/quote/v3', true],
    ['*/*/*', 'rsc.io/quote', false],
    ['*/*/*/', 'rsc.io/quote', false],
    ['*/*/*,,', 'rsc.io/quote', false],
    ['*/*/*,,*/quote', 'rsc.io/quote', true],
    [',,*/quote', 'rsc.io/quote', true],
    // GO-FACTS §4: no trimming, case-sensitive, prefix by element, malformed ignored.
    ['rsc.io/private', 'rsc.io/private/quux', true],
    ['rsc.io/private', 'rsc.io/privateer', false],
    [' rsc.io', 'rsc.io/quote', false],
    ['RSC.io', 'rsc.io/quote', false],
    ['[', 'rsc.io', false],
    ['[,rsc.io', 'rsc.io', true],
    ['rsc.i[n-p]', 'rsc.io/x', true],
    ['rsc.i[^o]', 'rsc.io/x', false],
    ['rsc\\.io', 'rsc.io/x', true],
    ['rsc.io\\', 'rsc.io/x', false],
  ] as const)('(%j, %j) → %s', (globs, target, want) => {
    expect(matchPrefixPatterns(globs, target)).toBe(want);
  });
});

describe('sortModuleVersions (module.Sort)', () => {
  it('orders by path, then semver, then suffix', () => {
    const list = [
      { path: 'b.com/x', version: 'v1.0.0' },
      { path: 'a.com/x', version: 'v1.10.0/go.mod' },
      { path: 'a.com/x', version: 'v1.10.0' },
      { path: 'a.com/x', version: 'v1.9.0' },
      { path: 'a.com/x', version: 'v1.9.0-pre' },
    ];
    expect(sortModuleVersions(list).map((m) => `${m.path} ${m.version}`)).toEqual([
      'a.com/x v1.9.0-pre',
      'a.com/x v1.9.0',
      'a.com/x v1.10.0',
      'a.com/x v1.10.0/go.mod',
      'b.com/x v1.0.0',
    ]);
  });
});
