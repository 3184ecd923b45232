// Runs modguard's sumdb client in its own process for bench/sumdb/lookups.ts, as the Go
// client runs in its own: reads "path version" lines on stdin, prints the wall time in ms.
// Usage: client-worker KEY URL STATE_DIR CONCURRENCY
import { text } from 'node:stream/consumers';
import { connectSumdb } from '../../src/sumdb/connect.js';

const [key = '', url = '', dir = '', conc = '16'] = process.argv.slice(2);
const queries = (await text(process.stdin))
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => l.split(' '));
const db = connectSumdb({ verifierKey: key, baseUrl: url, stateDir: dir });
const start = performance.now();
let next = 0;
const work = async () => {
  while (next < queries.length) {
    const [path = '', version = ''] = queries[next++] ?? [];
    await db.client.lookup(path, version);
  }
};
await Promise.all(Array.from({ length: Number(conc) }, work));
process.stdout.write(`${Math.round(performance.now() - start)}\n`);
await db.close();
