import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { startLoopbackServer, type LoopbackServer } from './loopback.js';

/** EgressProxy is a forwarding HTTP proxy that records where each request went. */
export interface EgressProxy extends LoopbackServer {
  /** `host:port` of every CONNECT (an https request, or any request through undici's tunnel), in order */
  readonly tunnels: string[];
  /** `host:port` of every request sent to it whole (absolute-form: an http request), in order */
  readonly forwards: string[];
}

/** EgressOptions: credentials the stand-in demands (Proxy-Authorization, Basic), and TLS. */
export interface EgressOptions {
  readonly credentials?: { readonly user: string; readonly password: string };
  /** serve https (an https:// proxy URL) with this key and certificate */
  readonly tls?: { readonly key: string; readonly cert: string };
}

/** TEST_DOMAIN is the domain the stand-in resolves itself: RFC 6761's .test, never on the network. */
const TEST_DOMAIN = /^(?:[a-z0-9-]+\.)+test$/i;

/**
 * targetPort is where the stand-in connects for a `host:port` target: the port on
 * 127.0.0.1 when the host is loopback, 0.0.0.0 (which Linux connects to loopback), or a
 * `.test` name, which the stand-in resolves to 127.0.0.1 itself; undefined for any other
 * host, so a test can never leave the machine. Tests name servers `<name>.world.test`
 * (createTlsCert covers `*.world.test`) to be routed through the egress proxy: the go
 * command, and modguard, never send a loopback host to a proxy.
 */
export function targetPort(target: string): number | undefined {
  const m = /^(\[::1\]|[^:[\]]+):(\d+)$/.exec(target);
  const host = m?.[1] ?? '';
  const local = ['127.0.0.1', 'localhost', '[::1]', '0.0.0.0'].includes(host);
  return local || TEST_DOMAIN.test(host) ? Number(m?.[2]) : undefined;
}

/**
 * worldTestUrl renames a loopback server's URL to `<name>.world.test`, a host the egress
 * stand-in maps back to it and that only a proxy can reach (it has no DNS record).
 */
export function worldTestUrl(url: string, name: string): string {
  return url.replace(/^([a-z]+:\/\/)127\.0\.0\.1(?=[:/]|$)/, `$1${name}.world.test`);
}

/**
 * startEgressProxy starts a corporate-egress stand-in on loopback. It accepts CONNECT (as
 * net/http and undici send for https) and pipes bytes to the target, and requests in
 * absolute form (as they send for http through an http proxy), which it forwards; either
 * way only to the targets targetPort allows, refusing any other with 403. With
 * `credentials`, a request without the matching Proxy-Authorization gets 407; with `tls`,
 * it is an https proxy.
 */
export async function startEgressProxy(options: EgressOptions = {}): Promise<EgressProxy> {
  const tunnels: string[] = [];
  const forwards: string[] = [];
  const open = new Set<Duplex>();
  const want =
    options.credentials === undefined
      ? undefined
      : `Basic ${Buffer.from(`${options.credentials.user}:${options.credentials.password}`).toString('base64')}`;
  const allowed = (req: IncomingMessage) =>
    want === undefined || req.headers['proxy-authorization'] === want;
  const server = await startLoopbackServer(
    'egress',
    (req, res) => forward(req, res, forwards, allowed(req)),
    options.tls,
  );
  server.server.on('connect', (req: IncomingMessage, socket: Duplex) => {
    const target = req.url ?? '';
    tunnels.push(target);
    const port = targetPort(target);
    if (!allowed(req)) {
      socket.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
      return;
    }
    if (port === undefined) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    tunnel(socket, port, open);
  });
  const stop = async () => {
    for (const s of open) s.destroy();
    await server.stop();
  };
  return { ...server, tunnels, forwards, stop };
}

/** tunnel pipes socket to 127.0.0.1:port once connected, tracking both ends in `open`. */
function tunnel(socket: Duplex, port: number, open: Set<Duplex>): void {
  const upstream: Socket = connect(port, '127.0.0.1', () => {
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
  open.add(upstream).add(socket);
  const close = () => {
    upstream.destroy();
    socket.destroy();
    open.delete(upstream);
    open.delete(socket);
  };
  upstream.on('close', close);
  socket.on('close', close);
  upstream.on('error', close);
  socket.on('error', close);
}

/** forward sends an absolute-form request on to its target, and the answer back. */
function forward(
  req: IncomingMessage,
  res: ServerResponse,
  forwards: string[],
  authorized: boolean,
): void {
  let url: URL;
  try {
    url = new URL(req.url ?? '');
  } catch {
    res.writeHead(400).end();
    return;
  }
  const target = `${url.hostname}:${url.port || '80'}`;
  forwards.push(target);
  const port = url.protocol === 'http:' ? targetPort(target) : undefined;
  if (!authorized || port === undefined) {
    res.writeHead(authorized ? 403 : 407).end();
    return;
  }
  const headers = { ...req.headers };
  delete headers['proxy-authorization'];
  delete headers['proxy-connection'];
  const out = request(
    { host: '127.0.0.1', port, method: req.method, path: url.pathname + url.search, headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  out.on('error', () => res.destroy());
  req.pipe(out);
}
