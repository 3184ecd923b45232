import { escapePath } from '../go/module.js';

/**
 * moduleFileUrl is the URL of one of a module's files on a GOPROXY at base:
 * base/<escaped path>/<rel>, rel being e.g. `@v/<escaped version>.zip`. A query on the
 * base (a token) is kept on every request, as G/modfetch/proxy.go getBody joins only the
 * path.
 */
export function moduleFileUrl(base: string, modulePath: string, rel: string): string {
  const { head, query } = requestBase(base);
  return `${head}/${pathEscape(escapePath(modulePath))}/${pathEscape(rel)}${query}`;
}

/**
 * requestBase cuts a GOPROXY base URL into what every request to it is built from: the
 * head the request path is joined to, without trailing `/`, and the query (with its `?`,
 * or empty) every request ends with. A fragment is never sent.
 */
function requestBase(base: string): { head: string; query: string } {
  const cut = base.search(/[?#]/);
  const head = (cut < 0 ? base : base.slice(0, cut)).replace(/\/+$/, '');
  const query = cut < 0 || base[cut] === '#' ? '' : (base.slice(cut).split('#')[0] ?? '');
  return { head, query };
}

/**
 * proxyIdentity is what tells two GOPROXY base URLs apart: the URL requests to it go to
 * (requestBase), as they are sent (WHATWG URL: scheme and host in lower case, a default
 * port dropped), without credentials, which say who asks, not who answers. Two bases
 * with one identity are one server, however they are spelled.
 */
export function proxyIdentity(base: string): string {
  const { head, query } = requestBase(base);
  let url: URL;
  try {
    url = new URL(`${head}/${query}`);
  } catch {
    return base;
  }
  url.username = '';
  url.password = '';
  return url.href;
}

/**
 * pathEscape applies Go's url.PathEscape to a GOPROXY request path and then restores `/`,
 * exactly as G/modfetch/proxy.go:447 does. Only A–Z a–z 0–9 `-_.~` and `$&+:=@` stay
 * literal (net/url shouldEscape, encodePathSegment), so the `!` of an escaped module path
 * goes on the wire as `%21` and `+` stays literal (GO-FACTS §3, verified with Go 1.19.8).
 */
export function pathEscape(s: string): string {
  if (LITERAL_PATH.test(s)) return s; // most paths: nothing to escape
  let out = '';
  for (const byte of utf8.encode(s)) {
    const c = String.fromCharCode(byte);
    if (byte < 0x80 && LITERAL_BYTE.test(c)) out += c;
    else out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** LITERAL_BYTE: the bytes pathEscape leaves as they are (unreserved, `$&+:=@`, and `/`). */
const LITERAL_BYTE = /^[A-Za-z0-9\-_.~$&+:=@/]$/;
const LITERAL_PATH = /^[A-Za-z0-9\-_.~$&+:=@/]*$/;
const utf8 = new TextEncoder();
