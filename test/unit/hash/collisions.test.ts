import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { strToFold } from '../../../src/go/fold.js';
import { CollisionChecker } from '../../../src/hash/collisions.js';
import { dirPath } from '../../../src/hash/paths.js';

type Seen = Map<string, { path: string; isDir: boolean }>;

/**
 * goCheck is x/mod zip.go collisionChecker.check as Go runs it: record the path under
 * its fold, then check every parent up to the root, whatever was seen before.
 */
function goCheck(seen: Seen, p: string, isDir: boolean): string | undefined {
  const fold = strToFold(p);
  const other = seen.get(fold);
  if (other === undefined) seen.set(fold, { path: p, isDir });
  else if (p !== other.path) {
    return `ZIP_CASE_COLLISION case-insensitive file name collision: ${JSON.stringify(other.path)} and ${JSON.stringify(p)}`;
  } else if (isDir !== other.isDir) {
    return `ZIP_FILE_DIR_CONFLICT entry ${JSON.stringify(p)} is both a file and a directory`;
  } else if (!isDir) {
    return `ZIP_DUPLICATE multiple entries for file ${JSON.stringify(p)}`;
  }
  const parent = dirPath(p);
  return parent === '.' ? undefined : goCheck(seen, parent, true);
}

describe('CollisionChecker', () => {
  // It stops walking up at a directory whose parents were all checked before; every
  // entry of any sequence must still get exactly Go's answer, including the entries
  // after a first problem (checkZip goes on and lists them all).
  it('answers every entry of a sequence as x/mod does', () => {
    const elem = fc.constantFrom('a', 'A', 'b', 'B', 'k', '\u212a', 'go.mod');
    const entry = fc.record({
      path: fc.array(elem, { minLength: 1, maxLength: 4 }).map((e) => e.join('/')),
      isDir: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 24 }), (entries) => {
        const ours = new CollisionChecker();
        const seen: Seen = new Map();
        for (const { path, isDir } of entries) {
          const got = ours.check(path, isDir);
          expect(got === undefined ? undefined : `${got.code} ${got.reason}`).toBe(
            goCheck(seen, path, isDir),
          );
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('finds a collision of a parent after its folder was settled', () => {
    const cc = new CollisionChecker();
    expect(cc.check('a/b/c.go', false)).toBeUndefined();
    expect(cc.check('a/b/d.go', false)).toBeUndefined();
    expect(cc.check('A/x.go', false)?.code).toBe('ZIP_CASE_COLLISION');
    expect(cc.check('a/b', false)?.code).toBe('ZIP_FILE_DIR_CONFLICT');
    expect(cc.check('a/b', true)).toBeUndefined();
  });
});
