import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ProxyError } from '../../../src/proxy/errors.js';
import { HttpClient, type HttpOptions } from '../../../src/proxy/http.js';
import type { StoredVersion } from '../../../src/testing/proxy-server.js';

/** fakeVersion is a stored version whose zip is opaque bytes beginning like a zip. */
export function fakeVersion(path: string, version: string, salt = ''): StoredVersion {
  return {
    info: { Version: version, Time: '2024-01-02T03:04:05Z' },
    mod: Buffer.from(`module ${path}\n`),
    zip: Buffer.concat([
      Buffer.from('PK\x03\x04'),
      Buffer.from(`${path}@${version}${salt}`.repeat(8)),
    ]),
  };
}

/** fastHttp is an HttpClient with short timeouts and backoff, so fault tests stay quick. */
export function fastHttp(options: HttpOptions = {}): HttpClient {
  return new HttpClient({
    timeouts: { connectMs: 2_000, headersMs: 800, bodyMs: 800 },
    retries: 1,
    backoffMs: 20,
    ...options,
  });
}

/** tempDir makes a temporary directory and returns it with its cleanup. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'modguard-proxy-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** failure awaits p, expects it to reject with a ProxyError, and returns that error. */
export async function failure(p: Promise<unknown>): Promise<ProxyError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProxyError);
  return err as ProxyError;
}
