// Bundles the entry points with ncc into dist/: dist/index.js (the Action), dist/cli.js
// (the command's entry, which loads dist/modguard.js) and dist/zipworker.js (their zip
// pool thread). Each bundle is built into
// a scratch folder and moved, so a failed build never leaves a half-written dist/.
import { execFileSync } from 'node:child_process';
import {
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  mkdirSync,
  readFileSync,
  writeFileSync,
  chmodSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const entries = [
  { src: 'src/action/index.ts', out: 'index.js' },
  // the command: a small entry that turns on Node's compile cache, then loads the command
  { src: 'src/cli/launch.ts', out: 'cli.js', shebang: true },
  { src: 'src/cli/bin.ts', out: 'modguard.js' },
  // the zip pool's thread (src/proxy/zippool.ts), found beside the bundle that starts it
  { src: 'src/proxy/zipworker.ts', out: 'zipworker.js' },
];

const ncc = join('node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
const scratch = mkdtempSync(join(tmpdir(), 'modguard-build-'));
try {
  for (const entry of entries) {
    const outDir = join(scratch, entry.out);
    execFileSync(
      process.execPath,
      [ncc, 'build', entry.src, '-o', outDir, '--quiet', '--target', 'es2022'],
      {
        stdio: 'inherit',
      },
    );
    const files = readdirSync(outDir);
    const main = files.find((f) => f === 'index.js' || f === 'index.mjs');
    if (
      !main ||
      files.length !== 1 + files.filter((f) => f.endsWith('.d.ts') || f === 'package.json').length
    ) {
      throw new Error(`ncc produced unexpected files for ${entry.src}: ${files.join(', ')}`);
    }
    let code = readFileSync(join(outDir, main), 'utf8');
    if (entry.shebang && !code.startsWith('#!')) code = `#!/usr/bin/env node\n${code}`;
    writeFileSync(join(outDir, main), code);
  }
  mkdirSync('dist', { recursive: true });
  for (const f of readdirSync('dist')) rmSync(join('dist', f), { recursive: true, force: true });
  for (const entry of entries) {
    const outDir = join(scratch, entry.out);
    const main = readdirSync(outDir).find((f) => f === 'index.js' || f === 'index.mjs');
    renameSync(join(outDir, main), join('dist', entry.out));
    if (entry.shebang) chmodSync(join('dist', entry.out), 0o755);
  }
  writeFileSync(join('dist', 'package.json'), '{ "type": "module" }\n');
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
