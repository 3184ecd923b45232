import { describe, expect, it } from 'vitest';
import { boundText, MAX_QUOTED } from '../../../src/check/findings.js';
import { checkRetracted, type RetractRange } from '../../../src/check/retract.js';

/** RETRACTS is a latest go.mod's retract block: `retract v1.0.1 // leaks tokens` and `retract [v1.2.0, v1.3.5]`. */
const RETRACTS: readonly RetractRange[] = [
  { low: 'v1.0.1', high: 'v1.0.1', rationale: 'leaks tokens' },
  { low: 'v1.2.0', high: 'v1.3.5', rationale: '' },
];

const at = (version: string) => ({ module: 'example.com/m', version, file: 'go.mod', line: 4 });

describe('checkRetracted', () => {
  it.each([
    ['v1.0.1', 'The latest go.mod of example.com/m retracts v1.0.1: "leaks tokens".'],
    ['v1.2.0', 'The latest go.mod of example.com/m retracts [v1.2.0, v1.3.5].'],
    ['v1.3.0-rc.1', 'The latest go.mod of example.com/m retracts [v1.2.0, v1.3.5].'],
    ['v1.3.5', 'The latest go.mod of example.com/m retracts [v1.2.0, v1.3.5].'],
    ['v1.3.5+incompatible', 'The latest go.mod of example.com/m retracts [v1.2.0, v1.3.5].'],
  ])('reports %s as retracted (MG601)', (version, detail) => {
    const found = checkRetracted(at(version), RETRACTS);
    expect(found.map((f) => [f.code, f.severity, f.version, f.line, f.detail])).toEqual([
      ['MG601', 'warning', version, 4, detail],
    ]);
  });

  it.each(['v1.0.0', 'v1.0.2', 'v1.2.0-pre', 'v1.3.6', 'v2.0.0', 'not-a-version'])(
    'does not report %s',
    (version) => {
      expect(checkRetracted(at(version), RETRACTS)).toEqual([]);
    },
  );

  it("quotes the author's reason up to MAX_QUOTED characters: it comes from a proxy", () => {
    const rationale = 'r'.repeat(100_000);
    const [found] = checkRetracted(at('v1.0.0'), [{ low: 'v1.0.0', high: 'v1.0.0', rationale }]);
    expect(found?.detail).toBe(
      `The latest go.mod of example.com/m retracts v1.0.0: "${boundText(rationale)}".`,
    );
    expect(found?.detail.length).toBeLessThan(MAX_QUOTED + 100);
  });

  // go list -m -retracted lists the rationale of every directive that covers the version.
  it('quotes the reason of every directive that covers the version, not only the first', () => {
    const [found] = checkRetracted(at('v1.0.0'), [
      { low: 'v0.9.0', high: 'v1.0.0', rationale: '' },
      { low: 'v1.0.0', high: 'v1.0.0', rationale: 'broken' },
      { low: 'v1.0.0', high: 'v1.1.0', rationale: 'leaks' },
      { low: 'v2.0.0', high: 'v2.0.0', rationale: 'not this one' },
    ]);
    expect(found?.detail).toBe(
      'The latest go.mod of example.com/m retracts [v0.9.0, v1.0.0], v1.0.0, [v1.0.0, v1.1.0]: "broken"; "leaks".',
    );
  });

  // semver.Compare ranks what is no version below every version, as the go command does.
  it('reads an invalid low bound as the lowest version, an invalid high bound as none', () => {
    expect(
      checkRetracted(at('v1.0.0'), [{ low: 'bogus', high: 'v9.0.0', rationale: '' }]),
    ).toHaveLength(1);
    expect(checkRetracted(at('v1.0.0'), [{ low: 'v0.1.0', high: 'bogus', rationale: '' }])).toEqual(
      [],
    );
  });
});
