import { describe, expect, it } from 'vitest';
import * as semver from '../../../src/go/semver.js';
import tables from './testdata/xmod-tables.json' with { type: 'json' };

// Source: golang.org/x/mod v0.7.0 semver/semver_test.go `tests`, dumped verbatim into
// testdata/xmod-tables.json. The table is in increasing order; equal `out` means equal.
const tests = tables.semverTests;

function firstIndex(s: string, c: string): number {
  return s.indexOf(c);
}

describe('semver (x/mod semver_test.go)', () => {
  it.each(tests)('isValid and canonical($in)', ({ in: v, out }) => {
    expect(semver.isValid(v)).toBe(out !== '');
    expect(semver.canonical(v)).toBe(out);
  });

  it.each(tests)('major($in)', ({ in: v, out }) => {
    const i = firstIndex(out, '.');
    expect(semver.major(v)).toBe(i >= 0 ? out.slice(0, i) : '');
  });

  it.each(tests)('majorMinor($in)', ({ in: v, out }) => {
    let want = '';
    if (out !== '') {
      want = v;
      if (want.includes('+')) want = want.slice(0, want.indexOf('+'));
      if (want.includes('-')) want = want.slice(0, want.indexOf('-'));
      const dots = want.split('.').length - 1;
      if (dots === 0) want += '.0';
      if (dots === 2) want = want.slice(0, want.lastIndexOf('.'));
    }
    expect(semver.majorMinor(v)).toBe(want);
  });

  it.each(tests)('prerelease and build($in)', ({ in: v, out }) => {
    const dash = out.indexOf('-');
    expect(semver.prerelease(v)).toBe(out !== '' && dash >= 0 ? out.slice(dash) : '');
    const plus = v.indexOf('+');
    expect(semver.build(v)).toBe(out !== '' && plus >= 0 ? v.slice(plus) : '');
  });

  it('compare and max order the whole table', () => {
    tests.forEach((ti, i) => {
      tests.forEach((tj, j) => {
        const want = ti.out === tj.out ? 0 : i < j ? -1 : +1;
        expect(semver.compare(ti.in, tj.in), `compare(${ti.in}, ${tj.in})`).toBe(want);
        const wantMax = i < j ? semver.canonical(tj.in) : semver.canonical(ti.in);
        expect(semver.max(ti.in, tj.in), `max(${ti.in}, ${tj.in})`).toBe(wantMax);
      });
    });
  });

  it('sort orders like semver.Sort: invalid first, ties by bytes', () => {
    const shuffled = tests.map((t) => t.in).reverse();
    const sorted = semver.sort([...shuffled]);
    for (let i = 1; i < sorted.length; i++) {
      expect(semver.compareForSort(sorted[i - 1]!, sorted[i]!)).toBeLessThanOrEqual(0);
    }
    expect(semver.sort(['v1.0.0', 'bad', 'v1', 'v0.1.0', 'v1.0.0+b', 'v1.0.0+a'])).toEqual([
      'bad',
      'v0.1.0',
      'v1',
      'v1.0.0',
      'v1.0.0+a',
      'v1.0.0+b',
    ]);
  });
});

describe('when comparing what semver_test.go does not cover', () => {
  it.each([
    ['v1.0.0-alpha', 'v1.0.0-alpha.1', -1],
    ['v1.0.0-alpha.1', 'v1.0.0-alpha.beta', -1],
    ['v1.0.0-2', 'v1.0.0-11', -1],
    ['v1.0.0-a2', 'v1.0.0-a11', +1],
    ['v1.10.0', 'v1.9.0', +1],
    ['v1.0.0+a', 'v1.0.0+b', 0],
    ['v99999999999999999999.0.0', 'v100000000000000000000.0.0', -1],
    ['x', 'y', 0],
  ] as const)('compare(%s, %s) = %d', (v, w, want) => {
    expect(semver.compare(v, w)).toBe(want);
    expect(semver.compare(w, v)).toBe(-want || 0);
  });

  it.each([
    'v01.0.0',
    'v1.01.0',
    'v1.0.01',
    'v1.0.0-01',
    'v1.0.0-',
    'v1.0.0+',
    'v1.0.0-a..b',
    'v1.0.0-é',
    'V1.0.0',
    'v1.0.0 ',
  ])('refuses %j', (v) => {
    expect(semver.isValid(v)).toBe(false);
    expect(semver.canonical(v)).toBe('');
  });

  it('accepts leading zeros in build metadata', () => {
    expect(semver.canonical('v1.0.0+01')).toBe('v1.0.0');
  });
});
