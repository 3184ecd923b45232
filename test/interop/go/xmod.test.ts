/**
 * The Go referee: golang.org/x/mod v0.7.0 (Debian's golang-golang-x-mod-dev, built in
 * GOPATH mode with Go 1.19) answers thousands of generated questions about paths,
 * versions, globs and pseudo-versions, and modguard's port must answer every one alike.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GoError } from '../../../src/go/errors.js';
import * as mod from '../../../src/go/module.js';
import { pathMatch, isBadPattern } from '../../../src/go/pathmatch.js';
import * as pseudo from '../../../src/go/pseudo.js';
import * as semver from '../../../src/go/semver.js';
import { type Case, xmodCases } from './cases.js';
import { goModCases } from './gomod-cases.js';
import { parseGoMod, readGoModLax } from '../../../src/go/gomod.js';
import { parseGoWork } from '../../../src/go/gowork.js';
import { GO_LETTER_RANGES } from '../../../src/go/unicode-letters.js';

interface Answer {
  ok: boolean;
  out: string;
  n: number;
}

let dir = '';
let referee = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modguard-xmodref-'));
  referee = join(dir, 'xmodref');
  await execa('go', ['build', '-o', referee, './test/interop/go/xmodref'], {
    env: {
      GO111MODULE: 'off',
      GOPATH: `/usr/share/gocode:${dir}`,
      GOCACHE: join(dir, 'cache'),
      GOFLAGS: '',
      GOTOOLCHAIN: 'local',
      GOPROXY: 'off',
      GOSUMDB: 'off',
    },
    timeout: 60_000,
  });
}, 90_000);

afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

function attempt(f: () => string): Answer {
  try {
    return { ok: true, out: f(), n: 0 };
  } catch (err) {
    if (err instanceof GoError) return { ok: false, out: '', n: 0 };
    throw err;
  }
}

const yes = (ok: boolean): Answer => ({ ok, out: '', n: 0 });
const value = (out: string): Answer => ({ ok: true, out, n: 0 });

function ours(c: Case): Answer {
  const a = c.a;
  const b = c.b ?? '';
  switch (c.op) {
    case 'checkPath':
      return attempt(() => (mod.checkPath(a), ''));
    case 'checkImportPath':
      return attempt(() => (mod.checkImportPath(a), ''));
    case 'checkFilePath':
      return attempt(() => (mod.checkFilePath(a), ''));
    case 'check':
      return attempt(() => (mod.check(a, b), ''));
    case 'escapePath':
      return attempt(() => mod.escapePath(a));
    case 'escapeVersion':
      return attempt(() => mod.escapeVersion(a));
    case 'unescapePath':
      return attempt(() => mod.unescapePath(a));
    case 'unescapeVersion':
      return attempt(() => mod.unescapeVersion(a));
    case 'splitPathVersion': {
      const s = mod.splitPathVersion(a);
      return { ok: s.ok, out: `${s.prefix}|${s.pathMajor}`, n: 0 };
    }
    case 'checkPathMajor':
      return attempt(() => (mod.checkPathMajor(a, b), ''));
    case 'canonicalVersion':
      return value(mod.canonicalVersion(a));
    case 'matchPrefixPatterns':
      return yes(mod.matchPrefixPatterns(a, b));
    case 'pathMatch':
      return isBadPattern(a, b) ? { ok: false, out: 'bad', n: 0 } : yes(pathMatch(a, b));
    default:
      return oursVersion(c.op, a, b, c);
  }
}

function oursVersion(op: string, a: string, b: string, c: Case): Answer {
  switch (op) {
    case 'pseudoVersion':
      return value(pseudo.pseudoVersion(a, b, new Date((c.t ?? 0) * 1000), c.c ?? ''));
    case 'isPseudoVersion':
      return yes(pseudo.isPseudoVersion(a));
    case 'pseudoVersionBase':
      return attempt(() => pseudo.pseudoVersionBase(a));
    case 'pseudoVersionRev':
      return attempt(() => pseudo.pseudoVersionRev(a));
    case 'pseudoVersionTime': {
      const r = attempt(() => String(pseudo.pseudoVersionTime(a).getTime() / 1000));
      // Go returns the zero time.Time on error, whose Unix() is -62135596800.
      return { ok: r.ok, out: '', n: r.ok ? Number(r.out) : -62135596800 };
    }
    case 'isValid':
      return yes(semver.isValid(a));
    case 'canonical':
      return value(semver.canonical(a));
    case 'major':
      return value(semver.major(a));
    case 'majorMinor':
      return value(semver.majorMinor(a));
    case 'prerelease':
      return value(semver.prerelease(a));
    case 'build':
      return value(semver.build(a));
    case 'compare':
      return { ok: true, out: '', n: semver.compare(a, b) };
    case 'max':
      return value(semver.max(a, b));
  }
  throw new Error(`unknown op ${op}`);
}

describe('when golang.org/x/mod referees the port', () => {
  const cases = xmodCases();

  it(`answers all ${cases.length} generated cases alike`, async () => {
    const { stdout } = await execa(referee, [], { input: JSON.stringify(cases), timeout: 30_000 });
    const theirs = JSON.parse(stdout) as Answer[];
    expect(theirs).toHaveLength(cases.length);
    const mismatches = cases.flatMap((c, i) => {
      const want = theirs[i];
      const got = ours(c);
      return JSON.stringify(got) === JSON.stringify(want) ? [] : [{ case: c, go: want, ours: got }];
    });
    expect(mismatches.slice(0, 20)).toEqual([]);
  });

  it('asks about all 26 ops', () => {
    const ops = new Set(cases.map((c) => c.op));
    expect(ops.size).toBe(26);
  });
});

/** goQuote renders s as Go's %q does for the strings go.mod parsing can produce. */
function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    const esc: Record<string, string> = {
      '\x07': '\\a',
      '\b': '\\b',
      '\f': '\\f',
      '\n': '\\n',
      '\r': '\\r',
      '\t': '\\t',
      '\v': '\\v',
      '\\': '\\\\',
      '"': '\\"',
    };
    if (esc[ch] !== undefined) out += esc[ch];
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** summarizeGoMod renders a parse the way xmodref's parseGoMod does. */
function summarizeGoMod(text: string): Answer {
  const f = parseGoMod(text);
  if (f.errors.length > 0) {
    const lines = [...new Set(f.errors.map((e) => e.line ?? -1))].sort((a, b) => a - b);
    return { ok: false, out: `[${lines.join(' ')}]`, n: 0 };
  }
  const q = goQuote;
  let out = '';
  if (f.module) out += `module ${q(f.module.path)} ${q(f.module.deprecated)} ${f.module.line}\n`;
  if (f.go) out += `go ${q(f.go.version)} ${f.go.line}\n`;
  for (const r of f.require)
    out += `require ${q(r.path)} ${q(r.version)} ${r.indirect} ${r.line}\n`;
  for (const r of f.exclude) out += `exclude ${q(r.path)} ${q(r.version)} ${r.line}\n`;
  for (const r of f.replace)
    out += `replace ${q(r.old.path)} ${q(r.old.version)} ${q(r.new.path)} ${q(r.new.version)} ${r.line}\n`;
  for (const r of f.retract)
    out += `retract ${q(r.low)} ${q(r.high)} ${q(r.rationale)} ${r.line}\n`;
  return { ok: true, out, n: 0 };
}

describe('when unicode.IsLetter referees the letter table', () => {
  it('matches Go 1.19 range for range', async () => {
    const { stdout } = await execa(referee, [], {
      input: JSON.stringify([{ op: 'letterRanges', a: '' }]),
      timeout: 30_000,
    });
    const [answer] = JSON.parse(stdout) as Answer[];
    expect(answer?.out).toBe(GO_LETTER_RANGES);
  });
});

describe('when modfile.Parse referees parseGoMod', () => {
  const texts = goModCases();

  it(`parses all ${texts.length} go.mod texts alike (directives, lines, error lines)`, async () => {
    const cases = texts.map((a) => ({ op: 'parseGoMod', a }));
    const { stdout } = await execa(referee, [], { input: JSON.stringify(cases), timeout: 30_000 });
    const theirs = JSON.parse(stdout) as Answer[];
    const mismatches = texts.flatMap((text, i) => {
      const got = summarizeGoMod(text);
      return JSON.stringify(got) === JSON.stringify(theirs[i])
        ? []
        : [{ text, go: theirs[i], ours: got }];
    });
    expect(mismatches.slice(0, 10)).toEqual([]);
    const valid = theirs.filter((a) => a.ok).length;
    expect(valid).toBeGreaterThan(texts.length / 10);
    expect(valid).toBeLessThan(texts.length - texts.length / 10);
  });
});

describe('when modfile.ParseWork referees parseGoWork', () => {
  // x/mod v0.7.0 knows go, use and replace (toolchain and godebug came later).
  const texts = [
    'go 1.19\n\nuse ./a\n',
    'go 1.19\nuse (\n\t./a\n\t"./b c"\n)\n',
    'use ./a\nfoo bar\n',
    'use ./a\nmodule example.com/x\n',
    'use ./a\nrequire example.com/x v1.0.0\n',
    'use ./a\nreplace example.com/x => \n',
    'use ./a\nreplace example.com/x v1.0.0 => ../x\n',
    'use ./a\nreplace example.com/x => example.com/y v1.2.3\n',
    'use ./a\nreplace example.com/x => example.com/y\n',
    'use ./a\nreplace (\n\texample.com/x => ../x\n\tbad\n)\n',
    'use ./a\nrequire (\n\texample.com/x v1.0.0\n)\n',
    'use ./a ./b\n',
    'use\n',
    'go 1.19\ngo 1.20\nuse ./a\n',
    'go one\nuse ./a\n',
    'use ./a\nexclude example.com/x v1.0.0\n',
    'use "./a\n',
    'use ./a // comment\nuse ( // c\n ./b\n)\n',
  ];

  it(`reads the use directives of ${texts.length} go.work texts alike, and refuses the same lines`, async () => {
    const cases = texts.map((a) => ({ op: 'parseGoWork', a }));
    const { stdout } = await execa(referee, [], { input: JSON.stringify(cases), timeout: 30_000 });
    const theirs = JSON.parse(stdout) as Answer[];
    const mismatches = texts.flatMap((text, i) => {
      const w = parseGoWork(text);
      const lines = [...new Set(w.errors.map((e) => e.line ?? -1))].sort((a, b) => a - b);
      const got =
        w.errors.length > 0
          ? { ok: false, out: `[${lines.join(' ')}]`, n: 0 }
          : { ok: true, out: w.use.map((u) => `use ${goQuote(u.dir)} ${u.line}\n`).join(''), n: 0 };
      return JSON.stringify(got) === JSON.stringify(theirs[i])
        ? []
        : [{ text, go: theirs[i], ours: got }];
    });
    expect(mismatches).toEqual([]);
    expect(theirs.filter((a) => !a.ok).length).toBeGreaterThan(5);
  });
});

describe('when modfile.ParseLax referees parseGoModLax', () => {
  it('reads module and go alike, or fails alike', async () => {
    const texts = goModCases().map((t) => t.replace(/^go .*$/m, 'go v1.21rc1'));
    const cases = texts.map((a) => ({ op: 'parseGoModLax', a }));
    const { stdout } = await execa(referee, [], { input: JSON.stringify(cases), timeout: 30_000 });
    const theirs = JSON.parse(stdout) as Answer[];
    const mismatches = texts.flatMap((text, i) => {
      const lax = readGoModLax(text);
      const got = { ok: lax.ok, out: lax.ok ? `${lax.module ?? ''}|${lax.go ?? ''}` : '', n: 0 };
      return JSON.stringify(got) === JSON.stringify(theirs[i])
        ? []
        : [{ text, go: theirs[i], ours: got }];
    });
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(theirs.filter((a) => a.out.endsWith('|1.21')).length).toBeGreaterThan(50);
  });
});
