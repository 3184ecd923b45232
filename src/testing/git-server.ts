import type { IncomingMessage, ServerResponse } from 'node:http';
import { execa, type ResultPromise } from 'execa';
import { sendText, startLoopbackServer, type LoopbackServer } from './world/loopback.js';

/** GitRepoRoute maps a module path prefix (a repository root, go.dev/ref/mod#vcs-find) to a bare repository. */
export interface GitRepoRoute {
  /** the import-path prefix the repository serves, e.g. `example.test/greet` */
  readonly root: string;
  /** the repository directory name under the project root, e.g. `greet.git` */
  readonly dir: string;
}

/** GitServer serves bare repositories over git's smart HTTP, plus `?go-get=1` discovery. */
export interface GitServer extends LoopbackServer {
  /** the clone URL of a repository directory */
  repoUrl(dir: string): string;
}

/**
 * startGitServer serves every bare repository under projectRoot through `git http-backend`
 * (one CGI process per request, run with execa: GIT_PROJECT_ROOT, GIT_HTTP_EXPORT_ALL,
 * PATH_INFO, QUERY_STRING, REQUEST_METHOD, CONTENT_TYPE; request body streamed in, CGI
 * headers parsed out), and answers `?go-get=1` with a go-import meta tag
 * (go.dev/ref/mod#vcs-find) for the route whose root prefixes the requested import path.
 * stop() kills any backend still running.
 */
export async function startGitServer(
  projectRoot: string,
  routes: readonly GitRepoRoute[],
): Promise<GitServer> {
  const children = new Set<ResultPromise>();
  let base = '';
  const server = await startLoopbackServer('git', (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.searchParams.get('go-get') === '1') return goImport(req, res, url, routes, base);
    return backend(req, res, url, projectRoot, children);
  });
  base = server.url;
  const stop = async () => {
    for (const c of children) c.kill('SIGKILL');
    await Promise.allSettled([...children]);
    await server.stop();
  };
  return { ...server, stop, repoUrl: (dir) => `${base}/${dir}` };
}

function goImport(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  routes: readonly GitRepoRoute[],
  base: string,
) {
  // The server's own names (loopback, or <name>.world.test through the egress stand-in)
  // take the import path from the URL path; any other Host is the import path's host.
  const host = req.headers.host ?? '';
  const local = /^(127\.0\.0\.1|localhost|[a-z0-9.-]+\.world\.test)(:|$)/i.test(host);
  const importPath = (local ? url.pathname.slice(1) : host + url.pathname).replace(/\/+$/, '');
  const route = routes.find((r) => importPath === r.root || importPath.startsWith(r.root + '/'));
  if (route === undefined) return sendText(res, 404, `no repository for ${importPath}\n`);
  const meta = `<meta name="go-import" content="${route.root} git ${base}/${route.dir}">`;
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!DOCTYPE html>\n<html><head>${meta}</head><body>go get ${route.root}</body></html>\n`);
}

function backend(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  projectRoot: string,
  children: Set<ResultPromise>,
): Promise<void> {
  const child = execa('git', ['http-backend'], {
    env: cgiEnv(req, url, projectRoot),
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    reject: false,
  });
  children.add(child);
  req.pipe(child.stdin);
  child.stdin.on('error', () => undefined);
  const done = relayCgi(child.stdout, res);
  return Promise.all([child, done])
    .then(
      () => undefined,
      () => undefined,
    )
    .finally(() => {
      children.delete(child);
      if (!res.writableEnded) res.destroy();
    });
}

function cgiEnv(req: IncomingMessage, url: URL, projectRoot: string): Record<string, string> {
  const env: Record<string, string> = {
    GIT_PROJECT_ROOT: projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.replace(/^\?/, ''),
    REQUEST_METHOD: req.method ?? 'GET',
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
  };
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined) env.HTTP_CONTENT_ENCODING = encoding;
  const protocol = req.headers['git-protocol'];
  if (typeof protocol === 'string') env.GIT_PROTOCOL = protocol;
  const length = req.headers['content-length'];
  if (length !== undefined) env.CONTENT_LENGTH = length;
  return env;
}

/** relayCgi parses CGI response headers (`Status:` and the rest) and streams the body on. */
function relayCgi(out: NodeJS.ReadableStream, res: ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    let head = Buffer.alloc(0);
    let body = false;
    out.on('data', (chunk: Buffer) => {
      if (body) return void res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = headerEnd(head);
      if (end === undefined) return;
      writeCgiHead(res, head.subarray(0, end.at).toString('latin1'));
      body = true;
      res.write(head.subarray(end.at + end.len));
    });
    out.on('end', () => {
      if (!body) writeCgiHead(res, head.toString('latin1'));
      res.end();
      resolve();
    });
    out.on('error', reject);
  });
}

function headerEnd(buf: Buffer): { at: number; len: number } | undefined {
  const crlf = buf.indexOf('\r\n\r\n');
  const lf = buf.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { at: crlf, len: 4 };
  return lf >= 0 ? { at: lf, len: 2 } : undefined;
}

function writeCgiHead(res: ServerResponse, text: string): void {
  let status = 200;
  const headers: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
    else headers[name] = value;
  }
  res.writeHead(status, headers);
}
