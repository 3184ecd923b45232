import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';

/** GpgKey is a throwaway OpenPGP signing key in its own GNUPGHOME. */
export interface GpgKey {
  readonly gnupgHome: string;
  readonly fingerprint: string;
  readonly uid: string;
}

/**
 * createGpgKey makes an ed25519 signing key with no passphrase in a new GNUPGHOME under dir
 * (`gpg --batch --quick-gen-key`), for signed tags in the test world.
 */
export async function createGpgKey(
  dir: string,
  uid = 'World Signer <signer@example.test>',
): Promise<GpgKey> {
  const gnupgHome = join(dir, 'gnupg');
  await mkdir(gnupgHome, { recursive: true, mode: 0o700 });
  const env = { GNUPGHOME: gnupgHome };
  await execa(
    'gpg',
    ['--batch', '--passphrase', '', '--quick-gen-key', '--', uid, 'ed25519', 'sign', 'never'],
    { env },
  );
  const { stdout } = await execa(
    'gpg',
    ['--batch', '--with-colons', '--list-secret-keys', '--', uid],
    { env },
  );
  const fpr = stdout.split('\n').find((l) => l.startsWith('fpr:'));
  const fingerprint = fpr?.split(':')[9];
  if (fingerprint === undefined || fingerprint === '')
    throw new Error(`gpg made no key for ${uid}`);
  return { gnupgHome, fingerprint, uid };
}

/** SshKey is a throwaway ed25519 SSH key with an allowed-signers file naming it. */
export interface SshKey {
  readonly privateKeyPath: string;
  readonly publicKey: string;
  readonly allowedSignersPath: string;
  readonly principal: string;
}

/**
 * createSshKey makes an ed25519 key with no passphrase (`ssh-keygen -t ed25519 -N ''`) and an
 * allowed-signers file (`<principal> <key>`) for git's gpg.format=ssh signatures.
 */
export async function createSshKey(
  dir: string,
  principal = 'signer@example.test',
): Promise<SshKey> {
  await mkdir(dir, { recursive: true });
  const privateKeyPath = join(dir, 'id_ed25519');
  await execa('ssh-keygen', [
    '-q',
    '-t',
    'ed25519',
    '-N',
    '',
    '-C',
    principal,
    '-f',
    privateKeyPath,
  ]);
  const publicKey = (await readFile(privateKeyPath + '.pub', 'utf8')).trim();
  const allowedSignersPath = join(dir, 'allowed_signers');
  await writeFile(allowedSignersPath, `${principal} ${publicKey}\n`);
  return { privateKeyPath, publicKey, allowedSignersPath, principal };
}

/**
 * TlsCert is a self-signed certificate, PEM encoded, for 127.0.0.1, localhost, 0.0.0.0 and
 * *.world.test (the names the egress stand-in, src/testing/world/egress.ts, maps to loopback).
 */
export interface TlsCert {
  readonly key: string;
  readonly cert: string;
}

/** createTlsCert makes a one-day self-signed P-256 certificate with openssl, for https tests. */
export async function createTlsCert(dir: string): Promise<TlsCert> {
  await mkdir(dir, { recursive: true });
  const keyPath = join(dir, 'tls.key');
  const certPath = join(dir, 'tls.crt');
  await execa('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost,IP:0.0.0.0,DNS:*.world.test',
  ]); // prettier-ignore
  return { key: await readFile(keyPath, 'utf8'), cert: await readFile(certPath, 'utf8') };
}

/** stopGpgAgent ends the gpg-agent that key generation and signing started in its GNUPGHOME. */
export async function stopGpgAgent(key: GpgKey): Promise<void> {
  await execa('gpgconf', ['--kill', 'all'], { env: { GNUPGHOME: key.gnupgHome }, reject: false });
}
