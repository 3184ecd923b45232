import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectSumdb } from '../../../src/sumdb/connect.js';
import { generateKey } from '../../../src/sumdb/note.js';
import { SumdbLog } from '../../../src/testing/sumdb-log.js';
import {
  goSumRecord,
  startSumdbServer,
  type RunningSumdb,
} from '../../../src/testing/sumdb-server.js';

/** fakeHash makes a distinct, well-formed h1: hash for test records. */
export function fakeHash(seed: string): string {
  return `h1:${Buffer.from(seed.padEnd(32, '.').slice(0, 32)).toString('base64')}`;
}

/** recordFor is the go.sum record of example.com/m<i> v1.0.<i>. */
export function recordFor(i: number, salt = ''): string {
  const path = `example.com/m${i}`;
  const version = `v1.0.${i}`;
  return goSumRecord(path, version, fakeHash(`zip${i}${salt}`), fakeHash(`mod${i}${salt}`));
}

export function logOf(n: number, salt = ''): SumdbLog {
  const log = new SumdbLog();
  for (let i = 0; i < n; i++) log.append(recordFor(i, salt));
  return log;
}

export interface Fixture {
  server: RunningSumdb;
  key: { signerKey: string; verifierKey: string };
  dir: string;
  client(): ReturnType<typeof connectSumdb>;
  latestOnDisk(): Promise<string>;
  cleanup(): Promise<void>;
}

/** startFixture runs a server over `log` with a fresh key and a temp state directory. */
export async function startFixture(log: SumdbLog, name = 'sumdb.example.test'): Promise<Fixture> {
  const key = generateKey(name);
  const server = await startSumdbServer({ signerKey: key.signerKey, log });
  const dir = await mkdtemp(join(tmpdir(), 'modguard-sumdb-'));
  const opened: ReturnType<typeof connectSumdb>[] = [];
  return {
    server,
    key,
    dir,
    client: () => {
      const c = connectSumdb({ verifierKey: key.verifierKey, baseUrl: server.url, stateDir: dir });
      opened.push(c);
      return c;
    },
    latestOnDisk: () =>
      readFile(join(dir, 'latest', encodeURIComponent(name)), 'utf8').catch(() => ''),
    cleanup: async () => {
      await Promise.all(opened.map((c) => c.close()));
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
