import { describe, expect, it } from 'vitest';
import { checkFiles, type ModuleFile } from '../../../src/hash/create.js';
import { resolveVendorRule } from '../../../src/hash/modzip.js';
import { isVendoredPackage, vendorRuleFor } from '../../../src/hash/vendor.js';

// GO-FACTS §2.4. Old rule: x/mod v0.7.0 zip/zip.go:720 (and Go 1.19, the referee of
// test/interop/hash). New rule: x/mod >= v0.22.0 (golang/mod 9cd0e4c, c8a7319), Go >= 1.24:
// Go 1.19 cannot referee it, so these expectations come from GO-FACTS only.
const CASES: [string, boolean, boolean][] = [
  // [name, omitted by the old rule, omitted by the new rule]
  ['vendor/modules.txt', false, true],
  ['vendor/example.org/x/x.go', true, true],
  ['vendor/x.go', false, false],
  ['pkg/vendor/vendor.go', true, false], // golang/go#31562: old offset bug
  ['pkg/vendor/sub/y.go', true, true],
  ['a/b/vendor/c.go', true, false],
  ['vendorish/a.go', false, false],
  ['a/vendor', false, false],
  ['main.go', false, false],
];

describe('isVendoredPackage', () => {
  it.each(CASES)('%s: old %s, new %s', (name, oldRule, newRule) => {
    expect(isVendoredPackage(name, 'old')).toBe(oldRule);
    expect(isVendoredPackage(name, 'new')).toBe(newRule);
  });
});

describe('vendorRuleFor', () => {
  it.each([
    [undefined, 'old'],
    ['1.19', 'old'],
    ['1.23.4', 'old'],
    ['1.24', 'new'],
    ['1.24rc1', 'new'],
    ['1.25.0', 'new'],
    ['2', 'new'],
    ['junk', 'old'],
  ] as const)('go %s uses the %s rule', (go, rule) => {
    expect(vendorRuleFor(go)).toBe(rule);
  });
});

describe('when the root go.mod declares go 1.24', () => {
  const file = (path: string, text: string): ModuleFile => ({
    path,
    kind: 'file',
    size: Buffer.byteLength(text),
    open: () => [Buffer.from(text)],
  });
  const files = [
    file('go.mod', 'module example.com/m\n\ngo 1.24\n'),
    file('vendor/modules.txt', '# x\n'),
    file('pkg/vendor/vendor.go', 'package vendor\n'),
  ];

  it('auto picks the new rule from the file list', async () => {
    const rule = await resolveVendorRule(files);
    expect(rule).toBe('new');
    expect(checkFiles(files, rule).valid).toEqual(['go.mod', 'pkg/vendor/vendor.go']);
  });

  it('old reproduces Go <= 1.23', async () => {
    const rule = await resolveVendorRule(files, 'old');
    expect(checkFiles(files, rule).valid).toEqual(['go.mod', 'vendor/modules.txt']);
  });
});
