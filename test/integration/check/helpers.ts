import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { expect } from 'vitest';
import type { Finding, FindingCode } from '../../../src/check/findings.js';
import type { Report } from '../../../src/check/summary.js';
import { parseCheckOptions } from '../../../src/cli/check/options.js';
import { proxyName } from '../../../src/cli/check/options.js';
import { checkAndReport } from '../../../src/cli/commands/check.js';
import type { CliIO } from '../../../src/cli/io.js';
import { resolveGoEnv } from '../../../src/go/env.js';
import type { World, WorldVersion } from '../../../src/testing/world/index.js';

/** Project is what one check reads: go.sum (and go.mod) text. */
export interface Project {
  readonly goSum: string;
  readonly goMod?: string;
}

/** RunOptions tune one `modguard check` run against a world. */
export interface RunOptions {
  /** extra command-line flags */
  readonly args?: readonly string[];
  /** the Go environment (process part); default: the world's GOSUMDB and GOPRIVATE, GOPROXY=off */
  readonly process?: Record<string, string>;
  /** add --direct with the world's git server and trust (GNUPGHOME, allowed signers) */
  readonly direct?: boolean | { gnupgHome?: string; allowedSigners?: string | null };
  /** default --no-cache; give a directory to keep state between runs */
  readonly cacheDir?: string;
  /** --timeout in seconds; default 2 */
  readonly timeout?: number;
}

/** Outcome is the report, the exit status and the JSON the command printed. */
export interface Outcome {
  readonly report: Report;
  readonly status: number;
  readonly stdout: string;
}

/** names gives the witness names modguard shows for the world's servers. */
export function names(world: World) {
  return {
    A: proxyName(world.proxyA.url),
    B: proxyName(world.proxyB.url),
    sumdb: world.sumdb.name,
    git: 'git tag',
  };
}

/** sumLines are the two honest go.sum lines of a world version (zip first, then go.mod). */
export function sumLines(v: WorldVersion, zipHash = v.zipHash, modHash = v.modHash): string {
  return `${v.path} ${v.version} ${zipHash}\n${v.path} ${v.version}/go.mod ${modHash}\n`;
}

/** defaultProcess is the environment demo.ts uses: the world's sumdb, its private modules, no GOPROXY. */
export function defaultProcess(world: World): Record<string, string> {
  const env = world.goEnv();
  return { GOSUMDB: env.GOSUMDB ?? '', GOPRIVATE: env.GOPRIVATE ?? '', GOPROXY: 'off' };
}

/**
 * runCheckOn writes the project to a temporary directory and runs `modguard check
 * --format json` on it with both world proxies, as `modguard demo` does.
 */
export async function runCheckOn(
  world: World,
  project: Project,
  options: RunOptions = {},
): Promise<Outcome> {
  const dir = await mkdtemp(join(tmpdir(), 'modguard-check-'));
  try {
    await writeFile(join(dir, 'go.sum'), project.goSum);
    if (project.goMod !== undefined) await writeFile(join(dir, 'go.mod'), project.goMod);
    const args = [
      ...['--dir', dir, '--proxy', world.proxyA.url, '--proxy', world.proxyB.url],
      ...['--format', 'json', '--timeout', String(options.timeout ?? 2)],
      ...(options.cacheDir === undefined ? ['--no-cache'] : ['--cache-dir', options.cacheDir]),
      ...directArgs(world, options),
      ...(options.args ?? []),
    ];
    const io = captureIO(directEnv(world, options));
    const parsed = await parseCheckOptions(args);
    const env = resolveGoEnv({ process: options.process ?? defaultProcess(world) });
    const { report, status } = await checkAndReport(parsed, env, io.io);
    return { report, status, stdout: io.stdout() };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function directArgs(world: World, options: RunOptions): string[] {
  if (options.direct === undefined || options.direct === false) return [];
  const git = world.git;
  const keys = world.keys;
  if (git === undefined || keys === undefined) throw new Error('this world has no git');
  const trust = options.direct === true ? {} : options.direct;
  const signers =
    trust.allowedSigners === undefined ? keys.ssh.allowedSignersPath : trust.allowedSigners;
  return [
    ...['--direct', '--go-get-base', git.url],
    ...(signers === null ? [] : ['--allowed-signers', signers]),
  ];
}

function directEnv(world: World, options: RunOptions): NodeJS.ProcessEnv {
  if (options.direct === undefined || options.direct === false) return {};
  const trust = options.direct === true ? {} : options.direct;
  return { GNUPGHOME: trust.gnupgHome ?? world.keys?.gpg.gnupgHome ?? '' };
}

function captureIO(env: NodeJS.ProcessEnv): { io: CliIO; stdout: () => string } {
  const chunks: string[] = [];
  const sink = (into: string[] | undefined) =>
    new Writable({
      write(chunk: Buffer | string, _enc, done) {
        into?.push(chunk.toString());
        done();
      },
    });
  const io: CliIO = { stdout: sink(chunks), stderr: sink(undefined), env };
  return { io, stdout: () => chunks.join('') };
}

/** only returns the findings with `code`, failing the test when there are none. */
export function only(report: Report, code: FindingCode): [Finding, ...Finding[]] {
  const found = report.findings.filter((f) => f.code === code);
  const [first, ...rest] = found;
  if (first === undefined) {
    expect.fail(`no ${code} in ${JSON.stringify(report.findings, null, 1)}`);
  }
  return [first, ...rest];
}

/** codes lists the report's finding codes, sorted, each once. */
export function codes(report: Report): string[] {
  return [...new Set(report.findings.map((f) => f.code))].sort();
}

/** row finds a witness's evidence row in a finding. */
export function row(f: Finding, witness: string) {
  const r = f.evidence.find((e) => e.witness === witness);
  expect(r, `no evidence from ${witness} in ${JSON.stringify(f.evidence)}`).toBeDefined();
  return r ?? { witness, url: '', h1: null, error: null };
}

/**
 * askedUrl is the URL a proxy at base was asked for the finding's line (the world's
 * module paths are lower case: their escaped form is themselves).
 */
export function askedUrl(base: string, f: Pick<Finding, 'module' | 'version' | 'kind'>): string {
  return `${base}/${f.module}/@v/${f.version}.${f.kind === 'zip' ? 'zip' : 'mod'}`;
}

/** lookupUrl is the sumdb lookup URL asked for the finding's module version. */
export function lookupUrl(world: World, f: Pick<Finding, 'module' | 'version'>): string {
  return `${world.sumdb.url}/lookup/${f.module}@${f.version}`;
}

/** Hashes is what go.sum (at a line) and each core witness said in an MG1xx evidence table. */
export interface Hashes {
  readonly line: number;
  readonly goSum: string;
  readonly A: string;
  readonly B: string;
  readonly sumdb: string;
}

/**
 * expectTable asserts a finding's whole evidence table: go.sum's row (file:line and
 * hash), then proxy A, proxy B and the sumdb, each with its URL and hash and no error.
 */
export function expectTable(world: World, f: Finding, h: Hashes): void {
  const W = names(world);
  const sorted = [...f.evidence].sort((a, b) => (a.witness < b.witness ? -1 : 1));
  const want = [
    { witness: 'go.sum', url: `go.sum:${h.line}`, h1: h.goSum, error: null },
    { witness: W.A, url: askedUrl(world.proxyA.url, f), h1: h.A, error: null },
    { witness: W.B, url: askedUrl(world.proxyB.url, f), h1: h.B, error: null },
    { witness: W.sumdb, url: lookupUrl(world, f), h1: h.sumdb, error: null },
  ].sort((a, b) => (a.witness < b.witness ? -1 : 1));
  expect(sorted).toEqual(want);
}
