/**
 * The go command's module environment, pure: where each setting came from and what it
 * means (GO-FACTS §3, §4; Go 1.19 cmd/go/internal/cfg/cfg.go:315–321). The adapter
 * src/toolchain/goenv.ts gathers the inputs (process env, GOENV file, `go env -json`).
 */
import { GoError, quote } from './errors.js';
import { type ProxyEntry, parseGoProxy } from './goproxy.js';
import { type SumdbConfig, parseGoSumdb } from './gosumdb.js';
import { matchPrefixPatterns } from './module.js';
import { fields, trimSpace } from './strings.js';

export { type ProxyEntry, parseGoProxy, redact } from './goproxy.js';
export { type SumdbConfig, SUM_GOLANG_ORG_KEY, parseGoSumdb, verifierKeyName } from './gosumdb.js';

/** EnvSource says where a setting's value came from, in the go command's precedence order. */
export type EnvSource = 'env' | 'GOENV file' | 'GOROOT/go.env' | 'go env -json' | 'default';

/** EnvValue is a setting's value and source; `via` names GOPRIVATE when GONOPROXY/GONOSUMDB fell back to it. */
export interface EnvValue {
  readonly value: string;
  readonly source: EnvSource;
  readonly via?: 'GOPRIVATE';
}

/** GoFlag is one GOFLAGS entry: `-name` or `-name=value` (base/goflags.go). */
export interface GoFlag {
  readonly name: string;
  readonly value?: string;
}

/** GoAuthEntry is one GOAUTH entry (Go ≥ 1.24 `go help goauth`). */
export type GoAuthEntry =
  | { readonly kind: 'off' }
  | { readonly kind: 'netrc' }
  | { readonly kind: 'git'; readonly dir: string }
  | { readonly kind: 'command'; readonly command: string };

/** GovcsRule is one GOVCS rule: a pattern ("private", "public" or a glob) and the allowed VCS names. */
export interface GovcsRule {
  readonly pattern: string;
  readonly allowed: readonly string[];
}

export const ENV_KEYS = [
  'GOPROXY',
  'GOSUMDB',
  'GOPRIVATE',
  'GONOPROXY',
  'GONOSUMDB',
  'GOINSECURE',
  'GOFLAGS',
  'GOAUTH',
  'GOVCS',
] as const;
export type EnvKey = (typeof ENV_KEYS)[number];

/** GoEnv is the resolved module environment: raw values with sources, and their parsed meaning. */
export interface GoEnv {
  readonly values: Readonly<Record<EnvKey, EnvValue>>;
  readonly proxy: readonly ProxyEntry[];
  readonly sumdb: SumdbConfig;
  readonly flags: readonly GoFlag[];
  /**
   * insecureFlag: GOFLAGS turns -insecure on (its last setting, not `=false`), which Go
   * 1.19's `go get` refuses and newer Go does not know ("unknown flag").
   */
  readonly insecureFlag: boolean;
  /** modFlag: the last -mod= value in GOFLAGS ("vendor" disables module lookups). */
  readonly modFlag?: string;
  readonly auth: readonly GoAuthEntry[];
  /** vcs: the GOVCS rules followed by the defaults private:all, public:git|hg (vcs.go defaultGOVCS). */
  readonly vcs: readonly GovcsRule[];
}

/** DEFAULTS are cfg.go's built-in values (GOAUTH per Go 1.24). */
const DEFAULTS: Readonly<Record<EnvKey, string>> = {
  GOPROXY: 'https://proxy.golang.org,direct',
  GOSUMDB: 'sum.golang.org',
  GOPRIVATE: '',
  GONOPROXY: '',
  GONOSUMDB: '',
  GOINSECURE: '',
  GOFLAGS: '',
  GOAUTH: 'netrc',
  GOVCS: '',
};

export interface GoEnvInputs {
  /** process is the process environment (e.g. process.env). */
  readonly process: Readonly<Record<string, string | undefined>>;
  /** goEnvFile is the text of the $GOENV file (`go env -w`), if it exists. */
  readonly goEnvFile?: string;
  /** goRootEnv is the text of $GOROOT/go.env (Go ≥ 1.21), if it exists. */
  readonly goRootEnv?: string;
  /** goEnvJson is the output of `go env -json`, already merged by the go command. */
  readonly goEnvJson?: Readonly<Record<string, string>>;
}

/**
 * parseEnvFile reads a GOENV or go.env file as cfg.go initEnvCache does: lines
 * `KEY=value`; a line without "=" or not starting with A–Z (comments) is ignored.
 */
export function parseEnvFile(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    const c = line[0] ?? '';
    if (i < 0 || c < 'A' || c > 'Z') continue;
    m.set(line.slice(0, i), line.slice(i + 1));
  }
  return m;
}

/**
 * resolveGoEnv applies the go command's precedence to every module setting: non-empty
 * process env, then the GOENV file, then $GOROOT/go.env, then what `go env -json`
 * reported, then the default. GONOPROXY and GONOSUMDB fall back to GOPRIVATE when
 * unset or empty. Every value is parsed; all problems are reported in one GoError
 * GOENV_SYNTAX (report everything, then fail once).
 */
export function resolveGoEnv(inputs: GoEnvInputs): GoEnv {
  const file = parseEnvFile(inputs.goEnvFile ?? '');
  const goroot = parseEnvFile(inputs.goRootEnv ?? '');
  const lookup = (key: EnvKey): EnvValue => {
    const fromProcess = inputs.process[key];
    if (fromProcess !== undefined && fromProcess !== '')
      return { value: fromProcess, source: 'env' };
    const fromFile = file.get(key);
    if (fromFile !== undefined && fromFile !== '') return { value: fromFile, source: 'GOENV file' };
    const fromRoot = goroot.get(key);
    if (fromRoot !== undefined && fromRoot !== '')
      return { value: fromRoot, source: 'GOROOT/go.env' };
    const fromJson = fromGoEnvJson(inputs.goEnvJson, key);
    if (fromJson !== undefined && fromJson !== '' && fromJson !== DEFAULTS[key])
      return { value: fromJson, source: 'go env -json' };
    return { value: DEFAULTS[key], source: 'default' };
  };
  const entries = ENV_KEYS.map((k) => [k, lookup(k)] as const);
  const values = Object.fromEntries(entries) as Record<EnvKey, EnvValue>;
  for (const k of ['GONOPROXY', 'GONOSUMDB'] as const) {
    if (values[k].value === '' && values.GOPRIVATE.value !== '')
      values[k] = { ...values.GOPRIVATE, via: 'GOPRIVATE' };
  }
  return parseAll(values);
}

/**
 * fromGoEnvJson reads one `go env -json` value. For GONOPROXY and GONOSUMDB the go
 * command prints its GOPRIVATE fallback; such a value is not a setting of its own.
 */
function fromGoEnvJson(json: GoEnvInputs['goEnvJson'], key: EnvKey): string | undefined {
  const value = json?.[key];
  if ((key === 'GONOPROXY' || key === 'GONOSUMDB') && value === json?.GOPRIVATE) return undefined;
  return value;
}

function parseAll(values: Record<EnvKey, EnvValue>): GoEnv {
  const problems: string[] = [];
  const attempt = <T>(key: EnvKey, parse: () => T, fallback: T): T => {
    try {
      return parse();
    } catch (err) {
      if (!(err instanceof GoError)) throw err;
      problems.push(`${key}=${quote(values[key].value)} (${values[key].source}): ${err.message}`);
      return fallback;
    }
  };
  const proxy = attempt(
    'GOPROXY',
    () => parseGoProxy(values.GOPROXY.value, values.GONOPROXY.value),
    [],
  );
  const sumdb = attempt('GOSUMDB', () => parseGoSumdb(values.GOSUMDB.value), {
    off: true,
  } as SumdbConfig);
  const flags = attempt('GOFLAGS', () => parseGoFlags(values.GOFLAGS.value), []);
  const auth = attempt('GOAUTH', () => parseGoAuth(values.GOAUTH.value), []);
  const vcs = attempt('GOVCS', () => parseGovcs(values.GOVCS.value), []);
  if (problems.length > 0) {
    throw new GoError('GOENV_SYNTAX', `invalid Go environment:\n${problems.join('\n')}`);
  }
  const modFlag = lastFlag(flags, 'mod')?.value;
  return {
    values,
    proxy,
    sumdb,
    flags,
    insecureFlag: isSetTrue(lastFlag(flags, 'insecure')),
    ...(modFlag !== undefined ? { modFlag } : {}),
    auth,
    vcs: [...vcs, ...DEFAULT_GOVCS],
  };
}

/** lastFlag is the GOFLAGS entry that sets flag `name` last: the one the flag package keeps. */
function lastFlag(flags: readonly GoFlag[], name: string): GoFlag | undefined {
  return flags.findLast((f) => f.name === name);
}

/**
 * isSetTrue reports whether a boolean flag is on: given without a value, or with one
 * strconv.ParseBool does not read as false. A value it cannot read at all (the go
 * command refuses it) counts as on: it was not turned off.
 */
function isSetTrue(flag: GoFlag | undefined): boolean {
  if (flag === undefined) return false;
  return !['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(flag.value ?? 'true');
}

/**
 * parseGoFlags splits GOFLAGS on spaces (base/goflags.go InitGOFLAGS): every entry
 * must be a flag, `-name` or `--name`, optionally `=value`. Whether the go command
 * knows the flag is not checked, except that callers can see -insecure.
 */
export function parseGoFlags(value: string): GoFlag[] {
  return fields(value).map((f) => {
    if (
      !f.startsWith('-') ||
      f === '-' ||
      f === '--' ||
      f.startsWith('---') ||
      f.startsWith('-=') ||
      f.startsWith('--=')
    ) {
      throw new GoError('GOENV_SYNTAX', `parsing $GOFLAGS: non-flag ${quote(f)}`);
    }
    const body = f.startsWith('--') ? f.slice(2) : f.slice(1);
    const eq = body.indexOf('=');
    return eq < 0 ? { name: body } : { name: body.slice(0, eq), value: body.slice(eq + 1) };
  });
}

/**
 * parseGoAuth parses GOAUTH (Go ≥ 1.24 cmd/go/internal/auth): ";"-separated commands,
 * each "off" (only alone), "netrc", "git <absolute dir>", or any other command line.
 */
export function parseGoAuth(value: string): GoAuthEntry[] {
  const parts = value.split(';');
  return parts.map((part): GoAuthEntry => {
    const words = fields(trimSpace(part));
    const [verb, dir] = words;
    if (verb === undefined)
      throw new GoError('GOENV_SYNTAX', `GOAUTH encountered an empty command (GOAUTH=${value})`);
    switch (verb) {
      case 'off':
        if (parts.length !== 1)
          throw new GoError(
            'GOENV_SYNTAX',
            `GOAUTH=off cannot be combined with other authentication commands (GOAUTH=${value})`,
          );
        return { kind: 'off' };
      case 'netrc':
        return { kind: 'netrc' };
      case 'git':
        if (words.length !== 2 || dir === undefined || !dir.startsWith('/')) {
          throw new GoError(
            'GOENV_SYNTAX',
            'GOAUTH=git dir method requires an absolute path to the git working directory',
          );
        }
        return { kind: 'git', dir };
      default:
        return { kind: 'command', command: trimSpace(part) };
    }
  });
}

/** DEFAULT_GOVCS is vcs.go defaultGOVCS, appended after the user's rules. */
export const DEFAULT_GOVCS: readonly GovcsRule[] = [
  { pattern: 'private', allowed: ['all'] },
  { pattern: 'public', allowed: ['git', 'hg'] },
];

/** parseGovcs parses GOVCS (vcs.go parseGOVCS): `pattern:vcs|vcs,...`, without the defaults. */
export function parseGovcs(value: string): GovcsRule[] {
  const s = trimSpace(value);
  if (s === '') return [];
  const have = new Map<string, string>();
  return s.split(',').map((raw) => {
    const item = trimSpace(raw);
    const fail = (why: string): never => {
      throw new GoError('GOENV_SYNTAX', why);
    };
    if (item === '') fail('empty entry in GOVCS');
    const i = item.indexOf(':');
    if (i < 0) fail(`malformed entry in GOVCS (missing colon): ${quote(item)}`);
    const pattern = trimSpace(item.slice(0, i));
    const list = trimSpace(item.slice(i + 1));
    if (pattern === '') fail(`empty pattern in GOVCS: ${quote(item)}`);
    if (list === '') fail(`empty VCS list in GOVCS: ${quote(item)}`);
    if (/^\.\.?(\/|$)/.test(pattern))
      fail(`relative pattern not allowed in GOVCS: ${quote(pattern)}`);
    const old = have.get(pattern);
    if (old !== undefined) fail(`unreachable pattern in GOVCS: ${quote(item)} after ${quote(old)}`);
    have.set(pattern, item);
    const allowed = list.split('|').map((a) => trimSpace(a));
    if (allowed.includes('')) fail(`empty VCS name in GOVCS: ${quote(item)}`);
    return { pattern, allowed };
  });
}

/** isPrivate reports whether GOPRIVATE matches modulePath (module.MatchPrefixPatterns). */
export function isPrivate(env: GoEnv, modulePath: string): boolean {
  return matchPrefixPatterns(env.values.GOPRIVATE.value, modulePath);
}

/** skipsSumdb reports whether the go command would not consult the checksum database (sumdb.go useSumDB). */
export function skipsSumdb(env: GoEnv, modulePath: string): boolean {
  return (
    env.values.GOSUMDB.value === 'off' ||
    matchPrefixPatterns(env.values.GONOSUMDB.value, modulePath)
  );
}

/** bypassesProxy reports whether GONOPROXY sends modulePath to the 'noproxy' (direct) path (repo.go lookup). */
export function bypassesProxy(env: GoEnv, modulePath: string): boolean {
  return matchPrefixPatterns(env.values.GONOPROXY.value, modulePath);
}

/** vcsAllowed reports whether GOVCS allows vcs for a repository root (vcs.go govcsConfig.allow). */
export function vcsAllowed(env: GoEnv, root: string, vcs: string): boolean {
  const privateRoot = isPrivate(env, root);
  for (const rule of env.vcs) {
    const match =
      rule.pattern === 'private'
        ? privateRoot
        : rule.pattern === 'public'
          ? !privateRoot
          : matchPrefixPatterns(rule.pattern, root);
    if (match) return rule.allowed.includes(vcs) || rule.allowed.includes('all');
  }
  return false;
}
