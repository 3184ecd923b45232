import { createHash, type Hash } from 'node:crypto';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { ProxyError } from './errors.js';

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
}

/**
 * MemoryBudget bounds the bytes of response bodies held in memory at once, across
 * concurrent downloads: a body takes from it chunk by chunk while it can, and moves to
 * its file when the budget runs out. Whoever holds `chunks` gives their size back (`release`).
 */
export class MemoryBudget {
  private left: number;

  constructor(readonly limit: number) {
    this.left = limit;
  }

  /** take reserves n bytes if they are left, and says whether it did. */
  take(n: number): boolean {
    if (n > this.left) return false;
    this.left -= n;
    return true;
  }

  /** release gives back n bytes taken before. */
  release(n: number): void {
    this.left = Math.min(this.limit, this.left + n);
  }
}

/** BodyContext names the request for error messages (redacted URL, chain entry). */
export interface BodyContext {
  url: string;
  source: string;
  maxBytes: number;
  contentType: string;
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
    if (size === 0) refuseHtml(chunk, ctx, body);
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
}

/**
 * readBodyToFile streams a 200 response body into a new file at `path` (created exclusively),
 * hashing it as it arrives, under the same size cap and HTML guard as readBodyToBuffer.
 * With a memory budget, the body is kept in memory while the budget lasts and written to
 * the file only once it does not (then the memory is given back at once).
 */
export async function readBodyToFile(
  body: BodySource,
  path: string,
  ctx: BodyContext,
  options: SpoolOptions = {},
): Promise<FileBody> {
  const sink = new SpoolSink(path, options.memory, options.digest ?? true);
  let size = 0;
  try {
    for await (const chunk of body) {
      if (size === 0) refuseHtml(chunk, ctx, body);
      size += chunk.length;
      if (size > ctx.maxBytes) throw tooLarge(ctx, body);
      await sink.write(chunk);
    }
    const { chunks, sha256 } = await sink.finish();
    return {
      path,
      size,
      ...(sha256 === undefined ? {} : { sha256 }),
      ...(chunks ? { chunks } : {}),
    };
  } catch (err) {
    await sink.abandon();
    throw err;
  }
}

/** SPOOL_BATCH: chunks bound for the spool file are written this many bytes at a time. */
const SPOOL_BATCH = 1 << 20;
/**
 * SpoolSink holds chunks in memory while the budget grants them, then moves to the file,
 * writing in batches (one write through the thread pool per 64 KiB network chunk cost
 * more than the copy). Unless told not to, it digests the body (SHA-256) as it arrives.
 */
class SpoolSink {
  private chunks: Buffer[] | undefined = [];
  private held = 0;
  private fh: FileHandle | undefined;
  private readonly sha: Hash | undefined;
  private batch: Buffer[] = [];
  private batched = 0;

  constructor(
    private readonly path: string,
    private readonly budget: MemoryBudget | undefined,
    digest: boolean,
  ) {
    this.sha = digest ? createHash('sha256') : undefined;
  }

  async write(chunk: Buffer): Promise<void> {
    this.sha?.update(chunk);
    if (this.chunks !== undefined && this.budget?.take(chunk.length) === true) {
      this.chunks.push(chunk);
      this.held += chunk.length;
      return;
    }
    if (this.fh === undefined) await this.spill();
    this.batch.push(chunk);
    this.batched += chunk.length;
    if (this.batched >= SPOOL_BATCH) await this.drain();
  }

  /** spill opens the file and moves what memory held into the write batch. */
  private async spill(): Promise<void> {
    this.fh = await open(this.path, 'wx', 0o600);
    this.batch = this.chunks ?? [];
    this.batched = this.held;
    this.chunks = undefined;
    this.budget?.release(this.held);
    this.held = 0;
  }

  private async drain(): Promise<void> {
    const batch = this.batch;
    this.batch = [];
    this.batched = 0;
    if (batch.length > 0) await this.fh?.writev(batch);
  }

  /** finish returns the digest, and the chunks when the body stayed in memory; else closes the file. */
  async finish(): Promise<{ sha256?: string; chunks?: Buffer[] }> {
    const sha256 = this.sha?.digest('hex');
    const digest = sha256 === undefined ? {} : { sha256 };
    if (this.fh === undefined && this.budget !== undefined) {
      return { ...digest, chunks: this.chunks ?? [] };
    }
    if (this.fh === undefined) await this.spill();
    await this.drain();
    await this.fh?.close();
    return digest;
  }

  async abandon(): Promise<void> {
    this.budget?.release(this.held);
    this.held = 0;
    this.batch = [];
    if (this.fh === undefined) return;
    await this.fh.close();
    await rm(this.path, { force: true });
  }
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
