import { ProxyError, spoolError } from './errors.js';
import { FollowSink, type Arrivals } from './follow.js';
import { MemoryBudget, SpoolSink, type Sink } from './spool.js';

export { MemoryBudget };

/** BodySource is the part of an undici response body modguard reads: chunks, and a way to stop. */
export interface BodySource extends AsyncIterable<Buffer> {
  destroy(err?: Error): unknown;
}

/**
 * FileBody is a response body streamed to disk, with its size and sha256 computed on the
 * way. With a MemoryBudget (readBodyToFile), a body the budget could hold stays in
 * `chunks` and no file is written at `path`.
 */
export interface FileBody {
  readonly path: string;
  readonly size: number;
  /** hex sha256 of the bytes written, unless the reader was told not to digest them */
  readonly sha256?: string;
  /** the body as it arrived, in chunks, when it was kept in memory instead of written to `path` */
  readonly chunks?: readonly Buffer[];
  /**
   * release, when present, lets the bytes go once every holder has (memory back to the
   * budget, or the file removed); without it, the holder does either itself
   */
  readonly release?: () => Promise<void>;
}

/** BodyContext names the request for error messages (redacted URL, chain entry). */
export interface BodyContext {
  url: string;
  source: string;
  maxBytes: number;
  contentType: string;
  /** an HTML page is the answer (go-get discovery), not a proxy's error page */
  html?: boolean;
}

/**
 * readBodyToBuffer reads a 200 response body up to ctx.maxBytes (exceeding it is TOO_LARGE,
 * as Go reads a zip up to 500 MiB + 1 to detect an oversize one: G/modfetch/fetch.go), and
 * refuses an HTML page in place of the endpoint's format.
 */
export async function readBodyToBuffer(body: BodySource, ctx: BodyContext): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size === 0 && ctx.html !== true) refuseHtml(chunk, ctx, body);
    size += chunk.length;
    if (size > ctx.maxBytes) throw tooLarge(ctx, body);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/** SpoolOptions: where readBodyToFile may keep a body, and whether it digests it. */
export interface SpoolOptions {
  /** keep the body in memory instead of the file while this budget lasts (FileBody.chunks) */
  readonly memory?: MemoryBudget | undefined;
  /** compute FileBody.sha256 (default true); a caller that compares bytes itself skips it */
  readonly digest?: boolean | undefined;
  /**
   * share: a body of key (module@version) that another download is receiving at the same
   * time is compared with it as it arrives (FollowSink), not stored again (needs digest false)
   */
  readonly share?: { readonly key: string; readonly arrivals: Arrivals } | undefined;
}

/**
 * readBodyToFile streams a 200 response body into a new file at `path` (created exclusively),
 * hashing it as it arrives, under the same size cap and HTML guard as readBodyToBuffer.
 * With a memory budget, the body is kept in memory while the budget lasts and written to
 * the file only once it does not (then the memory is given back at once). With `share`,
 * a body whose bytes another download is receiving follows it (FollowSink): the result
 * may then be that download's bytes, held for this one (FileBody.path and chunks are
 * where they are).
 */
export async function readBodyToFile(
  body: BodySource,
  path: string,
  ctx: BodyContext,
  options: SpoolOptions = {},
): Promise<FileBody> {
  const sink = newSink(path, options);
  let size = 0;
  let spooling = false; // a failure now is the sink's (its file), not the download's
  try {
    for await (const chunk of body) {
      if (size === 0 && ctx.html !== true) refuseHtml(chunk, ctx, body);
      size += chunk.length;
      if (size > ctx.maxBytes) throw tooLarge(ctx, body);
      spooling = true;
      await sink.write(chunk);
      spooling = false;
    }
    spooling = true;
    const { path: at, chunks, sha256, release } = await sink.finish();
    return {
      path: at,
      size,
      ...(sha256 === undefined ? {} : { sha256 }),
      ...(chunks ? { chunks } : {}),
      release,
    };
  } catch (err) {
    await sink.abandon();
    throw spooling ? spoolError(err, path, { ...ctx, status: 200 }) : err;
  }
}

/** newSink stores a body (SpoolSink), or follows another download of the same bytes. */
function newSink(path: string, options: SpoolOptions): Sink {
  const digest = options.digest ?? true;
  const own = (onGone?: () => void) => new SpoolSink(path, options.memory, digest, onGone);
  const share = options.share;
  if (share === undefined || digest) return own();
  const leader = share.arrivals.leading(share.key);
  if (leader !== undefined) return new FollowSink(leader, own);
  const sink: SpoolSink = own(() => share.arrivals.gone(share.key, sink));
  share.arrivals.lead(share.key, sink);
  return sink;
}

/**
 * looksLikeHtml reports a body that starts (after blanks and a BOM) with `<!doctype html`,
 * `<html`, `<head` or `<body`, or any `<` when the server labels it text/html. No GOPROXY
 * endpoint (list, info, mod, zip, latest) ever begins that way.
 */
export function looksLikeHtml(first: Buffer, contentType: string): boolean {
  const head = first
    .subarray(0, 512)
    .toString('latin1')
    .replace(/^\uFEFF|^\u00EF\u00BB\u00BF/, '')
    .trimStart()
    .toLowerCase();
  if (/^<(!doctype html|html|head|body)[\s>]/.test(head)) return true;
  return /^text\/html\b/i.test(contentType) && head.startsWith('<');
}

function refuseHtml(chunk: Buffer, ctx: BodyContext, body: BodySource): void {
  if (!looksLikeHtml(chunk, ctx.contentType)) return;
  body.destroy();
  throw new ProxyError('HTML_PAGE', `${ctx.source}: proxy returned an HTML page for ${ctx.url}`, {
    url: ctx.url,
    source: ctx.source,
    status: 200,
  });
}

function tooLarge(ctx: BodyContext, body: BodySource): ProxyError {
  body.destroy();
  return new ProxyError(
    'TOO_LARGE',
    `${ctx.source}: response for ${ctx.url} exceeds ${ctx.maxBytes} bytes`,
    { url: ctx.url, source: ctx.source, status: 200 },
  );
}

/**
 * errorDetail renders up to 8 lines of a non-200 text/plain body (utf-8, us-ascii or no
 * charset), tab-indented, as Go does (G/web/api.go formatErrorDetail); anything else, or
 * text with control characters, gives no detail.
 */
export function errorDetail(body: Buffer, contentType: string): string {
  const ct = contentType.toLowerCase().replace(/\s/g, '');
  const plain = /^text\/plain(;charset=(utf-8|us-ascii))?$/.test(ct);
  if (!plain) return '';
  const text = new TextDecoder('utf-8', { fatal: false }).decode(body.subarray(0, 8192));
  if (text.includes('\uFFFD') || hasControl(text)) return '';
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return lines
    .slice(0, 8)
    .map((l) => '\n\t' + l)
    .join('');
}

/** hasControl reports a C0 control other than tab and newline, or DEL (Go: !IsGraphic && !IsSpace). */
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return true;
  }
  return false;
}
