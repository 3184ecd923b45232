import { describe, expect, it } from 'vitest';
import {
  checkGoSumAgainstGoMod,
  checkGoSumLines,
  effectiveTargets,
  type GoModFacts,
} from '../../../src/check/hygiene.js';
import { parseGoMod, type GoModReplace, type GoModRequire } from '../../../src/go/gomod.js';
import { parseGoSum } from '../../../src/go/gosum.js';
import { H } from './fixtures.js';

/** sum parses go.sum text with src/go's parser, as the engine will. */
const sum = (...lines: string[]) => parseGoSum(`${lines.join('\n')}\n`, 'go.sum');

const req = (path: string, version: string, line: number): GoModRequire => ({
  path,
  version,
  indirect: false,
  line,
});

const rep = (
  old: string,
  oldVersion: string,
  to: string,
  toVersion: string,
  line: number,
): GoModReplace => ({
  old: { path: old, version: oldVersion },
  new: { path: to, version: toVersion },
  local: toVersion === '',
  line,
});

const mod = (over: Partial<GoModFacts>): GoModFacts => ({
  file: 'go.mod',
  go: { version: '1.21', line: 3 },
  require: [],
  replace: [],
  ...over,
});

describe('checkGoSumLines', () => {
  describe('when every key appears once', () => {
    it('finds nothing', () => {
      expect(
        checkGoSumLines(sum(`a.example/m v1.0.0 ${H.A}`, `a.example/m v1.0.0/go.mod ${H.B}`)),
      ).toEqual([]);
    });
  });

  describe('when a line is repeated exactly', () => {
    it('reports MG401 at the repeat, naming the first', () => {
      const found = checkGoSumLines(
        sum(
          `a.example/m v1.0.0 ${H.A}`,
          `a.example/m v1.0.0/go.mod ${H.B}`,
          `a.example/m v1.0.0 ${H.A}`,
        ),
      );
      expect(found.map((f) => [f.code, f.severity, f.file, f.line, f.kind])).toEqual([
        ['MG401', 'notice', 'go.sum', 3, 'zip'],
      ]);
      expect(found[0]?.detail).toBe('go.sum:3 repeats go.sum:1.');
    });
  });

  describe('when two lines give the same key different hashes', () => {
    it('reports MG402 with both lines as evidence', () => {
      const found = checkGoSumLines(
        sum(`a.example/m v1.0.0/go.mod ${H.A}`, `a.example/m v1.0.0/go.mod ${H.C}`),
      );
      expect(found.map((f) => [f.code, f.severity, f.kind, f.line])).toEqual([
        ['MG402', 'error', 'go.mod', 2],
      ]);
      expect(found[0]?.evidence.map((e) => [e.url, e.h1])).toEqual([
        ['go.sum:1', H.A],
        ['go.sum:2', H.C],
      ]);
    });
  });

  describe('when the zip and go.mod lines of one version differ in hash', () => {
    it('does not confuse the two kinds', () => {
      expect(
        checkGoSumLines(sum(`a.example/m v1.0.0 ${H.A}`, `a.example/m v1.0.0/go.mod ${H.C}`)),
      ).toEqual([]);
    });
  });
});

describe('checkGoSumAgainstGoMod', () => {
  describe('when go.mod requires a version go.sum has no /go.mod line for', () => {
    it('reports MG403 at the require line', () => {
      const found = checkGoSumAgainstGoMod(
        sum(
          `a.example/m v1.0.0 ${H.A}`,
          `a.example/m v1.0.0/go.mod ${H.B}`,
          `b.example/n v2.0.0 ${H.A}`,
        ),
        mod({ require: [req('a.example/m', 'v1.0.0', 5), req('b.example/n', 'v2.0.0', 6)] }),
      );
      expect(found.map((f) => [f.code, f.module, f.file, f.line, f.kind])).toEqual([
        ['MG403', 'b.example/n', 'go.mod', 6, 'go.mod'],
      ]);
    });
  });

  describe('when a requirement is replaced', () => {
    const replaced = mod({
      require: [req('a.example/m', 'v1.0.0', 5), req('c.example/local', 'v0.1.0', 6)],
      replace: [
        rep('a.example/m', '', 'fork.example/m', 'v1.0.1', 9),
        rep('c.example/local', '', '../local', '', 10),
      ],
    });

    it('needs the replacement, and nothing for a directory', () => {
      expect(effectiveTargets(replaced).map((t) => `${t.module}@${t.version}`)).toEqual([
        'fork.example/m@v1.0.1',
      ]);
      expect(checkGoSumAgainstGoMod(sum(`fork.example/m v1.0.1/go.mod ${H.B}`), replaced)).toEqual(
        [],
      );
      expect(
        checkGoSumAgainstGoMod(sum(`a.example/m v1.0.0/go.mod ${H.B}`), replaced).map((f) => [
          f.module,
          f.line,
        ]),
      ).toEqual([['fork.example/m', 5]]);
    });

    it('prefers a replacement naming the version over one for every version', () => {
      const both = mod({
        require: [req('a.example/m', 'v1.0.0', 5)],
        replace: [
          rep('a.example/m', '', 'any.example/m', 'v9.0.0', 9),
          rep('a.example/m', 'v1.0.0', 'exact.example/m', 'v1.0.0', 10),
        ],
      });
      expect(effectiveTargets(both).map((t) => t.module)).toEqual(['exact.example/m']);
    });
  });

  describe('when go.sum keeps the zip line of a version go.mod no longer requires', () => {
    const lines = sum(
      `a.example/m v1.0.0 ${H.A}`,
      `a.example/m v1.0.0/go.mod ${H.B}`,
      `a.example/m v1.1.0 ${H.C}`,
      `a.example/m v1.1.0/go.mod ${H.B}`,
      `other.example/x v0.1.0 ${H.A}`,
    );
    const require = [req('a.example/m', 'v1.1.0', 4)];

    it('reports MG404 for the old zip line only (go.mod lines feed the module graph)', () => {
      const found = checkGoSumAgainstGoMod(lines, mod({ require }));
      expect(found.map((f) => [f.code, f.severity, f.version, f.line])).toEqual([
        ['MG404', 'notice', 'v1.0.0', 1],
      ]);
    });

    it('says nothing before go 1.17, when go.mod need not list every module', () => {
      expect(
        checkGoSumAgainstGoMod(lines, mod({ go: { version: '1.16', line: 3 }, require })),
      ).toEqual([]);
      expect(checkGoSumAgainstGoMod(lines, mod({ go: undefined, require }))).toEqual([]);
    });

    it.each(['1.21rc1', '1.21.0', '1.17', '2.0'])(
      'reports it for go %s too (Go compares language versions, not semver)',
      (version) => {
        const found = checkGoSumAgainstGoMod(lines, mod({ go: { version, line: 3 }, require }));
        expect(found.map((f) => [f.code, f.version])).toEqual([['MG404', 'v1.0.0']]);
      },
    );
  });

  describe('when both files come through src/go parsers', () => {
    it('finds the missing, the unneeded and the replaced lines in real text', () => {
      const gomod = parseGoMod(
        [
          'module example.com/app',
          '',
          'go 1.20',
          '',
          'require (',
          '\tgolang.org/x/text v0.14.0',
          '\texample.com/gone v1.0.0 // indirect',
          '\texample.com/forked v1.2.0',
          ')',
          '',
          'replace example.com/forked => example.com/fork v1.2.1',
          '',
        ].join('\n'),
      );
      expect(gomod.errors).toEqual([]);
      const gosum = sum(
        `golang.org/x/text v0.13.0 ${H.A}`,
        `golang.org/x/text v0.13.0/go.mod ${H.B}`,
        `golang.org/x/text v0.14.0 ${H.C}`,
        `golang.org/x/text v0.14.0/go.mod ${H.B}`,
        `example.com/fork v1.2.1/go.mod ${H.B}`,
      );
      const found = checkGoSumAgainstGoMod(gosum, gomod);
      expect(found.map((f) => `${f.code} ${f.module}@${f.version} ${f.file}:${f.line}`)).toEqual([
        'MG403 example.com/gone@v1.0.0 go.mod:7',
        'MG404 golang.org/x/text@v0.13.0 go.sum:1',
      ]);
    });
  });
});
