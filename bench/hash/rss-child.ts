/**
 * rss-child hashes one module zip and prints its peak RSS: process.resourceUsage().maxRSS
 * (KiB) and, on Linux, VmHWM from /proc/self/status. On Linux a child's maxRSS starts
 * from its parent's RSS at fork (the high-water mark survives fork and exec), so the
 * bench spawns this child before it allocates much; VmHWM belongs to this process alone.
 */
import { readFileSync } from 'node:fs';
import { hashModuleZip } from '../../src/hash/zipcheck.js';
import { openFileSource } from '../../src/vcs/dirfiles.js';

const path = process.argv[2] ?? '';
const source = await openFileSource(path);
try {
  const h1 = await hashModuleZip('example.com/bench', 'v1.0.0', source);
  console.log(JSON.stringify({ h1, maxRssKiB: process.resourceUsage().maxRSS, vmHwmKiB: vmHwm() }));
} finally {
  await source.close();
}

function vmHwm(): number | undefined {
  try {
    const line = readFileSync('/proc/self/status', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmHWM:'));
    return line === undefined ? undefined : Number.parseInt(line.slice(6).trim(), 10);
  } catch {
    return undefined;
  }
}
