import { execa } from 'execa';
import type { TagSignature } from '../check/witness.js';

/** TagTrust is what `git verify-tag` trusts: a GNUPGHOME and an SSH allowed-signers file. */
export interface TagTrust {
  readonly gnupgHome?: string;
  readonly allowedSignersFile?: string;
}

const SIGNATURE_HEADERS = ['-----BEGIN PGP SIGNATURE-----', '-----BEGIN SSH SIGNATURE-----'];

/**
 * tagSignature judges a tag's signature with git: a lightweight tag or an annotated
 * tag without a signature block is 'absent'; otherwise `git verify-tag --raw` decides:
 * 'valid' when it exits 0, 'invalid' when the signature does not match the tag
 * (gpg BADSIG, ssh "incorrect signature"), and 'unverified' when the signer's key is
 * not trusted here (no public key, no allowed signer).
 */
export async function tagSignature(
  gitDir: string,
  tag: string,
  trust: TagTrust = {},
): Promise<TagSignature> {
  const ref = `refs/tags/${tag}`;
  const type = await git(gitDir, ['cat-file', '-t', '--end-of-options', ref], trust);
  if (type.exitCode !== 0) return 'absent';
  if (type.stdout.trim() !== 'tag') return 'absent';
  const body = await git(gitDir, ['cat-file', 'tag', '--end-of-options', ref], trust);
  if (!SIGNATURE_HEADERS.some((h) => body.stdout.includes(h))) return 'absent';
  const verdict = await git(gitDir, ['verify-tag', '--raw', '--', ref], trust);
  if (verdict.exitCode === 0) return 'valid';
  const said = verdict.stderr;
  if (said.includes('[GNUPG:] BADSIG') || said.includes('incorrect signature')) return 'invalid';
  return 'unverified';
}

async function git(gitDir: string, args: string[], trust: TagTrust) {
  const config =
    trust.allowedSignersFile === undefined
      ? []
      : ['-c', `gpg.ssh.allowedSignersFile=${trust.allowedSignersFile}`];
  const env: Record<string, string> = { GIT_DIR: gitDir, GIT_TERMINAL_PROMPT: '0' };
  if (trust.gnupgHome !== undefined) env.GNUPGHOME = trust.gnupgHome;
  const result = await execa('git', [...config, ...args], { env, reject: false, stdin: 'ignore' });
  return {
    exitCode: result.exitCode ?? -1,
    stdout: String(result.stdout),
    stderr: String(result.stderr),
  };
}
