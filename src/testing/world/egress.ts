import { connect, type Socket } from 'node:net';
import { startLoopbackServer, type LoopbackServer } from './loopback.js';

/** EgressProxy is a forwarding HTTP proxy (CONNECT tunnels) that records each tunnel's target. */
export interface EgressProxy extends LoopbackServer {
  /** `host:port` of every CONNECT, in order */
  readonly tunnels: string[];
}

/**
 * startEgressProxy starts a corporate-egress stand-in on loopback: it accepts CONNECT (as
 * undici's ProxyAgent sends for every request) and pipes bytes to the target, which must
 * itself be on loopback; it refuses any other target, so a test can never leave the host.
 */
export async function startEgressProxy(): Promise<EgressProxy> {
  const tunnels: string[] = [];
  const open = new Set<Socket>();
  const server = await startLoopbackServer('egress', (_req, res) => {
    res.writeHead(405);
    res.end();
  });
  const raw = server.server;
  raw.on('connect', (req, socket) => {
    const target = req.url ?? '';
    tunnels.push(target);
    const m = /^(127\.0\.0\.1|localhost):(\d+)$/.exec(target);
    if (m === null) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = connect(Number(m[2]), '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    open.add(upstream).add(socket as Socket);
    const close = () => {
      upstream.destroy();
      socket.destroy();
      open.delete(upstream);
      open.delete(socket as Socket);
    };
    upstream.on('close', close);
    socket.on('close', close);
    upstream.on('error', close);
    socket.on('error', close);
  });
  const stop = async () => {
    for (const s of open) s.destroy();
    await server.stop();
  };
  return { ...server, tunnels, stop };
}
