/**
 * Go's net/url Parse (Go 1.19 net/url/url.go), as far as net/http's proxy choice needs
 * it: which strings parse, and the scheme, userinfo and host of those that do. Go works
 * on bytes; a JavaScript string here is read code unit by code unit, which agrees with
 * Go's byte tests since every byte of a non-ASCII character is ≥ 0x80, as every non-ASCII
 * code unit is. Unescaped parts are bytes, as in Go.
 */
import { hasControlChar } from './strings.js';

/** GoURL is what url.Parse keeps of a URL that a proxy setting needs. */
export interface GoURL {
  /** the scheme, lower case; "" when there is none */
  readonly scheme: string;
  /** the text after `scheme:` when it does not begin with "/" */
  readonly opaque: string;
  /** the userinfo (URL.User), unescaped; undefined when the authority has no "@" */
  readonly user: { readonly username: Uint8Array; readonly password?: Uint8Array } | undefined;
  /** URL.Host: host[:port], unescaped (an IPv6 literal keeps its brackets) */
  readonly host: Uint8Array;
}

/** GoURLError is why url.Parse refused a string, in Go's words. */
export interface GoURLError {
  readonly error: string;
}

const utf8 = new TextEncoder();

/**
 * parseGoURL is url.Parse: the fragment cut at the first "#" (its escapes checked), no
 * control characters, an optional scheme (a letter, then letters, digits, "+-."), the
 * query cut at the first "?", an opaque rest after a scheme when it does not begin with
 * "/", no colon in the first segment of a relative path, and the authority after "//":
 * userinfo up to the last "@" (RFC 3986 characters), a host of RFC 3986 characters with
 * percent escapes of non-ASCII bytes only (and a zone in an IPv6 literal), an optional
 * numeric port.
 */
export function parseGoURL(raw: string): GoURL | GoURLError {
  const hash = raw.indexOf('#');
  const parsed = parseWithoutFragment(hash < 0 ? raw : raw.slice(0, hash));
  if ('error' in parsed || hash < 0) return parsed;
  const fragment = unescapePart(raw.slice(hash + 1), 'fragment');
  return 'error' in fragment ? fragment : parsed;
}

/** hostname is URL.Hostname: Host without a valid ":port" and without IPv6 brackets. */
export function goHostname(host: string): string {
  return splitURLHostPort(host).host;
}

/** goPort is URL.Port: the digits after Host's last colon, "" when there are none. */
export function goPort(host: string): string {
  return splitURLHostPort(host).port;
}

function splitURLHostPort(hostport: string): { host: string; port: string } {
  let host = hostport;
  let port = '';
  const colon = host.lastIndexOf(':');
  if (colon >= 0 && validOptionalPort(host.slice(colon))) {
    port = host.slice(colon + 1);
    host = host.slice(0, colon);
  }
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return { host, port };
}

function parseWithoutFragment(raw: string): GoURL | GoURLError {
  const empty: GoURL = { scheme: '', opaque: '', user: undefined, host: new Uint8Array() };
  if (hasControlChar(raw)) return { error: 'net/url: invalid control character in URL' };
  if (raw === '*') return empty;
  const split = getScheme(raw);
  if ('error' in split) return split;
  const scheme = split.scheme.toLowerCase();
  let rest = split.rest;
  if (rest.endsWith('?') && rest.indexOf('?') === rest.length - 1) rest = rest.slice(0, -1);
  else if (rest.includes('?')) rest = rest.slice(0, rest.indexOf('?'));
  if (!rest.startsWith('/')) {
    if (scheme !== '') return { ...empty, scheme, opaque: rest };
    const slash = rest.indexOf('/');
    if ((slash < 0 ? rest : rest.slice(0, slash)).includes(':')) {
      return { error: 'first path segment in URL cannot contain colon' };
    }
  }
  let user: GoURL['user'];
  let host: Uint8Array = new Uint8Array();
  if ((scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const authority = parseAuthority(slash < 0 ? rest.slice(2) : rest.slice(2, slash));
    if ('error' in authority) return authority;
    ({ user, host } = authority);
    rest = slash < 0 ? '' : rest.slice(slash);
  }
  const path = unescapePart(rest, 'path');
  if ('error' in path) return path;
  return { scheme, opaque: '', user, host };
}

/** getScheme is url.go's: a scheme is [A-Za-z][A-Za-z0-9+.-]* before the first ":". */
function getScheme(raw: string): { scheme: string; rest: string } | GoURLError {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] ?? '';
    if (/[A-Za-z]/.test(c)) continue;
    if (/[0-9+.-]/.test(c)) {
      if (i === 0) return { scheme: '', rest: raw };
      continue;
    }
    if (c === ':') {
      if (i === 0) return { error: 'missing protocol scheme' };
      return { scheme: raw.slice(0, i), rest: raw.slice(i + 1) };
    }
    return { scheme: '', rest: raw };
  }
  return { scheme: '', rest: raw };
}

function parseAuthority(authority: string): { user: GoURL['user']; host: Uint8Array } | GoURLError {
  const at = authority.lastIndexOf('@');
  const host = parseHost(at < 0 ? authority : authority.slice(at + 1));
  if ('error' in host) return host;
  if (at < 0) return { user: undefined, host: host.bytes };
  const userinfo = authority.slice(0, at);
  if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo)) {
    return { error: 'net/url: invalid userinfo' };
  }
  const colon = userinfo.indexOf(':');
  const username = unescapePart(colon < 0 ? userinfo : userinfo.slice(0, colon), 'userinfo');
  if ('error' in username) return username;
  if (colon < 0) return { user: { username: username.bytes }, host: host.bytes };
  const password = unescapePart(userinfo.slice(colon + 1), 'userinfo');
  if ('error' in password) return password;
  return { user: { username: username.bytes, password: password.bytes }, host: host.bytes };
}

/** parseHost is url.go's: host[:port] or [IPv6 literal, maybe with a %25 zone][:port]. */
function parseHost(host: string): { bytes: Uint8Array } | GoURLError {
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']');
    if (close < 0) return { error: "missing ']' in host" };
    const colonPort = host.slice(close + 1);
    if (!validOptionalPort(colonPort)) return { error: `invalid port "${colonPort}" after host` };
    const zone = host.slice(0, close).indexOf('%25');
    if (zone >= 0) {
      const parts = [
        unescapePart(host.slice(0, zone), 'host'),
        unescapePart(host.slice(zone, close), 'zone'),
        unescapePart(host.slice(close), 'host'),
      ];
      const bad = parts.find((p) => 'error' in p);
      if (bad !== undefined) return bad;
      return {
        bytes: Buffer.concat(parts.map((p) => ('bytes' in p ? p.bytes : new Uint8Array()))),
      };
    }
  } else {
    const colon = host.lastIndexOf(':');
    if (colon >= 0 && !validOptionalPort(host.slice(colon))) {
      return { error: `invalid port "${host.slice(colon)}" after host` };
    }
  }
  return unescapePart(host, 'host');
}

/** validOptionalPort: "" or ":" followed by digits only. */
function validOptionalPort(port: string): boolean {
  return port === '' || /^:[0-9]*$/.test(port);
}

type Mode = 'host' | 'zone' | 'userinfo' | 'path' | 'fragment';

/** HOST_ALLOWED are the ASCII characters shouldEscape(c, encodeHost) leaves alone. */
const HOST_ALLOWED = /[A-Za-z0-9\-_.~!$&'()*+,;=:[\]<>"]/;

/**
 * unescapePart is url.go's unescape: every "%" must start "%XY" with hex digits; in a host a "%XY"
 * must be a non-ASCII byte (≥ %80) or %25, in a zone it must stand for a character a host
 * may hold (or a space); and a host or zone may hold only HOST_ALLOWED ASCII characters.
 */
function unescapePart(s: string, mode: Mode): { bytes: Uint8Array } | GoURLError {
  const out: number[] = [];
  for (let i = 0; i < s.length;) {
    const c = s[i] ?? '';
    if (c === '%') {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex))
        return { error: `invalid URL escape "${s.slice(i, i + 3)}"` };
      const v = Number.parseInt(hex, 16);
      const triple = s.slice(i, i + 3);
      if (mode === 'host' && v < 0x80 && triple !== '%25') {
        return { error: `invalid URL escape "${triple}"` };
      }
      if (mode === 'zone' && triple !== '%25' && v !== 0x20 && !hostAllowed(v)) {
        return { error: `invalid URL escape "${triple}"` };
      }
      out.push(v);
      i += 3;
      continue;
    }
    const code = s.charCodeAt(i);
    if ((mode === 'host' || mode === 'zone') && code < 0x80 && !HOST_ALLOWED.test(c)) {
      return { error: `invalid character "${c}" in host name` };
    }
    const ch = String.fromCodePoint(s.codePointAt(i) ?? code);
    out.push(...utf8.encode(ch));
    i += ch.length;
  }
  return { bytes: Uint8Array.from(out) };
}

/** hostAllowed: a byte shouldEscape(c, encodeHost) leaves alone (never a non-ASCII one). */
function hostAllowed(byte: number): boolean {
  return byte < 0x80 && HOST_ALLOWED.test(String.fromCharCode(byte));
}
