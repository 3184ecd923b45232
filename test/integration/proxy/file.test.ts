import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainFromEnv } from '../../../src/proxy/config.js';
import { ProxyError } from '../../../src/proxy/errors.js';
import { fakeVersion, tempDir } from './helpers.js';

const M = 'example.test/Files/mod';
const V = 'v1.0.0';

let tmp: { dir: string; cleanup: () => Promise<void> };
let first: string;
let second: string;

async function writeProxy(root: string, versions: string[]): Promise<void> {
  const at = join(root, 'example.test/!files/mod/@v');
  await mkdir(at, { recursive: true });
  await writeFile(join(at, 'list'), versions.join('\n') + '\n');
  for (const v of versions) {
    const stored = fakeVersion(M, v);
    await writeFile(join(at, `${v}.info`), JSON.stringify(stored.info));
    await writeFile(join(at, `${v}.mod`), stored.mod);
    await writeFile(join(at, `${v}.zip`), stored.zip);
  }
}

beforeAll(async () => {
  tmp = await tempDir();
  first = join(tmp.dir, 'first');
  second = join(tmp.dir, 'second');
  await writeProxy(first, ['v0.9.0']);
  await writeProxy(second, [V]);
});
afterAll(() => tmp.cleanup());

describe('when GOPROXY lists file:// directories', () => {
  const env = () => ({
    HOME: tmp.dir,
    NETRC: join(tmp.dir, 'none'),
    GOPROXY: `${pathToFileURL(first).href},${pathToFileURL(second).href}`,
  });

  it('reads the escaped layout and falls through a missing file as not-found', async () => {
    const setup = await chainFromEnv(env());
    try {
      const got = await setup.chain.mod(M, V);
      expect(got.value.toString()).toBe(`module ${M}\n`);
      expect(got.source).toBe(pathToFileURL(second).href);
      expect(got.attempts.map((a) => a.error.code)).toEqual(['NOT_FOUND']);
      expect((await setup.chain.list(M)).value).toEqual([{ version: 'v0.9.0' }]);
    } finally {
      await setup.close();
    }
  });

  it('says NOT_FOUND when no directory has the version', async () => {
    const setup = await chainFromEnv(env());
    try {
      const err = await setup.chain.info(M, 'v3.0.0').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProxyError);
      expect((err as ProxyError).code).toBe('NOT_FOUND');
    } finally {
      await setup.close();
    }
  });
});
