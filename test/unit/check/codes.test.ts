import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, FINDING_CODES } from '../../../src/check/codes.js';
import { fillTemplate, makeFinding } from '../../../src/check/findings.js';

const DOCS = readFileSync(new URL('../../../docs/findings.md', import.meta.url), 'utf8');

/** sections splits docs/findings.md at its `## MGnnn` headings. */
function sections(): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of DOCS.split(/^## /m).slice(1)) {
    const [heading = '', ...rest] = part.split('\n');
    if (/^MG\d{3}$/.test(heading)) out.set(heading, rest.join('\n'));
  }
  return out;
}

describe('the finding catalogue', () => {
  it('has codes in groups MG1xx–MG7xx, each unique with a unique name', () => {
    expect(FINDING_CODES.length).toBeGreaterThanOrEqual(30);
    for (const code of FINDING_CODES) expect(code).toMatch(/^MG[1-7]\d\d$/);
    const names = FINDING_CODES.map((c) => CATALOGUE[c].name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[A-Z][A-Za-z]+$/);
  });

  it('has no placeholders in summaries and descriptions, and only known ones in templates', () => {
    for (const code of FINDING_CODES) {
      const info = CATALOGUE[code];
      expect(info.summary + info.description).not.toMatch(/[{}]/);
      const filled = fillTemplate(info.title + info.remedy + (info.localRemedy ?? ''), {});
      expect(filled, code).not.toMatch(/\{(module|version|kind|witness|file|sum)\}/);
    }
  });

  it('fills templates from the subject', () => {
    const f = makeFinding(
      'MG102',
      {
        module: 'a.example/m',
        version: 'v1.0.0',
        kind: 'go.mod',
        file: 'go.sum',
        line: 3,
        witness: 'proxy B',
      },
      'd',
    );
    expect(f.title).toBe('proxy B serves a different copy of a.example/m@v1.0.0 (go.mod)');
    expect(f.severity).toBe('error');
    expect(fillTemplate('{module} {nope}', {})).toBe('the module {nope}');
  });

  it('names the go.sum file a line is in: its file, or the sum the subject names', () => {
    const at = { module: 'a.example/m', version: 'v1.0.0', kind: 'zip' as const, line: 3 };
    expect(makeFinding('MG101', { ...at, file: 'go.work.sum' }, 'd').title).toBe(
      'go.work.sum differs from every witness for a.example/m@v1.0.0 (zip)',
    );
    const missing = makeFinding('MG403', { ...at, file: 'b/go.mod', sum: 'b/go.sum' }, 'd');
    expect([missing.file, missing.title]).toEqual([
      'b/go.mod',
      'b/go.sum has no line for a.example/m@v1.0.0 (zip)',
    ]);
    expect(makeFinding('MG406', { file: 'b/go.mod', line: 2 }, 'd').title).toBe(
      'b/go.mod does not parse',
    );
    // a rule's help is about every file: it says go.sum
    expect(fillTemplate(CATALOGUE.MG101.remedy, {})).toContain('(git log -p go.sum)');
  });

  it("gives a failure on this machine the code's remedy for that, where it has one", () => {
    const at = { module: 'a.example/m', version: 'v1.0.0', file: 'go.sum', witness: 'sum.x' };
    const local = makeFinding('MG201', at, 'd', [], { local: true });
    expect(local.remedy).toMatch(/^The failure is on this machine, not at sum\.x: /);
    expect(local.remedy).not.toMatch(/network/);
    expect(makeFinding('MG201', at, 'd').remedy).toContain('your network');
    expect(makeFinding('MG202', at, 'd', [], { local: true }).remedy).toBe(
      fillTemplate(CATALOGUE.MG202.remedy, at),
    );
  });
});

describe('docs/findings.md', () => {
  const docs = sections();

  it('documents exactly the catalogue codes, in order', () => {
    expect([...docs.keys()]).toEqual([...FINDING_CODES]);
  });

  it.each(FINDING_CODES.map((c) => [c]))('states the name and default severity of %s', (code) => {
    const info = CATALOGUE[code];
    const text = docs.get(code) ?? '';
    expect(text).toContain(`**${info.name}** · default severity **${info.severity}**`);
    expect(text).toMatch(/Remedy: /);
  });
});
