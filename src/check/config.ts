import type { EnvKey, GoEnv } from '../go/env.js';
import { matchPrefixPatterns } from '../go/module.js';
import { redactText, redactUrl } from '../proxy/redact.js';
import { makeFinding, type Finding } from './findings.js';

/** EnvFacts is what the config checks read of a resolved Go environment (src/go/env.ts). */
export type EnvFacts = Pick<GoEnv, 'values' | 'proxy' | 'sumdb' | 'insecureFlag'>;

/**
 * UrlSource is a URL some witness is read from, and where it was given: "GOPROXY",
 * "--proxy", `"sumdb" in --config team.json`… (the findings name it so).
 */
export interface UrlSource {
  readonly name: string;
  readonly url: string;
}

/**
 * checkConfig reports Go environment settings that weaken checking (GO-FACTS §4):
 * GOSUMDB=off (MG501); GONOSUMDB and GOPRIVATE disagreeing about a module in
 * `modules` (MG502, MG503); -insecure in GOFLAGS (MG504); GOINSECURE (MG505); and a
 * plain-http GOPROXY entry or GOSUMDB URL to a host other than loopback (MG506), and
 * so for the URLs of modguard's own witnesses in `own` (its proxies and checksum
 * database, which it reads whatever the Go environment says). `file` is where the
 * findings point (the checked go.mod), as the configuration has no line.
 */
export function checkConfig(
  env: EnvFacts,
  modules: readonly string[],
  file: string,
  own: readonly UrlSource[] = [],
): Finding[] {
  const findings: Finding[] = [];
  const said = (key: EnvKey): string =>
    `${key} is "${env.values[key].value}" (from ${env.values[key].source})`;
  if (env.sumdb.off === true) findings.push(makeFinding('MG501', { file }, `${said('GOSUMDB')}.`));
  findings.push(...checkPrivacy(env, modules, file));
  if (env.insecureFlag) findings.push(makeFinding('MG504', { file }, `${said('GOFLAGS')}.`));
  if (env.values.GOINSECURE.value !== '') {
    findings.push(makeFinding('MG505', { file }, `${said('GOINSECURE')}.`));
  }
  for (const { name, url } of plainHttpSources(env, own)) {
    const detail = `${name} uses ${url}, a plain-http URL to a host that is not loopback.`;
    findings.push(makeFinding('MG506', { file, witness: url }, detail));
  }
  return findings;
}

/**
 * checkPrivacy compares, module by module, what GONOSUMDB and GOPRIVATE cover.
 * GONOSUMDB falls back to GOPRIVATE when unset or empty (G/cfg/cfg.go, `go help
 * private`), so only an explicit GONOSUMDB can disagree; and it is read only while
 * GOSUMDB is on (G/modfetch/sumdb.go useSumDB): with GOSUMDB=off no module reaches
 * the database, which MG501 reports.
 */
function checkPrivacy(env: EnvFacts, modules: readonly string[], file: string): Finding[] {
  const noSumdbValue = env.values.GONOSUMDB;
  if (env.sumdb.off === true) return [];
  if (noSumdbValue.via === 'GOPRIVATE' || noSumdbValue.value === '') return [];
  const GONOSUMDB = noSumdbValue.value;
  const GOPRIVATE = env.values.GOPRIVATE.value;
  const findings: Finding[] = [];
  for (const module of new Set(modules)) {
    const noSumdb = matchPrefixPatterns(GONOSUMDB, module);
    const isPrivate = matchPrefixPatterns(GOPRIVATE, module);
    if (noSumdb && !isPrivate) {
      const detail = `GONOSUMDB "${GONOSUMDB}" matches ${module}; GOPRIVATE "${GOPRIVATE}" does not.`;
      findings.push(makeFinding('MG502', { module, file }, detail));
    } else if (isPrivate && !noSumdb) {
      const detail = `GOPRIVATE "${GOPRIVATE}" matches ${module}; GONOSUMDB "${GONOSUMDB}" does not.`;
      findings.push(makeFinding('MG503', { module, file }, detail));
    }
  }
  return findings;
}

/**
 * plainHttpSources lists the GOPROXY entries (as parseGoProxy resolved them), the
 * GOSUMDB URL and then the `own` URLs that use http:// to a host that is not loopback,
 * redacted.
 */
function plainHttpSources(env: EnvFacts, own: readonly UrlSource[]): UrlSource[] {
  const proxies = env.proxy.flatMap((p) =>
    p.url === undefined ? [] : [{ name: 'GOPROXY', url: p.url }],
  );
  const sumdbUrl = env.sumdb.off === true ? undefined : env.sumdb.url;
  const sumdb = sumdbUrl === undefined ? [] : [{ name: 'GOSUMDB', url: sumdbUrl }];
  return [...proxies, ...sumdb, ...own].flatMap(({ name, url }) => {
    const shown = plainHttpUrl(url);
    return shown === undefined ? [] : [{ name, url: shown }];
  });
}

/**
 * plainHttpUrl returns url, redacted (userinfo and query hidden, as every URL modguard
 * prints), when it is http:// to a non-loopback host. One that does not parse cannot be
 * shown to be loopback: it is reported, its userinfo and query hidden.
 */
function plainHttpUrl(url: string): string | undefined {
  if (!url.toLowerCase().startsWith('http://')) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return redactText(url).replace(/\?.*$/, '?xxxxx');
  }
  return isLoopback(parsed.hostname) ? undefined : redactUrl(parsed);
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
