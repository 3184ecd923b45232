import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, retryDelay, serverWait } from '../../../src/action/retry.js';

const now = Date.parse('2030-01-01T00:00:00Z');
const half = () => 0.5; // no jitter

describe('serverWait', () => {
  it('reads retry-after as seconds or as an HTTP date', () => {
    expect(serverWait('7', '', '', now)).toBe(7000);
    expect(serverWait(' 0 ', '', '', now)).toBe(0);
    expect(serverWait('Tue, 01 Jan 2030 00:00:03 GMT', '', '', now)).toBe(3000);
    expect(serverWait('Mon, 31 Dec 2029 23:00:00 GMT', '', '', now)).toBe(0);
  });

  it('waits until x-ratelimit-reset when none is left, and only then', () => {
    expect(serverWait('', '0', String(now / 1000 + 5), now)).toBe(5000);
    expect(serverWait('', '1', String(now / 1000 + 5), now)).toBe(undefined);
    expect(serverWait('2', '0', String(now / 1000 + 5), now)).toBe(2000);
  });

  it('takes no wait from what it cannot read', () => {
    for (const bad of ['-1', '1.5', '1e3', 'soon', '9999999999']) {
      expect(serverWait(bad, '', '', now)).toBe(undefined);
    }
    expect(serverWait('', '0', 'tomorrow', now)).toBe(undefined);
    expect(serverWait('', '', '', now)).toBe(undefined);
  });
});

describe('retryDelay', () => {
  const p = DEFAULT_RETRY_POLICY;
  const network = { code: 'NETWORK' as const, status: undefined, retryAfterMs: undefined };
  const status = (s: number, retryAfterMs?: number) => ({
    code: 'HTTP_STATUS' as const,
    status: s,
    retryAfterMs,
  });

  it('backs off, doubling, for at most the policy tries', () => {
    expect(retryDelay(network, 1, p, half)).toBe(p.backoffMs);
    expect(retryDelay(network, 2, p, half)).toBe(2 * p.backoffMs);
    expect(retryDelay(network, p.attempts, p, half)).toBe(undefined);
  });

  it("tries 502, 503 and 504 again, after the server's wait when it gave one", () => {
    expect(retryDelay(status(503, 4000), 1, p, half)).toBe(4000);
    expect(retryDelay(status(502), 1, p, half)).toBe(p.backoffMs);
    expect(retryDelay(status(503, p.maxWaitMs + 1), 1, p, half)).toBe(undefined);
    for (const s of [400, 401, 403, 404, 409, 422, 500, 501]) {
      expect(retryDelay(status(s, 1000), 1, p, half)).toBe(undefined);
    }
  });

  it('tries a rate limit again only after the wait it asks for', () => {
    const limited = (retryAfterMs?: number) => ({
      code: 'RATE_LIMITED' as const,
      status: 429,
      retryAfterMs,
    });
    expect(retryDelay(limited(1000), 1, p, half)).toBe(1000);
    expect(retryDelay(limited(), 1, p, half)).toBe(undefined);
    expect(retryDelay(limited(3_600_000), 1, p, half)).toBe(undefined);
  });
});
