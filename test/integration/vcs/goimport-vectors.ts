import { readFileSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { closeServer } from '../../../src/testing/world/loopback.js';
import { parseTxtar } from '../../unit/hash/txtar.js';

/** GOIMPORT_TESTDATA holds the go-get discovery vectors: txtar, one page (and root page) each. */
export const GOIMPORT_TESTDATA = new URL('../../testdata/goimport/', import.meta.url).pathname;

/**
 * GoImportVector is one discovery case: the module path asked, the status the page comes
 * with, the answer (`want`: "root vcs url") or a substring of the error (`wantErr`), the
 * page at `http://<path>?go-get=1` and the page every other `?go-get=1` URL gets (`root`).
 */
export interface GoImportVector {
  readonly file: string;
  readonly path: string;
  readonly status: number;
  readonly want: string;
  readonly wantErr: string;
  readonly page: Buffer;
  readonly root: Buffer | undefined;
}

const KEYS = new Set(['path', 'status', 'want', 'wantErr']);

/** readGoImportVectors reads every vector, `key=value` header lines, unknown keys rejected. */
export function readGoImportVectors(): GoImportVector[] {
  return readdirSync(GOIMPORT_TESTDATA)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((file) => {
      const { comment, files } = parseTxtar(readFileSync(join(GOIMPORT_TESTDATA, file)));
      const h: Record<string, string> = {};
      for (const line of comment.split('\n').filter((l) => l.trim() !== '')) {
        const eq = line.indexOf('=');
        const key = line.slice(0, eq);
        if (eq < 0 || !KEYS.has(key)) throw new Error(`${file}: bad header line ${line}`);
        h[key] = line.slice(eq + 1);
      }
      const page = files.find((f) => f.name === 'page')?.data;
      if (page === undefined || (h.want === undefined) === (h.wantErr === undefined))
        throw new Error(`${file}: needs a page and one of want, wantErr`);
      return {
        file,
        path: h.path ?? '',
        status: Number(h.status ?? '200'),
        want: h.want ?? '',
        wantErr: h.wantErr ?? '',
        page,
        root: files.find((f) => f.name === 'root')?.data,
      };
    });
}

/**
 * VectorProxy is an HTTP proxy on loopback that answers, itself, every plain-http request
 * sent through it for the current vector: its page for the module path, its root page for
 * any other `?go-get=1` URL, 404 for the rest. A CONNECT (https) is refused, so the go
 * command, with GOINSECURE, falls back to http as modguard is told to ask. No name is
 * ever resolved.
 */
export interface VectorProxy {
  readonly url: string;
  current: GoImportVector | undefined;
  /** the absolute URLs asked, in order */
  readonly asked: string[];
  stop(): Promise<void>;
}

export async function startVectorProxy(): Promise<VectorProxy> {
  const asked: string[] = [];
  const state: { current: GoImportVector | undefined } = { current: undefined };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://invalid.test');
    asked.push(url.href);
    const v = state.current;
    const discovery = url.searchParams.get('go-get') === '1';
    const own = url.host + url.pathname === `${v?.path ?? ''}`;
    const body = !discovery || v === undefined ? undefined : own ? v.page : v.root;
    res.writeHead(body === undefined ? 404 : own ? (v?.status ?? 200) : 200, {
      'content-type': 'text/html',
    });
    res.end(body ?? 'not found\n');
  });
  server.on('connect', (_req, socket: Socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    asked,
    get current() {
      return state.current;
    },
    set current(v) {
      state.current = v;
    },
    stop: () => closeServer(server),
  };
}
