import { describe, expect, it } from 'vitest';
import { GoError } from '../../../src/go/errors.js';
import {
  decDecimal,
  incDecimal,
  isPseudoVersion,
  isZeroPseudoVersion,
  pseudoVersion,
  pseudoVersionBase,
  pseudoVersionRev,
  pseudoVersionTime,
} from '../../../src/go/pseudo.js';

// Source: golang.org/x/mod v0.7.0 module/pseudo_test.go pseudoTests.
const pseudoTests = [
  ['', '', 'v0.0.0-20060102150405-hash'],
  ['v0', '', 'v0.0.0-20060102150405-hash'],
  ['v1', '', 'v1.0.0-20060102150405-hash'],
  ['v2', '', 'v2.0.0-20060102150405-hash'],
  ['unused', 'v0.0.0', 'v0.0.1-0.20060102150405-hash'],
  ['unused', 'v1.2.3', 'v1.2.4-0.20060102150405-hash'],
  ['unused', 'v1.2.99999999999999999', 'v1.2.100000000000000000-0.20060102150405-hash'],
  ['unused', 'v1.2.3-pre', 'v1.2.3-pre.0.20060102150405-hash'],
  ['unused', 'v1.3.0-pre', 'v1.3.0-pre.0.20060102150405-hash'],
  ['unused', 'v0.0.0--', 'v0.0.0--.0.20060102150405-hash'],
  ['unused', 'v1.0.0+metadata', 'v1.0.1-0.20060102150405-hash+metadata'],
  ['unused', 'v2.0.0+incompatible', 'v2.0.1-0.20060102150405-hash+incompatible'],
  ['unused', 'v2.3.0-pre+incompatible', 'v2.3.0-pre.0.20060102150405-hash+incompatible'],
] as const;

const pseudoTime = new Date(Date.UTC(2006, 0, 2, 15, 4, 5));

function code(f: () => unknown): string | undefined {
  try {
    f();
    return undefined;
  } catch (err) {
    if (err instanceof GoError) return err.code;
    throw err;
  }
}

describe('pseudo-versions (pseudo_test.go pseudoTests)', () => {
  it.each(pseudoTests)('pseudoVersion(%j, %j) = %s', (major, older, version) => {
    expect(pseudoVersion(major, older, pseudoTime, 'hash')).toBe(version);
    expect(isPseudoVersion(version)).toBe(true);
    expect(isPseudoVersion(older)).toBe(false);
    expect(pseudoVersionTime(version)).toEqual(pseudoTime);
    expect(code(() => pseudoVersionTime(older))).toBe('INVALID_PSEUDO_VERSION');
    expect(pseudoVersionRev(version)).toBe('hash');
    expect(code(() => pseudoVersionRev(older))).toBe('INVALID_PSEUDO_VERSION');
    expect(pseudoVersionBase(version)).toBe(older);
  });

  it('refuses a malformed time (TestInvalidPseudoVersionTime)', () => {
    expect(code(() => pseudoVersionTime('---'))).toBe('INVALID_PSEUDO_VERSION');
  });

  it.each([
    'v0.0.0',
    'v0.0.0-', // malformed: empty prerelease
    'v0.0.0-0.20060102150405-hash', // Z+1 == 0
    'v0.1.0-0.20060102150405-hash', // Z+1 == 0
    'v1.0.0-0.20060102150405-hash', // Z+1 == 0
    'v0.0.0-20060102150405-hash+incompatible', // +incompatible without base version
    'v0.0.0-20060102150405-hash+metadata', // other metadata without base version
  ])('pseudoVersionBase(%j) throws (TestInvalidPseudoVersionBase)', (v) => {
    expect(code(() => pseudoVersionBase(v))).toBe('INVALID_PSEUDO_VERSION');
  });

  it.each([
    ['0', '1'],
    ['1', '2'],
    ['99', '100'],
    ['100', '101'],
    ['101', '102'],
  ])('incDecimal(%j) = %j (TestIncDecimal)', (input, want) => {
    expect(incDecimal(input)).toBe(want);
  });

  it.each([
    ['', ''],
    ['0', ''],
    ['00', ''],
    ['1', '0'],
    ['2', '1'],
    ['99', '98'],
    ['100', '99'],
    ['101', '100'],
  ])('decDecimal(%j) = %j (TestDecDecimal)', (input, want) => {
    expect(decDecimal(input)).toBe(want);
  });
});

describe('when a pseudo-version time is no calendar time (time.Parse ranges)', () => {
  it.each([
    'v0.0.0-20061302150405-abcdefabcdef',
    'v0.0.0-20060230150405-abcdefabcdef',
    'v0.0.0-20060102250405-abcdefabcdef',
    'v0.0.0-20060102156005-abcdefabcdef',
    'v0.0.0-20060102150460-abcdefabcdef',
    'v0.0.0-20060002150405-abcdefabcdef',
  ])('%s throws', (v) => {
    expect(isPseudoVersion(v)).toBe(true);
    expect(code(() => pseudoVersionTime(v))).toBe('INVALID_PSEUDO_VERSION');
  });

  it('accepts a leap day and year zero', () => {
    expect(pseudoVersionTime('v0.0.0-20200229000000-abcdefabcdef').toISOString()).toBe(
      '2020-02-29T00:00:00.000Z',
    );
    expect(pseudoVersionTime('v0.0.0-00000229000000-abcdefabcdef').getUTCFullYear()).toBe(0);
  });

  it('recognises the zero pseudo-version', () => {
    expect(isZeroPseudoVersion('v0.0.0-00010101000000-000000000000')).toBe(true);
    expect(isZeroPseudoVersion('v2.0.0-00010101000000-000000000000')).toBe(true);
    expect(isZeroPseudoVersion('v0.0.0-00010101000000-000000000001')).toBe(false);
  });
});
