import { readFile, stat } from 'node:fs/promises';
import { errorMessage, UsageError } from '../../errors.js';
import type { Severity } from '../../check/findings.js';
import { parseGoSumdb } from '../../go/gosumdb.js';
import { redactText, redactUrl, sourceLabel } from '../../proxy/redact.js';
import { proxyIdentity } from '../../proxy/wire.js';
import { parseCommandArgs } from '../args.js';
import { checkWritable, refuseInput } from './output.js';

/** DEFAULT_PROXIES are the two public proxies asked when none is given. */
export const DEFAULT_PROXIES = ['https://proxy.golang.org', 'https://goproxy.cn'] as const;

export type OutputFormat = 'text' | 'json' | 'sarif';

/** CheckOptions is `modguard check`'s command line and config file, validated. */
export interface CheckOptions {
  readonly dir: string;
  readonly recursive: boolean;
  readonly proxies: readonly string[];
  /** where proxies were given: "--proxy", or "--config FILE"; absent for the defaults */
  readonly proxiesFrom?: string;
  /** a GOSUMDB value overriding the environment's */
  readonly sumdb?: string;
  /** where sumdb was given: "--sumdb", or "--config FILE" */
  readonly sumdbFrom?: string;
  readonly direct: boolean;
  /** go-get discovery base for --direct (default https://<module path>) */
  readonly goGetBase?: string;
  readonly allowedSigners?: string;
  readonly format: OutputFormat;
  readonly output?: string;
  readonly failOn: Severity;
  readonly allowInconclusive: boolean;
  readonly cacheDir?: string;
  readonly noCache: boolean;
  readonly offline: boolean;
  readonly changedSince?: string;
  readonly concurrency: number;
  readonly timeoutMs: number;
}

/** CHECK_USAGE is `modguard check --help`: the synopsis, every flag, the exit statuses. */
export const CHECK_USAGE = `modguard check [flags]

Cross-verify every go.sum line against two GOPROXY servers, the checksum database and,
with --direct, the git tag; report findings.

  --dir DIR                module folder (default .), with its go.work workspace
                           (found as go does: GOWORK, or go.work here or above)
  --recursive              also every nested module below DIR
  --proxy [NAME=]URL       a proxy to ask; give it twice, for two servers (default
                           https://proxy.golang.org and https://goproxy.cn)
  --sumdb "KEY [URL]"|off  checksum database (default: GOSUMDB, as the go command has it)
  --direct                 also build each version from its git tag and verify the tag
    --go-get-base URL      where go-import discovery asks (default https://<module path>)
    --allowed-signers FILE ssh allowed-signers for tag signatures (gpg: GNUPGHOME)
  --format text|json|sarif report format (default text; json: docs/json-format.md)
  --output FILE            write the report to FILE (replaced atomically) instead of stdout
  --fail-on error|warning|notice
                           least severity that fails the check (default error)
  --allow-inconclusive     lines no witness could confirm do not fail the check
  --cache-dir DIR          cache of verified lines, sumdb tree head and tiles, retractions
                           (default: the user cache dir + /modguard)
  --no-cache               use no cache at all
  --offline                answer from the cache only; the rest is inconclusive
  --changed-since REF      deep-check only go.sum lines added or changed since git REF;
                           other lines not in the cache are skipped
  --concurrency N          lines checked at once (default 16)
  --timeout SECONDS        per witness request (default 300)
  --config FILE            JSON with "proxies", "sumdb", "failOn", "direct"; flags win

Exit status: 0 nothing at or above --fail-on (and nothing inconclusive, unless
--allow-inconclusive); 1 something was; 2 bad usage (including a --changed-since REF
that names no commit, or a DIR outside git with --changed-since) or an internal error.`;

const FLAGS = {
  dir: { type: 'string' },
  recursive: { type: 'boolean' },
  proxy: { type: 'string', multiple: true },
  sumdb: { type: 'string' },
  direct: { type: 'boolean' },
  'go-get-base': { type: 'string' },
  'allowed-signers': { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string' },
  'fail-on': { type: 'string' },
  'allow-inconclusive': { type: 'boolean' },
  'cache-dir': { type: 'string' },
  'no-cache': { type: 'boolean' },
  offline: { type: 'boolean' },
  'changed-since': { type: 'string' },
  concurrency: { type: 'string' },
  timeout: { type: 'string' },
  config: { type: 'string' },
} as const;

/** ConfigFile is the JSON a team may keep instead of flags; flags win over it. */
interface ConfigFile {
  proxies?: string[];
  sumdb?: string;
  failOn?: string;
  direct?: boolean;
}

/** parseCheckOptions reads the flags and the --config file; any bad value is a UsageError. */
export async function parseCheckOptions(args: string[]): Promise<CheckOptions> {
  const { values: v } = parseCommandArgs(args, FLAGS, { min: 0, max: 0 });
  const config = v.config === undefined ? {} : await readConfig(v.config);
  if (v['no-cache'] === true && v['cache-dir'] !== undefined) {
    throw new UsageError('--no-cache and --cache-dir exclude each other');
  }
  if (v['cache-dir'] === '') {
    // resolved, '' would be the current folder: most likely a variable that is not set
    throw new UsageError('--cache-dir needs a folder name');
  }
  if (v.offline === true && v['no-cache'] === true) {
    throw new UsageError('--offline answers from the cache: it cannot go with --no-cache');
  }
  // A value from the config file is refused naming the file and key, not a flag.
  const from = (flag: unknown, key: string) => (flag === undefined ? inConfig(v.config, key) : now);
  const proxies = v.proxy ?? config.proxies ?? [...DEFAULT_PROXIES];
  from(
    v.proxy,
    'proxies',
  )(() => {
    if (proxies.length === 0) throw new UsageError('at least one --proxy is needed');
    for (const p of proxies) checkProxyUrl(p);
    checkDistinctProxies(proxies);
  });
  const sumdb = v.sumdb ?? config.sumdb;
  if (sumdb !== undefined) from(v.sumdb, 'sumdb')(() => checkSumdb(sumdb));
  const failOn = from(
    v['fail-on'],
    'failOn',
  )(() =>
    oneOf('--fail-on', v['fail-on'] ?? config.failOn ?? 'error', [
      'error',
      'warning',
      'notice',
    ] as const),
  );
  if (v.output !== undefined) {
    await checkOutput(v.output, [v.config, v['allowed-signers']]);
  }
  return {
    dir: v.dir ?? '.',
    recursive: v.recursive === true,
    proxies,
    ...optional(
      'proxiesFrom',
      v.proxy !== undefined
        ? '--proxy'
        : config.proxies !== undefined
          ? `--config ${v.config ?? ''}`
          : undefined,
    ),
    ...optional('sumdb', sumdb),
    ...optional(
      'sumdbFrom',
      v.sumdb !== undefined
        ? '--sumdb'
        : sumdb !== undefined
          ? `--config ${v.config ?? ''}`
          : undefined,
    ),
    direct: v.direct === true || config.direct === true,
    ...optional('goGetBase', v['go-get-base']),
    ...optional('allowedSigners', v['allowed-signers']),
    format: oneOf('--format', v.format ?? 'text', ['text', 'json', 'sarif'] as const),
    ...optional('output', v.output),
    failOn,
    allowInconclusive: v['allow-inconclusive'] === true,
    ...optional('cacheDir', v['cache-dir']),
    noCache: v['no-cache'] === true,
    offline: v.offline === true,
    ...optional('changedSince', v['changed-since']),
    concurrency: positiveInt('--concurrency', v.concurrency ?? '16', 256),
    timeoutMs: positiveInt('--timeout', v.timeout ?? '300', 86_400) * 1000,
  };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  const hit = allowed.find((a) => a === value);
  if (hit === undefined)
    throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, not "${value}"`);
  return hit;
}

function positiveInt(flag: string, value: string, max: number): number {
  if (!/^[1-9][0-9]*$/.test(value) || Number(value) > max) {
    throw new UsageError(`${flag} takes a whole number from 1 to ${max}, not "${value}"`);
  }
  return Number(value);
}

/** NAMED_PROXY is `--proxy NAME=URL`: a short name (no ':' or '/') for reports, then the URL. */
const NAMED_PROXY = /^([A-Za-z][A-Za-z0-9 _.-]{0,39})=(.+)$/;

/**
 * splitProxyArg reads a --proxy value: `URL`, or `NAME=URL` to name the witness in
 * reports (e.g. "corp=https://goproxy.corp.example"). Without a name, the witness is
 * named by the URL's host and path (proxyName).
 */
export function splitProxyArg(arg: string): { name?: string; url: string } {
  const m = NAMED_PROXY.exec(arg);
  return m === null ? { url: arg } : { name: m[1] ?? '', url: m[2] ?? '' };
}

function checkProxyUrl(arg: string): void {
  const { url } = splitProxyArg(arg);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--proxy ${JSON.stringify(url)} is not a URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:' && parsed.protocol !== 'file:') {
    throw new UsageError(
      `--proxy ${JSON.stringify(url)}: only http, https and file URLs are proxies`,
    );
  }
}

/**
 * checkDistinctProxies refuses a proxy given twice, however spelled (proxyIdentity: the
 * URL its requests go to): one server counted as two witnesses would agree with itself.
 * It also refuses two proxies that would have one witness name (`http://h` and
 * `https://h`, or one NAME= given twice): reports, and the verified-line cache, tell
 * witnesses apart by name. The refusal names both spellings, without credentials.
 */
function checkDistinctProxies(args: readonly string[]): void {
  const seen = new Map<string, string>();
  const named = new Map<string, string>();
  const both = (first: string, arg: string) =>
    [first, arg].map((s) => `--proxy ${JSON.stringify(redactText(s))}`);
  for (const arg of args) {
    const spec = splitProxyArg(arg);
    const identity = proxyIdentity(spec.url);
    const first = seen.get(identity);
    if (first !== undefined) {
      const [a, b] = both(first, arg);
      throw new UsageError(
        `${a} and ${b} are the same proxy (${redactUrl(identity)}): one server is one witness`,
      );
    }
    seen.set(identity, arg);
    const name = proxyWitnessName(spec);
    const sameName = named.get(name);
    if (sameName !== undefined) {
      const [a, b] = both(sameName, arg);
      throw new UsageError(
        `${a} and ${b} would both be the witness ${JSON.stringify(name)}: name them apart with NAME=URL`,
      );
    }
    named.set(name, arg);
  }
}

/** proxyName names a proxy witness by its redacted host and path: "proxy.golang.org". */
export function proxyName(url: string): string {
  return sourceLabel(url).replace(/^[a-z]+:\/\//, '');
}

/** proxyWitnessName is a --proxy's witness name: the one it was given, else its host and path. */
export function proxyWitnessName(
  spec: { name?: string | undefined; url: string } | undefined,
): string {
  return spec?.name ?? proxyName(spec?.url ?? '');
}

/** checkOutput refuses, before any witness is asked, an --output that cannot be a report file. */
async function checkOutput(output: string, inputs: (string | undefined)[]): Promise<void> {
  if (output === '') throw new UsageError('--output needs a file name');
  const info = await stat(output).catch(() => undefined);
  if (info?.isDirectory() === true) {
    throw new UsageError(`--output ${JSON.stringify(output)} is a directory, not a file`);
  }
  await refuseInput(
    output,
    inputs.filter((f) => f !== undefined),
  );
  await checkWritable(output);
}

/** now runs a check as it is: for values given as flags. */
function now<T>(check: () => T): T {
  return check();
}

/**
 * inConfig runs a check on a value read from the --config file: a refusal names the
 * file and key ("--config team.json: "failOn": …"), not the flag the value stands for.
 */
function inConfig(file: string | undefined, key: string): <T>(check: () => T) => T {
  return (check) => {
    try {
      return check();
    } catch (err) {
      if (file === undefined || !(err instanceof UsageError)) throw err;
      throw new UsageError(`--config ${file}: "${key}": ${err.message}`);
    }
  };
}

/** checkSumdb refuses a --sumdb value the go command would refuse as GOSUMDB (src/go/gosumdb.ts). */
function checkSumdb(value: string): void {
  try {
    parseGoSumdb(value);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new UsageError(`--sumdb ${JSON.stringify(value)}: ${why}`);
  }
}

async function readConfig(file: string): Promise<ConfigFile> {
  let value: unknown;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--config ${file}: ${errorMessage(err)}`);
  }
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(
      `--config ${file}${jsonErrorPlace(text, errorMessage(err))}: ${errorMessage(err)}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`--config ${file}: expected a JSON object`);
  }
  const known = new Set(['proxies', 'sumdb', 'failOn', 'direct']);
  for (const key of Object.keys(value)) {
    if (!known.has(key)) throw new UsageError(`--config ${file}: unknown key "${key}"`);
  }
  const c = value as Record<string, unknown>;
  const strings = (x: unknown) => Array.isArray(x) && x.every((s) => typeof s === 'string');
  if (c.proxies !== undefined && !strings(c.proxies))
    throw new UsageError(`--config ${file}: "proxies" must be a list of URLs`);
  if (c.sumdb !== undefined && typeof c.sumdb !== 'string')
    throw new UsageError(`--config ${file}: "sumdb" must be a string`);
  if (c.failOn !== undefined && typeof c.failOn !== 'string')
    throw new UsageError(`--config ${file}: "failOn" must be a string`);
  if (c.direct !== undefined && typeof c.direct !== 'boolean')
    throw new UsageError(`--config ${file}: "direct" must be true or false`);
  return c as ConfigFile;
}

/** jsonErrorPlace is ":LINE:COLUMN" for a JSON.parse message that gives a position. */
function jsonErrorPlace(text: string, message: string): string {
  const at = /at position (\d+)/.exec(message);
  if (at === null) return '';
  const before = text.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `:${line}:${column}`;
}
