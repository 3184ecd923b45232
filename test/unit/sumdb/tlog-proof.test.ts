import { describe, expect, it } from 'vitest';
import { formatTlogProof, parseTlogProof } from '../../../src/sumdb/tlog-proof.js';
import { formatHash } from '../../../src/sumdb/tlog-hash.js';

// The example of https://github.com/C2SP/C2SP/blob/main/tlog-proof.md (signatures elided
// there with "[...]", so only the proof framing is checked here).
const specExample = `c2sp.org/tlog-proof@v1
extra YWdlLXYxLjIuMS1kYXJ3aW4tYXJtNjQudGFyLmd6kYXJ3aW4tYXJ
index 73894
gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=
B95lDa8R83lS8n0eG+o0buTxRKQTYFi//1U8anccXmA=
EKNzoDWG8LGC0Yp9o+sv3qllpMP9uHQ9B20KNL+Q1zs=
RoopEkOdqkYqMB4MJXrbt/hMjOxsVn0IrWjpz1ZMMes=
AHCioX9nLjsrse6YhjRRmk1WUEirVOLLRoOQ6vfO5vk=

example.com/fancylog
109482
sFodV/vSp5O8n9a8QpW6PRY97tfOSW5bsc2Xl/EQi08=

— example.com/fancylog hI2DJw[...]1roloI=
`;

describe('c2sp.org/tlog-proof@v1 framing', () => {
  it('parses the specification example', () => {
    const p = parseTlogProof(specExample);
    expect(p.index).toBe(73894);
    expect(p.hashes.map(formatHash)[0]).toBe('gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=');
    expect(p.hashes).toHaveLength(5);
    expect(
      Buffer.from(p.extra ?? [])
        .toString('latin1')
        .startsWith('age-v1.2.1-darwin-arm64.tar.gz'),
    ).toBe(true);
    expect(p.checkpoint.startsWith('example.com/fancylog\n109482\n')).toBe(true);
  });

  it('round-trips through formatTlogProof', () => {
    const p = parseTlogProof(specExample);
    expect(formatTlogProof(p)).toBe(specExample);
  });

  it('parses a proof without extra data and without hashes', () => {
    const p = parseTlogProof(
      'c2sp.org/tlog-proof@v1\nindex 0\n\nlog\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n— log AAAA\n',
    );
    expect(p.index).toBe(0);
    expect(p.hashes).toEqual([]);
    expect(p.extra).toBeUndefined();
  });

  it.each([
    ['wrong header', specExample.replace('@v1', '@v2')],
    ['leading zero index', specExample.replace('index 73894', 'index 073894')],
    ['negative index', specExample.replace('index 73894', 'index -1')],
    ['no index', specExample.replace('index 73894\n', '')],
    ['short hash', specExample.replace('gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=', 'gSKy')],
    ['bad extra', specExample.replace('extra YWdl', 'extra *Wdl')],
    ['no checkpoint separator', 'c2sp.org/tlog-proof@v1\nindex 1\n'],
    [
      'too many hashes',
      specExample.replace(
        'index 73894\n',
        `index 1\n${'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n'.repeat(65)}`,
      ),
    ],
  ])('refuses %s', (_what, text) => {
    expect(() => parseTlogProof(text)).toThrow(expect.objectContaining({ kind: 'invalid' }));
  });
});
