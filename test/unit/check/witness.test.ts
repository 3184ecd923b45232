import { describe, expect, it } from 'vitest';
import { sumdbAnswer, type SumdbLookup } from '../../../src/check/witness.js';
import { H } from './fixtures.js';

const base = { witness: 'sumdb', url: 'http://127.0.0.1:8083/lookup/example.com/m@v1.2.3' };
const lookup = (over: Partial<SumdbLookup>): SumdbLookup => ({ ...base, ...over });

/** The record text format is sum.golang.org's (GO-FACTS §5): `<p> <v> h1:<zip>` then `<p> <v>/go.mod h1:<mod>`. */
const RECORD = [`example.com/m v1.2.3 ${H.A}`, `example.com/m v1.2.3/go.mod ${H.B}`];

describe('sumdbAnswer', () => {
  it('picks the zip line and the go.mod line', () => {
    const l = lookup({ lines: RECORD, treeSize: 42n });
    expect(sumdbAnswer(l, 'example.com/m', 'v1.2.3', 'zip')).toEqual({
      ...base,
      role: 'sumdb',
      h1: H.A,
    });
    expect(sumdbAnswer(l, 'example.com/m', 'v1.2.3', 'go.mod')).toEqual({
      ...base,
      role: 'sumdb',
      h1: H.B,
    });
  });

  it('passes failures through', () => {
    const error = { code: 'UNAVAILABLE', kind: 'unavailable' as const, message: '503' };
    expect(sumdbAnswer(lookup({ error }), 'example.com/m', 'v1.2.3', 'zip')).toEqual({
      ...base,
      role: 'sumdb',
      error,
    });
    expect(sumdbAnswer(lookup({ notFound: true }), 'example.com/m', 'v1.2.3', 'zip')).toEqual({
      ...base,
      role: 'sumdb',
      notFound: true,
    });
  });

  describe('when the record has no line for the kind (Go would pass; modguard fails closed)', () => {
    it.each([
      ['an empty record', []],
      ['another module only', [`example.com/other v1.2.3 ${H.A}`]],
      ['a prefix of the module', [`example.com/mm v1.2.3 ${H.A}`]],
      ['a line with extra fields', [`example.com/m v1.2.3 ${H.A} extra`]],
    ])('is an invalid answer for %s', (_, lines) => {
      const answer = sumdbAnswer(lookup({ lines }), 'example.com/m', 'v1.2.3', 'zip');
      expect(answer.h1).toBeUndefined();
      expect(answer.error).toMatchObject({ code: 'RECORD_LINE', kind: 'invalid' });
    });

    it('is an invalid answer when two lines claim the same key', () => {
      const lines = [...RECORD, `example.com/m v1.2.3 ${H.C}`];
      const answer = sumdbAnswer(lookup({ lines }), 'example.com/m', 'v1.2.3', 'zip');
      expect(answer.error?.message).toBe('the record has 2 lines for example.com/m v1.2.3');
    });
  });
});
