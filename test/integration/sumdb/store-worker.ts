// Worker for store.test.ts: increments a counter kept in the tree-head file `rounds` times by
// compare-and-swap through StateStore, retrying on STATE_CONFLICT. Usage: store-worker DIR ROUNDS
import { StateStore } from '../../../src/sumdb/store.js';
import { SumdbError } from '../../../src/sumdb/errors.js';

const [dir = '', rounds = '0'] = process.argv.slice(2);
const store = new StateStore(dir, 'race.example.test');
let conflicts = 0;
for (let i = 0; i < Number(rounds); i++) {
  for (;;) {
    const old = await store.readConfig('race.example.test/latest');
    const n = old.length === 0 ? 0 : Number(Buffer.from(old).toString().split('\n')[0]);
    const next = Buffer.from(`${n + 1}\n${'x'.repeat(4096)}\n`);
    try {
      await store.writeConfig('race.example.test/latest', old, next);
      break;
    } catch (err) {
      if (!(err instanceof SumdbError && err.code === 'STATE_CONFLICT')) throw err;
      conflicts++;
    }
  }
}
process.stdout.write(`${conflicts}\n`);
