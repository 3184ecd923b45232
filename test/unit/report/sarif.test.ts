import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, type FindingCode } from '../../../src/check/codes.js';
import { makeFinding } from '../../../src/check/findings.js';
import { summarize } from '../../../src/check/summary.js';
import { artifactUri, FINGERPRINT_KEY, toSarif } from '../../../src/report/sarif.js';
import { sampleReport } from './sample.js';

/**
 * The official SARIF 2.1.0 JSON schema (rtm.5, JSON Schema draft-04), as shipped by the
 * npm package @microsoft/jest-sarif (lib/schemas/sarif-2.1.0-rtm.5.json), validated with
 * Ajv's draft-04 class.
 */
const require = createRequire(import.meta.url);
const SCHEMA_FILE = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;

// unicodeRegExp: false because the schema's `language` pattern has a stray `]`
// (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`), legal only without the `u` flag.
// Both packages are CommonJS: under NodeNext the class and plugin are their `default` export.
const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
ajvFormats.default(ajv);
const validate = ajv.compile(schema);

const OPTIONS = { version: '0.1.0', informationUri: 'https://github.com/example/modguard' };

type Log = ReturnType<typeof toSarif>;

function expectValid(log: Log): void {
  const ok = validate(JSON.parse(JSON.stringify(log)));
  expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
  expect(ok).toBe(true);
}

describe('toSarif', () => {
  const log = toSarif(sampleReport(), OPTIONS);
  const run = log.runs[0]!;

  it('validates against the official SARIF 2.1.0 schema', () => {
    expect(schema['title']).toContain('SARIF');
    expectValid(log);
  });

  it('rejects what the schema rejects (the validator is live)', () => {
    expect(validate({ version: '2.1.0', runs: [{ tool: {} }] })).toBe(false);
    expect(validate({ ...log, version: '2.0.0' })).toBe(false);
    const noteAsNotice = JSON.parse(JSON.stringify(log)) as Log;
    Object.assign(noteAsNotice.runs[0]!.results[0]!, { level: 'notice' });
    expect(validate(noteAsNotice)).toBe(false);
  });

  it('describes the tool and one rule per code that occurs', () => {
    const driver = run.tool.driver;
    expect(driver).toMatchObject({
      name: 'modguard',
      informationUri: OPTIONS.informationUri,
      version: '0.1.0',
    });
    expect(driver.rules.map((r) => r.id)).toEqual(['MG102', 'MG201', 'MG401', 'MG505']);
    expect(driver.rules[0]).toMatchObject({
      id: 'MG102',
      name: 'ProxyServesDifferentCopy',
      shortDescription: {
        text: 'one proxy serves a copy that differs from go.sum and the other witnesses',
      },
      defaultConfiguration: { level: 'error' },
      helpUri: 'https://github.com/example/modguard/blob/main/docs/findings.md#mg102',
    });
    expect(driver.rules[0]?.help.text).toContain('Stop using the witness');
    expect(driver.rules[2]?.defaultConfiguration.level).toBe('note');
  });

  it('gives each result its rule, level, message and location', () => {
    expect(run.results).toHaveLength(4);
    const [first] = run.results;
    expect(first).toMatchObject({
      ruleId: 'MG102',
      ruleIndex: 0,
      level: 'error',
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'go.sum', uriBaseId: '%SRCROOT%' },
            region: { startLine: 7 },
          },
        },
      ],
    });
    expect(first?.message.text.split('\n')[0]).toBe(
      'proxy B serves a different copy of example.com/m@v1.2.3 (zip)',
    );
    for (const r of run.results) expect(driver(r.ruleIndex)).toBe(r.ruleId);
  });

  function driver(i: number): string | undefined {
    return run.tool.driver.rules[i]?.id;
  }

  it('omits the region of a finding with no line', () => {
    const config = run.results.find((r) => r.ruleId === 'MG505');
    expect(config?.locations[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: 'go.mod', uriBaseId: '%SRCROOT%' },
    });
  });

  it('fingerprints findings without their line, apart by witness', () => {
    const at = (line: number, witness: string) =>
      makeFinding(
        'MG102',
        { module: 'm.example/x', version: 'v1.0.0', kind: 'zip', file: 'go.sum', line, witness },
        'd',
      );
    const prints = toSarif(
      summarize([], [at(3, 'proxy A'), at(90, 'proxy A'), at(3, 'proxy B')]),
      OPTIONS,
    ).runs[0]!.results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]);
    expect(prints[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(prints).size).toBe(2);
  });

  it('fingerprints findings about no module (malformed lines) apart by line', () => {
    const at = (line: number) =>
      makeFinding('MG405', { file: 'go.sum', line }, `go.sum:${line}: wrong number of fields`);
    const prints = toSarif(summarize([], [at(1), at(2), at(4)]), OPTIONS).runs[0]!.results.map(
      (r) => r.partialFingerprints[FINGERPRINT_KEY],
    );
    expect(new Set(prints).size).toBe(3);
  });

  it('fingerprints the repeats of one go.sum line (MG401) and conflicting lines (MG402) apart', () => {
    const at = (code: 'MG401' | 'MG402', line: number) =>
      makeFinding(
        code,
        { module: 'm.example/x', version: 'v1.0.0', kind: 'zip', file: 'go.sum', line },
        'd',
      );
    const prints = toSarif(
      summarize([], [at('MG401', 11), at('MG401', 12), at('MG402', 20), at('MG402', 21)]),
      OPTIONS,
    ).runs[0]!.results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]);
    expect(new Set(prints).size).toBe(4);
  });

  it("names every module as M@V in a rule's help, with no placeholder left", () => {
    const every = (Object.keys(CATALOGUE) as FindingCode[]).map((code) =>
      makeFinding(code, { file: 'go.sum', line: 1 }, 'd'),
    );
    const rules = toSarif(summarize([], every), OPTIONS).runs[0]!.tool.driver.rules;
    const help = rules.map((r) => r.help.text).join('\n');
    expect(help).not.toMatch(/the module@the version|\{(module|version|kind|file)\}/);
    expect(help).toContain('M@V');
  });

  it('validates with no findings', () => {
    const empty = toSarif(summarize([]), OPTIONS);
    expect(empty.runs[0]?.results).toEqual([]);
    expectValid(empty);
  });
});

describe('artifactUri', () => {
  it.each([
    ['go.sum', undefined, 'go.sum'],
    ['./sub/go.sum', undefined, 'sub/go.sum'],
    ['sub\\dir\\go.sum', undefined, 'sub/dir/go.sum'],
    ['my mod/go#1.sum', undefined, 'my%20mod/go%231.sum'],
    ['/repo/tools/go.sum', '/repo', 'tools/go.sum'],
  ])('%s (root %s) → %s', (file, root, uri) => {
    expect(artifactUri(file, root)).toBe(uri);
  });
});
