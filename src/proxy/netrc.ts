import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** NetrcEntry is one complete `machine` block: host, login and password all present. */
export interface NetrcEntry {
  readonly machine: string;
  readonly login: string;
  readonly password: string;
}

/**
 * parseNetrc reads .netrc text the way Go 1.19 does (G/auth/netrc.go:27): tokens are taken
 * in pairs per line; `machine` starts an entry; an entry is kept as soon as machine, login
 * and password are all set; `macdef` skips lines up to the next empty line; `default` ends
 * the file (its credentials are ignored). Entries without all three fields are dropped.
 */
export function parseNetrc(data: string): NetrcEntry[] {
  const entries: NetrcEntry[] = [];
  let cur = { machine: '', login: '', password: '' };
  let inMacro = false;
  for (const line of data.split('\n')) {
    if (inMacro) {
      if (line === '') inMacro = false;
      continue;
    }
    const f = line.split(/[ \t\r\v\f]+/).filter((t) => t !== '');
    let i = 0;
    for (; i < f.length - 1; i += 2) {
      const [key, value] = [f[i], f[i + 1] ?? ''];
      if (key === 'machine') cur = { machine: value, login: '', password: '' };
      else if (key === 'login') cur.login = value;
      else if (key === 'password') cur.password = value;
      else if (key === 'macdef') inMacro = true;
      if (cur.machine !== '' && cur.login !== '' && cur.password !== '') {
        entries.push(cur);
        cur = { machine: '', login: '', password: '' };
      }
    }
    if (i < f.length && f[i] === 'default') break;
  }
  return entries;
}

/**
 * lookupNetrc returns the first entry whose machine equals the URL's host name, without
 * the port (G/auth/auth.go AddCredentials: `req.URL.Hostname()`).
 */
export function lookupNetrc(entries: readonly NetrcEntry[], url: URL): NetrcEntry | undefined {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return entries.find((e) => e.machine === host);
}

/**
 * loadNetrc reads `$NETRC`, else `~/.netrc` (`_netrc` on Windows), as Go 1.19 does
 * (G/auth/netrc.go netrcPath). A file that cannot be read means no credentials, as for
 * the go command.
 */
export async function loadNetrc(env: NodeJS.ProcessEnv): Promise<NetrcEntry[]> {
  const path =
    env.NETRC !== undefined && env.NETRC !== ''
      ? env.NETRC
      : join(env.HOME ?? homedir(), process.platform === 'win32' ? '_netrc' : '.netrc');
  try {
    return parseNetrc(await readFile(path, 'utf8'));
  } catch {
    // readNetrc keeps the error and never reports it (G/auth/netrc.go).
    return [];
  }
}
