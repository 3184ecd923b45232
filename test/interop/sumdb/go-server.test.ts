// Interop (1): modguard's client verifies a log served by the Go team's own server code
// (x/mod v0.7.0 sumdb.NewServer over sumdb.NewTestServer, in test/interop/sumdb/gohelper).
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SumdbClient } from '../../../src/sumdb/client.js';
import { connectSumdb } from '../../../src/sumdb/connect.js';
import { buildGoHelper } from './gohelper.js';

let helper: Awaited<ReturnType<typeof buildGoHelper>>;
let server: ResultPromise | undefined;
let key = '';
let url = '';

beforeAll(async () => {
  helper = await buildGoHelper();
  const proc = execa(helper.bin, ['server', 'go.test.sumdb'], { stdin: 'pipe', buffer: false });
  server = proc;
  const lines = createInterface({ input: proc.stdout });
  for await (const line of lines) {
    if (line.startsWith('KEY ')) key = line.slice(4);
    if (line.startsWith('URL ')) url = line.slice(4);
    if (key !== '' && url !== '') break;
  }
});

afterAll(async () => {
  server?.stdin?.end();
  await server?.catch(() => undefined);
  await helper.cleanup();
});

function fakeHash(s: string): string {
  return `h1:${createHash('sha256').update(s).digest('base64')}`;
}

describe('when the log is served by x/mod sumdb.Server', () => {
  it('our client proves every record and follows the growing tree', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const c = connectSumdb({ verifierKey: key, baseUrl: url });
    const client: SumdbClient = c.client;
    // Each new lookup appends a record to the Go server's log, so every lookup sees a bigger
    // tree and must prove it consistent with the previous one, with tiles made by Go.
    const mods = Array.from(
      { length: 300 },
      (_, i) => [`example.com/Mod${i}`, `v1.${i}.0`] as const,
    );
    for (const [path, version] of mods) {
      const r = await client.lookup(path, version);
      expect(r.lines).toEqual([
        `${path} ${version} ${fakeHash(`zip ${path}@${version}`)}`,
        `${path} ${version}/go.mod ${fakeHash(`mod ${path}@${version}`)}`,
      ]);
    }
    expect(client.latestTree.n).toBe(300);
    // Old records, proven again in the newest tree of 300 (full tile 0/000 made by Go).
    const again = await client.lookup('example.com/Mod7', 'v1.7.0');
    expect(again.recordId).toBe(7);
    expect(again.treeSize).toBe(300);
    await c.close();
  });

  it('refuses the Go server under a key that did not sign it', async () => {
    const { generateKey } = await import('../../../src/sumdb/note.js');
    const other = generateKey('go.test.sumdb').verifierKey;
    const c = connectSumdb({ verifierKey: other, baseUrl: url });
    await expect(c.client.lookup('example.com/x', 'v1.0.0')).rejects.toMatchObject({
      code: 'NOTE_UNVERIFIED',
    });
    await c.close();
  });
});
