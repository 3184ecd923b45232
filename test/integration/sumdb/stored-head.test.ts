// The stored tree head is modguard's record of the newest tree the database signed, kept
// to detect a log that forks or rolls back. One that does not open with the trusted key
// is not taken for "none": like the go command (x/mod sumdb/client.go initWork, whose
// initErr fails every lookup), the client refuses every lookup with STATE_INVALID naming
// the file, asks the server nothing, and leaves the file exactly as it is, run after run.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StoredHeadError } from '../../../src/sumdb/errors.js';
import { generateKey, parseSignerKey, signNote } from '../../../src/sumdb/note.js';
import { logOf, recordFor, startFixture, type Fixture } from './helpers.js';

let fx: Fixture | undefined;
afterEach(async () => {
  await fx?.cleanup();
  fx = undefined;
});

const NAME = 'sumdb.example.test';

function headFile(f: Fixture): string {
  return join(f.dir, 'latest', encodeURIComponent(NAME));
}

/** firstRun proves m7 in a tree of 1000, leaving its lookup, tiles and tree head on disk. */
async function firstRun(): Promise<Fixture> {
  const f = await startFixture(logOf(1000), NAME);
  await f.client().client.lookup('example.com/m7', 'v1.0.7');
  f.server.state.requests.length = 0;
  return f;
}

/** treeText is the signed text of the stored head (the note up to its blank line). */
async function treeText(f: Fixture): Promise<string> {
  const note = await readFile(headFile(f), 'utf8');
  return note.slice(0, note.indexOf('\n\n') + 1);
}

/**
 * flipSignatureByte is the note in `file` with one bit of its Ed25519 signature flipped
 * (decoded, so that the line stays well-formed base64 whatever the key).
 */
async function flipSignatureByte(file: string): Promise<string> {
  const note = await readFile(file, 'utf8');
  const [, head = '', b64 = ''] = /^([\s\S]*\n\u2014 \S+ )(\S+)\n$/.exec(note) ?? [];
  const sig = Buffer.from(b64, 'base64');
  expect(sig).toHaveLength(68); // key hash and signature
  sig[10] = (sig[10] ?? 0) ^ 0x01;
  return `${head}${sig.toString('base64')}\n`;
}

/** lookupError looks up m<i> and returns what it threw (undefined if it did not). */
async function lookupError(
  client: ReturnType<Fixture['client']>['client'],
  i: number,
): Promise<unknown> {
  return client.lookup(`example.com/m${i}`, `v1.0.${i}`).then(
    () => undefined,
    (err: unknown) => err,
  );
}

const corruptions: [string, RegExp, (f: Fixture) => Promise<void>][] = [
  [
    'a flipped byte in its signature',
    /invalid signature for key sumdb\.example\.test/,
    async (f) => writeFile(headFile(f), await flipSignatureByte(headFile(f))),
  ],
  [
    'a signature by another key of the same name',
    /no verifiable signatures \(signed by: sumdb\.example\.test\+[0-9a-f]{8}\)/,
    async (f) => {
      const other = parseSignerKey(generateKey(NAME).signerKey);
      await writeFile(headFile(f), signNote(await treeText(f), [other]));
    },
  ],
  [
    'a file cut in half',
    /malformed note/,
    async (f) => {
      const data = await readFile(headFile(f));
      await writeFile(headFile(f), data.subarray(0, data.length >> 1));
    },
  ],
  [
    'garbage',
    /malformed note/,
    async (f) => writeFile(headFile(f), Buffer.from([0xff, 0x00, 0x7f, 0x0a, 0x0a, 0x20])),
  ],
  [
    'a note signed by the trusted key whose text is not a tree',
    /tree note/,
    async (f) => writeFile(headFile(f), signNote('hello\n', [parseSignerKey(f.key.signerKey)])),
  ],
];

describe('when the stored tree head does not verify', () => {
  it.each(corruptions)(
    '%s: every lookup fails naming the file, run after run, and the file is kept',
    async (_, cause, corrupt) => {
      fx = await firstRun();
      await corrupt(fx);
      const before = await readFile(headFile(fx));
      for (let pass = 0; pass < 2; pass++) {
        const { client } = fx.client();
        for (const i of [9, 7, 9]) {
          const err = await lookupError(client, i);
          expect(err).toBeInstanceOf(StoredHeadError);
          expect(err).toMatchObject({ code: 'STATE_INVALID', kind: 'invalid' });
          const message = String((err as Error).message);
          expect(message).toContain(`the stored tree head ${headFile(fx)} does not verify: `);
          expect(message).toMatch(cause);
          expect(message).toContain('Inspect it');
          expect(message).toContain('removing it makes modguard trust');
          expect(message).not.toMatch(/again later|retry/i);
        }
        expect(await readFile(headFile(fx))).toEqual(before);
      }
      // Not a read failure to retry: the database was never asked, nothing was written.
      expect(fx.server.state.requests).toEqual([]);
      expect(await readdir(join(fx.dir, 'latest'))).toEqual([encodeURIComponent(NAME)]);
    },
  );

  it('a head that goes bad during a run stops every later lookup, and is not written over', async () => {
    fx = await firstRun();
    const { client } = fx.client();
    expect(await lookupError(client, 7)).toBeUndefined();
    for (let i = 1000; i < 1300; i++) fx.server.state.add(recordFor(i));
    await writeFile(headFile(fx), await flipSignatureByte(headFile(fx)));
    const before = await readFile(headFile(fx));
    // m1100 carries the head of 1300, which would replace the stored one by compare-and-swap.
    expect(await lookupError(client, 1100)).toMatchObject({ code: 'STATE_INVALID' });
    expect(await lookupError(client, 7)).toMatchObject({ code: 'STATE_INVALID' });
    expect(await readFile(headFile(fx))).toEqual(before);
  });

  it('a cached lookup that meets it is not read again from the server as if it were at fault', async () => {
    fx = await firstRun();
    const head1000 = await readFile(headFile(fx));
    for (let i = 1000; i < 1300; i++) fx.server.state.add(recordFor(i));
    expect(await lookupError(fx.client().client, 1100)).toBeUndefined(); // cached with head 1300
    await writeFile(headFile(fx), head1000);
    const { client } = fx.client();
    expect(await lookupError(client, 7)).toBeUndefined(); // the stored head 1000 is in
    await writeFile(headFile(fx), await flipSignatureByte(headFile(fx)));
    fx.server.state.requests.length = 0;
    expect(await lookupError(client, 1100)).toMatchObject({ code: 'STATE_INVALID' });
    expect(fx.server.state.requests).toEqual([]);
  });
});

describe('when there is no stored tree head', () => {
  it('an empty file is none, as a missing one is (a first run), and the head is stored', async () => {
    fx = await startFixture(logOf(1000), NAME);
    await mkdir(join(fx.dir, 'latest'), { recursive: true });
    await writeFile(headFile(fx), '');
    expect(await lookupError(fx.client().client, 9)).toBeUndefined();
    expect(await fx.latestOnDisk()).toContain('go.sum database tree\n1000\n');
  });
});

describe('when the stored tree head cannot be read', () => {
  it('is UNAVAILABLE naming the path, as before, and left alone', async () => {
    fx = await firstRun();
    await rm(headFile(fx));
    await mkdir(headFile(fx)); // EISDIR
    const err = await lookupError(fx.client().client, 9);
    expect(err).toMatchObject({ code: 'UNAVAILABLE', kind: 'unavailable' });
    expect(String((err as Error).message)).toContain(headFile(fx));
    expect(await readdir(headFile(fx))).toEqual([]);
  });
});
