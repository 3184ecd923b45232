/** The largest delay kept as a small integer (V8's Smi range with pointer compression). */
const MAX_SMALL_MS = 2 ** 30 - 1;

/**
 * timerMs is a delay for setTimeout in whole milliseconds, rounded up (a timer never
 * fires early) and held as a small integer. Node keeps every timer's delay in one field
 * of its Timeout objects: a single delay held as a heap number, a fraction or a whole
 * number computed from Date.now() (2000.0), changes that field's representation for the
 * whole process, and V8 discards the optimized code of every function that touches
 * timers. In a cold `modguard check` that was 35 functions, undici's parser among them,
 * compiled again on the 2 cores the downloads need.
 */
export function timerMs(ms: number): number {
  return Math.min(Math.max(Math.ceil(ms), 1), MAX_SMALL_MS) | 0;
}
