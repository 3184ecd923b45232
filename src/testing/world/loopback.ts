import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** RecordedRequest is what a test server remembers of one request, for privacy assertions. */
export interface RecordedRequest {
  readonly server: string;
  readonly method: string;
  /** the raw request target, as sent on the wire (e.g. `/example.test/!foo/@v/list`) */
  readonly target: string;
  /** the decoded path */
  readonly path: string;
  readonly hasAuthorization: boolean;
  /** the Authorization header, for credential tests on loopback; never printed */
  readonly authorization: string | undefined;
  readonly at: number;
}

/** Handler serves one request; it may leave the response open (a hung server). */
export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** LoopbackServer is a started node:http server on 127.0.0.1 with its request log. */
export interface LoopbackServer {
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** the underlying node server, for protocol extensions (CONNECT) */
  readonly server: Server;
  stop(): Promise<void>;
}

/**
 * startLoopbackServer listens on 127.0.0.1 on a free port, records every request and hands
 * it to handler. stop() destroys every socket (including hung and keep-alive ones) and
 * waits for the server to close.
 */
export async function startLoopbackServer(
  name: string,
  handler: Handler,
  tls?: { key: string; cert: string },
): Promise<LoopbackServer> {
  const requests: RecordedRequest[] = [];
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    requests.push(record(name, req));
    Promise.resolve(handler(req, res)).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    });
  };
  const server: Server =
    tls === undefined ? createServer(listener) : createTlsServer(tls, listener);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    port,
    requests,
    server,
    stop: () => closeServer(server),
  };
}

/** closeServer stops accepting, destroys every open connection and waits for the close. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function record(server: string, req: IncomingMessage): RecordedRequest {
  const target = req.url ?? '';
  let path: string;
  try {
    path = decodeURIComponent(target.split('?')[0] ?? '');
  } catch {
    path = target;
  }
  const authorization = req.headers.authorization;
  return {
    server,
    method: req.method ?? '',
    target,
    path,
    hasAuthorization: authorization !== undefined,
    authorization,
    at: Date.now(),
  };
}

/** sendText answers with a status and a text/plain body. */
export function sendText(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(body);
}
