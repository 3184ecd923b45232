import { constants, createInflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * The part of a node:zlib engine's native handle that Node's own inflateRawSync drives
 * (lib/zlib.js processChunkSync, the same in Node 20 and 24): a synchronous write of
 * input into caller-given output, whose leftover counts land in the engine's
 * `_writeState` ([availOut, availIn]), and a reset between streams.
 */
interface ZlibHandle {
  writeSync(
    flush: number,
    input: Uint8Array,
    inOff: number,
    inLen: number,
    out: Uint8Array,
    outOff: number,
    outLen: number,
  ): void;
  reset(): void;
  onerror: (message: string, errno: number, code?: string) => void;
}

interface EngineParts {
  readonly close: () => void;
  readonly handle: ZlibHandle;
  readonly state: Uint32Array;
  /** the error zlib reported during the last write, if any */
  failure: Error | undefined;
}

/** ZlibFailure is a zlib error as inflateRawSync throws it: message, code and errno. */
function zlibFailure(message: string, errno: number, code: string | undefined): Error {
  return Object.assign(new Error(message), { errno, code: code ?? `Z_ERRNO_${errno}` });
}

/** MIN_SCRATCH: the smallest output buffer a reusing inflater keeps. */
const MIN_SCRATCH = 64 << 10;

/**
 * Inflater inflates whole raw-deflate streams (zip entries of known size) for the
 * thread it lives on. inflateRawSync builds a zlib engine and an output buffer per
 * call; for the thousands of small files a module is made of, that setup costs more than
 * the inflating (7–9 µs against 2–3 µs for a 3 KB file on this project's machines), and
 * on Node 24 each engine's native memory stays until the next garbage collection
 * (40,000 calls: +88 MiB RSS, against +9 MiB reusing one engine). So an Inflater keeps
 * one engine, reset between streams, and inflates into one output buffer of its own,
 * grown as needed: what it returns is valid until its next call, and must be used
 * (checked, hashed) before then, with nothing awaited in between.
 *
 * The engine is driven through the two internals inflateRawSync itself uses. When they
 * are not there, or a self-check at first use disagrees with inflateRawSync, the
 * Inflater uses inflateRawSync instead (and returns fresh buffers): same bytes, same
 * errors, only slower.
 *
 * Semantics are inflateRawSync's: a stream that ends early is an error ("unexpected end
 * of file"), input after the end of the deflate stream is ignored (as Go's flate reader
 * ignores it), and output stops one byte past `size`: a longer stream is a bomb, seen by
 * the caller as content of size + 1 bytes (inflateRawSync throws ERR_BUFFER_TOO_LARGE
 * instead, or, when its stream also breaks off later, may report that first: either way
 * the entry is refused).
 */
export class Inflater {
  private engine: EngineParts | undefined;
  private scratch: Buffer | undefined;

  /** reuse: false makes this inflater use inflateRawSync always (for tests). */
  constructor(private readonly reuse = true) {}

  /** reusing says whether this inflater reuses its engine (known after its first inflate). */
  get reusing(): boolean | undefined {
    return this.reuse ? engineChecked : false;
  }

  /**
   * inflate returns the content of a deflate stream whose declared size is `size`, at
   * most size + 1 bytes of it. It throws zlib's error for a corrupt or truncated stream.
   */
  inflate(raw: Uint8Array, size: number): Uint8Array {
    if (this.reuse && reusableEngine()) return this.inflateReusing(raw, size);
    return inflateRawSync(raw, {
      chunkSize: Math.max(64, size + 1),
      maxOutputLength: Math.max(1, size),
    });
  }

  /**
   * inflateInto is inflate into the caller's buffer `out` (at least size + 1 bytes),
   * returning the view of it that holds the content.
   */
  inflateInto(raw: Uint8Array, size: number, out: Uint8Array): Uint8Array {
    if (out.length < size + 1) throw new RangeError(`output of ${out.length} bytes for ${size}`);
    if (this.reuse && reusableEngine()) return this.inflateReusing(raw, size, out);
    const content = this.inflate(raw, size);
    const n = Math.min(content.length, size + 1);
    out.set(content.subarray(0, n));
    return out.subarray(0, n);
  }

  /** inflateReusing is inflate on this inflater's engine, into out (by default its own buffer). */
  inflateReusing(
    raw: Uint8Array,
    size: number,
    out: Uint8Array = this.output(size + 1),
  ): Uint8Array {
    const engine = (this.engine ??= openEngine());
    engine.handle.writeSync(constants.Z_FINISH, raw, 0, raw.length, out, 0, size + 1);
    const failure = engine.failure;
    if (failure !== undefined) {
      // zlib's state after an error is not worth trusting: the next stream gets a new engine.
      this.engine = undefined;
      engine.close();
      throw failure;
    }
    const written = size + 1 - (engine.state[0] ?? 0);
    engine.handle.reset();
    return out.subarray(0, written);
  }

  private output(n: number): Buffer {
    if (this.scratch === undefined || this.scratch.length < n) {
      this.scratch = Buffer.allocUnsafe(Math.max(n, MIN_SCRATCH));
    }
    return this.scratch;
  }
}

/**
 * StreamInflater inflates one deflate stream fed in pieces (a large entry read a chunk
 * at a time) on an engine of its own, into one output buffer it reuses: what `write`
 * yields is valid until the next piece is taken. Only where reusableEngine() holds.
 * Input after the end of the stream is ignored, as Go's flate reader ignores it; a
 * stream that has not ended when its last piece is written is an error ("unexpected end
 * of file"), as with inflateRawSync.
 */
export class StreamInflater {
  private readonly engine = openEngine();
  private readonly out: Buffer;
  private done = false;

  constructor(outBytes = 256 << 10) {
    this.out = Buffer.allocUnsafe(outBytes);
  }

  /** write inflates input, the last piece of the stream when `last`, yielding the output. */
  *write(input: Uint8Array, last: boolean): Generator<Uint8Array> {
    const { handle, state } = this.engine;
    const flush = last ? constants.Z_FINISH : constants.Z_NO_FLUSH;
    let at = 0;
    let full = false; // the last write filled the output: zlib may hold more of it
    while (!this.done && (at < input.length || last || full)) {
      const left = input.length - at;
      handle.writeSync(flush, input, at, left, this.out, 0, this.out.length);
      if (this.engine.failure !== undefined) throw this.engine.failure;
      const availOut = state[0] ?? 0;
      const availIn = state[1] ?? 0;
      at += left - availIn;
      const produced = this.out.length - availOut;
      if (produced > 0) yield this.out.subarray(0, produced);
      full = availOut === 0;
      if (full) continue;
      // zlib stopped with room to spare: the input is used up, or the stream has ended.
      if (at < input.length || last) this.done = true;
      break;
    }
  }

  /** ended says whether the deflate stream has ended (further input is ignored). */
  get ended(): boolean {
    return this.done;
  }

  close(): void {
    this.engine.close();
  }
}

let engineChecked: boolean | undefined;

/**
 * reusableEngine says whether a zlib engine can be driven here as inflateRawSync drives
 * it (checked once per thread): the internals are there and agree with inflateRawSync
 * on a stream, a bomb, a truncated stream and garbage.
 */
export function reusableEngine(): boolean {
  return (engineChecked ??= selfCheck());
}

function selfCheck(): boolean {
  try {
    const inflater = new Inflater();
    const text = Buffer.from('modguard inflates module zips '.repeat(40));
    const raw = deflateRawSync(text);
    const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;
    if (!same(inflater.inflateReusing(raw, text.length), text)) return false;
    const over = inflater.inflateReusing(raw, text.length - 10);
    if (!same(over, text.subarray(0, text.length - 9))) return false;
    for (const bad of [raw.subarray(0, raw.length - 3), Buffer.from([0xff, 0xff, 0xff])]) {
      try {
        inflater.inflateReusing(bad, text.length);
        return false;
      } catch (err) {
        if (typeof (err as { code?: unknown }).code !== 'string') return false;
      }
    }
    if (!same(inflater.inflateReusing(raw, text.length), text)) return false;
    const stream = new StreamInflater(64);
    try {
      const pieces: Uint8Array[] = [];
      const half = raw.length >> 1;
      for (const out of stream.write(raw.subarray(0, half), false)) pieces.push(Buffer.from(out));
      for (const out of stream.write(raw.subarray(half), true)) pieces.push(Buffer.from(out));
      return same(Buffer.concat(pieces), text);
    } finally {
      stream.close();
    }
  } catch {
    return false;
  }
}

/** openEngine is a zlib raw-inflate engine's native handle and write state. */
function openEngine(): EngineParts {
  const z = createInflateRaw();
  const parts = z as unknown as { _handle?: Partial<ZlibHandle>; _writeState?: unknown };
  const handle = parts._handle;
  const state = parts._writeState;
  if (
    typeof handle?.writeSync !== 'function' ||
    typeof handle.reset !== 'function' ||
    !(state instanceof Uint32Array) ||
    state.length !== 2
  ) {
    z.close();
    throw new Error('node:zlib engine internals are not as expected');
  }
  const engine: EngineParts = {
    close: () => z.close(),
    handle: handle as ZlibHandle,
    state,
    failure: undefined,
  };
  // Instead of the stream's handler, which destroys the stream: the error is thrown by inflate.
  engine.handle.onerror = (message, errno, code) => {
    engine.failure = zlibFailure(message, errno, code);
  };
  return engine;
}

/** threadInflater is this thread's inflater (each worker thread loads its own). */
export const threadInflater = new Inflater();
