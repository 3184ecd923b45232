import { errorMessage } from '../errors.js';
import { readFileIfExists, writeFileAtomic } from './atomic.js';

/** JournalEntry is one record: its value and when it was written (ms since the epoch). */
export interface JournalEntry<V> {
  readonly value: V;
  readonly at: number;
}

/** GARBLED marks a journal line that is not a record: not JSON, or without key and time. */
const GARBLED = Symbol('garbled');

/** MAX_ENTRIES bounds a journal: past it, the oldest records are dropped on flush. */
const MAX_ENTRIES = 200_000;

/**
 * Journal is one cache file of small records, read once and written once per run:
 * JSON lines `{"k": key, "at": ms, "v": value}`. A check records hundreds of facts
 * (verified lines, retractions, sumdb lookups); one file per fact cost a file creation
 * each (a temporary, a rename, often a directory), which measured seconds on a cold run
 * of 600 lines. Here `set` only buffers, and `flush` re-reads the file (keeping what
 * other processes wrote meanwhile), lays the new records over it, drops the oldest past
 * MAX_ENTRIES, and replaces the file atomically without fsync.
 *
 * The file is a cache, never trusted: a line that does not parse (told to onProblem),
 * or whose value `parse` refuses, is a miss; a crash loses at most this run's records; two processes
 * flushing at the same moment may each lose the other's newest records (re-checked next
 * time), never mix them.
 */
export class Journal<V> {
  private loaded: Promise<Map<string, JournalEntry<V>>> | undefined;
  private readonly pending = new Map<string, JournalEntry<V>>();
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    readonly file: string,
    private readonly parse: (value: unknown) => V | undefined,
    private readonly maxEntries = MAX_ENTRIES,
    /**
     * told when the file cannot be read (the journal then starts empty: all misses), or
     * holds lines that are not records (each a miss, dropped on the next flush)
     */
    private readonly onProblem: (message: string) => void = () => {},
  ) {}

  /** get returns the newest record under key: this run's, else the file's as first read. */
  async get(key: string): Promise<JournalEntry<V> | undefined> {
    const mine = this.pending.get(key);
    if (mine !== undefined) return mine;
    this.loaded ??= this.read();
    return (await this.loaded).get(key);
  }

  /** set records a value now (or at `at`); it reaches the file on flush. */
  set(key: string, value: V, at: number = Date.now()): void {
    this.pending.set(key, { value, at });
  }

  /** flush writes this run's records into the file; flushes run one at a time. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  private async write(): Promise<void> {
    if (this.pending.size === 0) return;
    const merged = await this.read();
    for (const [key, entry] of this.pending) merged.set(key, entry);
    const entries = [...merged].sort((a, b) => a[1].at - b[1].at).slice(-this.maxEntries);
    const text = entries
      .map(([k, e]) => `${JSON.stringify({ k, at: e.at, v: e.value })}\n`)
      .join('');
    await writeFileAtomic(this.file, new TextEncoder().encode(text), { durable: false });
    this.pending.clear();
    this.loaded = Promise.resolve(new Map(entries));
  }

  private async read(): Promise<Map<string, JournalEntry<V>>> {
    const out = new Map<string, JournalEntry<V>>();
    let bytes: Uint8Array | undefined;
    try {
      bytes = await readFileIfExists(this.file);
    } catch (err) {
      this.onProblem(errorMessage(err));
      return out;
    }
    if (bytes === undefined) return out;
    const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
    let garbled = 0;
    for (const line of text.split('\n')) {
      const record = this.parseLine(line);
      if (record === GARBLED) garbled++;
      else if (record !== undefined) out.set(record[0], record[1]);
    }
    // A value `parse` refuses is another format's (older, newer): a miss to say nothing
    // of. A line that is no record at all is damage (a torn write, a bad disk): told.
    if (garbled > 0) {
      const lines = garbled === 1 ? 'line that is not a record' : 'lines that are not records';
      this.onProblem(`${this.file}: ${garbled} ${lines} ignored`);
    }
    return out;
  }

  private parseLine(line: string): [string, JournalEntry<V>] | typeof GARBLED | undefined {
    if (line === '') return undefined;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      return GARBLED;
    }
    if (typeof raw !== 'object' || raw === null) return GARBLED;
    const { k, at, v } = raw as Record<string, unknown>;
    if (typeof k !== 'string' || typeof at !== 'number' || !Number.isFinite(at)) return GARBLED;
    const value = this.parse(v);
    return value === undefined ? undefined : [k, { value, at }];
  }
}
