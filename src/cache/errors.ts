import { ModguardError } from '../errors.js';

/**
 * CacheCode names how the local cache failed: `CACHE_DIR` no usable directory
 * (no HOME, no LocalAppData), `CACHE_IO` a read or write the OS refused.
 * A cache failure never decides a verdict: callers treat it as a cache miss.
 */
export type CacheCode = 'CACHE_DIR' | 'CACHE_IO';

/** CacheError is every error raised on purpose by src/cache; always kind 'unavailable'. */
export class CacheError extends ModguardError {
  declare readonly code: CacheCode;

  constructor(code: CacheCode, message: string, options?: { cause?: unknown }) {
    super(code, 'unavailable', message, options);
  }
}
