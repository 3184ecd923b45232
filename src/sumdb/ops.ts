/**
 * ClientOps is everything the sumdb client may do outside itself, the seam of
 * x/mod/sumdb/client.go's ClientOps: the client never touches network or disk.
 * The HTTP adapter (http.ts) and the state directory (store.ts) implement it;
 * tests use plain values.
 */
export interface ClientOps {
  /**
   * readRemote fetches `path` ("/lookup/M@V", "/tile/8/0/001", "/latest") from the
   * database. Not-found throws SumdbError NOT_FOUND; other failures UNAVAILABLE.
   */
  readRemote(path: string): Promise<Uint8Array>;
  /** readConfig returns the stored file (e.g. "NAME/latest"), or an empty array when there is none. */
  readConfig(file: string): Promise<Uint8Array>;
  /**
   * writeConfig replaces `file` with `data` only if it still holds `old`
   * (compare-and-swap); otherwise throws SumdbError STATE_CONFLICT and changes nothing.
   */
  writeConfig(file: string, old: Uint8Array, data: Uint8Array): Promise<void>;
  /** configPath says where a stored file is kept (a path on disk), for messages about it. */
  configPath(file: string): string;
  /** readCache returns a cached file, or undefined (also when older than maxAgeMs, if given). */
  readCache(file: string, maxAgeMs?: number): Promise<Uint8Array | undefined>;
  /** writeCache stores authenticated data; failures are ignored, the cache is best-effort. */
  writeCache(file: string, data: Uint8Array): Promise<void>;
}
