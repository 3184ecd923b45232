/**
 * Owner records: what a process writes into something it holds (a lock file, a temporary
 * folder) so that another process can later prove the holder dead, and so take over or
 * remove what it left, without ever taking it from a live one.
 *
 * A record is one line, e.g.
 *
 *   modguard-owner/1 pid=4242 start=123456 boot=8a9c…-… pidns=pid:[4026531836] host=ci-7 nonce=9f3a…
 *
 * pid and start (field 22 of /proc/PID/stat, the start time in clock ticks after boot)
 * name one process of one boot: a pid used again later has another start time. boot is
 * the kernel's boot id (/proc/sys/kernel/random/boot_id), pidns the pid namespace
 * (readlink /proc/self/ns/pid) in which pid means that process. The nonce makes every
 * record unique, so a holder knows its own.
 *
 * Only Linux's /proc gives all of these. Elsewhere (macOS, Windows) and in a record that
 * does not parse (an older modguard's lock, damage) nothing is provable: the verdict is
 * 'unknown' and callers keep their older rule (a lock's age).
 */
import { randomBytes } from 'node:crypto';
import { readFile, readlink } from 'node:fs/promises';
import { hostname, uptime } from 'node:os';

const TAG = 'modguard-owner/1';
/** A record is short; anything longer is not one (and is not read further). */
export const MAX_RECORD_BYTES = 512;

/** OwnerRecord is a parsed record; the fields a process could not learn are absent. */
export interface OwnerRecord {
  readonly pid: number;
  readonly start?: string;
  readonly boot?: string;
  readonly pidns?: string;
  readonly host?: string;
}

/** SelfFacts are this process's own: what a record is compared against. */
export interface SelfFacts {
  readonly pid: number;
  readonly start: string;
  readonly boot: string;
  readonly pidns: string;
  readonly host: string;
  /** when this kernel booted, by the wall clock (ms since the epoch) */
  readonly bootedAtMs: number;
}

/** ProcessState is what /proc tells of a pid: gone, or its start time and whether a zombie. */
export type ProcessState =
  | { readonly gone: true }
  | { readonly gone: false; readonly start?: string; readonly zombie?: boolean };

export type Verdict = 'dead' | 'alive' | 'unknown';

/** A record written before its kernel booted by this much is from an earlier boot. */
const BOOT_MARGIN_MS = 60_000;

// Field syntax: what /proc and the kernel give, nothing else.
const FIELDS: Record<keyof OwnerRecord, RegExp> = {
  pid: /^[1-9]\d{0,9}$/,
  start: /^\d{1,20}$/,
  boot: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  pidns: /^pid:\[\d{1,20}\]$/,
  host: /^[\w.!~*'()%-]{1,255}$/, // what encodeURIComponent leaves
};

/**
 * ownerRecord is this process's record, with a fresh nonce. Without /proc it holds the
 * pid and host only (no verdict other than 'unknown' can come of it).
 */
export async function ownerRecord(): Promise<string> {
  const self = await selfFacts();
  const fields: [string, string | undefined][] = [
    ['pid', String(process.pid)],
    ['start', self?.start],
    ['boot', self?.boot],
    ['pidns', self?.pidns],
    ['host', encodeURIComponent(hostname())],
    ['nonce', randomBytes(8).toString('hex')],
  ];
  const known = fields.filter((f): f is [string, string] => f[1] !== undefined);
  return `${TAG} ${known.map(([k, v]) => `${k}=${v}`).join(' ')}\n`;
}

/**
 * parseOwnerRecord reads a record, or returns undefined for anything else (an older lock's
 * `pid random`, garbage). The text comes from a file another process wrote (or anyone
 * who could write there): every field is checked against its syntax, and a field given
 * twice or wrongly spelled makes the whole record unreadable. Unknown keys are skipped.
 */
export function parseOwnerRecord(text: string): OwnerRecord | undefined {
  if (text.length > MAX_RECORD_BYTES || !text.endsWith('\n')) return undefined;
  const [tag, ...pairs] = text.slice(0, -1).split(' ');
  if (tag !== TAG) return undefined;
  const seen = new Map<string, string>();
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return undefined;
    const key = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    if (seen.has(key)) return undefined;
    seen.set(key, value);
    const syntax = FIELDS[key as keyof OwnerRecord] as RegExp | undefined;
    if (syntax !== undefined && !syntax.test(value)) return undefined;
  }
  const pid = seen.get('pid');
  if (pid === undefined) return undefined;
  const optional = (['start', 'boot', 'pidns', 'host'] as const).flatMap((k) => {
    const v = seen.get(k);
    return v === undefined ? [] : [[k, v] as const];
  });
  return { pid: Number(pid), ...Object.fromEntries(optional) };
}

/**
 * judgeOwner decides whether the owner of a record is provably dead, provably alive, or
 * neither, given this process's facts and a probe of a pid in this pid namespace.
 * `writtenMs` is when the record was written (its file's modification time).
 *
 * - Another boot id: this is another boot of this machine, or another machine sharing the
 *   file system (NFS, a CI cache volume) whose process may well be alive. Dead only when
 *   the record names this host and was written before this kernel booted.
 * - Another pid namespace (another container on this host; containers share the boot id):
 *   its pids mean nothing here, unknown.
 * - Same boot and namespace: dead when the pid is gone, is another process (another start
 *   time) or a zombie; alive when it is the same process; unknown when its start time
 *   cannot be read (/proc mounted with hidepid hides other users' processes).
 */
export async function judgeOwner(
  record: OwnerRecord,
  writtenMs: number,
  self: SelfFacts | undefined,
  probe: (pid: number) => Promise<ProcessState>,
): Promise<Verdict> {
  if (self === undefined || record.boot === undefined || record.start === undefined) {
    return 'unknown';
  }
  if (record.boot !== self.boot) {
    const earlierBoot = writtenMs < self.bootedAtMs - BOOT_MARGIN_MS;
    return record.host === self.host && earlierBoot ? 'dead' : 'unknown';
  }
  if (record.pidns === undefined || record.pidns !== self.pidns) return 'unknown';
  const state = await probe(record.pid);
  if (state.gone) return 'dead';
  if (state.start === undefined) return 'unknown';
  if (state.start !== record.start) return 'dead';
  return state.zombie === true ? 'dead' : 'alive';
}

/** ownerVerdict judges a record's text, written at `writtenMs`, on this machine. */
export async function ownerVerdict(text: string, writtenMs: number): Promise<Verdict> {
  const record = parseOwnerRecord(text);
  if (record === undefined) return 'unknown';
  return judgeOwner(record, writtenMs, await selfFacts(), probeProcess);
}

let facts: Promise<SelfFacts | undefined> | undefined;

/** selfFacts are this process's facts, read once; undefined without a usable /proc. */
export function selfFacts(): Promise<SelfFacts | undefined> {
  facts ??= readSelfFacts().catch(() => undefined);
  return facts;
}

async function readSelfFacts(): Promise<SelfFacts | undefined> {
  if (process.platform !== 'linux') return undefined;
  const [boot, pidns, stat] = await Promise.all([
    readFile('/proc/sys/kernel/random/boot_id', 'utf8'),
    readlink('/proc/self/ns/pid'),
    readFile('/proc/self/stat', 'utf8'),
  ]);
  const own = parseStat(stat);
  // /proc must be this pid namespace's: one mounted for another shows other pids.
  if (own === undefined || own.pid !== process.pid) return undefined;
  const self = {
    pid: process.pid,
    start: own.start,
    boot: boot.trim(),
    pidns,
    host: encodeURIComponent(hostname()),
    bootedAtMs: Date.now() - uptime() * 1000,
  };
  const valid = (['start', 'boot', 'pidns', 'host'] as const).every((k) => FIELDS[k].test(self[k]));
  return valid ? self : undefined;
}

/**
 * probeProcess asks whether `pid` is alive: signal 0 tells whether it exists (EPERM: it
 * does, another user's), /proc/PID/stat its start time and state. A stat that cannot be
 * read for a pid that exists (it just ended, or /proc hides it) is asked of the signal
 * again, never taken for death.
 */
async function probeProcess(pid: number): Promise<ProcessState> {
  if (!exists(pid)) return { gone: true };
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  const stat = text === undefined ? undefined : parseStat(text);
  if (stat === undefined || stat.pid !== pid) return exists(pid) ? { gone: false } : { gone: true };
  return { gone: false, start: stat.start, zombie: stat.state === 'Z' || stat.state === 'X' };
}

function exists(pid: number): boolean {
  // Never 0 or negative (signals to those reach process groups), nor beyond a pid_t.
  if (!Number.isInteger(pid) || pid < 1 || pid > 0x7fffffff) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * parseStat reads /proc/PID/stat (proc(5)): `pid (comm) state ppid …`, comm may hold
 * spaces and parentheses, so the fields after it are counted from the last `)`;
 * starttime is field 22.
 */
export function parseStat(text: string): { pid: number; state: string; start: string } | undefined {
  const open = text.indexOf(' (');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = text.slice(0, open);
  const rest = text
    .slice(close + 2)
    .trimEnd()
    .split(' ');
  const state = rest[0];
  const start = rest[22 - 3];
  if (!/^[1-9]\d*$/.test(pid) || state === undefined || start === undefined) return undefined;
  if (!/^[A-Za-z]$/.test(state) || !/^\d+$/.test(start)) return undefined;
  return { pid: Number(pid), state, start };
}
