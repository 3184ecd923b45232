import { canonicalVersion, escapeVersion } from '../go/module.js';
import { isPseudoVersion, pseudoVersionTime } from '../go/pseudo.js';
import * as semver from '../go/semver.js';
import { ProxyError } from './errors.js';
import type { FileBody, SpoolOptions } from './body.js';
import type { Transport } from './http.js';
import { sizeLimits, type SizeLimits } from './limits.js';
import { redactUrl, sourceLabel } from './redact.js';
import { moduleFileUrl } from './wire.js';

/** ModuleInfo is a `.info` or `@latest` answer (go.dev/ref/mod#goproxy-protocol). */
export interface ModuleInfo {
  readonly Version: string;
  readonly Time?: string;
}

/** ListedVersion is one `@v/list` line: a version and its optional RFC 3339 time. */
export interface ListedVersion {
  readonly version: string;
  readonly time?: string;
}

/**
 * ModuleSource is one place that answers the GOPROXY protocol for a module: a proxy URL,
 * or an injected direct (VCS) fetcher. `zip` writes the zip to `dest` (a new file).
 */
export interface ModuleSource {
  /** how the source is named in reports: a redacted URL, or `direct` */
  readonly name: string;
  list(path: string, signal?: AbortSignal): Promise<ListedVersion[]>;
  latest(path: string, signal?: AbortSignal): Promise<ModuleInfo>;
  info(path: string, version: string, signal?: AbortSignal): Promise<ModuleInfo>;
  mod(path: string, version: string, signal?: AbortSignal): Promise<Buffer>;
  zip(
    path: string,
    version: string,
    dest: string,
    signal?: AbortSignal,
    spool?: SpoolOptions,
  ): Promise<FileBody>;
}

/**
 * ProxyClient speaks the GOPROXY protocol to one proxy base URL (G/modfetch/proxy.go):
 * `<base>/<escaped path>/@v/list`, `@v/<escaped version>.info|.mod|.zip` and `@latest`,
 * with Go's url.PathEscape on the wire. Answers are attacker-controlled: each is checked
 * against the endpoint's format and size cap before it is returned.
 */
export class ProxyClient implements ModuleSource {
  readonly name: string;
  private readonly base: string;
  private readonly limits: SizeLimits;
  /**
   * mods remembers each `.mod` answer for the client's life: a check asks for the same
   * go.mod twice (its go.sum line, and a module's latest go.mod for retractions, often
   * the same version). Failures are not remembered.
   */
  private readonly mods = new Map<string, Promise<Buffer>>();

  constructor(
    baseUrl: string,
    private readonly http: Transport,
    limits: Partial<SizeLimits> = {},
  ) {
    this.base = baseUrl.replace(/\/+$/, '');
    this.name = sourceLabel(this.base);
    this.limits = { ...sizeLimits, ...limits };
  }

  /** list returns the valid, non-pseudo versions listed; other lines are skipped, as Go does. */
  async list(path: string, signal?: AbortSignal): Promise<ListedVersion[]> {
    const body = await this.getBuffer(path, '@v/list', this.limits.list, signal);
    const out: ListedVersion[] = [];
    for (const line of body.toString('utf8').split('\n')) {
      const [version, time] = line.trim().split(/\s+/);
      if (version === undefined || !semver.isValid(version) || isPseudoVersion(version)) continue;
      out.push(time === undefined ? { version } : { version, time });
    }
    return out;
  }

  /**
   * latest fetches `@latest`; on not-found it falls back, as Go does (proxy.go:383), to the
   * `@v/list` line with the latest time (its RFC 3339 field, or a pseudo-version's time;
   * tagged versions without a time are ignored), then to that version's `.info`.
   */
  async latest(path: string, signal?: AbortSignal): Promise<ModuleInfo> {
    let body: Buffer;
    try {
      body = await this.getBuffer(path, '@latest', this.limits.info, signal);
    } catch (err) {
      if (!(err instanceof ProxyError) || !err.isNotFound) throw err;
      const list = await this.getBuffer(path, '@v/list', this.limits.list, signal);
      const best = latestFromList(list.toString('utf8'));
      if (best === undefined) {
        throw new ProxyError('NOT_FOUND', `${this.name}: ${path}: no commits`, {
          source: this.name,
        });
      }
      return this.info(path, best, signal);
    }
    return parseInfo(body, this.url(path, '@latest'), this.name);
  }

  /** info fetches `.info`; for a canonical request the answer's Version must equal it (proxy.go:361). */
  async info(path: string, version: string, signal?: AbortSignal): Promise<ModuleInfo> {
    const rel = `@v/${escapeVersion(version)}.info`;
    const info = parseInfo(
      await this.getBuffer(path, rel, this.limits.info, signal),
      this.url(path, rel),
      this.name,
    );
    if (
      semver.isValid(version) &&
      canonicalVersion(version) === version &&
      info.Version !== version
    ) {
      throw this.bad(path, rel, `info reports version ${JSON.stringify(info.Version)}`);
    }
    return info;
  }

  async mod(path: string, version: string, signal?: AbortSignal): Promise<Buffer> {
    const key = `${path}@${version}`;
    let mod = this.mods.get(key);
    if (mod === undefined) {
      mod = this.getBuffer(path, `@v/${escapeVersion(version)}.mod`, this.limits.mod, signal);
      this.mods.set(key, mod);
      mod.catch(() => this.mods.delete(key));
    }
    return Buffer.from(await mod);
  }

  /**
   * zip streams `.zip` into dest (created exclusively), or into memory while the spool's
   * memory budget lasts (FileBody.chunks; the caller releases them), and checks its size.
   */
  async zip(
    path: string,
    version: string,
    dest: string,
    signal?: AbortSignal,
    spool: SpoolOptions = {},
  ): Promise<FileBody> {
    const rel = `@v/${escapeVersion(version)}.zip`;
    const res = await this.http.get(this.url(path, rel), {
      source: this.name,
      maxBytes: this.limits.zip,
      toFile: dest,
      signal,
      memory: spool.memory,
      digest: spool.digest,
      share: spool.share,
    });
    if (res.kind !== 'file') throw this.bad(path, rel, 'zip was not written to a file');
    if (res.file.size < 22) {
      if (res.file.release !== undefined) await res.file.release();
      else if (res.file.chunks !== undefined) spool.memory?.release(res.file.size);
      throw this.bad(path, rel, `zip of ${res.file.size} bytes`);
    }
    return res.file;
  }

  private url(path: string, rel: string): URL {
    return new URL(moduleFileUrl(this.base, path, rel));
  }

  private async getBuffer(path: string, rel: string, maxBytes: number, signal?: AbortSignal) {
    const res = await this.http.get(this.url(path, rel), { source: this.name, maxBytes, signal });
    if (res.kind !== 'buffer') throw this.bad(path, rel, 'unexpected file body');
    return res.body;
  }

  private bad(path: string, rel: string, why: string): ProxyError {
    const url = redactUrl(this.url(path, rel));
    return new ProxyError('BAD_RESPONSE', `${this.name}: ${url}: ${why}`, {
      url,
      source: this.name,
      status: 200,
    });
  }
}

/** latestFromList is Go's proxyRepo.latestFromList: the first line with the latest time. */
export function latestFromList(text: string): string | undefined {
  let best: { version: string; time: number } | undefined;
  for (const line of text.split('\n')) {
    const [version, stamp] = line.trim().split(/\s+/);
    if (version === undefined || !semver.isValid(version)) continue;
    let time: number;
    if (stamp !== undefined) time = Date.parse(stamp);
    else if (isPseudoVersion(version)) time = pseudoVersionTime(version).getTime();
    else continue;
    if (Number.isNaN(time)) time = Number.NEGATIVE_INFINITY;
    if (best === undefined || best.time < time) best = { version, time };
  }
  return best === undefined || best.time === Number.NEGATIVE_INFINITY ? undefined : best.version;
}

/**
 * parseInfo reads a `.info` / `@latest` JSON answer: an object with a string Version that is
 * valid semver, and Time, when present, an RFC 3339 string. Anything else is BAD_RESPONSE.
 */
export function parseInfo(body: Buffer, url: URL, source: string): ModuleInfo {
  const fail = (why: string) =>
    new ProxyError('BAD_RESPONSE', `${source}: ${redactUrl(url)}: ${why}`, {
      url: redactUrl(url),
      source,
      status: 200,
    });
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw fail('info is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw fail('info is not a JSON object');
  }
  const { Version, Time } = value as Record<string, unknown>;
  if (typeof Version !== 'string' || !semver.isValid(Version)) {
    throw fail('info has no valid Version');
  }
  if (Time === undefined) return { Version };
  if (typeof Time !== 'string' || Number.isNaN(Date.parse(Time))) {
    throw fail('info has an invalid Time');
  }
  return { Version, Time };
}
