import { goLangAtLeast } from '../go/gover.js';

/**
 * VendorRule selects x/mod's isVendoredPackage behaviour (GO-FACTS §2.4):
 * 'old' is x/mod before v0.22.0 (Go < 1.24, or a root go.mod declaring go < 1.24);
 * 'new' is x/mod >= v0.22.0 for modules declaring go >= 1.24.
 */
export type VendorRule = 'old' | 'new';

/**
 * isVendoredPackage reports whether a module file is omitted as vendored
 * (x/mod zip/zip.go:720 and golang/mod 9cd0e4c, c8a7319).
 *
 * Old rule: a name under "vendor/" is omitted when the rest contains "/", so
 * vendor/modules.txt is kept; under a non-root ".../vendor/" an offset bug looks for
 * "/" after index 8 of the whole name, which omits every such file
 * (golang/go#31562, #37397). New rule: vendor/modules.txt is omitted too (#63395),
 * and the offset is fixed: the text after the first "/vendor/" must contain "/".
 */
export function isVendoredPackage(name: string, rule: VendorRule): boolean {
  let i: number;
  if (name.startsWith('vendor/')) {
    if (rule === 'new' && name === 'vendor/modules.txt') return true;
    i = 'vendor/'.length;
  } else {
    const j = name.indexOf('/vendor/');
    if (j < 0) return false;
    i = rule === 'new' ? j + '/vendor/'.length : '/vendor/'.length;
  }
  return name.slice(i).includes('/');
}

/**
 * vendorRuleFor picks the rule for a module from its root go.mod's go directive:
 * 'new' when version.Lang("go" + go) >= go1.24, else 'old' (also when the directive is
 * missing or unparsable).
 */
export function vendorRuleFor(goDirective: string | undefined): VendorRule {
  return goLangAtLeast(goDirective, 24) ? 'new' : 'old';
}
