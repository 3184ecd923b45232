import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { readBodyToBuffer, readBodyToFile, type BodyContext, type BodySource } from './body.js';
import { ProxyError } from './errors.js';
import type { GetOptions, GetResult, Transport } from './http.js';

/**
 * FileTransport serves a `file://` GOPROXY (go.dev/ref/mod#goproxy-protocol: "a file://
 * URL names a module cache or proxy directory"): the request URL's path is read from disk
 * under the same size caps and format guards as HTTP answers; a missing file is not-found,
 * as G/web/url.go maps fs.ErrNotExist to 404.
 */
export class FileTransport implements Transport {
  async get(url: URL, options: GetOptions): Promise<GetResult> {
    const path = fileURLToPath(url);
    const where = { url: url.toString(), source: options.source };
    let size: number;
    try {
      const st = await stat(path);
      if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOENT' });
      size = st.size;
    } catch (err) {
      if (isNotExist(err)) {
        throw new ProxyError(
          'NOT_FOUND',
          `${options.source}: reading ${where.url}: 404 (no such file)`,
          {
            ...where,
            status: 404,
          },
        );
      }
      throw new ProxyError(
        'NETWORK',
        `${options.source}: reading ${where.url}: ${String(err)}`,
        where,
      );
    }
    if (size > options.maxBytes) {
      throw new ProxyError('TOO_LARGE', `${options.source}: ${where.url} is ${size} bytes`, where);
    }
    const ctx: BodyContext = { ...where, maxBytes: options.maxBytes, contentType: '' };
    const body = createReadStream(path) as unknown as BodySource;
    if (options.toFile === undefined)
      return { kind: 'buffer', body: await readBodyToBuffer(body, ctx) };
    return { kind: 'file', file: await readBodyToFile(body, options.toFile, ctx, options) };
  }

  async close(): Promise<void> {}
}

/** isFileUrl reports a `file:` URL (any case), which FileTransport reads instead of HttpClient. */
export function isFileUrl(url: string): boolean {
  return url.toLowerCase().startsWith('file:');
}

function isNotExist(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
