/**
 * GOPROXY lists: Go 1.19 cmd/go/internal/modfetch/proxy.go proxyList and
 * newProxyRepo (GO-FACTS §3 "List parsing"). Public URLs here are data, never fetched.
 */
import { GoError, quote } from './errors.js';
import { hasControlChar, trimSpace } from './strings.js';

/**
 * ProxyEntry is one GOPROXY source. `fallBackOnAnyError` is true when the entry was
 * followed by "|": the next entry is tried after any error, not only after not-found.
 * 'noproxy' is the implicit first entry for GONOPROXY paths.
 */
export interface ProxyEntry {
  readonly kind: 'url' | 'direct' | 'off' | 'noproxy';
  readonly url?: string;
  readonly fallBackOnAnyError: boolean;
}

/**
 * parseGoProxy parses a GOPROXY value as the go command does: entries split on "," or
 * "|", spaces trimmed, empty entries skipped; "off" and "direct" end the list; an
 * entry without a scheme that contains ".", ":" or "/" (but not ":/", and not an
 * absolute path) gets "https://"; only http, https and path-only file URLs are
 * allowed. When gonoproxy is non-empty and GOPROXY is not exactly "direct", an
 * implicit 'noproxy' entry comes first. Throws GoError GOPROXY_SYNTAX.
 */
export function parseGoProxy(value: string, gonoproxy = ''): ProxyEntry[] {
  const list: ProxyEntry[] = [];
  if (gonoproxy !== '' && value !== 'direct')
    list.push({ kind: 'noproxy', fallBackOnAnyError: false });
  let rest = value;
  while (rest !== '') {
    const i = rest.search(/[,|]/);
    const raw = i >= 0 ? rest.slice(0, i) : rest;
    const fallBackOnAnyError = i >= 0 && rest[i] === '|';
    rest = i >= 0 ? rest.slice(i + 1) : '';
    const entry = trimSpace(raw);
    if (entry === '') continue;
    if (entry === 'off' || entry === 'direct') {
      list.push({ kind: entry, fallBackOnAnyError: false });
      break;
    }
    const url =
      /[.:/]/.test(entry) && !entry.includes(':/') && !entry.startsWith('/')
        ? `https://${entry}`
        : entry;
    checkProxyURL(url);
    list.push({ kind: 'url', url, fallBackOnAnyError });
  }
  if (list.length === 0 || (list.length === 1 && list[0]?.kind === 'noproxy')) {
    throw new GoError(
      'GOPROXY_SYNTAX',
      'GOPROXY list is not the empty string, but contains no entries',
    );
  }
  return list;
}

/** SCHEME is Go's net/url getScheme: a letter, then letters, digits, "+", "-" or ".", then ":". */
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;

/** checkProxyURL is proxy.go newProxyRepo's URL check, with net/url's scheme rules. */
function checkProxyURL(url: string): void {
  const bad = (why: string): never => {
    throw new GoError('GOPROXY_SYNTAX', `${why}: ${quote(redact(url))}`);
  };
  if (hasControlChar(url)) bad('net/url: invalid control character in URL');
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase() ?? '';
  switch (scheme) {
    case 'http':
    case 'https': {
      const problem = goURLProblem(url);
      if (problem !== undefined) bad(problem);
      return;
    }
    case 'file':
      if (goURLProblem(url) !== undefined || !isPathOnlyFileURL(url)) {
        bad('invalid file:// proxy URL with non-path elements');
      }
      return;
    case '':
      return bad('invalid proxy URL missing scheme');
    default:
      return bad('invalid proxy URL scheme (must be https, http, file)');
  }
}

/** redact hides a URL's password as net/url's URL.Redacted does. */
export function redact(url: string): string {
  return url.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^/@:]*):[^/@]*@/, '$1:xxxxx@');
}

/**
 * isPathOnlyFileURL: "file://" + an empty authority + a path, and nothing else. Go
 * 1.19.8's net/url marks "file:/x" OmitHost, which newProxyRepo refuses too.
 */
function isPathOnlyFileURL(url: string): boolean {
  const rest = url.slice('file:'.length);
  if (rest.includes('?') || rest.includes('#')) return false;
  return rest.startsWith('//') && (rest.length === 2 || rest[2] === '/');
}

/**
 * goURLProblem is what Go's net/url Parse refuses in a URL with a scheme: bad percent
 * escapes (outside the query), a bad port, a host character outside
 * `A-Za-z0-9-._~!$&'()*+,;=:[]<>"` and non-ASCII, userinfo characters, an unclosed
 * IPv6 bracket. Returns the reason, or undefined when Parse would accept the URL.
 */
export function goURLProblem(url: string): string | undefined {
  let rest = url.slice(url.indexOf(':') + 1);
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    if (badEscape(rest.slice(hash + 1))) return 'invalid URL escape';
    rest = rest.slice(0, hash);
  }
  const query = rest.indexOf('?');
  if (query >= 0) rest = rest.slice(0, query);
  if (!rest.startsWith('/')) return undefined; // opaque: "https:x"
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const problem = authorityProblem(slash < 0 ? rest.slice(2) : rest.slice(2, slash));
    if (problem !== undefined) return problem;
    rest = slash < 0 ? '' : rest.slice(slash);
  }
  return badEscape(rest) ? 'invalid URL escape' : undefined;
}

function authorityProblem(authority: string): string | undefined {
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo)) return 'net/url: invalid userinfo';
    if (badEscape(userinfo)) return 'invalid URL escape';
  }
  const host = authority.slice(at + 1);
  let port = '';
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']');
    if (close < 0) return "missing ']' in host";
    port = host.slice(close + 1);
  } else if (host.includes(':')) {
    port = host.slice(host.lastIndexOf(':'));
  }
  if (port !== '' && !/^:[0-9]*$/.test(port)) return `invalid port ${quote(port)} after host`;
  for (const ch of host) {
    if (ch >= '\u0080' || /[A-Za-z0-9\-._~!$&'()*+,;=:[\]<>"%]/.test(ch)) continue;
    return `invalid character ${quote(ch)} in host name`;
  }
  return hostEscapeProblem(host);
}

/** hostEscapeProblem: in a host, "%XY" must be hex and, below %80, only "%25" (net/url unescape, encodeHost). */
function hostEscapeProblem(host: string): string | undefined {
  for (let i = host.indexOf('%'); i >= 0; i = host.indexOf('%', i + 1)) {
    const hex = host.slice(i + 1, i + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return 'invalid URL escape';
    if (Number.parseInt(hex[0] ?? '0', 16) < 8 && hex !== '25') return 'invalid URL escape';
  }
  return undefined;
}

/** badEscape reports a "%" not followed by two hex digits. */
function badEscape(s: string): boolean {
  for (let i = s.indexOf('%'); i >= 0; i = s.indexOf('%', i + 1)) {
    if (!/^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) return true;
  }
  return false;
}
