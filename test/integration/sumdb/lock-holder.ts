// Worker for lockfile.test.ts: takes the lock file PATH, says "locked" on stdout, then holds
// it until it is killed. Usage: lock-holder PATH
import { lockFile } from '../../../src/sumdb/lockfile.js';

const [path = ''] = process.argv.slice(2);
await lockFile(path);
process.stdout.write('locked\n');
setInterval(() => undefined, 60_000);
