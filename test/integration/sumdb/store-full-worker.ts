// Worker for store.test.ts, run with a file size limit (prlimit --fsize) standing in for
// a full disk: writes the tree head and a tile through StateStore and prints each error.
// Usage: store-full-worker DIR
import { StateStore } from '../../../src/sumdb/store.js';

const [dir = ''] = process.argv.slice(2);
const store = new StateStore(dir, 'x.test');
const data = Buffer.from('x'.repeat(4096));
const errors: Record<string, string> = {};
for (const [name, write] of [
  ['head', () => store.writeConfig('x.test/latest', new Uint8Array(), data)],
  ['tile', () => store.writeCache('x.test/tile/8/0/000', data)],
] as const) {
  await write().catch((err: unknown) => {
    errors[name] = `${(err as { code?: string }).code}: ${(err as Error).message}`;
  });
}
process.stdout.write(JSON.stringify(errors));
