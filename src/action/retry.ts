import { backoffMs } from '../proxy/retry.js';
import type { GitHubApiErrorCode } from './github-api.js';

/**
 * RetryPolicy bounds how often, and after how long a wait, a failed GitHub API call is
 * tried again. The comment's deadline (COMMENT_DEADLINE_MS) bounds them all besides.
 */
export interface RetryPolicy {
  /** the most tries of one call, the first included */
  readonly attempts: number;
  /** the wait before the second try; it doubles, with ±50% jitter */
  readonly backoffMs: number;
  /** a longer wait than this, asked for by the server, gives up instead */
  readonly maxWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 3,
  backoffMs: 500,
  maxWaitMs: 15_000,
};

/** TRANSIENT_STATUSES: a gateway or the service failing for now (502, 503, 504). */
const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/** FailedCall is what retryDelay reads of a failed call (GitHubApiError). */
export interface FailedCall {
  readonly code: GitHubApiErrorCode;
  readonly status: number | undefined;
  /** the wait the server asked for (retry-after, or x-ratelimit-reset with none left) */
  readonly retryAfterMs: number | undefined;
}

/**
 * retryDelay is how long to wait before trying a call again after its `failures`-th
 * failure, or undefined not to: a network failure and a 502, 503 or 504 are tried again
 * (after the server's retry-after, when it gave one), and so is a spent rate limit when
 * the server said how long to wait, as docs.github.com "Rate limits for the REST API"
 * asks ("If the retry-after response header is present, you should not retry your
 * request until after that many seconds has elapsed. If the x-ratelimit-remaining header
 * is 0, you should not make another request until after the time specified by the
 * x-ratelimit-reset header."). Any other 4xx is an answer, never tried again; nor is a
 * rate limit without a wait (GitHub asks for a minute at least), or a wait over
 * maxWaitMs. The caller only tries again what is safe to repeat.
 */
export function retryDelay(
  failed: FailedCall,
  failures: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number | undefined {
  if (failures >= policy.attempts) return undefined;
  const backoff = backoffMs(policy.backoffMs, failures, random);
  let wait: number | undefined;
  if (failed.code === 'NETWORK') wait = backoff;
  else if (failed.code === 'RATE_LIMITED') wait = failed.retryAfterMs;
  else if (failed.code === 'HTTP_STATUS' && TRANSIENT_STATUSES.has(failed.status ?? 0)) {
    wait = failed.retryAfterMs ?? backoff;
  }
  return wait !== undefined && wait <= policy.maxWaitMs ? wait : undefined;
}

/**
 * serverWait is the wait an answer asks for, in milliseconds: its retry-after (seconds,
 * or an HTTP date), else, with x-ratelimit-remaining 0, until x-ratelimit-reset (UTC epoch
 * seconds); undefined when it asks for none or says it unreadably. The server wrote
 * these: they are read strictly.
 */
export function serverWait(
  retryAfter: string,
  remaining: string,
  reset: string,
  now: number,
): number | undefined {
  const after = retryAfter.trim();
  if (after !== '') {
    if (/^[0-9]{1,9}$/.test(after)) return Number(after) * 1000;
    const date = /[a-z]/i.test(after) ? Date.parse(after) : NaN;
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
  }
  if (remaining.trim() !== '0' || !/^[0-9]{1,12}$/.test(reset.trim())) return undefined;
  return Math.max(0, Number(reset.trim()) * 1000 - now);
}
