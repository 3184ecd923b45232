import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashZip } from '../../../src/hash/zipentry.js';
import { bufferSource } from '../../../src/hash/zipformat.js';
import { readZip } from '../../../src/hash/zipread.js';
import { craftZip } from '../../unit/hash/craft.js';

const work = mkdtempSync(join(tmpdir(), 'modguard-digest-worker-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const P = 'example.com/m@v1.0.0/';
const HERE = new URL('.', import.meta.url).pathname;
const ROOT = join(HERE, '..', '..', '..');

describe('when a process hashes a zip on the digest worker', () => {
  it('prints the hash and exits on its own (the idle worker holds nothing open)', async () => {
    const zip = craftZip([
      { name: P + 'a.bin', content: randomBytes(1 << 20) },
      { name: P + 'b.bin', content: randomBytes(300 << 10) },
    ]);
    const file = join(work, 'm.zip');
    writeFileSync(file, zip);
    const script = [
      `import { hashModuleZip } from ${JSON.stringify(join(ROOT, 'src/hash/zipcheck.ts'))};`,
      `import { bufferSource } from ${JSON.stringify(join(ROOT, 'src/hash/zipformat.ts'))};`,
      `import { readFileSync } from 'node:fs';`,
      `const zip = readFileSync(${JSON.stringify(file)});`,
      `console.log(await hashModuleZip('example.com/m', 'v1.0.0', bufferSource(zip)));`,
    ].join('\n');
    writeFileSync(join(work, 'run.mts'), script);
    const r = await execa('node', ['--import', 'tsx', join(work, 'run.mts')], {
      cwd: ROOT,
      timeout: 30_000,
    });
    expect(r.stdout.trim()).toBe(await hashZip(await readZip(bufferSource(zip))));
  });
});
