// Worker for temp-dirs.test.ts: makes a temporary folder under PARENT with makeTempDir,
// prints its path, then lives until it is killed. Usage: temp-dir-owner PARENT
import { makeTempDir } from '../../src/temp-dirs.js';

const [parent = ''] = process.argv.slice(2);
process.stdout.write(`${await makeTempDir('modguard-spool-', parent)}\n`);
setInterval(() => undefined, 60_000);
