import type { ProxyEntry } from '../go/goproxy.js';
import type { FileBody } from './body.js';
import type { ListedVersion, ModuleInfo, ModuleSource } from './client.js';
import { ProxyError } from './errors.js';
import { sourceLabel } from './redact.js';

/**
 * ChainEntry is one parsed GOPROXY element (src/go/goproxy.ts parseGoProxy): a proxy URL,
 * the implicit `noproxy` entry, `direct` or `off`; `fallBackOnAnyError` is true when the
 * entry was followed by `|` (G/modfetch/proxy.go:61).
 */
export type ChainEntry = ProxyEntry;

/** Attempt is one source the chain tried and the error it gave. */
export interface Attempt {
  readonly source: string;
  readonly error: ProxyError;
}

/** Served is a chain's answer: the value, the source that gave it, and every failure before it. */
export interface Served<T> {
  readonly value: T;
  readonly source: string;
  readonly attempts: readonly Attempt[];
}

/** ChainOptions wires a chain: its entries, how to reach each kind of source, and privacy. */
export interface ChainOptions {
  entries: readonly ChainEntry[];
  /** builds (or returns a cached) ProxyClient for a `url` entry */
  proxyFor: (url: string) => ModuleSource;
  /** the direct (VCS) fetcher; without it `direct` answers DIRECT_UNSUPPORTED */
  direct?: ModuleSource;
  /** GONOPROXY/GOPRIVATE: true for a module that must never be asked of a proxy */
  bypassesProxy: (modulePath: string) => boolean;
  /** the overall deadline of one call (or of a module, see deadline()), across sources and retries; default 120 s */
  deadlineMs?: number;
}

type Op<T> = (source: ModuleSource, signal: AbortSignal) => Promise<T>;

/**
 * SourceChain asks a GOPROXY list for a module exactly as the go command does
 * (G/modfetch/proxy.go TryProxies, G/modfetch/repo.go lookup): a `,` entry falls through
 * only on not-found (404/410), a `|` entry on any error; `direct` and `off` end the list; a
 * module matched by GONOPROXY is never sent to a proxy URL — only `noproxy`/`direct` serve
 * it. The error returned when nothing answers is chosen by Go's ranking: a direct error
 * beats a proxy error, which beats a not-found.
 */
export class SourceChain {
  constructor(private readonly options: ChainOptions) {}

  list(path: string, deadline?: AbortSignal): Promise<Served<ListedVersion[]>> {
    return this.run(path, `${path}/@v/list`, (s, sig) => s.list(path, sig), deadline);
  }

  latest(path: string, deadline?: AbortSignal): Promise<Served<ModuleInfo>> {
    return this.run(path, `${path}/@latest`, (s, sig) => s.latest(path, sig), deadline);
  }

  info(path: string, version: string, deadline?: AbortSignal): Promise<Served<ModuleInfo>> {
    const what = `${path}@${version}.info`;
    return this.run(path, what, (s, sig) => s.info(path, version, sig), deadline);
  }

  mod(path: string, version: string, deadline?: AbortSignal): Promise<Served<Buffer>> {
    const what = `${path}@${version}.mod`;
    return this.run(path, what, (s, sig) => s.mod(path, version, sig), deadline);
  }

  /** zip writes the zip into a new file named by dest(attempt), one name per source tried. */
  zip(
    path: string,
    version: string,
    dest: (attempt: number) => string,
    deadline?: AbortSignal,
  ): Promise<Served<FileBody>> {
    let n = 0;
    const what = `${path}@${version}.zip`;
    return this.run(path, what, (s, sig) => s.zip(path, version, dest(n++), sig), deadline);
  }

  private async run<T>(
    path: string,
    what: string,
    op: Op<T>,
    deadline?: AbortSignal,
  ): Promise<Served<T>> {
    const signal = deadline ?? this.deadline();
    const attempts: Attempt[] = [];
    let best: { error: ProxyError; rank: number } | undefined;
    for (const entry of this.options.entries) {
      const source = this.sourceFor(entry, path);
      if (source === 'skip') continue;
      try {
        if (source instanceof ProxyError) throw source;
        return { value: await op(source, signal), source: source.name, attempts };
      } catch (err) {
        const error = asProxyError(err, entryName(entry));
        attempts.push({ source: entryName(entry), error });
        best = rankError(best, error, entry.kind);
        if (!error.isNotFound && !entry.fallBackOnAnyError) break;
      }
    }
    throw chainError(what, attempts, best?.error);
  }

  /**
   * deadline starts the overall deadline of one call (ChainOptions.deadlineMs); pass one
   * signal to several calls to bound a whole module (fetchModule does).
   */
  deadline(): AbortSignal {
    return AbortSignal.timeout(this.options.deadlineMs ?? 120_000);
  }

  /** sourceFor maps an entry to the source that serves this module, 'skip', or a refusal. */
  private sourceFor(entry: ChainEntry, path: string): ModuleSource | ProxyError | 'skip' {
    const isPrivate = this.options.bypassesProxy(path);
    if (entry.kind === 'url') {
      if (isPrivate || entry.url === undefined) return 'skip';
      return this.options.proxyFor(entry.url);
    }
    if (entry.kind === 'off') {
      if (isPrivate) return 'skip';
      return new ProxyError('OFF', `module lookup disabled by GOPROXY=off`, { source: 'off' });
    }
    if (entry.kind === 'noproxy' && !isPrivate) return 'skip';
    return (
      this.options.direct ??
      new ProxyError('DIRECT_UNSUPPORTED', `direct (VCS) fetching is not available here`, {
        source: 'direct',
      })
    );
  }
}

function entryName(entry: ChainEntry): string {
  return entry.kind === 'url' ? sourceLabel(entry.url ?? '') : entry.kind;
}

function asProxyError(err: unknown, source: string): ProxyError {
  if (err instanceof ProxyError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ProxyError('NETWORK', `${source}: ${message}`, { source, cause: err });
}

/** rankError keeps Go's best error (TryProxies): direct 2 > proxy error 1 > not-found 0. */
function rankError(
  best: { error: ProxyError; rank: number } | undefined,
  error: ProxyError,
  kind: ChainEntry['kind'],
): { error: ProxyError; rank: number } {
  if (kind === 'direct' || kind === 'noproxy') return { error, rank: 2 };
  if (!error.isNotFound && (best === undefined || best.rank <= 1)) return { error, rank: 1 };
  if (best === undefined || best.rank === 0) return { error, rank: 0 };
  return best;
}

function chainError(what: string, attempts: readonly Attempt[], best?: ProxyError): ProxyError {
  if (best === undefined) {
    const none = new ProxyError('NO_SOURCES', `no GOPROXY entry can serve this module`);
    return new ChainError(none, `${what}: ${none.message}`, attempts);
  }
  const tried = attempts.map((a) => `\n\t${a.source}: ${a.error.code}`).join('');
  return new ChainError(best, `${what}: ${best.message}${tried}`, attempts);
}

/** ChainError is a chain that could not answer: Go's best error, plus every attempt made. */
export class ChainError extends ProxyError {
  readonly attempts: readonly Attempt[];

  constructor(best: ProxyError, message: string, attempts: readonly Attempt[]) {
    super(best.code, message, {
      url: best.url,
      source: best.source,
      status: best.status,
      cause: best,
    });
    this.attempts = attempts;
  }
}
