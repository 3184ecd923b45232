import { createHash } from 'node:crypto';
import type { ModuleSpec } from '../../src/testing/world/index.js';

/**
 * benchModules makes n module specs with a realistic, deterministic size mix of Go source:
 * 60% small (2–40 KiB), 30% medium (40–400 KiB), 9% large (0.4–2 MiB), 1% huge (8 MiB) —
 * roughly the long tail of module zip sizes on proxy.golang.org (most modules are small,
 * a few carry generated code).
 */
export function benchModules(n: number): ModuleSpec[] {
  const out: ModuleSpec[] = [];
  for (let i = 0; i < n; i++) {
    const r = unit(`size-${i}`);
    const bucket = i % 100;
    const size =
      bucket < 60
        ? lerp(2 << 10, 40 << 10, r)
        : bucket < 90
          ? lerp(40 << 10, 400 << 10, r)
          : bucket < 99
            ? lerp(400 << 10, 2 << 20, r)
            : 8 << 20;
    out.push({
      path: `bench.example.test/m${String(i).padStart(3, '0')}`,
      versions: ['v1.0.0'],
      size,
    });
  }
  return out;
}

function unit(seed: string): number {
  return createHash('sha256').update(seed).digest().readUInt32BE(0) / 2 ** 32;
}

function lerp(a: number, b: number, t: number): number {
  return Math.round(a + (b - a) * t);
}
