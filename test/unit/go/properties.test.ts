/**
 * Properties over arbitrary input: escaping round-trips, and every checker or parser
 * either answers or throws its own GoError — never anything else.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GoError } from '../../../src/go/errors.js';
import * as mod from '../../../src/go/module.js';
import { pathMatch } from '../../../src/go/pathmatch.js';
import * as pseudo from '../../../src/go/pseudo.js';
import * as semver from '../../../src/go/semver.js';

const modChar = fc.constantFrom(...'abcxyzABCXYZ0189-._~'.split(''));
const element = fc.array(modChar, { minLength: 1, maxLength: 8 }).map((cs) => cs.join(''));
const modulePath = fc
  .tuple(
    fc.array(fc.constantFrom(...'abcxyz019-'.split('')), { minLength: 1, maxLength: 6 }),
    fc.array(element, { maxLength: 4 }),
  )
  .map(([first, rest]) => [`${first.join('')}.com`, ...rest].join('/'));
const validPath = modulePath.filter((p) => mod.isValidPath(p));

const versionChar = fc.constantFrom(...'v0123456789.-+abcXYZ'.split(''));
const versionLike = fc.array(versionChar, { minLength: 1, maxLength: 14 }).map((cs) => cs.join(''));
const anyText = fc.string({ unit: 'binary', maxLength: 30 });

function onlyGoError(f: () => unknown): void {
  try {
    f();
  } catch (err) {
    if (!(err instanceof GoError)) throw err;
  }
}

describe('escaping (module.go EscapePath/EscapeVersion)', () => {
  it('round-trips every valid module path', () => {
    fc.assert(
      fc.property(validPath, (p) => {
        const esc = mod.escapePath(p);
        expect(esc).toBe(esc.toLowerCase());
        expect(mod.unescapePath(esc)).toBe(p);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips every escapable version', () => {
    fc.assert(
      fc.property(versionLike, (v) => {
        let esc: string;
        try {
          esc = mod.escapeVersion(v);
        } catch (err) {
          if (err instanceof GoError) return;
          throw err;
        }
        expect(mod.unescapeVersion(esc)).toBe(v);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips canonical versions', () => {
    const canonical = fc
      .tuple(
        fc.nat(99),
        fc.nat(99),
        fc.nat(99),
        fc.constantFrom('', '-RC.1', '-pre', '+incompatible'),
      )
      .map(([a, b, c, s]) => `v${a}.${b}.${c}${s}`);
    fc.assert(
      fc.property(canonical, (v) => {
        expect(mod.unescapeVersion(mod.escapeVersion(v))).toBe(v);
      }),
    );
  });
});

describe('when input is arbitrary text', () => {
  it('semver answers without throwing, and compare is an order', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, versionLike), fc.oneof(anyText, versionLike), (v, w) => {
        expect(typeof semver.isValid(v)).toBe('boolean');
        semver.canonical(v);
        semver.major(v);
        semver.majorMinor(v);
        semver.prerelease(v);
        semver.build(v);
        expect(semver.compare(v, w)).toBe(-semver.compare(w, v) || 0);
        expect(semver.compare(v, v)).toBe(0);
        if (semver.isValid(v)) expect(semver.compare(v, semver.canonical(v))).toBe(0);
      }),
      { numRuns: 1000 },
    );
  });

  it('path checks, escaping, splitting and matching throw only GoError', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, modulePath), fc.oneof(anyText, versionLike), (p, v) => {
        onlyGoError(() => mod.checkPath(p));
        onlyGoError(() => mod.checkImportPath(p));
        onlyGoError(() => mod.checkFilePath(p));
        onlyGoError(() => mod.check(p, v));
        onlyGoError(() => mod.escapePath(p));
        onlyGoError(() => mod.unescapePath(p));
        onlyGoError(() => mod.escapeVersion(v));
        onlyGoError(() => mod.unescapeVersion(v));
        onlyGoError(() => mod.checkPathMajor(v, p));
        onlyGoError(() => mod.pathMajorPrefix(p));
        const split = mod.splitPathVersion(p);
        expect(split.prefix + split.pathMajor).toBe(p);
        mod.matchPrefixPatterns(p, v);
        pathMatch(p, v);
      }),
      { numRuns: 1000 },
    );
  });

  it('pseudo-version functions throw only GoError', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, versionLike), (v) => {
        onlyGoError(() => pseudo.pseudoVersionBase(v));
        onlyGoError(() => pseudo.pseudoVersionRev(v));
        onlyGoError(() => pseudo.pseudoVersionTime(v));
        pseudo.isPseudoVersion(v);
      }),
    );
  });

  it('a generated pseudo-version parses back to its parts', () => {
    const time = fc.integer({ min: 0, max: 253402300799 }).map((s) => new Date(s * 1000));
    const older = fc.constantFrom('', 'v1.2.3', 'v0.0.0', 'v2.0.0-rc.1', 'v2.3.4+incompatible');
    fc.assert(
      fc.property(older, time, fc.stringMatching(/^[0-9a-f]{12}$/), (o, t, rev) => {
        const v = pseudo.pseudoVersion('v1', o, t, rev);
        expect(pseudo.isPseudoVersion(v)).toBe(true);
        expect(pseudo.pseudoVersionRev(v)).toBe(rev);
        expect(pseudo.pseudoVersionTime(v).getTime()).toBe(t.getTime());
        if (o !== '') expect(pseudo.pseudoVersionBase(v)).toBe(o);
      }),
    );
  });
});
