import { execa } from 'execa';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  smallWorld,
  startWorld,
  type World,
  type WorldVersion,
} from '../../../src/testing/world/index.js';
import { names, runCheckOn } from '../../integration/check/helpers.js';
import { goModuleEnv } from '../../support/go.js';

// The referee: Go 1.19.8's `go mod download -json` and `go mod verify`, through proxy A and
// the world sumdb, judge the same modules modguard checks against proxies A and B.
const TAMPERED = { path: 'example.test/greet', version: 'v1.0.0' };
const STALE = { path: 'example.test/light/v2', version: 'v2.0.1' };

interface GoDownload {
  Path: string;
  Version: string;
  Sum?: string;
  GoModSum?: string;
  Error?: string;
}

let world: World;
let dir: string;
let downloads: GoDownload[];

beforeAll(async () => {
  const spec = smallWorld([
    { kind: 'tamper', proxy: 'A', ...TAMPERED },
    { kind: 'stale', proxy: 'A', ...STALE },
  ]);
  world = await startWorld({ ...spec, git: false });
  dir = await mkdtemp(join(tmpdir(), 'modguard-referee-'));
  await mkdir(join(dir, 'app'));
  await writeFile(join(dir, 'app', 'go.mod'), 'module example.test/app\n\ngo 1.19\n');
  const run = await go(['mod', 'download', '-json', ...publicVersions().map(at)]);
  downloads = parseJsonStream(run.stdout);
});
afterAll(async () => {
  await world?.stop();
  if (dir !== undefined) {
    await execa('chmod', ['-R', 'u+w', '--', dir], { reject: false });
    await rm(dir, { recursive: true, force: true });
  }
});

const publicVersions = () => world.versions.filter((v) => !v.private);
const at = (v: { path: string; version: string }) => `${v.path}@${v.version}`;
const isBad = (v: WorldVersion) => v.served.A !== undefined;

/** go runs the go command in app/ with a sealed environment pointed at the world. */
function go(args: string[]) {
  const env = world.goEnv();
  return execa('go', args, {
    cwd: join(dir, 'app'),
    reject: false,
    timeout: 60_000,
    extendEnv: false,
    env: goModuleEnv(dir, {
      GO111MODULE: 'on',
      GOWORK: 'off',
      GOPROXY: world.proxyA.url,
      GOSUMDB: world.sumdb.gosumdb,
      GOPRIVATE: env.GOPRIVATE ?? '',
      GONOPROXY: env.GOPRIVATE ?? '',
      GONOSUMDB: env.GOPRIVATE ?? '',
    }),
  });
}

function parseJsonStream(text: string): GoDownload[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  return trimmed.split(/\n}\n{/).map((part, i, all) => {
    const open = i === 0 ? part : '{' + part;
    return JSON.parse(i === all.length - 1 ? open : open + '\n}') as GoDownload;
  });
}

function goSays(v: WorldVersion): GoDownload {
  const d = downloads.find((x) => x.Path === v.path && x.Version === v.version);
  expect(d, at(v)).toBeDefined();
  return d ?? { Path: v.path, Version: v.version };
}

describe('when Go 1.19 and modguard judge the same world', () => {
  it('every honest module: Go records the h1 modguard verifies, and go mod verify agrees', async () => {
    const honest = publicVersions().filter((v) => !isBad(v));
    expect(honest.length).toBeGreaterThanOrEqual(4);
    const lines = honest.flatMap((v) => {
      const d = goSays(v);
      expect(d.Error, at(v)).toBeUndefined();
      return [
        `${v.path} ${v.version} ${d.Sum ?? ''}`,
        `${v.path} ${v.version}/go.mod ${d.GoModSum ?? ''}`,
      ];
    });
    const goSum = `${lines.join('\n')}\n`;
    const { report, status } = await runCheckOn(world, { goSum });
    expect(report.findings).toEqual([]);
    expect(report.summary).toMatchObject({ lines: lines.length, verified: lines.length });
    expect(status).toBe(0);

    // go mod verify over a go.mod that requires one honest version of each module
    const latest = new Map(honest.map((v) => [v.path, v.version]));
    const require = [...latest].map(([p, ver]) => `\t${p} ${ver}\n`).join('');
    await writeFile(
      join(dir, 'app', 'go.mod'),
      `module example.test/app\n\ngo 1.19\n\nrequire (\n${require})\n`,
    );
    await writeFile(join(dir, 'app', 'go.sum'), goSum);
    const verify = await go(['mod', 'verify']);
    expect(verify.stderr + verify.stdout).toContain('all modules verified');
    expect(verify.exitCode).toBe(0);
  });

  it('every tampered or stale module in proxy A: Go refuses it, modguard reports its line', async () => {
    const bad = publicVersions().filter(isBad);
    expect(bad.map(at).sort()).toEqual([at(TAMPERED), at(STALE)].sort());
    const W = names(world);
    for (const v of bad) {
      const d = goSays(v);
      expect(d.Error, at(v)).toMatch(/checksum mismatch[\s\S]*SECURITY ERROR/);
      const served = v.served.A?.zipHash ?? '';
      expect(d.Error).toContain(`downloaded: ${served}`);
      // go.sum as the sumdb says: modguard blames proxy A on the zip line (MG102)
      const honestSum = `${v.path} ${v.version} ${v.zipHash}\n${v.path} ${v.version}/go.mod ${v.modHash}\n`;
      const honest = await runCheckOn(world, { goSum: honestSum });
      expect(honest.report.findings.map((f) => [f.code, f.line, f.witness])).toEqual([
        ['MG102', 1, W.A],
      ]);
      expect(honest.status).toBe(1);
      // go.sum as proxy A alone would have it (what Go refused to record): MG104 on that line
      const fromA = `${v.path} ${v.version} ${served}\n${v.path} ${v.version}/go.mod ${v.modHash}\n`;
      const taken = await runCheckOn(world, { goSum: fromA });
      expect(taken.report.findings.map((f) => [f.code, f.line])).toEqual([['MG104', 1]]);
      expect(taken.status).toBe(1);
    }
  });
});
