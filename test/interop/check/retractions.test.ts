/**
 * The retraction check (MG601) against Go 1.19's own: `go list -m -retracted M@V` reads a
 * file:// proxy (G/modload/modfile.go CheckRetractions, which loads the go.mod of the
 * version Query(M, "latest") picks with every version allowed), and modguard, reading the
 * same proxy, must call the same required versions retracted, with the same rationales.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRetracted, retractedBy } from '../../../src/check/retract.js';
import { retractionsFromProxies } from '../../../src/cli/check/retractions.js';
import { ProxyClient } from '../../../src/proxy/client.js';
import { FileTransport } from '../../../src/proxy/file-transport.js';
import { goModuleEnv } from '../../support/go.js';

/** A served module: each listed version's go.mod text, and what its @latest says, if anything. */
interface Served {
  readonly versions: Readonly<Record<string, string>>;
  /** a version @latest answers that @v/list does not show (a pseudo-version) */
  readonly unlisted?: Readonly<Record<string, string>>;
  readonly latest?: string;
}

const mod = (path: string, body = '') => `module ${path}\n${body === '' ? '' : `\n${body}\n`}`;

// example.test/<name> → what the proxy serves. Comments say what each case pins down.
const MODULES: Record<string, (path: string) => Served> = {
  // The latest release retracts itself and everything before it; a proxy's @latest (as
  // proxy.golang.org's does) names the newest version that is not retracted.
  selfretract: (p) => ({
    versions: {
      'v1.0.0': mod(p),
      'v1.1.0': mod(p, 'retract [v1.0.0, v1.1.0] // all bad'),
    },
    latest: 'v1.0.0',
  }),
  // A release wins over a higher pre-release; @latest says the pre-release.
  prerelease: (p) => ({
    versions: {
      'v1.0.0': mod(p),
      'v1.1.0-rc.1': mod(p, 'retract v1.0.0 // the pre-release says'),
    },
    latest: 'v1.1.0-rc.1',
  }),
  // Only pre-releases: the highest one.
  onlypre: (p) => ({
    versions: {
      'v1.0.0-a': mod(p),
      'v1.0.0-b': mod(p, 'retract v1.0.0-a // a was broken'),
    },
  }),
  // The latest compatible version has a go.mod of its own: +incompatible versions do not count.
  incompatgomod: (p) => ({
    versions: {
      'v1.0.0': mod(p, 'go 1.19'),
      'v2.0.0+incompatible': mod(p, 'retract v1.0.0 // incompatible says'),
    },
    latest: 'v2.0.0+incompatible',
  }),
  // The latest compatible version has no go.mod (the proxy synthesizes one): they do.
  incompatlegacy: (p) => ({
    versions: {
      'v1.0.0': mod(p),
      'v2.0.0+incompatible': mod(p, 'retract v1.0.0 // incompatible says'),
      'v2.1.0+incompatible': mod(p, 'retract [v1.0.0, v2.0.0] // newest says'),
    },
    latest: 'v1.0.0',
  }),
  // Interval edges, several directives, and one without a rationale.
  edges: (p) => ({
    versions: {
      'v1.3.0': mod(
        p,
        'retract (\n\t[v1.0.0, v1.2.0] // range\n\tv0.9.0\n\tv0.9.0 // twice\n\tv2.0.0 // not ours\n)',
      ),
    },
  }),
  // Short versions stand for their canonical forms (modfile parseVersion).
  short: (p) => ({
    versions: { 'v1.6.0': mod(p, 'retract [v1, v1.1]\nretract v1.3 // three') },
  }),
  // A bound that is no version compares below every version (semver.Compare), as the go
  // command reads a dependency's go.mod laxly: a low bound of junk reaches down to the
  // bottom; a high bound of junk covers nothing.
  junkbounds: (p) => ({
    versions: {
      'v1.6.0': mod(p, 'retract [junk, v1.5.0] // bad low\nretract [v1.5.5, junk] // bad high'),
    },
  }),
  // Nothing listed: @latest's pseudo-version is the latest.
  pseudo: (p) => ({
    versions: {},
    unlisted: { 'v0.0.0-20240101000000-abcdefabcdef': mod(p, 'retract v0.1.0 // pseudo says') },
    latest: 'v0.0.0-20240101000000-abcdefabcdef',
  }),
};

// Required versions to judge: module name → versions.
const REQUIRED: [string, string][] = [
  ['selfretract', 'v1.0.0'],
  ['selfretract', 'v1.1.0'],
  ['prerelease', 'v1.0.0'],
  ['onlypre', 'v1.0.0-a'],
  ['onlypre', 'v1.0.0-b'],
  ['incompatgomod', 'v1.0.0'],
  ['incompatlegacy', 'v1.0.0'],
  ['incompatlegacy', 'v2.0.0+incompatible'],
  ['incompatlegacy', 'v2.1.0+incompatible'],
  ['edges', 'v0.9.0'],
  ['edges', 'v1.0.0-rc.1'],
  ['edges', 'v1.0.0'],
  ['edges', 'v1.1.5'],
  ['edges', 'v1.2.0-rc.1'],
  ['edges', 'v1.2.0'],
  ['edges', 'v1.2.1'],
  ['edges', 'v1.3.0'],
  ['short', 'v1.0.0'],
  ['short', 'v1.1.0'],
  ['short', 'v1.1.1'],
  ['short', 'v1.3.0'],
  ['pseudo', 'v0.1.0'],
  ['junkbounds', 'v0.0.1'],
  ['junkbounds', 'v1.5.0'],
  ['junkbounds', 'v1.5.5'],
];

let dir = '';
let proxyDir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modguard-retract-'));
  proxyDir = join(dir, 'proxy');
  for (const [name, serve] of Object.entries(MODULES)) {
    const path = `example.test/${name}`;
    const served = serve(path);
    const at = join(proxyDir, path, '@v');
    await mkdir(at, { recursive: true });
    const all = { ...served.versions, ...served.unlisted };
    for (const [v, text] of Object.entries(all)) {
      await writeFile(join(at, `${v}.mod`), text);
      await writeFile(
        join(at, `${v}.info`),
        JSON.stringify({ Version: v, Time: '2024-01-01T00:00:00Z' }),
      );
    }
    await writeFile(
      join(at, 'list'),
      Object.keys(served.versions)
        .map((v) => `${v}\n`)
        .join(''),
    );
    // A required version Go must find (`go list` stats it) but the list does not show.
    for (const [n, v] of REQUIRED) {
      if (n !== name || v in all) continue;
      await writeFile(join(at, `${v}.mod`), mod(path));
      await writeFile(
        join(at, `${v}.info`),
        JSON.stringify({ Version: v, Time: '2024-01-01T00:00:00Z' }),
      );
    }
    if (served.latest !== undefined) {
      const info = { Version: served.latest, Time: '2024-01-01T00:00:00Z' };
      await writeFile(join(proxyDir, path, '@latest'), JSON.stringify(info));
    }
  }
  await mkdir(join(dir, 'app'));
  await writeFile(join(dir, 'app', 'go.mod'), 'module example.test/app\n\ngo 1.19\n');
});

afterAll(async () => {
  if (dir === '') return;
  await execa('chmod', ['-R', 'u+w', '--', dir], { reject: false });
  await rm(dir, { recursive: true, force: true });
});

/** goRetracted is Go's `Retracted` for path@version: its rationales, or [] when not retracted. */
async function goRetracted(path: string, version: string): Promise<string[]> {
  const { stdout, stderr } = await execa(
    'go',
    ['list', '-m', '-retracted', '-json', `${path}@${version}`],
    {
      cwd: join(dir, 'app'),
      extendEnv: false,
      timeout: 30_000,
      env: goModuleEnv(dir, { GOPROXY: pathToFileURL(proxyDir).href }),
    },
  );
  const out = JSON.parse(stdout) as { Retracted?: string[]; Error?: { Err: string } };
  expect(out.Error, stderr).toBeUndefined();
  return out.Retracted ?? [];
}

/** ourRetracted is modguard's verdict on path@version, in Go's words: its rationales, or []. */
async function ourRetracted(path: string, version: string): Promise<string[]> {
  const client = new ProxyClient(pathToFileURL(proxyDir).href, new FileTransport());
  const ranges = await retractionsFromProxies([client], path, 10_000);
  expect(ranges, 'the retractions could be read').toBeDefined();
  const subject = { module: path, version, file: 'go.mod', line: 1 };
  const findings = checkRetracted(subject, ranges ?? []);
  if (findings.length === 0) return [];
  const why = retractedBy(version, ranges ?? []).flatMap((r) =>
    r.rationale === '' ? [] : [r.rationale],
  );
  return why.length === 0 ? ['retracted by module author'] : why;
}

describe('when Go 1.19 and modguard read the same retractions', () => {
  it.each(REQUIRED)('%s %s', async (name, version) => {
    const path = `example.test/${name}`;
    const [go, ours] = await Promise.all([goRetracted(path, version), ourRetracted(path, version)]);
    expect(ours).toEqual(go);
  });
});
