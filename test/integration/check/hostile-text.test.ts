import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_QUOTED } from '../../../src/check/findings.js';
import { renderJson } from '../../../src/report/json.js';
import { toSarif } from '../../../src/report/sarif.js';
import { renderText } from '../../../src/report/text.js';
import { startWorld, type Knob, type World } from '../../../src/testing/world/index.js';
import { craftZip } from '../../unit/hash/craft.js';
import { names, only, row, runCheckOn, sumLines } from './helpers.js';

// A witness's own words (an error body, the file names in its zip) are quoted in a
// finding only up to MAX_QUOTED characters, whatever the report format.
const V = 'v1.0.0';
const M = { body: 'example.test/longbody', names: 'example.test/longnames' } as const;

/** LONG_BODY is a text/plain 500 answer: 8 lines of 1000 characters (Go quotes up to 8 lines). */
const LONG_BODY = Array.from({ length: 8 }, (_, i) => `${i}`.repeat(1000)).join('\n');
/** LONG_NAMES is a zip of 40 entries whose 2000-character names lack the module prefix. */
const LONG_NAMES = craftZip(
  Array.from({ length: 40 }, (_, i) => ({
    name: `${'n'.repeat(2000)}${i}`,
    content: Buffer.from('x'),
  })),
);

const knobs: Knob[] = [
  {
    kind: 'fault',
    proxy: 'A',
    rule: { path: M.body, fault: { kind: 'status', status: 500, body: LONG_BODY } },
  },
  {
    kind: 'fault',
    proxy: 'A',
    rule: { path: M.names, endpoint: 'zip', fault: { kind: 'body', body: LONG_NAMES } },
  },
];

let world: World;
beforeAll(async () => {
  world = await startWorld({
    git: false,
    modules: Object.values(M).map((path) => ({ path, versions: [V] })),
    knobs,
  });
});
afterAll(async () => {
  await world?.stop();
});

const goSum = (path: string) => ({ goSum: sumLines(world.find(path, V)) });

describe("when a witness's error text is long", () => {
  it.each([
    ['a proxy error body', M.body, 'MG201', '0000'],
    ['the file names in a zip', M.names, 'MG202', 'nnnn'],
  ])(
    '%s is cut at MAX_QUOTED characters in the evidence and detail',
    async (_, path, code, text) => {
      const { report } = await runCheckOn(world, goSum(path));
      const [f] = only(report, code as 'MG201' | 'MG202');
      const error = row(f, names(world).A).error ?? '';
      expect(error).toContain(text);
      expect(error).toMatch(/… \[\d+ more characters cut\]/);
      expect(error.length).toBeLessThan(MAX_QUOTED + 100);
      expect(f.detail.length).toBeLessThan(MAX_QUOTED + 300);
    },
  );

  it('every report format stays small', async () => {
    const { report } = await runCheckOn(world, {
      goSum: `${goSum(M.body).goSum}${goSum(M.names).goSum}`,
    });
    const sarif = JSON.stringify(
      toSarif(report, { version: '0', informationUri: 'https://x.test' }),
    );
    for (const out of [renderText(report, { color: false }), renderJson(report), sarif]) {
      // 3 failing lines, each quoted in its detail and evidence: far less than one body
      expect(out.length).toBeLessThan(LONG_BODY.length);
    }
  });
});
