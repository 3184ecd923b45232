import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashZip } from '../../../src/hash/zipentry.js';
import { bufferSource } from '../../../src/hash/zipformat.js';
import { readZip } from '../../../src/hash/zipread.js';
import { collectZip, writeZip } from '../../../src/hash/zipwrite.js';

const P = 'example.com/m@v1.0.0/';
const nameArb = fc.stringMatching(/^[a-z0-9_]{1,8}(\/[a-zA-Z0-9_.]{1,8}){0,2}\.go$/);
const filesArb = fc.uniqueArray(
  fc.record({ name: nameArb, content: fc.uint8Array({ maxLength: 300 }) }),
  {
    minLength: 1,
    maxLength: 8,
    selector: (f) => f.name,
  },
);

async function h1(files: { name: string; content: Uint8Array }[]): Promise<string> {
  const zip = await collectZip(
    writeZip(files.map((f) => ({ name: P + f.name, content: () => [f.content] }))),
  );
  return hashZip(await readZip(bufferSource(zip)));
}

describe('hashZip properties', () => {
  it('does not depend on the order of zip entries', async () => {
    await fc.assert(
      fc.asyncProperty(
        filesArb.chain((fs) =>
          fc.tuple(
            fc.constant(fs),
            fc.shuffledSubarray(fs, { minLength: fs.length, maxLength: fs.length }),
          ),
        ),
        async ([files, shuffled]) => {
          expect(await h1(shuffled)).toBe(await h1(files));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('changes when any single byte of any file changes', async () => {
    const arb = filesArb
      .filter((fs) => fs.some((f) => f.content.length > 0))
      .chain((fs) => {
        const nonEmpty = fs.map((f, i) => [f, i] as const).filter(([f]) => f.content.length > 0);
        return fc.record({
          files: fc.constant(fs),
          pick: fc.constantFrom(...nonEmpty.map(([, i]) => i)),
          pos: fc.nat(),
          delta: fc.integer({ min: 1, max: 255 }),
        });
      });
    await fc.assert(
      fc.asyncProperty(arb, async ({ files, pick, pos, delta }) => {
        const target = files[pick]!;
        const content = Uint8Array.from(target.content);
        const at = pos % content.length;
        content[at] = (content[at]! + delta) & 0xff;
        const changed = files.map((f, i) => (i === pick ? { name: f.name, content } : f));
        expect(await h1(changed)).not.toBe(await h1(files));
      }),
      { numRuns: 60 },
    );
  });
});
