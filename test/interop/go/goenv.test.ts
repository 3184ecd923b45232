/**
 * loadGoEnv against the real go command (Go 1.19 here): `go env -w` writes the GOENV
 * file, and every value must come back with the right source.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GoError } from '../../../src/go/errors.js';
import { ToolchainError, loadGoEnv, parseGoEnvJson } from '../../../src/toolchain/goenv.js';

let dir = '';
let baseEnv: Record<string, string> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modguard-goenv-'));
  baseEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    GOENV: join(dir, 'goenv'),
    GOPATH: join(dir, 'gopath'),
    GOCACHE: join(dir, 'cache'),
    GOMODCACHE: join(dir, 'modcache'),
    GOTOOLCHAIN: 'local',
    GOPROXY: 'off',
  };
  // `go env -w` is the go command's own way to write the GOENV file.
  await execa(
    'go',
    ['env', '-w', 'GOPRIVATE=corp.example', 'GOSUMDB=off', 'GOINSECURE=old.example'],
    {
      env: baseEnv,
      extendEnv: false,
      cwd: dir,
    },
  );
});

afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

describe('when the go command is on PATH', () => {
  it('attributes every value to env, GOENV file or default', async () => {
    const report = await loadGoEnv({
      processEnv: { ...baseEnv, GOINSECURE: 'new.example', GOFLAGS: '-mod=mod' },
    });
    expect(report.usedGoCommand).toBe(true);
    expect(report.goVersion).toMatch(/^go1\./);
    expect(report.goEnvFile).toBe(join(dir, 'goenv'));
    const v = report.env.values;
    expect(v.GOPROXY).toEqual({ value: 'off', source: 'env' });
    expect(v.GOINSECURE).toEqual({ value: 'new.example', source: 'env' });
    expect(v.GOPRIVATE).toEqual({ value: 'corp.example', source: 'GOENV file' });
    expect(v.GOSUMDB).toEqual({ value: 'off', source: 'GOENV file' });
    expect(v.GONOSUMDB).toEqual({ value: 'corp.example', source: 'GOENV file', via: 'GOPRIVATE' });
    expect(v.GOVCS).toEqual({ value: '', source: 'default' });
    expect(report.env.proxy.map((e) => e.kind)).toEqual(['noproxy', 'off']);
    expect(report.env.modFlag).toBe('mod');
  });

  it('reports the defaults the go command reports', async () => {
    const report = await loadGoEnv({ processEnv: { ...baseEnv, GOPROXY: '', GOENV: 'off' } });
    expect(report.env.values.GOPROXY).toEqual({
      value: 'https://proxy.golang.org,direct',
      source: 'default',
    });
    expect(report.env.values.GOSUMDB).toEqual({ value: 'sum.golang.org', source: 'default' });
  });

  it('fails closed on a setting the go command would refuse', async () => {
    await expect(
      loadGoEnv({ processEnv: { ...baseEnv, GOPROXY: 'ftp://x.example' } }),
    ).rejects.toThrow(GoError);
  });
});

describe('when there is no go command', () => {
  it('uses the process environment only', async () => {
    const report = await loadGoEnv({ processEnv: { PATH: dir, GOPRIVATE: 'x.example' } });
    expect(report.usedGoCommand).toBe(false);
    expect(report.env.values.GOPRIVATE).toEqual({ value: 'x.example', source: 'env' });
    expect(report.env.values.GOSUMDB.source).toBe('default');
  });

  it('refuses output that is not a JSON object', () => {
    expect(() => parseGoEnvJson('[]')).toThrow(ToolchainError);
    expect(() => parseGoEnvJson('nope')).toThrow(ToolchainError);
    expect(parseGoEnvJson('{"A":"1","B":2,"__proto__":"x"}')).toEqual({ A: '1' });
  });
});
