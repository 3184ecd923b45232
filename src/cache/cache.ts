import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { ModuleKind } from '../check/witness.js';
import { errorMessage } from '../errors.js';
import { sweepTemporaries } from './atomic.js';
import { defaultCacheDir } from './dirs.js';
import { Journal } from './journal.js';

/** LAYOUT is the cache format's directory; a new format gets a new name, never a rewrite. */
const LAYOUT = 'v1';

/** VerifiedLine is a go.sum line every witness agreed with: the fact the cache remembers. */
export interface VerifiedLine {
  readonly module: string;
  readonly version: string;
  readonly kind: ModuleKind;
  readonly h1: string;
}

/** RecordedEvidence is what one witness said (check/findings.ts Evidence), as JSON. */
export interface RecordedEvidence {
  readonly witness: string;
  readonly url: string;
  readonly h1: string | null;
  readonly error: string | null;
}

/**
 * RecordedNote is a finding the line was verified with (a notice: an unsigned tag),
 * without its place, which is the line's wherever it is when the record is used.
 */
export interface RecordedNote {
  readonly code: string;
  readonly witness: string | null;
  readonly detail: string;
  readonly evidence: readonly RecordedEvidence[];
}

/** VerifiedRecord is a VerifiedLine with the witnesses that agreed, its notes, and when. */
export interface VerifiedRecord extends VerifiedLine {
  /** the witnesses' identities (the server or key, not the name reports give it) */
  readonly witnesses: readonly string[];
  /** what the check found about the line besides (a record without it is a miss) */
  readonly notes: readonly RecordedNote[];
  /** ISO 8601 time of the check */
  readonly at: string;
}

/** sha256Hex is the lowercase hex SHA-256 of bytes or of a string's UTF-8. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Cache is modguard's local cache (ARCHITECTURE.md, cache/): facts that were verified,
 * each under a key derived from its content, kept in journals (journal.ts):
 *
 *   <dir>/v1/verified.jsonl      verified go.sum lines, checked field by field on read
 *   <dir>/v1/<name>.jsonl        other journals (retractions.ts)
 *
 * Records are buffered during a run and written by `flush`, one atomic replace per
 * journal. Only put what is already verified: the cache keeps facts, it does not make
 * them (a record that does not parse, or does not match what is asked, is a miss).
 */
export class Cache {
  private readonly journals = new Map<string, Journal<unknown>>();
  private readonly troubles: string[] = [];
  private readonly verifiedLines: Journal<VerifiedRecord>;

  private constructor(readonly dir: string) {
    this.verifiedLines = this.journal('verified', parseVerified);
  }

  /** open returns the cache at `dir`, default defaultCacheDir(); directories are made on write. */
  static open(dir: string = defaultCacheDir()): Cache {
    return new Cache(path.resolve(dir));
  }

  /** journal returns the journal `<dir>/v1/<name>.jsonl`, one instance per name; flush writes it. */
  journal<V>(name: string, parse: (value: unknown) => V | undefined): Journal<V> {
    if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`bad journal name ${name}`);
    let j = this.journals.get(name);
    if (j === undefined) {
      j = new Journal(path.join(this.dir, LAYOUT, `${name}.jsonl`), parse, undefined, (m) =>
        this.troubles.push(m),
      );
      this.journals.set(name, j);
    }
    return j as Journal<V>;
  }

  /**
   * flush writes every journal's new records (see Journal.flush). A journal that cannot
   * be written is a problem (see problems), not an error: the cache never decides a
   * verdict, and losing it must not lose the report.
   */
  async flush(): Promise<void> {
    for (const j of this.journals.values()) {
      await j.flush().catch((err: unknown) => this.troubles.push(errorMessage(err)));
    }
  }

  /** problems lists what the cache could not read or write this run, each once. */
  problems(): readonly string[] {
    return [...new Set(this.troubles)];
  }

  /**
   * sweep removes temporary files older than `maxAgeMs` (default one hour) that
   * writers killed mid-write left behind; it returns how many.
   */
  async sweep(maxAgeMs = 60 * 60 * 1000): Promise<number> {
    return sweepTemporaries(path.join(this.dir, LAYOUT), maxAgeMs);
  }

  /**
   * markVerified records that every witness agreed with a go.sum line. The record is
   * its own check (verified() compares every field with the line asked about), so a
   * lost or torn record is only re-checked.
   */
  markVerified(record: VerifiedRecord): void {
    const { module, version, kind, h1, witnesses, notes, at } = record;
    const value = { module, version, kind, h1, witnesses: [...witnesses], notes: [...notes], at };
    this.verifiedLines.set(verifiedKey(record), value);
  }

  /**
   * verified returns the record for exactly this (module, version, kind, h1), or
   * undefined: a line with another hash was never verified.
   */
  async verified(line: VerifiedLine): Promise<VerifiedRecord | undefined> {
    const entry = await this.verifiedLines.get(verifiedKey(line));
    const record = entry?.value;
    if (record === undefined) return undefined;
    const same =
      record.module === line.module &&
      record.version === line.version &&
      record.kind === line.kind &&
      record.h1 === line.h1;
    return same ? record : undefined;
  }
}

/** verifiedKey is the go.sum line itself: `module version[/go.mod] h1:…`. */
function verifiedKey(line: VerifiedLine): string {
  const version = line.kind === 'go.mod' ? `${line.version}/go.mod` : line.version;
  return `${line.module} ${version} ${line.h1}`;
}

function parseVerified(value: unknown): VerifiedRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Record<string, unknown>;
  const strings = ['module', 'version', 'h1', 'at'].every((k) => typeof r[k] === 'string');
  const kindOk = r['kind'] === 'zip' || r['kind'] === 'go.mod';
  const witnesses = r['witnesses'];
  const listOk = Array.isArray(witnesses) && witnesses.every((w) => typeof w === 'string');
  const notes = r['notes'];
  const notesOk = Array.isArray(notes) && notes.every(isNote);
  if (!strings || !kindOk || !listOk || !notesOk) return undefined;
  return value as VerifiedRecord;
}

function isNote(x: unknown): boolean {
  if (typeof x !== 'object' || x === null) return false;
  const n = x as Record<string, unknown>;
  const evidence = n['evidence'];
  return (
    typeof n['code'] === 'string' &&
    stringOrNull(n['witness']) &&
    typeof n['detail'] === 'string' &&
    Array.isArray(evidence) &&
    evidence.every(isEvidence)
  );
}

function isEvidence(x: unknown): boolean {
  if (typeof x !== 'object' || x === null) return false;
  const e = x as Record<string, unknown>;
  return (
    typeof e['witness'] === 'string' &&
    typeof e['url'] === 'string' &&
    stringOrNull(e['h1']) &&
    stringOrNull(e['error'])
  );
}

function stringOrNull(x: unknown): boolean {
  return x === null || typeof x === 'string';
}
