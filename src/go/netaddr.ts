/**
 * Go's net package address syntax (Go 1.19 net/ip.go, net/ipsock.go, net/parse.go), as
 * net/http's proxy choice uses it: IP literals, CIDR prefixes, host:port splitting.
 * An IP is a net.IP: 4 or 16 bytes, an IPv4 address parsed from text being the 16-byte
 * IPv4-mapped form (::ffff:a.b.c.d), which is why 127.0.0.1 and ::ffff:7f00:1 are one
 * address here as in Go.
 */

/** IP is Go's net.IP: 4 bytes (IPv4 only) or 16 bytes. */
export type IP = Uint8Array;

/** IPNet is Go's net.IPNet: a network number and its mask, 4 or 16 bytes each. */
export interface IPNet {
  readonly ip: IP;
  readonly mask: Uint8Array;
}

const V4_IN_V6_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];
/** BIG is parse.go's `big`: decimal and hex fields stop counting there. */
const BIG = 0xffffff;

/**
 * parseIP is net.ParseIP: an IPv4 dotted quad (no leading zeros, each field ≤ 255) when
 * a "." comes before any ":", else an IPv6 literal (one "::" at most, an embedded IPv4
 * tail allowed, no zone); undefined when s is neither.
 */
export function parseIP(s: string): IP | undefined {
  for (const c of s) {
    if (c === '.') return parseIPv4(s);
    if (c === ':') return parseIPv6(s);
  }
  return undefined;
}

/**
 * parseCIDR is net.ParseCIDR: `ip/bits` with an IPv4 or IPv6 ip and a decimal prefix
 * length (leading zeros allowed) no longer than the address; the network is the ip
 * masked, 4 bytes for an IPv4 ip. Undefined when s is not such a prefix.
 */
export function parseCIDR(s: string): IPNet | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const addr = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  let len = 4;
  let ip = parseIPv4(addr);
  if (ip === undefined) {
    len = 16;
    ip = parseIPv6(addr);
  }
  const n = decimal(bits);
  if (ip === undefined || n === undefined || n.length !== bits.length || n.value > 8 * len) {
    return undefined;
  }
  const mask = cidrMask(n.value, 8 * len);
  const network = maskIP(ip, mask);
  return network === undefined ? undefined : { ip: network, mask };
}

/** cidrContains is IPNet.Contains: whether ip is in the network (IPv4-mapped IPv6 counts as IPv4). */
export function cidrContains(net: IPNet, ip: IP): boolean {
  const nm = networkNumberAndMask(net);
  const addr = to4(ip) ?? ip;
  if (nm === undefined || addr.length !== nm.ip.length) return false;
  return addr.every((b, i) => ((nm.ip[i] ?? 0) & (nm.mask[i] ?? 0)) === (b & (nm.mask[i] ?? 0)));
}

/** ipEqual is IP.Equal: the same address, an IPv4 address equal to its IPv4-mapped form. */
export function ipEqual(a: IP, b: IP): boolean {
  if (a.length === b.length) return sameBytes(a, b);
  if (a.length === 4 && b.length === 16) return isV4InV6(b) && sameBytes(a, b.subarray(12));
  if (a.length === 16 && b.length === 4) return isV4InV6(a) && sameBytes(a.subarray(12), b);
  return false;
}

/** isLoopback is IP.IsLoopback: 127.0.0.0/8 (also IPv4-mapped) or ::1. */
export function isLoopback(ip: IP): boolean {
  const v4 = to4(ip);
  if (v4 !== undefined) return v4[0] === 127;
  return ip.length === 16 && ip.every((b, i) => b === (i === 15 ? 1 : 0));
}

/**
 * splitHostPort is net.SplitHostPort: `host:port` or `[host]:port`, split at the last
 * colon; the port may be empty or any text. Undefined for a missing port, a bare IPv6
 * address (too many colons), or a misplaced bracket.
 */
export function splitHostPort(hostport: string): { host: string; port: string } | undefined {
  const i = hostport.lastIndexOf(':');
  if (i < 0) return undefined;
  let host: string;
  let j = 0;
  let k = 0;
  if (hostport.startsWith('[')) {
    const end = hostport.indexOf(']');
    if (end < 0 || end + 1 !== i) return undefined;
    host = hostport.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = hostport.slice(0, i);
    if (host.includes(':')) return undefined;
  }
  if (hostport.slice(j).includes('[') || hostport.slice(k).includes(']')) return undefined;
  return { host, port: hostport.slice(i + 1) };
}

/** joinHostPort is net.JoinHostPort: a host with a colon (IPv6) goes in brackets. */
export function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function parseIPv4(s: string): IP | undefined {
  const ip = new Uint8Array(16);
  ip.set(V4_IN_V6_PREFIX);
  let rest = s;
  for (let i = 0; i < 4; i++) {
    if (rest === '') return undefined;
    if (i > 0) {
      if (rest[0] !== '.') return undefined;
      rest = rest.slice(1);
    }
    const n = decimal(rest);
    if (n === undefined || n.value > 0xff) return undefined;
    if (n.length > 1 && rest[0] === '0') return undefined; // leading zeros
    ip[12 + i] = n.value;
    rest = rest.slice(n.length);
  }
  return rest === '' ? ip : undefined;
}

function parseIPv6(input: string): IP | undefined {
  const ip = new Uint8Array(16);
  let s = input;
  let ellipsis = -1;
  if (s.startsWith('::')) {
    ellipsis = 0;
    s = s.slice(2);
    if (s === '') return ip;
  }
  let i = 0;
  while (i < 16) {
    const n = hex(s);
    if (n === undefined || n.value > 0xffff) return undefined;
    if (s[n.length] === '.') {
      // an IPv4 tail: only in the last 4 bytes, or wherever "::" leaves room
      if ((ellipsis < 0 && i !== 12) || i + 4 > 16) return undefined;
      const v4 = parseIPv4(s);
      if (v4 === undefined) return undefined;
      ip.set(v4.subarray(12), i);
      s = '';
      i += 4;
      break;
    }
    ip[i] = n.value >> 8;
    ip[i + 1] = n.value & 0xff;
    i += 2;
    s = s.slice(n.length);
    if (s === '') break;
    if (s[0] !== ':' || s.length === 1) return undefined;
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) return undefined;
      ellipsis = i;
      s = s.slice(1);
      if (s === '') break;
    }
  }
  if (s !== '') return undefined;
  if (i < 16) {
    if (ellipsis < 0) return undefined;
    const n = 16 - i;
    ip.copyWithin(ellipsis + n, ellipsis, i);
    ip.fill(0, ellipsis, ellipsis + n);
  } else if (ellipsis >= 0) {
    return undefined; // "::" must stand for at least one group
  }
  return ip;
}

/** decimal is parse.go dtoi: the leading decimal digits of s, failing at BIG or with none. */
function decimal(s: string): { value: number; length: number } | undefined {
  let value = 0;
  let i = 0;
  for (; i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57; i++) {
    value = value * 10 + (s.charCodeAt(i) - 48);
    if (value >= BIG) return undefined;
  }
  return i === 0 ? undefined : { value, length: i };
}

/** hex is parse.go xtoi: the leading hex digits of s, failing at BIG or with none. */
function hex(s: string): { value: number; length: number } | undefined {
  let value = 0;
  let i = 0;
  for (; i < s.length; i++) {
    const d = Number.parseInt(s[i] ?? '', 16);
    if (Number.isNaN(d)) break;
    value = value * 16 + d;
    if (value >= BIG) return undefined;
  }
  return i === 0 ? undefined : { value, length: i };
}

function cidrMask(ones: number, bits: number): Uint8Array {
  const m = new Uint8Array(bits / 8);
  let n = ones;
  for (let i = 0; i < m.length; i++) {
    m[i] = n >= 8 ? 0xff : (0xff << (8 - n)) & 0xff;
    n = Math.max(0, n - 8);
  }
  return m;
}

/** maskIP is IP.Mask; undefined where Go returns nil (lengths that do not fit). */
function maskIP(ip: IP, mask: Uint8Array): IP | undefined {
  let m = mask;
  let a = ip;
  if (m.length === 16 && a.length === 4 && m.subarray(0, 12).every((b) => b === 0xff)) {
    m = m.subarray(12);
  }
  if (m.length === 4 && a.length === 16 && isV4InV6(a)) a = a.subarray(12);
  if (a.length !== m.length) return undefined;
  return a.map((b, i) => b & (m[i] ?? 0));
}

/** networkNumberAndMask is ip.go's: the network and mask at one length, undefined when they cannot be. */
function networkNumberAndMask(net: IPNet): IPNet | undefined {
  const ip = to4(net.ip) ?? net.ip;
  if (ip.length !== 4 && ip.length !== 16) return undefined;
  let mask = net.mask;
  if (mask.length === 4) {
    if (ip.length !== 4) return undefined;
  } else if (mask.length === 16) {
    if (ip.length === 4) mask = mask.subarray(12);
  } else {
    return undefined;
  }
  return { ip, mask };
}

/** to4 is IP.To4: the 4-byte form of an IPv4 or IPv4-mapped address, else undefined. */
function to4(ip: IP): IP | undefined {
  if (ip.length === 4) return ip;
  return ip.length === 16 && isV4InV6(ip) ? ip.subarray(12) : undefined;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function isV4InV6(ip: IP): boolean {
  return V4_IN_V6_PREFIX.every((b, i) => ip[i] === b);
}
