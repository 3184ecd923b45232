import { ProxyError } from './errors.js';
import { redactText, redactUrl } from './redact.js';
import { timerMs } from '../timers.js';

const timeoutCodes = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

/**
 * TUNNEL_REFUSED is undici's message (an abort) for an egress proxy that answered CONNECT
 * with another status than 200, and PROXY_AUTH its message for a 407 to a request sent
 * whole to an http proxy.
 */
const TUNNEL_REFUSED = /^Proxy response \((\d{3})\) !== 200 when HTTP Tunneling$/;
const PROXY_AUTH = /^Proxy Authentication Required \((407)\)$/;

/**
 * classifyFailure turns anything a request threw into a ProxyError: ProxyErrors pass
 * through; an egress proxy's refusal becomes HTTP_STATUS with the proxy's status (as
 * net/http reports it: not a timeout, retried only for 5xx); undici timeouts and an
 * aborted deadline become TIMEOUT; everything else (refused, reset, DNS, TLS, parser
 * errors) becomes NETWORK. Messages are redacted.
 */
export function classifyFailure(
  err: unknown,
  url: URL,
  options: { source: string; signal?: AbortSignal },
): ProxyError {
  if (err instanceof ProxyError) return err;
  const where = { url: redactUrl(url), source: options.source, cause: err };
  const code = errorCode(err);
  const refused = proxyStatus(err);
  if (refused !== undefined && !options.signal?.aborted) {
    return new ProxyError(
      'HTTP_STATUS',
      `${options.source}: reading ${where.url}: the egress proxy answered ${refused}`,
      { ...where, status: refused },
    );
  }
  if (options.signal?.aborted || code === 'UND_ERR_ABORTED' || code === 'ABORT_ERR') {
    return new ProxyError(
      'TIMEOUT',
      `${options.source}: deadline exceeded reading ${where.url}`,
      where,
    );
  }
  if (timeoutCodes.has(code)) {
    return new ProxyError(
      'TIMEOUT',
      `${options.source}: ${describe(err)} reading ${where.url}`,
      where,
    );
  }
  return new ProxyError(
    'NETWORK',
    `${options.source}: ${describe(err)} reading ${where.url}`,
    where,
  );
}

/** isRetryable: network errors, per-phase timeouts and 5xx are retried; 404/410 and refusals never. */
export function isRetryable(err: ProxyError): boolean {
  if (err.code === 'NETWORK' || err.code === 'TIMEOUT') return true;
  return err.code === 'HTTP_STATUS' && err.status !== undefined && err.status >= 500;
}

/**
 * backoffMs is the wait before the try after `failures` failures of one call: base,
 * doubled each time, times a jitter between 0.5 and 1.5 (so callers that failed together
 * do not try again together).
 */
export function backoffMs(
  base: number,
  failures: number,
  random: () => number = Math.random,
): number {
  return base * 2 ** (failures - 1) * (0.5 + random());
}

/** sleep waits ms milliseconds, or less if signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, timerMs(ms));
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** proxyStatus is the status of an egress proxy's refusal that err reports, if it is one. */
function proxyStatus(err: unknown): number | undefined {
  const message = err instanceof Error ? err.message : '';
  const m = TUNNEL_REFUSED.exec(message) ?? PROXY_AUTH.exec(message);
  return m === null ? undefined : Number(m[1]);
}

function errorCode(err: unknown): string {
  if (typeof err !== 'object' || err === null) return '';
  const code = 'code' in err ? err.code : undefined;
  if (typeof code === 'string') return code;
  const cause = 'cause' in err ? err.cause : undefined;
  return cause === err ? '' : errorCode(cause);
}

function describe(err: unknown): string {
  const code = errorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  return redactText(code !== '' && !message.includes(code) ? `${message} (${code})` : message);
}
