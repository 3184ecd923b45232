import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { escapePath } from '../../../src/go/module.js';
import type { World } from '../../../src/testing/world/index.js';
import {
  proxyFlags,
  requestCount,
  run,
  worldEnv,
  writeFiles,
  writeProject,
  type Requirement,
} from './helpers.js';
import { useCliWorld, flaky, honest, retracted, tampered } from './world.js';

let world: World;
let home: string;
const temps = useCliWorld((w, h) => ((world = w), (home = h)));

/** check writes a project requiring `reqs` and runs `modguard check --no-cache` on it. */
async function check(reqs: readonly Requirement[], flags: string[] = []) {
  const dir = await temps.make();
  await writeProject(world, dir, reqs);
  const result = await run(
    ['check', '--dir', dir, ...proxyFlags(world), '--no-cache', ...flags],
    worldEnv(world, home),
  );
  return { ...result, dir };
}

/**
 * shape is a value's structure: objects become their keys in order with each value's
 * shape, arrays the shape of their first element, scalars their JSON type (null is
 * "nullable" so `string | null` fields compare equal whichever they hold).
 */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return [value.length === 0 ? 'empty' : shape(value[0])];
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).map(([k, v]) => [k, shape(v)]);
  }
  return value === null || typeof value === 'string' ? 'string|null' : typeof value;
}

/** stripAnsi removes SGR escape sequences (ESC [ … m). */
function stripAnsi(text: string): string {
  const [first = '', ...rest] = text.split('\u001b');
  return first + rest.map((part) => part.replace(/^\[[0-9;]*m/, '')).join('');
}

/** documentedExample is the JSON example of docs/json-format.md, parsed. */
function documentedExample(): unknown {
  const doc = readFileSync(new URL('../../../docs/json-format.md', import.meta.url), 'utf8');
  const block = /```json\n([\s\S]*?)\n```/.exec(doc)?.[1];
  if (block === undefined) throw new Error('docs/json-format.md has no json block');
  return JSON.parse(block);
}

describe('when every witness agrees', () => {
  it('exits 0 and the text report says every line was verified', async () => {
    const r = await check(honest);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      'modguard: 6 go.sum lines: 6 verified, 0 mismatched, 0 inconclusive, 0 skipped; ' +
        '0 findings (0 errors, 0 warnings, 0 notices)\n',
    );
    expect(r.out).not.toContain('\u001b[');
    const c = requestCount(world);
    expect(c.a).toBeGreaterThan(0);
    expect(c.b).toBeGreaterThan(0);
    expect(c.sumdb).toBeGreaterThan(0);
  });

  it('with --sumdb off asks no checksum database, whatever GOSUMDB says, and says so (MG507)', async () => {
    const r = await check(honest, ['--sumdb', 'off', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(requestCount(world).sumdb).toBe(0);
    const report = JSON.parse(r.out) as { findings: { code: string; detail: string }[] };
    expect(report.findings.map((f) => [f.code, f.detail])).toEqual([
      ['MG507', '--sumdb off: no line was checked against a checksum database.'],
    ]);
    const config = join(r.dir, 'modguard.json');
    await writeFile(config, JSON.stringify({ sumdb: 'off' }));
    const viaConfig = await check(honest, ['--config', config]);
    expect(viaConfig.code).toBe(0);
    expect(viaConfig.out).toContain(`"sumdb": "off" in --config ${config}`);
  });

  it('with --sumdb "key url" asks that database although GOSUMDB=off', async () => {
    const dir = await temps.make();
    await writeProject(world, dir, honest);
    const env = { ...worldEnv(world, home), GOSUMDB: 'off' };
    const off = await run(['check', '--dir', dir, ...proxyFlags(world), '--no-cache'], env);
    expect(off.code).toBe(0);
    expect(requestCount(world).sumdb).toBe(0);
    const flags = ['--sumdb', world.sumdb.gosumdb];
    const on = await run(
      ['check', '--dir', dir, ...proxyFlags(world), '--no-cache', ...flags],
      env,
    );
    expect(on.code).toBe(0);
    expect(requestCount(world).sumdb).toBeGreaterThan(0);
  });
});

describe('when a proxy is a file:// directory', () => {
  it('reads it as the go command reads GOPROXY=file://…, and verifies every line', async () => {
    const root = await temps.make();
    for (const [path, versions] of world.proxyB.store) {
      const at = join(root, escapePath(path), '@v');
      await mkdir(at, { recursive: true });
      for (const [version, v] of versions) {
        await writeFile(join(at, `${version}.info`), JSON.stringify(v.info));
        await writeFile(join(at, `${version}.mod`), v.mod);
        await writeFile(join(at, `${version}.zip`), v.zip);
      }
    }
    const dir = await temps.make();
    await writeProject(world, dir, honest);
    const flags = ['--proxy', `file://${root}`, '--proxy', world.proxyA.url, '--no-cache'];
    const r = await run(
      ['check', '--dir', dir, ...flags, '--format', 'json'],
      worldEnv(world, home),
    );
    const report = JSON.parse(r.out) as { summary: { lines: number; verified: number } };
    expect(report.summary).toMatchObject({ lines: 6, verified: 6 });
    expect(r.code).toBe(0);
  });
});

describe('when proxy B serves a tampered zip', () => {
  it('exits 1 and the text report groups the error with its evidence table', async () => {
    const r = await check([...honest, tampered]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^Errors \(1\)\n\nerror MG102 /);
    expect(r.out).toContain('  at go.sum:');
    expect(r.out).toMatch(/\n {4}witness +url +h1 \/ error\n/);
    const b = world.find(tampered.path, tampered.version).served.B?.zipHash ?? 'none';
    expect(r.out).toContain(b);
    expect(r.out).toContain('  remedy: ');
  });

  it('--format json is exactly the documented shape', async () => {
    const r = await check([...honest, tampered], ['--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as {
      findings: { code: string; file: string; evidence: { h1: unknown; error: unknown }[] }[];
    };
    expect(shape(report)).toEqual(shape(documentedExample()));
    expect(r.out.endsWith('}\n')).toBe(true);
    expect(report.findings.map((f) => f.code)).toEqual(['MG102']);
    expect(report.findings[0]?.file).toBe('go.sum');
    for (const e of report.findings[0]?.evidence ?? []) {
      expect((e.h1 === null) !== (e.error === null)).toBe(true);
    }
    const again = await check([...honest, tampered], ['--format', 'json']);
    expect(again.out).toBe(r.out);
  });

  it('--format sarif validates against the SARIF 2.1.0 schema', async () => {
    const r = await check([...honest, tampered], ['--format', 'sarif']);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.out) as { runs: { results: { ruleId: string }[] }[] };
    expect(validateSarif(log)).toEqual([]);
    expect(log.runs[0]?.results.map((x) => x.ruleId)).toEqual(['MG102']);
  });

  it('--output writes the report to the file only', async () => {
    const out = join(await temps.make(), 'report.json');
    const r = await check([...honest, tampered], ['--format', 'json', '--output', out]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    const written = JSON.parse(await readFile(out, 'utf8')) as { findings: unknown[] };
    expect(written.findings).toHaveLength(1);
  });
});

describe('on a terminal', () => {
  it('colours the text report, unless NO_COLOR is set or the report goes to --output', async () => {
    const dir = await temps.make();
    await writeProject(world, dir, [...honest, tampered]);
    const argv = ['check', '--dir', dir, ...proxyFlags(world), '--no-cache'];
    const env = worldEnv(world, home);
    const tty = { stdout: true, stderr: true };
    const coloured = await run(argv, env, tty);
    expect(coloured.out).toContain('\u001b[1;31mErrors (1)\u001b[0m');
    const plain = await run(argv, { ...env, NO_COLOR: '1' }, tty);
    expect(plain.out).not.toContain('\u001b[');
    expect(plain.out.replace(/\s+/g, ' ')).toBe(stripAnsi(coloured.out).replace(/\s+/g, ' '));
    const file = join(await temps.make(), 'report.txt');
    expect((await run([...argv, '--output', file], env, tty)).code).toBe(1);
    expect(await readFile(file, 'utf8')).not.toContain('\u001b[');
    // a quick run draws no progress line, even on a terminal
    expect(coloured.err).toBe('');
  });
});

describe('on a terminal, a long run', () => {
  it('draws a progress line on stderr, and only there', async () => {
    const dir = await temps.make();
    await writeProject(world, dir, honest);
    const slow = { path: honest[0]?.path ?? '', fault: { kind: 'slow' as const, delayMs: 1300 } };
    world.proxyB.faults.push(slow);
    try {
      const argv = ['check', '--dir', dir, ...proxyFlags(world), '--no-cache'];
      const r = await run(argv, worldEnv(world, home), { stdout: false, stderr: true });
      expect(r.code, r.err).toBe(0);
      expect(r.err).toMatch(/^(\rmodguard: checked [1-6]\/6 go\.sum lines)+\n$/);
      expect(r.err).toContain('\rmodguard: checked 6/6 go.sum lines\n');
      expect(r.out).not.toContain('checked');
    } finally {
      world.proxyB.faults.splice(world.proxyB.faults.indexOf(slow), 1);
    }
  });
});

describe("when the lines are in go.work.sum or a workspace module's go.sum", () => {
  it('titles, remedies and details name that file, not "go.sum"', async () => {
    const dir = await temps.make();
    const greet = world.find('example.test/greet', 'v1.0.0');
    const yaml = world.find(tampered.path, tampered.version);
    const EDITED = 'h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
    await writeFiles(dir, {
      'go.work': 'go 1.21\n\nuse ./a\n',
      'go.work.sum': [
        `${greet.path} ${greet.version} ${EDITED}`, // MG101
        `${greet.path} ${greet.version}/go.mod ${greet.modHash}`,
        `${yaml.path} ${yaml.version} ${yaml.zipHash}`, // MG102: proxy B serves another copy
        `${yaml.path} ${yaml.version}/go.mod ${yaml.modHash}`,
        `${greet.path} ${greet.version}/go.mod ${greet.modHash}`, // MG401
        'bad line', // MG405
        '',
      ].join('\n'),
      // MG403: a requirement no file of the workspace records
      'a/go.mod': 'module example.test/a\n\ngo 1.21\n\nrequire example.test/light/v2 v2.0.1\n',
      'a/go.sum': '',
    });
    const r = await run(
      ['check', '--dir', dir, ...proxyFlags(world), '--no-cache', '--format', 'json'],
      worldEnv(world, home),
    );
    const report = JSON.parse(r.out) as {
      findings: { code: string; file: string; title: string; detail: string; remedy: string }[];
    };
    const by = (code: string) => report.findings.find((f) => f.code === code);
    expect(by('MG101')?.title).toBe(
      'go.work.sum differs from every witness for example.test/greet@v1.0.0 (zip)',
    );
    expect(by('MG101')?.remedy).toContain('(git log -p go.work.sum)');
    expect(by('MG101')?.detail).toMatch(/^go\.work\.sum records h1:A/);
    expect(by('MG102')?.remedy).toContain('The go.work.sum line itself agrees');
    expect(by('MG102')?.detail).toContain('go.work.sum, ');
    expect(by('MG401')?.title).toBe(
      'duplicate go.work.sum line for example.test/greet@v1.0.0 (go.mod)',
    );
    expect(by('MG405')?.title).toBe('malformed go.work.sum line');
    expect(by('MG403')).toMatchObject({
      file: 'a/go.mod',
      title: 'a/go.sum has no line for example.test/light/v2@v2.0.1 (go.mod)',
    });
    for (const f of report.findings.filter((x) => x.file === 'go.work.sum')) {
      // "go.sum" alone, not as the end of "go.work.sum" or of a path
      expect(`${f.title}\n${f.detail}\n${f.remedy}`, f.code).not.toMatch(/(^|[^/.\w])go\.sum\b/);
    }
  });
});

describe('when a usage error stops the check', () => {
  it('exits 2 and writes nothing to --output, keeping what was there', async () => {
    const outDir = await temps.make();
    const fresh = join(outDir, 'fresh.json');
    const kept = join(outDir, 'kept.json');
    await writeFile(kept, 'old\n');
    for (const [flags, file] of [
      [['--format', 'yaml'], fresh],
      [['--fail-on', 'never'], kept],
      [['--changed-since', 'HEAD'], kept],
      [['--proxy', `${world.proxyA.url.toUpperCase()}/`], kept],
    ] as const) {
      const r = await check(honest, [...flags, '--output', file]);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(/^modguard check: .*\nusage: modguard check /);
    }
    expect(await readdir(outDir)).toEqual(['kept.json']);
    expect(await readFile(kept, 'utf8')).toBe('old\n');
    expect(requestCount(world)).toEqual({ a: 0, b: 0, sumdb: 0 });
  });

  it('exits 2 when the check cannot run: a GOSUMDB the go command would refuse', async () => {
    const dir = await temps.make();
    await writeProject(world, dir, honest);
    const env = { ...worldEnv(world, home), GOSUMDB: 'not a valid value' };
    const r = await run(['check', '--dir', dir, ...proxyFlags(world), '--no-cache'], env);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^modguard check: invalid Go environment:\nGOSUMDB=/);
  });

  it('exits 2 for a GOAUTH mode it cannot run, rather than ignoring it', async () => {
    const dir = await temps.make();
    await writeProject(world, dir, honest);
    const env = { ...worldEnv(world, home), GOAUTH: 'git /srv' };
    const r = await run(['check', '--dir', dir, ...proxyFlags(world), '--no-cache'], env);
    expect(r.code).toBe(2);
    expect(r.err).toContain('GOAUTH mode "git" is not supported');
  });

  it('names the Go environment first when --dir is wrong too (go env runs beside the file reads)', async () => {
    const env = { ...worldEnv(world, home), GOSUMDB: 'not a valid value' };
    const r = await run(['check', '--dir', join(home, 'nowhere'), '--offline'], env);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^modguard check: invalid Go environment:\nGOSUMDB=/);
    expect(r.err).not.toContain('nowhere');
  });

  it('exits 2 for a --dir that does not exist', async () => {
    const r = await run(
      ['check', '--dir', join(home, 'nowhere'), '--offline'],
      worldEnv(world, home),
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain('nowhere');
  });
});

describe('when a witness cannot answer', () => {
  it('the line is inconclusive and fails the check unless --allow-inconclusive', async () => {
    const r = await check([...honest, flaky], ['--format', 'json']);
    const report = JSON.parse(r.out) as { summary: { inconclusive: number } };
    expect(report.summary.inconclusive, r.out).toBeGreaterThan(0);
    expect(r.code, r.out).toBe(1);
    const allowed = await check([...honest, flaky], ['--allow-inconclusive']);
    expect(allowed.code, allowed.out + allowed.err).toBe(0);
    expect(allowed.out).toMatch(/inconclusive/);
  });
});

describe('retractions', () => {
  // Go falls back along its GOPROXY list; a first proxy that cannot list the module
  // once hid the retraction the second proxy announces.
  it('are read from the second proxy when the first cannot list the module', async () => {
    const fault = {
      path: retracted.path,
      endpoint: 'list',
      fault: { kind: 'status', status: 500 },
    } as const;
    world.proxyA.faults.push(fault);
    try {
      const r = await check([...honest, retracted]);
      expect(r.out).toContain('warning MG601 example.test/db@v1.3.0 is retracted');
    } finally {
      world.proxyA.faults.splice(world.proxyA.faults.indexOf(fault), 1);
    }
  });
});

describe('--fail-on', () => {
  it('a retracted requirement (a warning) passes by default and fails at --fail-on warning', async () => {
    const r = await check([...honest, retracted]);
    expect(r.out).toContain('warning MG601');
    expect(r.code).toBe(0);
    expect((await check([...honest, retracted], ['--fail-on', 'warning'])).code).toBe(1);
    expect((await check([...honest, retracted], ['--fail-on', 'notice'])).code).toBe(1);
    expect((await check(honest, ['--fail-on', 'notice'])).code).toBe(0);
  });
});

const require = createRequire(import.meta.url);
const SARIF_SCHEMA = JSON.parse(
  readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
) as Record<string, unknown>;
// unicodeRegExp: false for the schema's stray `]` (see test/unit/report/sarif.test.ts).
const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
ajvFormats.default(ajv);
const sarifValidator = ajv.compile(SARIF_SCHEMA);

function validateSarif(log: unknown): unknown[] {
  return sarifValidator(log) ? [] : [...(sarifValidator.errors ?? [{ message: 'invalid' }])];
}
