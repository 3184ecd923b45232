import { describe, expect, it } from 'vitest';
import { ProxyError, type ProxyErrorCode } from '../../../src/proxy/errors.js';

// The kind decides the finding: 'unavailable' is MG201 (ask again), 'invalid' MG202 (the
// answer was given and cannot be used), 'usage' a configuration to fix.
describe('ProxyError kinds', () => {
  it.each<[ProxyErrorCode, string]>([
    ['TIMEOUT', 'unavailable'],
    ['NETWORK', 'unavailable'],
    ['HTTP_STATUS', 'unavailable'],
    ['HTML_PAGE', 'unavailable'],
    ['BAD_RESPONSE', 'invalid'],
    ['TOO_LARGE', 'invalid'],
    ['AUTH_UNSUPPORTED', 'usage'],
    ['INSECURE_CREDENTIALS', 'usage'],
  ])('%s is %s', (code, kind) => {
    expect(new ProxyError(code, 'x').kind).toBe(kind);
  });
});
