/**
 * The egress proxy of a request, as net/http's ProxyFromEnvironment chooses it for the go
 * command (golang.org/x/net/http/httpproxy, vendored in Go 1.19 at
 * src/vendor/golang.org/x/net/http/httpproxy/proxy.go). Pure: the environment comes in
 * as a value, and the answer is which proxy URL a request URL goes through, if any.
 */
import { domainToASCII } from 'node:url';
import { GoError } from './errors.js';
import {
  cidrContains,
  ipEqual,
  isLoopback,
  joinHostPort,
  parseCIDR,
  parseIP,
  splitHostPort,
  type IP,
  type IPNet,
} from './netaddr.js';
import { goHostname, goPort, parseGoURL, type GoURL } from './neturl.js';
import { spellBytes, trimSpace } from './strings.js';

/** ProxySetting is one proxy variable that names a usable proxy URL. */
export interface ProxySetting {
  /** the variable it was read from, in the spelling found: HTTPS_PROXY, https_proxy, … */
  readonly variable: string;
  /** the proxy URL as url.Parse read it (its scheme may be one net/http cannot dial) */
  readonly url: GoURL;
}

/** NoProxyRule is one NO_PROXY entry: an IP or CIDR prefix, or a domain, each with an optional port. */
export type NoProxyRule =
  | { readonly kind: 'cidr'; readonly net: IPNet }
  | { readonly kind: 'ip'; readonly ip: IP; readonly port: string }
  | {
      readonly kind: 'domain';
      /** a suffix with its leading ".", lower case, in ASCII (IDNA) when it could be */
      readonly suffix: string;
      readonly port: string;
      /** the domain itself matches too (the entry had no leading "." or "*.") */
      readonly matchHost: boolean;
    };

/** HttpProxyConfig is the proxy environment of one process, parsed once as net/http does. */
export interface HttpProxyConfig {
  /** the proxy of http:// requests; undefined when unset, empty or invalid */
  readonly http: ProxySetting | undefined;
  /** the proxy of https:// requests; undefined when unset, empty or invalid */
  readonly https: ProxySetting | undefined;
  /** NO_PROXY: 'all' for "*", else its rules */
  readonly noProxy: 'all' | readonly NoProxyRule[];
  /** REQUEST_METHOD is set: a CGI handler, which must not use HTTP_PROXY */
  readonly cgi: boolean;
}

const utf8 = new TextEncoder();
const NON_ASCII = /[\u0080-\uffff]/;
/** NOT_STD3 is an ASCII character IDNA's STD3 rules refuse in a label (upper case maps to lower). */
const NOT_STD3 = /[^A-Za-z0-9\-\u0080-\uffff]/;

/** DEFAULT_PORTS is canonicalAddr's portMap. */
const DEFAULT_PORTS: Readonly<Record<string, string>> = {
  http: '80',
  https: '443',
  socks5: '1080',
};

/**
 * proxyConfigFromEnv reads the proxy environment as httpproxy.FromEnvironment and
 * config.init do. Each setting is the first non-empty of its upper- then lower-case
 * spelling (HTTP_PROXY, http_proxy; HTTPS_PROXY, https_proxy; NO_PROXY, no_proxy). A
 * proxy value is a URL with scheme http, https or socks5, or else it is read as
 * "http://" + value when that parses (so "host:port" is an http proxy); a value that
 * parses neither way is no proxy at all, silently, as in Go. REQUEST_METHOD, when set,
 * marks a CGI environment.
 */
export function proxyConfigFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): HttpProxyConfig {
  const pick = (upper: string): { variable: string; value: string } | undefined => {
    for (const variable of [upper, upper.toLowerCase()]) {
      const value = env[variable];
      if (value !== undefined && value !== '') return { variable, value };
    }
    return undefined;
  };
  const setting = (upper: string): ProxySetting | undefined => {
    const found = pick(upper);
    const url = found === undefined ? undefined : parseProxy(found.value);
    return found === undefined || url === undefined ? undefined : { variable: found.variable, url };
  };
  return {
    http: setting('HTTP_PROXY'),
    https: setting('HTTPS_PROXY'),
    noProxy: parseNoProxy(pick('NO_PROXY')?.value ?? ''),
    cgi: (env.REQUEST_METHOD ?? '') !== '',
  };
}

/**
 * proxyFor is the proxy a request to url goes through (proxyForURL), or undefined for a
 * direct connection: HTTPS_PROXY's for https, HTTP_PROXY's for http (neither falls back
 * on the other), none for other schemes; none for `localhost` or a loopback IP (any
 * 127.x.x.x, ::1, IPv4-mapped too) whatever NO_PROXY says; none for a host NO_PROXY
 * covers (see parseNoProxy). Throws GoError CGI_HTTP_PROXY for an http URL when
 * HTTP_PROXY is set in a CGI environment (golang.org/s/cgihttpproxy), before any
 * other test, as Go does.
 */
export function proxyFor(config: HttpProxyConfig, url: URL): ProxySetting | undefined {
  const scheme = url.protocol.replace(/:$/, '');
  let proxy: ProxySetting | undefined;
  if (scheme === 'https') {
    proxy = config.https;
  } else if (scheme === 'http') {
    proxy = config.http;
    if (proxy !== undefined && config.cgi) {
      throw new GoError(
        'CGI_HTTP_PROXY',
        'refusing to use HTTP_PROXY value in CGI environment; see golang.org/s/cgihttpproxy',
      );
    }
  }
  if (proxy === undefined) return undefined;
  return useProxy(config, canonicalAddr(url)) ? proxy : undefined;
}

/**
 * proxyAddress is where a proxy is dialled (canonicalAddr of its URL): URL.Hostname (IDNA
 * is left to whoever makes a WHATWG URL of it, which applies it) and URL.Port, or the
 * scheme's default (80, 443, 1080; none for another scheme).
 */
export function proxyAddress(url: GoURL): { hostname: string; port: string } {
  const host = spellBytes(url.host);
  const port = goPort(host);
  return {
    hostname: goHostname(host),
    port: port === '' ? (DEFAULT_PORTS[url.scheme] ?? '') : port,
  };
}

/**
 * proxyAuthorization is the Proxy-Authorization a proxy URL's userinfo makes (transport.go
 * proxyAuth): Basic, base64 of username ":" password, whenever the URL has a userinfo —
 * an empty one too; undefined without one.
 */
export function proxyAuthorization(url: GoURL): string | undefined {
  if (url.user === undefined) return undefined;
  const { username, password = new Uint8Array() } = url.user;
  const bytes = new Uint8Array(username.length + 1 + password.length);
  bytes.set(username);
  bytes[username.length] = 0x3a; // ":"
  bytes.set(password, username.length + 1);
  return `Basic ${Buffer.from(bytes).toString('base64')}`;
}

/**
 * parseProxy is proxy.go's: a value that url.Parse accepts with scheme http, https or
 * socks5 is that URL; any other value is tried as "http://" + value; if that fails too,
 * the value is the URL url.Parse made of it (an unusual scheme) or, when it did not parse,
 * no proxy (init ignores the error).
 */
function parseProxy(value: string): GoURL | undefined {
  const url = parseGoURL(value);
  if ('error' in url || !['http', 'https', 'socks5'].includes(url.scheme)) {
    const prefixed = parseGoURL(`http://${value}`);
    if (!('error' in prefixed)) return prefixed;
  }
  return 'error' in url ? undefined : url;
}

/**
 * parseNoProxy is config.init's reading of NO_PROXY: comma-separated entries, each
 * trimmed and lower-cased, empty ones skipped; "*" anywhere means every host. An entry is
 * a CIDR prefix (10.0.0.0/8, fd00::/8), an IP with an optional port (10.1.2.3,
 * 10.1.2.3:80, ::1, [::1]:80), or a domain with an optional port: "foo.com" matches
 * foo.com and its subdomains, ".foo.com" and "*.foo.com" only its subdomains. An entry
 * with a port matches only that port (compared as text with the request's, whose
 * default is 80 or 443). An entry with no host (":80") is ignored.
 */
function parseNoProxy(value: string): 'all' | NoProxyRule[] {
  const rules: NoProxyRule[] = [];
  for (const raw of value.split(',')) {
    const p = goToLower(trimSpace(raw));
    if (p === '') continue;
    if (p === '*') return 'all';
    const net = parseCIDR(p);
    if (net !== undefined) {
      rules.push({ kind: 'cidr', net });
      continue;
    }
    const split = splitHostPort(p);
    let host = split?.host ?? p;
    const port = split?.port ?? '';
    if (split !== undefined) {
      if (host === '') continue;
      if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
    }
    const ip = parseIP(host);
    if (ip !== undefined) {
      rules.push({ kind: 'ip', ip, port });
      continue;
    }
    if (host === '') continue;
    if (host.startsWith('*.')) host = host.slice(1);
    const matchHost = !host.startsWith('.');
    rules.push({ kind: 'domain', suffix: toASCII(matchHost ? `.${host}` : host), port, matchHost });
  }
  return rules;
}

/** canonicalAddr is proxy.go's: the URL's host name in ASCII with its port or the scheme's default. */
function canonicalAddr(url: URL): string {
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port === '' ? (DEFAULT_PORTS[url.protocol.replace(/:$/, '')] ?? '') : url.port;
  return joinHostPort(toASCII(hostname), port);
}

/**
 * useProxy is proxy.go's: false (go direct) for localhost and loopback IPs, and for an
 * address a NO_PROXY rule matches; IP rules are tried only on IP hosts, domain rules on
 * every host.
 */
function useProxy(config: HttpProxyConfig, addr: string): boolean {
  if (addr === '') return true;
  const split = splitHostPort(addr);
  if (split === undefined) return false;
  if (split.host === 'localhost') return false;
  const ip = parseIP(split.host);
  if (ip !== undefined && isLoopback(ip)) return false;
  if (config.noProxy === 'all') return false;
  const host = goToLower(trimSpace(split.host));
  return !config.noProxy.some((rule) => matches(rule, host, split.port, ip));
}

function matches(rule: NoProxyRule, host: string, port: string, ip: IP | undefined): boolean {
  switch (rule.kind) {
    case 'cidr':
      return ip !== undefined && cidrContains(rule.net, ip);
    case 'ip':
      return ip !== undefined && ipEqual(rule.ip, ip) && (rule.port === '' || rule.port === port);
    case 'domain': {
      const named = host.endsWith(rule.suffix) || (rule.matchHost && host === rule.suffix.slice(1));
      return named && (rule.port === '' || rule.port === port);
    }
  }
}

/**
 * toASCII is proxy.go idnaASCII: ASCII text as it is; otherwise its IDNA (UTS #46)
 * ASCII form as idna.Lookup makes it, which also refuses an ASCII label character other
 * than a-z, 0-9 and "-" (STD3 rules), and a label that begins or ends with "-" or (not
 * being an "xn--" label) has "--" as its third and fourth bytes; on failure the text as it
 * was, as in Go.
 */
function toASCII(s: string): string {
  if (!NON_ASCII.test(s)) return s;
  const std3 = s.split('.').every((label) => {
    const bytes = utf8.encode(label);
    const v2 = bytes.length > 4 && bytes[2] === 0x2d && bytes[3] === 0x2d;
    return (
      !NOT_STD3.test(label) &&
      !label.startsWith('-') &&
      !label.endsWith('-') &&
      (!v2 || label.startsWith('xn--'))
    );
  });
  const ascii = std3 ? domainToASCII(s) : '';
  return ascii === '' ? s : ascii;
}

/**
 * goToLower is strings.ToLower: each character's simple lower-case mapping. JavaScript's
 * toLowerCase would turn U+0130 (İ) into two characters where Go gives "i".
 */
function goToLower(s: string): string {
  if (!NON_ASCII.test(s)) return s.toLowerCase();
  let out = '';
  for (const ch of s) {
    const lower = ch === '\u0130' ? 'i' : ch.toLowerCase();
    out += [...lower].length === 1 ? lower : ch;
  }
  return out;
}
