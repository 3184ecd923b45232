/**
 * SumdbHandler serves a checksum database over HTTP the way x/mod/sumdb/server.go does:
 * `/latest`, `/lookup/<epath>@<evers>`, `/tile/H/L/N[.p/W]` and `/tile/H/data/N[.p/W]`
 * (plus `/supported`, for mounting under a proxy's `/sumdb/NAME/`). Fault knobs make it
 * lie in the ways a real attacker or a broken mirror could.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { unescapePath, unescapeVersion } from '../go/module.js';
import { formatRecord, formatTree } from '../sumdb/tlog-note.js';
import { parseSignerKey, signNote, type Signer } from '../sumdb/note.js';
import { parseTilePath } from '../sumdb/tlog-tile.js';
import type { SumdbLog } from './sumdb-log.js';

/** SumdbView is what one request sees: a log and how much of it (a rolled-back view shows less). */
export interface SumdbView {
  readonly log: SumdbLog;
  readonly size?: number;
  /** tiles: serve tiles from this log instead (a server that rewrote history but kept old tiles). */
  readonly tiles?: SumdbLog;
}

type View = { log: SumdbLog; size: number; tiles: SumdbLog; tileSize: number };

/** SumdbFaults are the ways the server can misbehave; each may be changed between requests. */
export interface SumdbFaults {
  /** badSignature: sign with the right key id but a corrupted signature. */
  badSignature?: boolean;
  /** wrongKey: sign with this other signer key instead. */
  wrongKey?: string;
  /** view: choose the log a request sees (fork: two different logs to two clients; rollback: smaller size). */
  view?: (req: IncomingMessage) => SumdbView | undefined;
  /** records: "path@version" → record text to serve instead of the logged one (with the logged id). */
  records?: Map<string, string>;
  /** recordId: write a lookup's record id line this way instead of canonical decimal. */
  recordId?: (id: number) => string;
  /** missingTile: tiles whose path matches answer 404. */
  missingTile?: (tilePath: string) => boolean;
  /** truncatedTile: tiles whose path matches lose their last 7 bytes. */
  truncatedTile?: (tilePath: string) => boolean;
  /** corruptTile: tiles whose path matches have one bit flipped. */
  corruptTile?: (tilePath: string) => boolean;
  /** rewriteTile: replace a tile's bytes (e.g. plant a forged record's leaf hash). */
  rewriteTile?: (tilePath: string, data: Uint8Array) => Uint8Array;
  /** slowMs: delay every answer this long. */
  slowMs?: number;
}

/** SumdbState is a served database: its log, signer, lookup index and faults. */
export class SumdbState {
  readonly signer: Signer;
  readonly faults: SumdbFaults = {};
  readonly requests: string[] = [];
  private readonly index = new Map<string, number>();
  private readonly notes = new Map<string, string>();

  constructor(
    readonly log: SumdbLog,
    signerKey: string,
  ) {
    this.signer = parseSignerKey(signerKey);
    for (let id = 0; id < log.size; id++) this.indexRecord(id);
  }

  /** add appends a record (go.sum lines of one module version) and returns its id. */
  add(text: string): number {
    const id = this.log.append(text);
    this.indexRecord(id);
    return id;
  }

  /** lookupId returns the id of path@version, if logged. */
  lookupId(path: string, version: string): number | undefined {
    return this.index.get(`${path}@${version}`);
  }

  /** modules lists every logged module version as [path, version, id]. */
  modules(): [string, string, number][] {
    return [...this.index].map(([key, id]) => {
      const at = key.lastIndexOf('@');
      return [key.slice(0, at), key.slice(at + 1), id];
    });
  }

  /** signedTree returns the signed tree note for the view (cached per log and size). */
  async signedTree(view: { log: SumdbLog; size: number }): Promise<string> {
    const key = `${logId(view.log)}/${view.size}`;
    let note = this.notes.get(key);
    if (note === undefined) {
      const text = formatTree({ n: view.size, hash: await view.log.treeHash(view.size) });
      note = signNote(text, [this.signer]);
      this.notes.set(key, note);
    }
    return this.applySignatureFaults(note);
  }

  private applySignatureFaults(note: string): string {
    const f = this.faults;
    if (f.wrongKey !== undefined) {
      return signNote(note.slice(0, note.lastIndexOf('\n\n') + 1), [parseSignerKey(f.wrongKey)]);
    }
    if (f.badSignature === true) {
      const at = note.length - 10;
      const c = note[at] === 'A' ? 'B' : 'A';
      return note.slice(0, at) + c + note.slice(at + 1);
    }
    return note;
  }

  private indexRecord(id: number): void {
    const text = Buffer.from(this.log.record(id) ?? []).toString('utf8');
    const [path, version] = (text.split('\n')[0] ?? '').split(' ');
    if (path !== undefined && version !== undefined) this.index.set(`${path}@${version}`, id);
  }
}

const logIds = new WeakMap<SumdbLog, number>();
let nextLogId = 0;
function logId(log: SumdbLog): number {
  let id = logIds.get(log);
  if (id === undefined) {
    id = nextLogId++;
    logIds.set(log, id);
  }
  return id;
}

/** handleSumdb answers one request; `path` is relative to the database root (e.g. "/latest"). */
export async function handleSumdb(
  state: SumdbState,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  state.requests.push(path);
  const slow = state.faults.slowMs ?? 0;
  if (slow > 0) await new Promise((r) => setTimeout(r, slow));
  const picked = state.faults.view?.(req) ?? { log: state.log };
  const size = picked.size ?? picked.log.size;
  const tiles = picked.tiles ?? picked.log;
  const view: View = { log: picked.log, size, tiles, tileSize: picked.tiles ? tiles.size : size };
  if (path === '/supported') return send(res, 200, '');
  if (path === '/latest') return send(res, 200, await state.signedTree(view));
  if (path.startsWith('/lookup/')) return lookup(state, view, res, path.slice('/lookup/'.length));
  if (path.startsWith('/tile/')) return tile(state, view, res, path.slice(1));
  send(res, 404, 'not found\n');
}

async function lookup(
  state: SumdbState,
  view: View,
  res: ServerResponse,
  mod: string,
): Promise<void> {
  const at = mod.indexOf('@');
  let path: string;
  let version: string;
  try {
    path = unescapePath(mod.slice(0, at));
    version = unescapeVersion(mod.slice(at + 1));
  } catch {
    return send(res, 400, 'invalid module@version syntax\n');
  }
  const id = at < 0 ? undefined : state.lookupId(path, version);
  if (id === undefined || id >= view.size) return send(res, 404, `not found: ${path}@${version}\n`);
  const override = state.faults.records?.get(`${path}@${version}`);
  const text =
    override !== undefined ? Buffer.from(override) : (view.log.record(id) ?? new Uint8Array());
  const idLine = state.faults.recordId?.(id);
  const record = formatRecord(id, text);
  const framed =
    idLine === undefined
      ? record
      : Buffer.concat([Buffer.from(`${idLine}\n`), record.subarray(record.indexOf(0x0a) + 1)]);
  const body = Buffer.concat([framed, Buffer.from(await state.signedTree(view))]);
  send(res, 200, body);
}

function tile(state: SumdbState, view: View, res: ServerResponse, path: string): void {
  let t;
  try {
    t = parseTilePath(path);
  } catch {
    return send(res, 400, 'invalid tile syntax\n');
  }
  const f = state.faults;
  const last = (t.n * 2 ** t.h + t.w) * 2 ** (t.h * Math.max(t.l, 0));
  if (f.missingTile?.(path) === true || last > view.tileSize)
    return send(res, 404, 'tile not found\n');
  let data = t.l === -1 ? view.tiles.dataTile(t) : view.tiles.hashTile(t);
  if (data === undefined) return send(res, 404, 'tile not found\n');
  if (f.truncatedTile?.(path) === true) data = data.subarray(0, Math.max(0, data.length - 7));
  if (f.corruptTile?.(path) === true) {
    data = Uint8Array.from(data);
    data[0] = (data[0] ?? 0) ^ 1;
  }
  if (f.rewriteTile !== undefined) data = f.rewriteTile(path, data);
  send(res, 200, data, 'application/octet-stream');
}

function send(
  res: ServerResponse,
  status: number,
  body: string | Uint8Array,
  type = 'text/plain; charset=UTF-8',
): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
