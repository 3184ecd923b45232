import { GoError } from '../go/errors.js';
import {
  proxyAddress,
  proxyAuthorization,
  proxyFor,
  type HttpProxyConfig,
  type ProxySetting,
} from '../go/httpproxy.js';
import { ProxyError } from './errors.js';
import { redactUrl } from './redact.js';
import { Agent, Pool, ProxyAgent, type Dispatcher } from './undici.js';

/** PoolOptions shape every connection pool of a router; unset fields keep undici's defaults. */
export interface PoolOptions {
  /** connections kept per origin (and per origin through a proxy) */
  readonly connections?: number;
  readonly connectMs?: number;
  readonly headersMs?: number;
  readonly bodyMs?: number;
  /** trusted CA certificates (PEM) for servers and https proxies, instead of Node's */
  readonly ca?: string | string[];
}

/**
 * EgressRouter holds the connection pools of one HTTP client and picks, for each request
 * (each redirect hop included), the one the go command's transport would use: the egress
 * proxy net/http ProxyFromEnvironment chooses for the URL (src/go/httpproxy.ts), or none.
 * Direct requests share one undici Agent; each proxy gets one undici ProxyAgent, made on
 * first use. Through an http proxy an http URL is sent whole to the proxy (no CONNECT)
 * and an https URL through a CONNECT tunnel, as net/http does; through an https proxy
 * both are tunnelled (net/http would send an http URL whole, over TLS). Credentials of
 * the proxy URL become its Proxy-Authorization (Basic, as net/http sends them) and never
 * reach an error message: undici is given the proxy's address only.
 * A proxy modguard cannot use — SOCKS5 (undici's support is experimental), a scheme
 * other than http or https, no host — fails the request with EGRESS_UNSUPPORTED rather
 * than going direct or elsewhere; HTTP_PROXY in a CGI environment fails it with
 * EGRESS_REFUSED, as net/http refuses it.
 */
export class EgressRouter {
  private readonly direct: Dispatcher;
  private readonly proxies = new Map<string, Dispatcher>();
  private destroyed = false;

  constructor(
    private readonly egress: HttpProxyConfig | undefined,
    private readonly options: PoolOptions = {},
  ) {
    this.direct = new Agent({ ...this.poolOptions(), connect: this.tls() });
  }

  /** dispatcherFor is the pool a request to url goes through; `source` names it in errors. */
  dispatcherFor(url: URL, source: string): Dispatcher {
    if (this.egress === undefined || this.destroyed) return this.direct;
    const setting = this.choose(url, source);
    if (setting === undefined) return this.direct;
    const proxy = usableProxy(setting, url, source);
    const key = `${proxy.uri} ${proxy.token ?? ''}`;
    let dispatcher = this.proxies.get(key);
    if (dispatcher === undefined) {
      dispatcher = this.proxyAgent(proxy.uri, proxy.token);
      this.proxies.set(key, dispatcher);
    }
    return dispatcher;
  }

  /** destroy ends every pooled connection, direct and proxied; the router is unusable afterwards. */
  async destroy(): Promise<void> {
    this.destroyed = true;
    await Promise.all([this.direct, ...this.proxies.values()].map((d) => d.destroy()));
  }

  private choose(url: URL, source: string): ProxySetting | undefined {
    try {
      return this.egress === undefined ? undefined : proxyFor(this.egress, url);
    } catch (err) {
      if (!(err instanceof GoError)) throw err;
      throw new ProxyError('EGRESS_REFUSED', `${source}: ${err.message} (REQUEST_METHOD is set)`, {
        url: redactUrl(url),
        source,
        cause: err,
      });
    }
  }

  private proxyAgent(uri: string, token: string | undefined): Dispatcher {
    const pool = this.poolOptions();
    return new ProxyAgent({
      uri,
      ...(token === undefined ? {} : { token }),
      ...pool,
      proxyTunnel: false,
      proxyTls: this.tls(),
      requestTls: this.tls(),
      // the pool of CONNECTs: its answer is the tunnel's connection, bounded as a connect
      clientFactory: (origin, opts) =>
        new Pool(origin, {
          ...opts,
          ...(this.options.connectMs === undefined
            ? {}
            : { headersTimeout: this.options.connectMs }),
        }),
      // the pools of requests, one per origin, each capped as a direct one is
      factory: (origin, opts) => new Pool(origin, { ...pool, ...opts }),
    });
  }

  private poolOptions(): { connections?: number; headersTimeout?: number; bodyTimeout?: number } {
    const o = this.options;
    return {
      ...(o.connections === undefined ? {} : { connections: o.connections }),
      ...(o.headersMs === undefined ? {} : { headersTimeout: o.headersMs }),
      ...(o.bodyMs === undefined ? {} : { bodyTimeout: o.bodyMs }),
    };
  }

  private tls(): { timeout?: number; ca?: string | string[] } {
    const o = this.options;
    return {
      ...(o.connectMs === undefined ? {} : { timeout: o.connectMs }),
      ...(o.ca === undefined ? {} : { ca: o.ca }),
    };
  }
}

/**
 * usableProxy is the undici form of a proxy setting: its address as a URL without
 * credentials, and the Proxy-Authorization they make. Throws EGRESS_UNSUPPORTED for a
 * proxy modguard cannot dial, naming the variable but never its value.
 */
function usableProxy(
  setting: ProxySetting,
  url: URL,
  source: string,
): { uri: string; token: string | undefined } {
  const { scheme } = setting.url;
  const { hostname, port } = proxyAddress(setting.url);
  const host = hostname.includes(':') ? `[${hostname}]` : hostname;
  const shown = `${scheme}://${host}${port === '' ? '' : `:${port}`}`;
  const refuse = (why: string): never => {
    throw new ProxyError(
      'EGRESS_UNSUPPORTED',
      `${source}: ${setting.variable} names ${why}, which modguard cannot use for ${redactUrl(url)}; name an http or https proxy, or cover the host in NO_PROXY`,
      { url: redactUrl(url), source },
    );
  };
  if (scheme === 'socks5') refuse(`a SOCKS5 proxy (${shown})`);
  if (scheme !== 'http' && scheme !== 'https') refuse(`a proxy with scheme "${scheme}"`);
  if (hostname === '') refuse('a proxy URL without a host');
  let uri: string;
  try {
    uri = new URL(shown).href;
  } catch {
    return refuse(`a proxy host that is not a valid URL host (${JSON.stringify(hostname)})`);
  }
  return { uri, token: proxyAuthorization(setting.url) };
}
