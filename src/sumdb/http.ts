/**
 * HTTP adapter of the sumdb client: readRemote over undici with keep-alive, per-phase
 * timeouts, a size cap per answer, and a guard against HTML pages (captive portals,
 * broken mirrors answering 200). Also the connection choice of the go command
 * (G/modfetch/sumdb.go dbDial; GO-FACTS §5): probe `<proxy>/sumdb/<name>/supported`
 * along GOPROXY, else connect to the database directly.
 */
import { Agent, type Dispatcher } from '../proxy/undici.js';
import { SumdbError } from './errors.js';

/** HttpRemoteOptions bounds every exchange. */
export interface HttpRemoteOptions {
  readonly connectMs?: number;
  readonly headersMs?: number;
  readonly bodyMs?: number;
  /** maxBytes caps one answer; the largest legitimate answers are data tiles (256 records). */
  readonly maxBytes?: number;
}

/** HttpRemote reads database paths below a base URL (the database itself or a proxy's /sumdb/NAME). */
export class HttpRemote {
  readonly requests: string[] = [];
  private readonly agent: Dispatcher;
  private readonly maxBytes: number;

  constructor(
    readonly baseUrl: string,
    opts: HttpRemoteOptions = {},
  ) {
    this.agent = new Agent({
      connect: { timeout: opts.connectMs ?? 10_000 },
      headersTimeout: opts.headersMs ?? 30_000,
      bodyTimeout: opts.bodyMs ?? 30_000,
      keepAliveTimeout: 4_000,
      connections: 16,
    });
    this.maxBytes = opts.maxBytes ?? 4 << 20;
  }

  /** readRemote GETs baseUrl + path; 404/410 are NOT_FOUND, anything but 200 is UNAVAILABLE. */
  async readRemote(path: string): Promise<Uint8Array> {
    const url = this.baseUrl.replace(/\/+$/, '') + path;
    this.requests.push(path);
    let res: Dispatcher.ResponseData;
    try {
      const u = new URL(url);
      res = await this.agent.request({
        origin: u.origin,
        path: u.pathname + u.search,
        method: 'GET',
      });
    } catch (err) {
      throw new SumdbError('UNAVAILABLE', `reading ${url}: ${String(err)}`, { cause: err });
    }
    const body = await readCapped(res.body, this.maxBytes, url);
    if (res.statusCode === 404 || res.statusCode === 410) {
      throw new SumdbError('NOT_FOUND', `reading ${url}: ${res.statusCode} ${firstLine(body)}`);
    }
    if (res.statusCode !== 200)
      throw new SumdbError('UNAVAILABLE', `reading ${url}: status ${res.statusCode}`);
    if (isHtml(res.headers['content-type'], body)) {
      throw new SumdbError(
        'UNAVAILABLE',
        `reading ${url}: got an HTML page, not a checksum database answer`,
      );
    }
    return body;
  }

  /** close ends pooled connections. */
  async close(): Promise<void> {
    await this.agent.close();
  }
}

async function readCapped(
  body: Dispatcher.ResponseData['body'],
  max: number,
  url: string,
): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const b = chunk as Buffer;
      size += b.length;
      if (size > max) {
        body.destroy();
        throw new SumdbError('UNAVAILABLE', `reading ${url}: answer larger than ${max} bytes`);
      }
      chunks.push(b);
    }
  } catch (err) {
    if (err instanceof SumdbError) throw err;
    throw new SumdbError('UNAVAILABLE', `reading ${url}: ${String(err)}`, { cause: err });
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function isHtml(contentType: string | string[] | undefined, body: Uint8Array): boolean {
  const type = (
    Array.isArray(contentType) ? contentType.join(',') : (contentType ?? '')
  ).toLowerCase();
  if (type.includes('text/html')) return true;
  const head = Buffer.from(body.subarray(0, 64)).toString('latin1').trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html');
}

function firstLine(body: Uint8Array): string {
  return Buffer.from(body.subarray(0, 200)).toString('utf8').split('\n')[0] ?? '';
}

/** ProxyEntryLike is the shape of src/go/env.ts ProxyEntry that the connection choice needs. */
export interface ProxyEntryLike {
  readonly kind: 'url' | 'direct' | 'off' | 'noproxy';
  readonly url?: string;
  readonly fallBackOnAnyError: boolean;
}

/**
 * chooseSumdbBase picks where to reach database `name` (G/modfetch/sumdb.go dbDial,
 * GO-FACTS §5 "Connection choice"): an explicit URL wins; otherwise each GOPROXY URL
 * entry is probed with `<proxy>/sumdb/<name>/supported`: 200 → use that proxy;
 * 404/410 (or any error after a `|` entry) → next entry; `direct`/`off` → connect
 * directly (`https://<name>`); any other answer → UNAVAILABLE.
 */
export async function chooseSumdbBase(
  name: string,
  explicitUrl: string | undefined,
  proxies: readonly ProxyEntryLike[],
  probe: (url: string) => Promise<void> = (url) =>
    new HttpRemote(url).readRemote('').then(() => undefined),
): Promise<string> {
  if (explicitUrl !== undefined) return explicitUrl;
  for (const p of proxies) {
    if (p.kind === 'direct' || p.kind === 'off') break;
    if (p.kind !== 'url' || p.url === undefined) continue;
    const base = `${p.url.replace(/\/+$/, '')}/sumdb/${name}`;
    try {
      await probe(`${base}/supported`);
      return base;
    } catch (err) {
      const notFound = err instanceof SumdbError && err.code === 'NOT_FOUND';
      if (notFound || p.fallBackOnAnyError) continue;
      throw new SumdbError('UNAVAILABLE', `checking ${base}/supported: ${String(err)}`, {
        cause: err,
      });
    }
  }
  return `https://${name}`;
}
