/**
 * HTTP adapter of the sumdb client: readRemote through the proxy client's transports, as
 * the go command reads the database and GOPROXY with one web client (G/web/http.go):
 * HttpClient (src/proxy/http.ts), so a database read follows redirects with the same
 * rules as a GOPROXY read (at most 10 requests, https → http refused, credentials of the
 * URL to its host and port only) and, given the web settings of the GOPROXY reads, sends
 * the same .netrc credentials (over https only) through the same egress proxy; and
 * FileTransport for a file:// base (a file:// GOPROXY holding `sumdb/<name>/`;
 * G/web/http.go getFile, a missing file being not-found).
 * No retries: Go's sumdb client does not retry either (G/modfetch/sumdb.go ReadRemote).
 * Also the connection choice of the go command (G/modfetch/sumdb.go dbDial; GO-FACTS §5):
 * probe `<proxy>/sumdb/<name>/supported` along GOPROXY, else connect to the database
 * directly.
 */
import { ProxyError } from '../proxy/errors.js';
import { FileTransport, isFileUrl } from '../proxy/file-transport.js';
import { HttpClient, type Transport, type WebSettings } from '../proxy/http.js';
import { redactUrl, sourceLabel } from '../proxy/redact.js';
import { SumdbError } from './errors.js';

/**
 * HttpRemoteOptions bounds every exchange; its web settings (netrc, egress) are those of
 * the GOPROXY reads of the same command (src/proxy/config.ts webSettings), none by default.
 */
export interface HttpRemoteOptions extends WebSettings {
  readonly connectMs?: number;
  readonly headersMs?: number;
  readonly bodyMs?: number;
  /** maxBytes caps one answer; the largest legitimate answers are data tiles (256 records). */
  readonly maxBytes?: number;
  /** extra trusted CA certificates (PEM), for private databases and tests */
  readonly ca?: string | string[];
}

/**
 * HttpRemote reads database paths below a base URL (the database itself or a proxy's
 * /sumdb/NAME), over http(s) or from a file:// directory.
 */
export class HttpRemote {
  readonly requests: string[] = [];
  private readonly transport: Transport;
  private readonly maxBytes: number;
  private readonly source: string;

  constructor(
    readonly baseUrl: string,
    opts: HttpRemoteOptions = {},
  ) {
    const timeouts = {
      ...(opts.connectMs === undefined ? {} : { connectMs: opts.connectMs }),
      ...(opts.headersMs === undefined ? {} : { headersMs: opts.headersMs }),
      ...(opts.bodyMs === undefined ? {} : { bodyMs: opts.bodyMs }),
    };
    this.transport = isFileUrl(baseUrl)
      ? new FileTransport()
      : new HttpClient({
          timeouts,
          retries: 0,
          connectionsPerOrigin: 16,
          ...(opts.ca === undefined ? {} : { ca: opts.ca }),
          ...(opts.netrc === undefined ? {} : { netrc: opts.netrc }),
          ...(opts.egress === undefined ? {} : { egress: opts.egress }),
        });
    this.maxBytes = opts.maxBytes ?? 4 << 20;
    this.source = sourceLabel(baseUrl);
  }

  /**
   * readRemote GETs baseUrl + path; 404/410 are NOT_FOUND, any other failure (a status,
   * an HTML page, a refused redirect, a timeout) is UNAVAILABLE. Messages name the URL,
   * redacted.
   */
  async readRemote(path: string): Promise<Uint8Array> {
    const url = this.baseUrl.replace(/\/+$/, '') + path;
    this.requests.push(path);
    try {
      const got = await this.transport.get(new URL(url), {
        source: this.source,
        maxBytes: this.maxBytes,
      });
      if (got.kind === 'buffer') return new Uint8Array(got.body);
      throw new Error('the answer was not kept in memory');
    } catch (err) {
      if (err instanceof ProxyError) {
        throw new SumdbError(err.isNotFound ? 'NOT_FOUND' : 'UNAVAILABLE', err.message, {
          cause: err,
        });
      }
      const where = `${this.source}: reading ${redactUrl(url)}`;
      throw new SumdbError('UNAVAILABLE', `${where}: ${String(err)}`, { cause: err });
    }
  }

  /** close ends pooled connections. */
  async close(): Promise<void> {
    await this.transport.close();
  }
}

/** ProxyEntryLike is the shape of src/go/env.ts ProxyEntry that the connection choice needs. */
export interface ProxyEntryLike {
  readonly kind: 'url' | 'direct' | 'off' | 'noproxy';
  readonly url?: string;
  readonly fallBackOnAnyError: boolean;
}

/**
 * chooseSumdbBase picks where to reach database `name` (G/modfetch/sumdb.go dbDial and
 * initBase, GO-FACTS §5 "Connection choice"): an explicit URL wins; otherwise each GOPROXY
 * URL entry is probed with `<proxy>/sumdb/<name>/supported`, and 200 → use that proxy.
 * The walk is TryProxies' (G/modfetch/proxy.go:160-183): 404/410 goes on to the next
 * entry, and so does any other error after a `|` entry, but that error is kept; the
 * walk ends at `direct`, at `off`, after an error on a `,` entry, or with the list.
 * initBase then connects directly (`https://<name>`) only if the error kept is a
 * not-found (sumdb.go:186): reaching `direct` makes it one whatever failed before
 * (proxy.go:169); `off` and the end of the list do not replace a proxy's error
 * (proxy.go:172), which makes the database UNAVAILABLE.
 */
export async function chooseSumdbBase(
  name: string,
  explicitUrl: string | undefined,
  proxies: readonly ProxyEntryLike[],
  probe: (url: string) => Promise<void> = probeSupported,
): Promise<string> {
  if (explicitUrl !== undefined) return explicitUrl;
  let kept: SumdbError | undefined;
  for (const p of proxies) {
    if (p.kind === 'direct') return `https://${name}`;
    if (p.kind === 'off') break;
    if (p.kind !== 'url' || p.url === undefined) continue;
    const base = `${p.url.replace(/\/+$/, '')}/sumdb/${name}`;
    try {
      await probe(`${base}/supported`);
      return base;
    } catch (err) {
      if (err instanceof SumdbError && err.code === 'NOT_FOUND') continue;
      kept = new SumdbError('UNAVAILABLE', `checking ${base}/supported: ${String(err)}`, {
        cause: err,
      });
      if (!p.fallBackOnAnyError) break;
    }
  }
  if (kept !== undefined) throw kept;
  return `https://${name}`;
}

/**
 * probeSupported reads a `<proxy>/sumdb/<name>/supported` URL through a remote of its own
 * with `opts` (dialSumdb passes the web settings of the reads), then lets its connections go.
 */
export async function probeSupported(url: string, opts: HttpRemoteOptions = {}): Promise<void> {
  const remote = new HttpRemote(url, opts);
  try {
    await remote.readRemote('');
  } finally {
    await remote.close();
  }
}
