import { describe, expect, it } from 'vitest';
import { demoExpected } from '../../../src/cli/demo/world.js';
import { goEnvFor, run, Temps } from './helpers.js';

describe('modguard demo', () => {
  it('exits 0, prints the report and says every planted fault was found', async () => {
    const temps = new Temps();
    try {
      const r = await run(['demo'], goEnvFor(await temps.make()));
      expect(r.err).toContain('demo: the check found every planted fault and nothing else.\n');
      for (const e of demoExpected) expect(r.err).toContain(`demo: found ${e.code} ${e.module}:`);
      expect(r.err).not.toMatch(/MISSED|UNEXPECTED/);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^Errors \(1\)\n/);
      expect(r.out).toMatch(
        /modguard: 24 go\.sum lines: 22 verified, 2 mismatched, 0 inconclusive, 0 skipped; 4 findings/,
      );
    } finally {
      await temps.cleanup();
    }
  });
});
