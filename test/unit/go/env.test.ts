import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SUM_GOLANG_ORG_KEY,
  bypassesProxy,
  isPrivate,
  parseEnvFile,
  parseGoAuth,
  parseGoFlags,
  parseGoProxy,
  parseGoSumdb,
  parseGovcs,
  resolveGoEnv,
  skipsSumdb,
  vcsAllowed,
} from '../../../src/go/env.js';
import { GoError } from '../../../src/go/errors.js';

function code(f: () => unknown): string | undefined {
  try {
    f();
    return undefined;
  } catch (err) {
    if (err instanceof GoError) return err.code;
    throw err;
  }
}

// Source: Go 1.19 cmd/go/internal/modfetch/proxy.go proxyList and newProxyRepo; GO-FACTS §3.
describe('parseGoProxy (proxy.go proxyList)', () => {
  it('reads the default', () => {
    expect(parseGoProxy('https://proxy.golang.org,direct')).toEqual([
      { kind: 'url', url: 'https://proxy.golang.org', fallBackOnAnyError: false },
      { kind: 'direct', fallBackOnAnyError: false },
    ]);
  });

  it.each([
    [
      'a.example|b.example,direct',
      [
        ['url', 'https://a.example', true],
        ['url', 'https://b.example', false],
        ['direct', undefined, false],
      ],
    ],
    [
      ' https://a.example , , off , https://never.example',
      [
        ['url', 'https://a.example', false],
        ['off', undefined, false],
      ],
    ],
    ['direct,https://never.example', [['direct', undefined, false]]],
    ['localhost:8080', [['url', 'https://localhost:8080', false]]],
    ['http://127.0.0.1:3000/x/', [['url', 'http://127.0.0.1:3000/x/', false]]],
    ['file:///srv/proxy', [['url', 'file:///srv/proxy', false]]],
    [
      'corp.example/goproxy|direct',
      [
        ['url', 'https://corp.example/goproxy', true],
        ['direct', undefined, false],
      ],
    ],
  ] as const)('%j', (value, want) => {
    expect(parseGoProxy(value).map((e) => [e.kind, e.url, e.fallBackOnAnyError])).toEqual(want);
  });

  it.each([
    ['proxy', /missing scheme/],
    ['/abs/path', /missing scheme/],
    ['ftp://x.example', /must be https, http, file/],
    ['file://host/x', /non-path elements/],
    ['file:///x?y', /non-path elements/],
    ['file:relative', /invalid port ":relative"/], // read as "https://file:relative", as in Go
    ['file:/srv/proxy', /non-path elements/], // Go 1.19.8 net/url marks it OmitHost
    ['https://a b.example', /invalid character " " in host name/],
    ['https://h/p%2', /invalid URL escape/],
    [',', /contains no entries/],
    [' ', /contains no entries/],
    ['', /contains no entries/],
  ])('%j is refused', (value, message) => {
    expect(() => parseGoProxy(value)).toThrow(message);
    expect(code(() => parseGoProxy(value))).toBe('GOPROXY_SYNTAX');
  });

  it('puts noproxy first when GONOPROXY is set, unless GOPROXY is exactly direct', () => {
    expect(parseGoProxy('https://p.example', 'corp.example').map((e) => e.kind)).toEqual([
      'noproxy',
      'url',
    ]);
    expect(parseGoProxy('direct', 'corp.example').map((e) => e.kind)).toEqual(['direct']);
    expect(code(() => parseGoProxy(',', 'corp.example'))).toBe('GOPROXY_SYNTAX');
  });

  it('hides a password in errors', () => {
    expect(() => parseGoProxy('ftp://u:secret@x.example')).toThrow(/u:xxxxx@/);
  });
});

// Source: Go 1.19 cmd/go/internal/modfetch/sumdb.go dbDial, key.go; x/mod sumdb/note NewVerifier.
describe('parseGoSumdb (sumdb.go dbDial)', () => {
  it.each([
    ['off', { off: true }],
    ['sum.golang.org', { name: 'sum.golang.org', key: SUM_GOLANG_ORG_KEY }],
    [
      'sum.golang.google.cn',
      { name: 'sum.golang.org', key: SUM_GOLANG_ORG_KEY, url: 'https://sum.golang.google.cn' },
    ],
    [
      'sum.golang.org http://127.0.0.1:9/sumdb',
      { name: 'sum.golang.org', key: SUM_GOLANG_ORG_KEY, url: 'http://127.0.0.1:9/sumdb' },
    ],
    [SUM_GOLANG_ORG_KEY, { name: 'sum.golang.org', key: SUM_GOLANG_ORG_KEY }],
  ])('%j', (value, want) => {
    expect(parseGoSumdb(value)).toEqual(want);
  });

  it.each([
    ['', /missing GOSUMDB/],
    ['a b c', /too many fields/],
    ['sum.example.com', /malformed verifier id/],
    [
      'sum.golang.org+033de0af+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8',
      /invalid verifier hash/,
    ],
    [
      'sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn',
      /malformed verifier id/,
    ],
    ['sum.golang.org x\u0001', /control character/],
  ])('%j is refused', (value, message) => {
    expect(() => parseGoSumdb(value)).toThrow(message);
  });
});

describe('GOFLAGS, GOAUTH, GOVCS', () => {
  it('parses GOFLAGS (base/goflags.go)', () => {
    expect(parseGoFlags(' -mod=mod  --insecure -x=a=b ')).toEqual([
      { name: 'mod', value: 'mod' },
      { name: 'insecure' },
      { name: 'x', value: 'a=b' },
    ]);
    for (const bad of ['mod=mod', '-', '--', '---x', '-=x', '--=x'])
      expect(code(() => parseGoFlags(bad))).toBe('GOENV_SYNTAX');
  });

  it('parses GOAUTH (go help goauth)', () => {
    expect(parseGoAuth('netrc; git /home/u/repo ;my-helper --flag')).toEqual([
      { kind: 'netrc' },
      { kind: 'git', dir: '/home/u/repo' },
      { kind: 'command', command: 'my-helper --flag' },
    ]);
    expect(parseGoAuth('off')).toEqual([{ kind: 'off' }]);
    for (const bad of ['off;netrc', 'netrc;', 'git', 'git rel/dir', 'git /a /b'])
      expect(code(() => parseGoAuth(bad))).toBe('GOENV_SYNTAX');
  });

  it('parses GOVCS (vcs.go parseGOVCS)', () => {
    expect(parseGovcs(' github.com:git , evil.com:off, *:git|hg ')).toEqual([
      { pattern: 'github.com', allowed: ['git'] },
      { pattern: 'evil.com', allowed: ['off'] },
      { pattern: '*', allowed: ['git', 'hg'] },
    ]);
    expect(parseGovcs('  ')).toEqual([]);
    for (const bad of ['a:git,', 'nocolon', ':git', 'a:', './x:git', 'a:git,a:hg', 'a:git||hg']) {
      expect(
        code(() => parseGovcs(bad)),
        bad,
      ).toBe('GOENV_SYNTAX');
    }
  });
});

// Source: Go 1.19 cfg/cfg.go:315–321 and initEnvCache; GO-FACTS §4.
describe('resolveGoEnv', () => {
  it('falls back to the defaults', () => {
    const env = resolveGoEnv({ process: {} });
    expect(env.values.GOPROXY).toEqual({
      value: 'https://proxy.golang.org,direct',
      source: 'default',
    });
    expect(env.values.GOSUMDB).toEqual({ value: 'sum.golang.org', source: 'default' });
    expect(env.sumdb).toEqual({ name: 'sum.golang.org', key: SUM_GOLANG_ORG_KEY });
    expect(env.vcs.map((r) => r.pattern)).toEqual(['private', 'public']);
    expect(env.auth).toEqual([{ kind: 'netrc' }]);
  });

  it('applies env, GOENV file, GOROOT/go.env, go env -json in that order', () => {
    const env = resolveGoEnv({
      process: { GOPROXY: 'http://127.0.0.1:1', GOSUMDB: '', GOFLAGS: '-mod=vendor' },
      goEnvFile: '# comment\nGOSUMDB=off\nGOPRIVATE=corp.example\nlower=x\nNOEQUALS\n',
      goRootEnv: 'GOPROXY=https://root.example\nGOINSECURE=root.example\n',
      goEnvJson: { GOVCS: 'corp.example:git', GOINSECURE: 'json.example', GOAUTH: 'netrc' },
    });
    expect(env.values.GOPROXY.source).toBe('env');
    expect(env.values.GOSUMDB).toEqual({ value: 'off', source: 'GOENV file' });
    expect(env.values.GOINSECURE).toEqual({ value: 'root.example', source: 'GOROOT/go.env' });
    expect(env.values.GOVCS).toEqual({ value: 'corp.example:git', source: 'go env -json' });
    expect(env.values.GOAUTH.source).toBe('default');
    expect(env.values.GONOPROXY).toEqual({
      value: 'corp.example',
      source: 'GOENV file',
      via: 'GOPRIVATE',
    });
    expect(env.proxy.map((e) => e.kind)).toEqual(['noproxy', 'url']);
    expect(env.sumdb).toEqual({ off: true });
    expect(env.modFlag).toBe('vendor');
    expect(env.insecureFlag).toBe(false);
  });

  it('keeps an explicit GONOSUMDB, and "none" opts out of GOPRIVATE', () => {
    const env = resolveGoEnv({ process: { GOPRIVATE: '*.corp.example', GONOSUMDB: 'none' } });
    expect(env.values.GONOSUMDB).toEqual({ value: 'none', source: 'env' });
    expect(env.values.GONOPROXY.via).toBe('GOPRIVATE');
    expect(isPrivate(env, 'git.corp.example/x')).toBe(true);
    expect(skipsSumdb(env, 'git.corp.example/x')).toBe(false);
    expect(bypassesProxy(env, 'git.corp.example/x')).toBe(true);
    expect(bypassesProxy(env, 'github.com/x/y')).toBe(false);
  });

  it('reports every invalid setting at once, naming its source', () => {
    let err: unknown;
    try {
      resolveGoEnv({ process: { GOPROXY: 'ftp://x', GOVCS: 'bad' }, goEnvFile: 'GOSUMDB=nope\n' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GoError);
    const message = (err as GoError).message;
    expect(message).toMatch(/GOPROXY="ftp:\/\/x" \(env\)/);
    expect(message).toMatch(/GOSUMDB="nope" \(GOENV file\)/);
    expect(message).toMatch(/GOVCS="bad" \(env\)/);
  });

  it('skips the sumdb for GOSUMDB=off and GONOSUMDB paths', () => {
    expect(skipsSumdb(resolveGoEnv({ process: { GOSUMDB: 'off' } }), 'x.y/z')).toBe(true);
    const env = resolveGoEnv({ process: { GONOSUMDB: 'x.y' } });
    expect(skipsSumdb(env, 'x.y/z')).toBe(true);
    expect(skipsSumdb(env, 'x.yz/z')).toBe(false);
  });

  it('applies GOVCS rules then the defaults (vcs.go CheckGOVCS)', () => {
    const env = resolveGoEnv({
      process: { GOPRIVATE: 'corp.example', GOVCS: 'github.com:git,corp.example/secret:off' },
    });
    expect(vcsAllowed(env, 'github.com/a/b', 'git')).toBe(true);
    expect(vcsAllowed(env, 'github.com/a/b', 'hg')).toBe(false);
    expect(vcsAllowed(env, 'corp.example/secret', 'git')).toBe(false);
    expect(vcsAllowed(env, 'corp.example/other', 'svn')).toBe(true);
    expect(vcsAllowed(env, 'example.org/x', 'hg')).toBe(true);
    expect(vcsAllowed(env, 'example.org/x', 'svn')).toBe(false);
  });

  it('notes -insecure in GOFLAGS', () => {
    expect(resolveGoEnv({ process: { GOFLAGS: '-insecure' } }).insecureFlag).toBe(true);
  });

  it('keeps the last setting of a GOFLAGS flag, as the flag package does', () => {
    const env = resolveGoEnv({
      process: { GOFLAGS: '-mod=mod -insecure --mod=vendor -insecure=0' },
    });
    expect(env.modFlag).toBe('vendor');
    expect(env.insecureFlag).toBe(false);
  });

  it('reads env files like initEnvCache', () => {
    expect([...parseEnvFile('A=1\nb=2\n=3\nC\nD=x=y\r\n')]).toEqual([
      ['A', '1'],
      ['D', 'x=y\r'],
    ]);
  });
});

describe('when Go environment values are arbitrary (property)', () => {
  const anyText = fc.string({ unit: 'binary', maxLength: 40 });
  it('parsers throw nothing but GoError', () => {
    const only = (f: () => unknown): void => {
      try {
        f();
      } catch (err) {
        if (!(err instanceof GoError)) throw err;
      }
    };
    fc.assert(
      fc.property(anyText, anyText, (a, b) => {
        only(() => parseGoProxy(a, b));
        only(() => parseGoSumdb(a));
        only(() => parseGoFlags(a));
        only(() => parseGoAuth(a));
        only(() => parseGovcs(a));
        only(() => resolveGoEnv({ process: { GOPROXY: a, GOPRIVATE: b }, goEnvFile: a }));
      }),
    );
  });
});
