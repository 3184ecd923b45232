/**
 * startSumdbServer runs a checksum database on 127.0.0.1 (port 0) over a SumdbLog,
 * signing with the given key. Its `state` holds the fault knobs; `handleSumdb`
 * (sumdb-handler.ts) lets a GOPROXY test server mount the same database under
 * `/sumdb/NAME/`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SumdbLog } from './sumdb-log.js';
import { SumdbState, handleSumdb } from './sumdb-handler.js';

export { SumdbState, handleSumdb } from './sumdb-handler.js';
export type { SumdbFaults, SumdbView } from './sumdb-handler.js';

/** RunningSumdb is a started server: its base URL (no trailing slash), state and close. */
export interface RunningSumdb {
  readonly url: string;
  readonly state: SumdbState;
  close(): Promise<void>;
}

/** goSumRecord renders the record of a module version: its two go.sum lines. */
export function goSumRecord(
  path: string,
  version: string,
  zipHash: string,
  modHash: string,
): string {
  return `${path} ${version} ${zipHash}\n${path} ${version}/go.mod ${modHash}\n`;
}

/** startSumdbServer starts serving `records` (or an existing log) signed with `signerKey`. */
export async function startSumdbServer(opts: {
  signerKey: string;
  records?: readonly string[];
  log?: SumdbLog;
}): Promise<RunningSumdb> {
  const log = opts.log ?? new SumdbLog();
  for (const r of opts.records ?? []) log.append(r);
  const state = new SumdbState(log, opts.signerKey);
  const server = createServer((req, res) => {
    const path = decodePath(req.url ?? '/');
    handleSumdb(state, req, res, path).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`internal error: ${String(err)}\n`);
    });
  });
  // undici subtracts 2 s from the keep-alive hint: a shorter timeout would close every connection.
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, state, close: () => closeServer(server) };
}

function decodePath(url: string): string {
  const path = url.split('?')[0] ?? '/';
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
}
