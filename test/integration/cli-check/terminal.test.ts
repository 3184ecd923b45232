import { describe, expect, it } from 'vitest';
import { progressLine, useColor } from '../../../src/cli/check/terminal.js';

function stream(isTTY: boolean) {
  let text = '';
  return { isTTY, write: (s: string) => (text += s), text: () => text };
}

describe('useColor', () => {
  const cases: [string, boolean, NodeJS.ProcessEnv, boolean, boolean][] = [
    ['a terminal', true, {}, false, true],
    ['a pipe', false, {}, false, false],
    ['a terminal with NO_COLOR=1', true, { NO_COLOR: '1' }, false, false],
    ['a terminal with NO_COLOR empty', true, { NO_COLOR: '' }, false, false],
    ['a terminal with TERM=dumb', true, { TERM: 'dumb' }, false, false],
    ['--output to a file from a terminal', true, {}, true, false],
  ];
  for (const [name, tty, env, toFile, want] of cases) {
    it(`is ${want} for ${name}`, () => {
      expect(useColor(stream(tty), env, toFile)).toBe(want);
    });
  }
});

describe('progressLine', () => {
  it('says nothing for a run shorter than a second, even on a terminal', () => {
    let now = 0;
    const s = stream(true);
    const p = progressLine(s, { now: () => now });
    for (let i = 1; i <= 10; i++) {
      now += 50;
      p.update(i, 10);
    }
    p.done();
    expect(s.text()).toBe('');
  });

  it('redraws at most every 100 ms after the first second, always the last, then ends the line', () => {
    let now = 0;
    const s = stream(true);
    const p = progressLine(s, { now: () => now });
    for (let i = 1; i <= 40; i++) {
      now += 40;
      p.update(i, 40);
    }
    p.done();
    const frames = s
      .text()
      .split('\r')
      .filter((x) => x !== '');
    expect(frames[0]).toBe('modguard: checked 25/40 go.sum lines');
    expect(frames.at(-1)).toBe('modguard: checked 40/40 go.sum lines\n');
    expect(frames.length).toBeLessThanOrEqual(7);
  });

  it('never writes to a pipe', () => {
    let now = 0;
    const s = stream(false);
    const p = progressLine(s, { now: () => now });
    now = 5000;
    p.update(1, 2);
    p.update(2, 2);
    p.done();
    expect(s.text()).toBe('');
  });
});
