import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  judgeOwner,
  ownerRecord,
  parseOwnerRecord,
  parseStat,
  type OwnerRecord,
  type ProcessState,
  type SelfFacts,
} from '../../src/liveness.js';

const BOOT = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const self: SelfFacts = {
  pid: 100,
  start: '5000',
  boot: BOOT,
  pidns: 'pid:[4026531836]',
  host: 'ci-7',
  bootedAtMs: Date.parse('2024-06-01T12:00:00Z'),
};
const record: OwnerRecord = {
  pid: 4242,
  start: '7000',
  boot: BOOT,
  pidns: 'pid:[4026531836]',
  host: 'ci-7',
};
const written = self.bootedAtMs + 3_600_000;
/** without is the record as a process that could not learn `key` writes it. */
function without(key: 'start' | 'boot' | 'pidns'): OwnerRecord {
  return Object.fromEntries(Object.entries(record).filter(([k]) => k !== key)) as OwnerRecord;
}
const probeOf = (states: Record<number, ProcessState>) => async (pid: number) =>
  states[pid] ?? { gone: true };

describe('parseOwnerRecord', () => {
  it('reads what ownerRecord writes', async () => {
    const text = await ownerRecord();
    expect(text).toMatch(/^modguard-owner\/1 pid=\d+ .* nonce=[0-9a-f]{16}\n$/);
    const parsed = parseOwnerRecord(text);
    expect(parsed?.pid).toBe(process.pid);
    if (process.platform === 'linux') {
      expect(parsed).toMatchObject({ start: expect.stringMatching(/^\d+$/) as string });
      expect(parsed?.pidns).toMatch(/^pid:\[\d+\]$/);
    }
  });

  it('two records of one process differ (each lock knows its own)', async () => {
    expect(await ownerRecord()).not.toBe(await ownerRecord());
  });

  const line = `modguard-owner/1 pid=4242 start=7000 boot=${BOOT} pidns=pid:[4026531836] host=ci-7`;

  it('reads every field, skipping keys it does not know', () => {
    expect(parseOwnerRecord(`${line} nonce=ab later=x\n`)).toEqual(record);
    expect(parseOwnerRecord('modguard-owner/1 pid=7 host=mac.local nonce=ab\n')).toEqual({
      pid: 7,
      host: 'mac.local',
    });
    // A host name as encodeURIComponent writes it, whatever it holds.
    const host = encodeURIComponent("Jo's (lab) box é");
    expect(parseOwnerRecord(`modguard-owner/1 pid=7 host=${host}\n`)).toEqual({ pid: 7, host });
  });

  it.each([
    ['an older modguard’s lock', '4242 0a1b2c3d4e5f\n'],
    ['no line end', line],
    ['another version', `${line.replace('/1', '/2')}\n`],
    ['no pid', `${line.replace('pid=4242 ', '')}\n`],
    ['pid 0', `${line.replace('pid=4242', 'pid=0')}\n`],
    ['a negative pid', `${line.replace('pid=4242', 'pid=-1')}\n`],
    ['a pid given twice', `${line} pid=1\n`],
    ['a start that is not a number', `${line.replace('start=7000', 'start=7e3')}\n`],
    ['a boot id that is not one', `${line.replace(BOOT, 'x')}\n`],
    ['a namespace that is not a pid one', `${line.replace('pid:[', 'net:[')}\n`],
    ['a field without =', `${line} nonce\n`],
    ['two spaces', `${line.replace(' ', '  ')}\n`],
    ['two lines', `${line}\n${line}\n`],
    ['too long', `${line} pad=${'x'.repeat(600)}\n`],
    ['empty', ''],
  ])('refuses %s', (_name, text) => {
    expect(parseOwnerRecord(text)).toBeUndefined();
  });
});

describe('judgeOwner', () => {
  it('dead: the pid is gone', async () => {
    expect(await judgeOwner(record, written, self, probeOf({}))).toBe('dead');
  });

  it('dead: the pid is another process (another start time), or a zombie', async () => {
    const other = probeOf({ 4242: { gone: false, start: '7001' } });
    expect(await judgeOwner(record, written, self, other)).toBe('dead');
    const zombie = probeOf({ 4242: { gone: false, start: '7000', zombie: true } });
    expect(await judgeOwner(record, written, self, zombie)).toBe('dead');
  });

  it('alive: the same process', async () => {
    const same = probeOf({ 4242: { gone: false, start: '7000' } });
    expect(await judgeOwner(record, written, self, same)).toBe('alive');
  });

  it('unknown: the pid exists but its start time cannot be read (hidepid)', async () => {
    const hidden = probeOf({ 4242: { gone: false } });
    expect(await judgeOwner(record, written, self, hidden)).toBe('unknown');
  });

  it('unknown: another pid namespace (another container), even with the pid gone', async () => {
    const elsewhere = { ...record, pidns: 'pid:[4026532000]' };
    expect(await judgeOwner(elsewhere, written, self, probeOf({}))).toBe('unknown');
    expect(await judgeOwner(without('pidns'), written, self, probeOf({}))).toBe('unknown');
  });

  it('dead: another boot of this host, written before this boot', async () => {
    const before = { ...record, boot: '00000000-0000-4000-8000-000000000000' };
    const earlier = self.bootedAtMs - 3_600_000;
    expect(await judgeOwner(before, earlier, self, probeOf({}))).toBe('dead');
  });

  it('unknown: another boot id written since this boot, or by another host (a shared folder)', async () => {
    const before = { ...record, boot: '00000000-0000-4000-8000-000000000000' };
    const earlier = self.bootedAtMs - 3_600_000;
    // The owner never asked about: its pids mean nothing here.
    const never = async (): Promise<ProcessState> => {
      throw new Error('asked about another machine’s pid');
    };
    expect(await judgeOwner(before, written, self, never)).toBe('unknown');
    expect(await judgeOwner(before, self.bootedAtMs - 1_000, self, never)).toBe('unknown');
    const otherHost = { ...before, host: 'ci-8' };
    expect(await judgeOwner(otherHost, earlier, self, never)).toBe('unknown');
  });

  it('unknown: a record without start or boot, or no facts of this process (macOS, Windows)', async () => {
    expect(await judgeOwner(without('start'), written, self, probeOf({}))).toBe('unknown');
    expect(await judgeOwner(without('boot'), written, self, probeOf({}))).toBe('unknown');
    expect(await judgeOwner(record, written, undefined, probeOf({}))).toBe('unknown');
  });
});

describe('parseStat', () => {
  it('reads the state and start time after a command name with spaces and parentheses', () => {
    const rest = Array.from({ length: 50 }, (_, i) => String(i + 4)).join(' ');
    expect(parseStat(`4242 (a) (b c)) S ${rest}\n`)).toEqual({
      pid: 4242,
      state: 'S',
      start: '22',
    });
  });

  it('refuses text that is not a stat line', () => {
    expect(parseStat('')).toBeUndefined();
    expect(parseStat('4242 (short) S 1 2\n')).toBeUndefined();
    const fields = 'S 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22';
    expect(parseStat(`x (a) ${fields}\n`)).toBeUndefined();
    expect(parseStat(`7 (a) ${fields}\n`)).toMatchObject({ start: '22' });
  });

  it.runIf(process.platform === 'linux')('reads this process’s own', () => {
    const stat = parseStat(readFileSync('/proc/self/stat', 'utf8'));
    expect(stat).toMatchObject({ pid: process.pid, state: 'R' });
  });
});
