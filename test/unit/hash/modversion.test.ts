import { describe, expect, it } from 'vitest';
import { ZipError } from '../../../src/hash/errors.js';
import { checkModuleVersion } from '../../../src/hash/modzip.js';

describe('checkModuleVersion', () => {
  it('refuses a bad pair every time, also after good pairs sharing its parts passed', () => {
    const good: [string, string][] = [
      ['example.com/m', 'v1.0.0'],
      ['example.com/m/v2', 'v2.0.0'],
      ['example.com/m', 'v0.0.0-20200101000000-0123456789ab'],
    ];
    const bad: [string, string, RegExp][] = [
      ['example.com/m', 'v1.0', /not canonical/],
      ['example.com/m/v2', 'v1.0.0', /major version|invalid version/],
      ['example.com/m', 'v2.0.0', /invalid version|should be v0 or v1/],
      ['Example.com/m@v1.0.0', 'v1.0.0', /malformed module path/],
    ];
    for (let round = 0; round < 2; round++) {
      for (const [m, v] of good) expect(() => checkModuleVersion(m, v)).not.toThrow();
      for (const [m, v, why] of bad) {
        let err: unknown;
        try {
          checkModuleVersion(m, v);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(ZipError);
        expect((err as ZipError).code).toBe('ZIP_MODULE');
        expect((err as ZipError).message).toMatch(why);
      }
    }
  });
});
