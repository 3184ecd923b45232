import { describe, expect, it } from 'vitest';
import { checkConfig } from '../../../src/check/config.js';
import { resolveGoEnv } from '../../../src/go/env.js';

const MODULES = ['github.com/pub/lib', 'git.corp.example/team/app', 'git.corp.example/other'];

/**
 * env resolves a process environment with src/go's resolveGoEnv (Go's defaults apply
 * to what is not given: GOPROXY=https://proxy.golang.org,direct, GOSUMDB=sum.golang.org,
 * as data, never fetched).
 */
const env = (vars: Record<string, string>) => resolveGoEnv({ process: vars });

function codes(vars: Record<string, string>, modules: readonly string[] = MODULES): string[] {
  return checkConfig(env(vars), modules, 'go.mod').map((f) => f.code);
}

describe('checkConfig', () => {
  it('finds nothing in the defaults', () => {
    expect(codes({})).toEqual([]);
  });

  it('finds nothing when GONOSUMDB is unset or empty: it follows GOPRIVATE', () => {
    expect(codes({ GOPRIVATE: 'git.corp.example' })).toEqual([]);
    expect(codes({ GOPRIVATE: 'git.corp.example', GONOSUMDB: '' })).toEqual([]);
  });

  it('reports GOSUMDB=off (MG501), naming where the value came from', () => {
    const found = checkConfig(env({ GOSUMDB: 'off' }), MODULES, 'go.mod');
    expect(found.map((f) => [f.code, f.severity, f.module, f.file, f.line, f.detail])).toEqual([
      ['MG501', 'warning', null, 'go.mod', null, 'GOSUMDB is "off" (from env).'],
    ]);
  });

  describe('when GONOSUMDB is wider than GOPRIVATE', () => {
    it('reports MG502 for each public module it skips', () => {
      const found = checkConfig(
        env({ GOPRIVATE: 'git.corp.example/team', GONOSUMDB: 'git.corp.example,github.com/pub' }),
        MODULES,
        'go.mod',
      );
      expect(found.map((f) => [f.code, f.module])).toEqual([
        ['MG502', 'github.com/pub/lib'],
        ['MG502', 'git.corp.example/other'],
      ]);
    });
  });

  describe('when GONOSUMDB is narrower than GOPRIVATE', () => {
    it('reports MG503 for each private module sent to the sumdb', () => {
      const found = checkConfig(
        env({ GOPRIVATE: 'git.corp.example', GONOSUMDB: 'git.corp.example/team' }),
        MODULES,
        'go.mod',
      );
      expect(found.map((f) => [f.code, f.module])).toEqual([['MG503', 'git.corp.example/other']]);
    });

    it('treats GONOSUMDB=none as excluding nothing', () => {
      expect(codes({ GOPRIVATE: 'git.corp.example', GONOSUMDB: 'none' })).toEqual([
        'MG503',
        'MG503',
      ]);
    });
  });

  // sumdb.go useSumDB: GOSUMDB=off skips the database before GONOSUMDB is read.
  it('compares GONOSUMDB with GOPRIVATE only while GOSUMDB is on', () => {
    const narrower = { GOPRIVATE: 'git.corp.example', GONOSUMDB: 'git.corp.example/team' };
    const wider = { GOPRIVATE: 'git.corp.example/team', GONOSUMDB: 'github.com/pub' };
    expect(codes({ ...narrower, GOSUMDB: 'off' })).toEqual(['MG501']);
    expect(codes({ ...wider, GOSUMDB: 'off' })).toEqual(['MG501']);
    expect(codes({ ...narrower, GOSUMDB: 'sum.golang.org' })).toEqual(['MG503']);
  });

  it('matches globs by path elements, not string prefixes (module.MatchPrefixPatterns)', () => {
    expect(codes({ GOPRIVATE: '*.corp.example', GONOSUMDB: 'git.corp.example' })).toEqual([]);
    expect(codes({ GONOSUMDB: 'github.com/pu' })).toEqual([]);
  });

  // Go 1.19's `go get` refuses -insecure set to true (modget/get.go:276); the flag
  // package parses a value with strconv.ParseBool, and the last setting wins.
  it.each([
    '-insecure',
    '--insecure',
    '-insecure=true',
    '-insecure=T',
    '-insecure=1',
    '-mod=mod -insecure',
    '-insecure=false -insecure',
    '-insecure=junk',
  ])('reports GOFLAGS=%s (MG504)', (flags) => {
    expect(codes({ GOFLAGS: flags })).toEqual(['MG504']);
  });

  it.each([
    '-mod=mod',
    '-modcacherw',
    '-insecure=false',
    '--insecure=FALSE',
    '-insecure=0',
    '-insecure=f',
    '-insecure -insecure=False',
  ])('accepts GOFLAGS=%s', (flags) => {
    expect(codes({ GOFLAGS: flags })).toEqual([]);
  });

  it('reports GOINSECURE (MG505)', () => {
    expect(codes({ GOINSECURE: 'git.corp.example' })).toEqual(['MG505']);
  });

  describe('when a source uses plain http', () => {
    it('reports each non-loopback GOPROXY entry and the GOSUMDB URL, without credentials (MG506)', () => {
      const found = checkConfig(
        env({
          GOPROXY:
            'http://user:secret@athens.corp.example/a|http://mirror.example,https://ok.example,direct',
          GOSUMDB: 'sum.golang.org http://sumdb-mirror.example',
        }),
        [],
        'go.mod',
      );
      expect(found.map((f) => [f.code, f.witness])).toEqual([
        ['MG506', 'http://xxxxx@athens.corp.example/a'],
        ['MG506', 'http://mirror.example/'],
        ['MG506', 'http://sumdb-mirror.example/'],
      ]);
      expect(JSON.stringify(found)).not.toContain('secret');
    });

    it("reports modguard's own proxies and database URL, naming where each was given (MG506)", () => {
      const own = [
        { name: '--proxy', url: 'http://user:secret@mirror.corp.example/go?token=t0k' },
        { name: '--proxy', url: 'https://ok.example' },
        { name: '"proxies" in --config team.json', url: 'HTTP://Other.Example:8080' },
        { name: '--sumdb', url: 'http://sumdb.corp.example' },
      ];
      const found = checkConfig(env({}), [], 'go.mod', own);
      expect(found.map((f) => [f.code, f.file, f.witness, f.detail])).toEqual([
        [
          'MG506',
          'go.mod',
          'http://xxxxx@mirror.corp.example/go?xxxxx',
          '--proxy uses http://xxxxx@mirror.corp.example/go?xxxxx, a plain-http URL to a host that is not loopback.',
        ],
        [
          'MG506',
          'go.mod',
          'http://other.example:8080/',
          '"proxies" in --config team.json uses http://other.example:8080/, a plain-http URL to a host that is not loopback.',
        ],
        [
          'MG506',
          'go.mod',
          'http://sumdb.corp.example/',
          '--sumdb uses http://sumdb.corp.example/, a plain-http URL to a host that is not loopback.',
        ],
      ]);
      expect(JSON.stringify(found)).not.toMatch(/secret|t0k|user/);
    });

    it("accepts modguard's own loopback and https URLs, as the environment's", () => {
      const urls = [
        'http://127.0.0.1:8081',
        'http://127.9.9.9/x',
        'http://localhost:9/x',
        'http://[::1]:8083',
        'https://proxy.golang.org',
        'file:///srv/mirror',
      ];
      const own = urls.map((url) => ({ name: '--proxy', url }));
      expect(checkConfig(env({}), [], 'go.mod', own)).toEqual([]);
    });

    it('accepts loopback', () => {
      expect(
        codes({
          GOPROXY: 'http://127.0.0.1:8081,http://localhost:9/x',
          GOSUMDB: 'sum.golang.org http://[::1]:8083',
        }),
      ).toEqual([]);
    });
  });
});
