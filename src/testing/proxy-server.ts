import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapePath, escapeVersion, unescapePath, unescapeVersion } from '../go/module.js';
import * as semver from '../go/semver.js';
import {
  sendText,
  startLoopbackServer,
  type Handler,
  type LoopbackServer,
} from './world/loopback.js';

/** Endpoint is one GOPROXY endpoint (go.dev/ref/mod#goproxy-protocol). */
export type Endpoint = 'list' | 'info' | 'mod' | 'zip' | 'latest';

/** StoredVersion is what a proxy serves for one module version. */
export interface StoredVersion {
  info: { Version: string; Time: string };
  mod: Buffer;
  zip: Buffer;
}

/**
 * Fault is a misbehaviour a test proxy can inject on a matching request:
 * status (404, 410, 500, with an optional text body), an HTML page with status 200, a
 * 200 answer with arbitrary bytes, a delay before the answer (slow), an answer that never
 * comes (hang), headers and a first body chunk then silence (stall), a TCP reset, or a
 * redirect.
 */
export type Fault =
  | { kind: 'status'; status: number; body?: string; contentType?: string }
  | { kind: 'html' }
  | {
      kind: 'body';
      body: Buffer | string;
      contentType?: string;
      contentLength?: number;
      contentEncoding?: string;
    }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'hang' }
  | { kind: 'stall' }
  | { kind: 'reset' }
  | { kind: 'redirect'; location: string; status?: number };

/** FaultRule applies a fault to requests matching every given field, at most `times` times. */
export interface FaultRule {
  path?: string;
  version?: string;
  endpoint?: Endpoint;
  fault: Fault;
  times?: number;
}

/** SumdbMount serves `/sumdb/<name>/…` from a proxy, as proxies that support the sumdb do. */
export interface SumdbMount {
  name: string;
  /** serves `rest`, the request path after `/sumdb/<name>` (e.g. `/lookup/…`, `/tile/…`) */
  handle: (req: IncomingMessage, res: ServerResponse, rest: string) => void | Promise<void>;
}

/** ProxyServer is a started GOPROXY test server with a mutable store and fault list. */
export interface ProxyServer extends LoopbackServer {
  readonly name: string;
  /** module path → version → content; mutate freely between requests */
  readonly store: Map<string, Map<string, StoredVersion>>;
  readonly faults: FaultRule[];
  put(path: string, version: string, content: StoredVersion): void;
}

/** startProxyServer starts a GOPROXY server on loopback over its own store. */
export async function startProxyServer(options: {
  name: string;
  faults?: FaultRule[];
  sumdb?: SumdbMount;
  tls?: { key: string; cert: string };
}): Promise<ProxyServer> {
  const store = new Map<string, Map<string, StoredVersion>>();
  const faults = options.faults ?? [];
  const handler: Handler = (req, res) => serve(req, res, { store, faults, sumdb: options.sumdb });
  const server = await startLoopbackServer(options.name, handler, options.tls);
  const put = (path: string, version: string, content: StoredVersion) => {
    const versions = store.get(path) ?? new Map<string, StoredVersion>();
    versions.set(version, content);
    store.set(path, versions);
  };
  return { ...server, name: options.name, store, faults, put };
}

interface ServeContext {
  store: Map<string, Map<string, StoredVersion>>;
  faults: FaultRule[];
  sumdb: SumdbMount | undefined;
}

/** ParsedRequest is a GOPROXY request target split into module path, endpoint and version. */
export interface ParsedRequest {
  path: string;
  endpoint: Endpoint;
  version?: string;
}

/**
 * parseProxyTarget decodes a GOPROXY request path (percent-decoding first, since Go sends `!`
 * as %21) and unescapes the module path and version; undefined when it is not a GOPROXY path.
 */
export function parseProxyTarget(pathname: string): ParsedRequest | undefined {
  let p: string;
  try {
    p = decodeURIComponent(pathname).replace(/^\/+/, '');
    if (p.endsWith('/@latest')) return { path: unescapePath(p.slice(0, -8)), endpoint: 'latest' };
    if (p.endsWith('/@v/list')) return { path: unescapePath(p.slice(0, -8)), endpoint: 'list' };
    const at = p.lastIndexOf('/@v/');
    if (at < 0) return undefined;
    const file = p.slice(at + 4);
    const m = /^(.+)\.(info|mod|zip)$/.exec(file);
    if (m === null || m[1] === undefined) return undefined;
    const endpoint = m[2] as Endpoint;
    return { path: unescapePath(p.slice(0, at)), endpoint, version: unescapeVersion(m[1]) };
  } catch {
    return undefined;
  }
}

async function serve(req: IncomingMessage, res: ServerResponse, ctx: ServeContext) {
  const pathname = (req.url ?? '/').split('?')[0] ?? '/';
  if (ctx.sumdb !== undefined && pathname.startsWith(`/sumdb/${ctx.sumdb.name}/`)) {
    const rest = safeDecode(pathname.slice(`/sumdb/${ctx.sumdb.name}`.length));
    if (rest === '/supported') return sendText(res, 200, '');
    return ctx.sumdb.handle(req, res, rest);
  }
  const parsed = parseProxyTarget(pathname);
  if (parsed === undefined) return sendText(res, 404, 'not a GOPROXY path\n');
  const fault = takeFault(ctx.faults, parsed);
  if (fault !== undefined && (await applyFault(fault, req, res))) return;
  answer(res, parsed, ctx.store);
}

function takeFault(rules: FaultRule[], r: ParsedRequest): Fault | undefined {
  const rule = rules.find(
    (f) =>
      (f.path === undefined || f.path === r.path) &&
      (f.version === undefined || f.version === r.version) &&
      (f.endpoint === undefined || f.endpoint === r.endpoint) &&
      (f.times === undefined || f.times > 0),
  );
  if (rule === undefined) return undefined;
  if (rule.times !== undefined) rule.times--;
  return rule.fault;
}

/** applyFault acts out a fault; it returns false when the normal answer should follow (slow). */
async function applyFault(f: Fault, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  switch (f.kind) {
    case 'status':
      res.writeHead(f.status, { 'content-type': f.contentType ?? 'text/plain; charset=utf-8' });
      res.end(f.body ?? `${f.status}\n`);
      return true;
    case 'html':
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        '<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>SSO</body></html>\n',
      );
      return true;
    case 'body': {
      const headers: Record<string, string | number> = {
        'content-type': f.contentType ?? 'application/octet-stream',
      };
      if (f.contentLength !== undefined) headers['content-length'] = f.contentLength;
      if (f.contentEncoding !== undefined) headers['content-encoding'] = f.contentEncoding;
      res.writeHead(200, headers);
      res.end(f.body);
      return true;
    }
    case 'slow':
      await new Promise((r) => setTimeout(r, f.delayMs));
      return false;
    case 'hang':
      return true;
    case 'stall':
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write('PK');
      return true;
    case 'reset':
      req.socket.resetAndDestroy();
      return true;
    case 'redirect':
      res.writeHead(f.status ?? 302, { location: f.location });
      res.end();
      return true;
  }
}

function answer(res: ServerResponse, r: ParsedRequest, store: ServeContext['store']): void {
  const versions = store.get(r.path);
  if (versions === undefined) return sendText(res, 404, `not found: ${r.path}\n`);
  if (r.endpoint === 'list')
    return sendText(res, 200, [...versions.keys()].map((v) => v + '\n').join(''));
  if (r.endpoint === 'latest') {
    const latest = [...versions.keys()]
      .filter((v) => semver.isValid(v))
      .sort(semver.compare)
      .pop();
    const stored = latest === undefined ? undefined : versions.get(latest);
    if (stored === undefined) return sendText(res, 404, `not found: ${r.path}@latest\n`);
    return sendJson(res, stored.info);
  }
  const stored = r.version === undefined ? undefined : versions.get(r.version);
  if (stored === undefined) return sendText(res, 404, `not found: ${r.path}@${r.version ?? ''}\n`);
  if (r.endpoint === 'info') return sendJson(res, stored.info);
  const body = r.endpoint === 'mod' ? stored.mod : stored.zip;
  res.writeHead(200, {
    'content-type': r.endpoint === 'mod' ? 'text/plain; charset=utf-8' : 'application/zip',
    'content-length': body.length,
  });
  res.end(body);
}

function sendJson(res: ServerResponse, value: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

/** proxyUrlPath is the wire path a Go client requests for an endpoint (for assertions). */
export function proxyUrlPath(path: string, endpoint: Endpoint, version?: string): string {
  const base = `/${escapePath(path)}`;
  if (endpoint === 'list') return `${base}/@v/list`;
  if (endpoint === 'latest') return `${base}/@latest`;
  return `${base}/@v/${escapeVersion(version ?? '')}.${endpoint}`;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
