import { ModguardError, type ErrorKind } from '../errors.js';

/**
 * ProxyErrorCode names every way a GOPROXY source can fail to answer.
 *
 *   NOT_FOUND            404 or 410: the only answers that let a `,` chain fall through
 *                        (G/web/api.go:69, G/modfetch/proxy.go:138)
 *   HTTP_STATUS          any other non-200 status
 *   HTML_PAGE            a 200 answer that is an HTML page, not the endpoint's format
 *   BAD_RESPONSE         a 200 answer that is not what the endpoint returns (bad JSON, not a zip…)
 *   TOO_LARGE            a body over the endpoint's size cap
 *   TIMEOUT              connect, headers, body or the per-module deadline ran out
 *   NETWORK              connection refused or reset, DNS failure, TLS failure
 *   SPOOL                the body could not be kept on this machine: its spool file could
 *                        not be written or read (a full disk, a folder gone); not the
 *                        server's doing, so not retried
 *   REDIRECT             too many redirects, https → http, or a redirect without Location
 *   INSECURE_CREDENTIALS credentials in a plain-http URL (sent only over https)
 *   AUTH_UNSUPPORTED     a GOAUTH mode modguard does not run (`git`, commands): only
 *                        `netrc` and `off` are supported
 *   EGRESS_UNSUPPORTED   the egress proxy chosen for the request is one modguard cannot
 *                        use: SOCKS5, another scheme than http(s), no host
 *   EGRESS_REFUSED       HTTP_PROXY in a CGI environment (REQUEST_METHOD set), which
 *                        net/http refuses (golang.org/s/cgihttpproxy)
 *   OFF                  GOPROXY=off (or the chain ended in off)
 *   DIRECT_UNSUPPORTED   the chain reached `direct` and no direct fetcher was given
 *   NO_SOURCES           the chain had no entry that could serve the module
 */
export type ProxyErrorCode =
  | 'NOT_FOUND'
  | 'HTTP_STATUS'
  | 'HTML_PAGE'
  | 'BAD_RESPONSE'
  | 'TOO_LARGE'
  | 'TIMEOUT'
  | 'NETWORK'
  | 'SPOOL'
  | 'REDIRECT'
  | 'INSECURE_CREDENTIALS'
  | 'AUTH_UNSUPPORTED'
  | 'EGRESS_UNSUPPORTED'
  | 'EGRESS_REFUSED'
  | 'OFF'
  | 'DIRECT_UNSUPPORTED'
  | 'NO_SOURCES';

/** ProxyErrorDetails is what a ProxyError carries besides its message; URLs are redacted. */
export interface ProxyErrorDetails {
  /** the redacted URL of the request that failed, when there was one */
  url?: string;
  /** the redacted chain entry (proxy base URL, `direct`, `off`) that failed */
  source?: string;
  /** the HTTP status of the final answer, when there was one */
  status?: number;
  cause?: unknown;
  /** the file on this machine that failed (SPOOL): ModguardError.local */
  local?: string;
}

/**
 * ProxyError is a GOPROXY source that could not answer. Every code is kind 'unavailable'
 * (the witness could not speak: inconclusive, never verified), except BAD_RESPONSE and
 * TOO_LARGE, answers that were given but cannot be used ('invalid': asking again gives
 * the same), and INSECURE_CREDENTIALS, AUTH_UNSUPPORTED and the EGRESS_ codes, which are
 * configurations the user must fix ('usage').
 */
export class ProxyError extends ModguardError {
  declare readonly code: ProxyErrorCode;
  readonly url: string | undefined;
  readonly source: string | undefined;
  readonly status: number | undefined;

  constructor(code: ProxyErrorCode, message: string, details: ProxyErrorDetails = {}) {
    super(code, proxyErrorKind(code), message, { cause: details.cause, local: details.local });
    this.url = details.url;
    this.source = details.source;
    this.status = details.status;
  }

  /** isNotFound reports a 404/410 answer: the one failure a `,` separator falls through on. */
  get isNotFound(): boolean {
    return this.code === 'NOT_FOUND';
  }
}

const USAGE_CODES = new Set<ProxyErrorCode>([
  'INSECURE_CREDENTIALS',
  'AUTH_UNSUPPORTED',
  'EGRESS_UNSUPPORTED',
  'EGRESS_REFUSED',
]);

function proxyErrorKind(code: ProxyErrorCode): ErrorKind {
  if (USAGE_CODES.has(code)) return 'usage';
  return code === 'BAD_RESPONSE' || code === 'TOO_LARGE' ? 'invalid' : 'unavailable';
}

/**
 * spoolError is a failure to keep what a source sent (SPOOL): its file could not be
 * written (a full disk, a folder gone), or the file of the download it followed read. It
 * is this machine's, not the source's: it names the file, and is not retried as a
 * network failure would be. A ModguardError is returned as it is.
 */
export function spoolError(
  err: unknown,
  file: string,
  at: { readonly source: string; readonly url: string; readonly status?: number },
): unknown {
  if (err instanceof ModguardError) return err;
  const why = err instanceof Error ? err.message : String(err);
  return new ProxyError('SPOOL', `${at.source}: could not keep ${at.url} in ${file}: ${why}`, {
    url: at.url,
    source: at.source,
    ...(at.status === undefined ? {} : { status: at.status }),
    cause: err,
    local: file,
  });
}
