import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startCompileCache } from './compile-cache.js';

/**
 * The installed command's entry, dist/cli.js (scripts/build.mjs). Node compiles a
 * bundle as a whole before any of it runs, so its compile cache must be on before the
 * command's bundle is loaded: this small bundle turns it on, then loads the command,
 * dist/modguard.js (built from bin.ts), from beside itself. webpackIgnore keeps the
 * bundler from taking that import in.
 */
const COMMAND_BASENAME = 'modguard';

startCompileCache(process.argv.slice(2));
const here = dirname(fileURLToPath(import.meta.url));
const command = pathToFileURL(join(here, COMMAND_BASENAME + '.js')).href;
await import(/* webpackIgnore: true */ command);
