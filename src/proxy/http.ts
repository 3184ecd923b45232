import type { HttpProxyConfig } from '../go/httpproxy.js';
import type { Dispatcher } from './undici.js';
import { EgressRouter } from './egress.js';
import { ProxyError } from './errors.js';
import { lookupNetrc, type NetrcEntry } from './netrc.js';
import { redactUrl } from './redact.js';
import {
  errorDetail,
  readBodyToBuffer,
  readBodyToFile,
  type BodyContext,
  type FileBody,
  type SpoolOptions,
} from './body.js';
import { backoffMs, classifyFailure, isRetryable, sleep } from './retry.js';

/** Timeouts bound each phase of one HTTP exchange, in milliseconds. */
export interface Timeouts {
  connectMs: number;
  /** from request sent to response headers received */
  headersMs: number;
  /** the longest pause between two body chunks */
  bodyMs: number;
}

/** HttpOptions configures an HttpClient; every field has a default. */
export interface HttpOptions {
  timeouts?: Partial<Timeouts>;
  /** retries after the first attempt, for network errors, timeouts and 5xx; default 2 */
  retries?: number;
  /** base of the jittered exponential backoff; default 250 ms */
  backoffMs?: number;
  /** connections kept per origin (one pool per origin); default 8 */
  connectionsPerOrigin?: number;
  netrc?: readonly NetrcEntry[];
  /**
   * the egress proxy environment (HTTPS_PROXY, HTTP_PROXY, NO_PROXY, REQUEST_METHOD; see
   * src/go/httpproxy.ts proxyConfigFromEnv), consulted for every request; none by default
   */
  egress?: HttpProxyConfig;
  /** extra trusted CA certificates (PEM), for private proxies and tests */
  ca?: string | string[];
}

/**
 * WebSettings are what every read of the go command's one web client shares, GOPROXY and
 * the checksum database alike (G/web/http.go): the .netrc credentials GOAUTH allows and the
 * egress proxy (net/http ProxyFromEnvironment). src/proxy/config.ts webSettings reads them.
 */
export type WebSettings = Pick<HttpOptions, 'netrc' | 'egress'>;

/**
 * GetOptions describes one GET: its size cap, where the body goes, and its deadline; with
 * toFile, the SpoolOptions say where it may be kept instead, and whether it is digested.
 */
export interface GetOptions extends SpoolOptions {
  /** the chain entry this request serves, redacted, for error messages */
  source: string;
  maxBytes: number;
  /** stream the body into this new file instead of memory */
  toFile?: string;
  /** aborts the request and its retries (the per-module deadline) */
  signal?: AbortSignal;
  /**
   * return the body of any final status, not only 200, in memory, HTML allowed: go-get discovery reads
   * a meta tag from a 404 page too (G/web/http.go: "accepting a non-200 OK here")
   */
  anyStatus?: boolean;
}

/** GetResult is the body; `status` is set for a buffer read with anyStatus. */
export type GetResult =
  { kind: 'buffer'; body: Buffer; status?: number } | { kind: 'file'; file: FileBody };

/** Transport performs one GET of the GOPROXY protocol: HttpClient, or FileTransport for file://. */
export interface Transport {
  get(url: URL, options: GetOptions): Promise<GetResult>;
  close(): Promise<void>;
}

export const defaultTimeouts: Timeouts = { connectMs: 10_000, headersMs: 30_000, bodyMs: 30_000 };
/** maxRequests bounds one GET with its redirects, as Go's http.Client does. */
const maxRequests = 10;

/**
 * HttpClient performs the GETs of the GOPROXY protocol over undici: one connection pool per
 * origin capped at connectionsPerOrigin, each request (each redirect hop too) sent directly
 * or through the egress proxy the go command would use for its URL (src/proxy/egress.ts),
 * redirects followed by hand (at most 10, https → http refused, Authorization dropped when
 * the host changes: G/web/http.go:47), credentials from the URL or .netrc sent only over
 * https, per-phase timeouts, and retries with jittered backoff for network errors,
 * timeouts and 5xx — never for 404/410.
 */
export class HttpClient implements Transport {
  private readonly router: EgressRouter;
  private readonly timeouts: Timeouts;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly netrc: readonly NetrcEntry[];

  constructor(options: HttpOptions = {}) {
    this.timeouts = { ...defaultTimeouts, ...options.timeouts };
    this.retries = options.retries ?? 2;
    this.backoffMs = options.backoffMs ?? 250;
    this.netrc = options.netrc ?? [];
    this.router = new EgressRouter(options.egress, {
      connections: options.connectionsPerOrigin ?? 8,
      connectMs: this.timeouts.connectMs,
      headersMs: this.timeouts.headersMs,
      bodyMs: this.timeouts.bodyMs,
      ...(options.ca === undefined ? {} : { ca: options.ca }),
    });
  }

  /** close ends every pooled connection; the client is unusable afterwards. */
  async close(): Promise<void> {
    await this.router.destroy();
  }

  /** get fetches url and returns its 200 body, or throws a ProxyError with a redacted URL. */
  async get(url: URL, options: GetOptions): Promise<GetResult> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.getOnce(url, options);
      } catch (err) {
        const failure = classifyFailure(err, url, options);
        if (attempt >= this.retries || !isRetryable(failure) || options.signal?.aborted) {
          throw failure;
        }
        await sleep(backoffMs(this.backoffMs, attempt + 1), options.signal);
      }
    }
  }

  private async getOnce(start: URL, options: GetOptions): Promise<GetResult> {
    let url = start;
    let auth = this.authorization(start, options.source);
    // At most maxRequests requests: net/http's default CheckRedirect stops when 10
    // requests were made ("stopped after 10 redirects"), so 9 redirects are followed.
    for (let request = 1; request <= maxRequests; request++) {
      const res = await this.router.dispatcherFor(url, options.source).request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: 'GET',
        // Bytes as stored: a module zip gains nothing from compression, and an encoded
        // body hashed as is would look tampered.
        headers:
          auth === undefined
            ? { 'accept-encoding': 'identity' }
            : { 'accept-encoding': 'identity', authorization: auth },
        signal: options.signal,
        headersTimeout: this.timeouts.headersMs,
        bodyTimeout: this.timeouts.bodyMs,
      });
      const next = await settleRedirect(res, url, options.source);
      if (next === undefined) return await this.finish(res, url, options);
      await res.body.dump();
      // Credentials go no further than the host and port they were meant for (net/http
      // shouldCopyHeaderOnRedirect compares host:port; a subdomain, which it would also
      // trust, is not trusted here), and are not restored once dropped.
      if (next.host !== url.host || next.protocol !== url.protocol) auth = undefined;
      url = next;
    }
    throw new ProxyError(
      'REDIRECT',
      `${options.source}: stopped after ${maxRequests} requests (redirects) for ${redactUrl(start)}`,
      { url: redactUrl(start), source: options.source },
    );
  }

  /** authorization builds Basic credentials from URL userinfo, else the first .netrc match. */
  private authorization(url: URL, source: string): string | undefined {
    const fromUrl = url.username !== '' || url.password !== '';
    const entry = fromUrl
      ? { login: decodeURIComponent(url.username), password: decodeURIComponent(url.password) }
      : lookupNetrc(this.netrc, url);
    if (entry === undefined) return undefined;
    if (url.protocol !== 'https:') {
      if (!fromUrl) return undefined;
      throw new ProxyError(
        'INSECURE_CREDENTIALS',
        `${source}: refusing to send credentials over plain http to ${redactUrl(url)}`,
        { url: redactUrl(url), source },
      );
    }
    return 'Basic ' + Buffer.from(`${entry.login}:${entry.password}`).toString('base64');
  }

  private async finish(
    res: Dispatcher.ResponseData,
    url: URL,
    options: GetOptions,
  ): Promise<GetResult> {
    const ctx: BodyContext = {
      url: redactUrl(url),
      source: options.source,
      maxBytes: options.maxBytes,
      contentType: headerValue(res.headers['content-type']),
    };
    if (res.statusCode !== 200 && options.anyStatus !== true) throw await statusError(res, ctx);
    const encoding = headerValue(res.headers['content-encoding']).trim().toLowerCase();
    if (encoding !== '' && encoding !== 'identity') {
      await res.body.dump();
      throw new ProxyError(
        'BAD_RESPONSE',
        `${ctx.source}: ${ctx.url} came with Content-Encoding ${JSON.stringify(encoding)}, though none was accepted`,
        { url: ctx.url, source: ctx.source, status: 200 },
      );
    }
    const declared = Number(headerValue(res.headers['content-length']) || '0');
    if (Number.isFinite(declared) && declared > options.maxBytes) {
      await res.body.dump();
      throw new ProxyError('TOO_LARGE', `${ctx.source}: ${ctx.url} declares ${declared} bytes`, {
        url: ctx.url,
        source: ctx.source,
        status: 200,
      });
    }
    if (options.anyStatus === true) {
      const body = await readBodyToBuffer(res.body, { ...ctx, html: true });
      return { kind: 'buffer', body, status: res.statusCode };
    }
    if (options.toFile === undefined) {
      return { kind: 'buffer', body: await readBodyToBuffer(res.body, ctx) };
    }
    return {
      kind: 'file',
      file: await readBodyToFile(res.body, options.toFile, ctx, options),
    };
  }
}

/** settleRedirect returns the redirect target, if any, draining the body of a refused one. */
async function settleRedirect(
  res: Dispatcher.ResponseData,
  from: URL,
  source: string,
): Promise<URL | undefined> {
  try {
    return redirectTarget(res, from, source);
  } catch (err) {
    await res.body.dump();
    throw err;
  }
}

function redirectTarget(res: Dispatcher.ResponseData, from: URL, source: string): URL | undefined {
  if (![301, 302, 303, 307, 308].includes(res.statusCode)) return undefined;
  const location = headerValue(res.headers.location);
  let next: URL | undefined;
  try {
    next = location === '' ? undefined : new URL(location, from);
  } catch {
    next = undefined;
  }
  const bad = (why: string) =>
    new ProxyError('REDIRECT', `${source}: ${why} from ${redactUrl(from)}`, {
      url: redactUrl(from),
      source,
      status: res.statusCode,
    });
  if (next === undefined) throw bad('redirect without a valid Location');
  if (next.protocol !== 'http:' && next.protocol !== 'https:')
    throw bad('redirect to a non-http URL');
  if (from.protocol === 'https:' && next.protocol === 'http:')
    throw bad('redirect to insecure http');
  return next;
}

async function statusError(res: Dispatcher.ResponseData, ctx: BodyContext): Promise<ProxyError> {
  let detail = '';
  try {
    const head = await readBodyToBuffer(res.body, { ...ctx, maxBytes: 1 << 16 });
    detail = errorDetail(head, ctx.contentType);
  } catch {
    res.body.destroy();
  }
  const code = res.statusCode === 404 || res.statusCode === 410 ? 'NOT_FOUND' : 'HTTP_STATUS';
  return new ProxyError(code, `${ctx.source}: reading ${ctx.url}: ${res.statusCode}${detail}`, {
    url: ctx.url,
    source: ctx.source,
    status: res.statusCode,
  });
}

function headerValue(v: string | string[] | undefined): string {
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}
