import { sha256Hex, type Cache } from '../../cache/cache.js';
import { CATALOGUE } from '../../check/codes.js';
import type { VerifiedNote, VerifiedStore } from '../../check/engine.js';
import type { SumdbConfig } from '../../go/gosumdb.js';
import { UsageError } from '../../errors.js';
import { redactText } from '../../proxy/redact.js';
import { proxyIdentity } from '../../proxy/wire.js';
import { GIT_WITNESS } from '../../vcs/witness.js';
import { proxyWitnessName, splitProxyArg, type CheckOptions } from './options.js';

/**
 * WitnessIdentities maps each witness name of one configuration to what the witness is:
 * the name is what reports call it (`--proxy corp=URL` names any URL "corp"; a checksum
 * database is named by its key's name, whatever the key), the identity is what answered.
 */
export type WitnessIdentities = ReadonlyMap<string, string>;

/**
 * witnessIdentities is each witness's identity in the verified-line cache: a proxy is
 * the URL its requests go to (proxyIdentity, hashed: a query may hold a token), the
 * checksum database its verifier key (the URL only carries what the key proves), the
 * git witness where it discovers repositories and whose signatures it trusts. A proxy
 * named as another witness is refused (UsageError): reports and records could not
 * tell the two apart.
 */
export function witnessIdentities(
  options: CheckOptions,
  sumdb: SumdbConfig,
  processEnv: NodeJS.ProcessEnv,
): WitnessIdentities {
  const ids = new Map<string, string>();
  const proxyArgs = new Map<string, string>();
  for (const arg of options.proxies) {
    const spec = splitProxyArg(arg);
    ids.set(proxyWitnessName(spec), proxyWitnessIdentity(spec.url));
    proxyArgs.set(proxyWitnessName(spec), arg);
  }
  const add = (name: string, identity: string, what: string) => {
    const arg = proxyArgs.get(name);
    if (arg !== undefined) {
      const quoted = JSON.stringify(redactText(arg));
      throw new UsageError(
        `--proxy ${quoted} would be named as the ${what} is (${JSON.stringify(name)}): name it apart with NAME=URL`,
      );
    }
    ids.set(name, identity);
  };
  if (sumdb.off !== true) add(sumdb.name, `sumdb ${sumdb.key}`, 'checksum database');
  if (options.direct) {
    const git = {
      goGetBase: options.goGetBase ?? null,
      allowedSigners: options.allowedSigners ?? null,
      gnupgHome: processEnv['GNUPGHOME'] ?? null,
    };
    add(GIT_WITNESS, `git ${sha256Hex(JSON.stringify(git))}`, 'git tag witness');
  }
  return ids;
}

/**
 * proxyWitnessIdentity is what a proxy is in the cache, whatever it is named: the URL
 * its requests go to (proxyIdentity), hashed, as a query may hold a token. Verified
 * lines list their proxies by it; retractions are kept under the proxy they came from.
 */
export function proxyWitnessIdentity(url: string): string {
  return `proxy ${sha256Hex(proxyIdentity(url))}`;
}

/**
 * verifiedStore keeps "every witness agreed" records in the cache, keyed by the exact
 * line and listing the witnesses by identity, so that a record counts only for a run
 * whose witnesses are the same servers and keys. A witness without an identity is
 * never vouched for, and never recorded. The notes the line was verified with are kept
 * with it, so that a run the cache answers reports what a run that asks would.
 */
export function verifiedStore(cache: Cache, identities: WitnessIdentities): VerifiedStore {
  const idsOf = (witnesses: readonly string[]): string[] | undefined => {
    const ids = witnesses.map((w) => identities.get(w));
    return ids.every((id) => id !== undefined) ? (ids as string[]) : undefined;
  };
  return {
    verified: async (line, witnesses) => {
      const ids = idsOf(witnesses);
      if (ids === undefined || ids.length === 0) return undefined; // no witness vouches for nothing
      const record = await cache.verified(line);
      if (record === undefined || !ids.every((id) => record.witnesses.includes(id))) {
        return undefined;
      }
      // A note this version of modguard has no code for (a newer one wrote it) is a miss.
      const notes = record.notes.filter((n): n is VerifiedNote => Object.hasOwn(CATALOGUE, n.code));
      return notes.length === record.notes.length ? notes : undefined;
    },
    markVerified: async (line, witnesses, notes) => {
      const ids = idsOf(witnesses);
      if (ids === undefined || ids.length === 0) return;
      cache.markVerified({ ...line, witnesses: ids, notes, at: new Date().toISOString() });
    },
  };
}
