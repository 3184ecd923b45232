import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkArgs, splitList } from '../../../src/action/inputs.js';
import { parseCheckOptions } from '../../../src/cli/check/options.js';
import { startWorld, type World } from '../../../src/testing/world/index.js';
import {
  BOT,
  startGitHubApi,
  type ApiCall,
  type GitHubApiStandIn,
  type Failure,
} from '../../support/github-api.js';

const modules = [
  { path: 'example.test/alpha', versions: ['v1.0.0'] },
  { path: 'example.test/beta', versions: ['v0.2.0'] },
  // asked only by the test of hostile text: the others' lines may be cached as verified
  { path: 'example.test/gamma', versions: ['v0.3.0'] },
];

let world: World;
let work: string;

beforeAll(async () => {
  world = await startWorld({
    modules,
    git: false,
    knobs: [{ kind: 'tamper', proxy: 'B', path: 'example.test/beta', version: 'v0.2.0' }],
  });
  work = await mkdtemp(join(tmpdir(), 'modguard-action-'));
});

afterAll(async () => {
  await world?.stop();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

/**
 * runAction runs the Action's entry as GitHub's runner does: INPUT_* variables, a
 * GITHUB_OUTPUT file, a GITHUB_STEP_SUMMARY file, and the `github` context's variables.
 */
async function runAction(
  project: string,
  inputs: Record<string, string>,
  github: Record<string, string> = {},
) {
  const output = join(work, `output-${Math.random().toString(36).slice(2)}`);
  const summary = `${output}-summary.md`;
  await writeFile(output, '');
  await writeFile(summary, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: work,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    GOSUMDB: world.sumdb.gosumdb,
    GOPROXY: 'off',
    GOFLAGS: '',
    GOENV: 'off',
    GOTOOLCHAIN: 'local',
    ...github,
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const r = await execa(process.execPath, ['--import', 'tsx', 'src/action/index.ts'], {
    env,
    extendEnv: false,
    reject: false,
  });
  return {
    ...r,
    outputs: await readFile(output, 'utf8'),
    summary: await readFile(summary, 'utf8'),
  };
}

async function project(name: string, which: readonly string[]): Promise<string> {
  const dir = join(work, name);
  await execa('mkdir', ['-p', '--', dir]);
  const chosen = modules.filter((m) => which.includes(m.path));
  const require = chosen.map((m) => `\t${m.path} ${m.versions[0]}\n`).join('');
  await writeFile(
    join(dir, 'go.mod'),
    `module example.test/app\n\ngo 1.21\n\nrequire (\n${require})\n`,
  );
  const lines = chosen.flatMap((m) => {
    const v = world.find(m.path, m.versions[0]!);
    return [`${m.path} ${v.version} ${v.zipHash}`, `${m.path} ${v.version}/go.mod ${v.modHash}`];
  });
  await writeFile(join(dir, 'go.sum'), `${lines.join('\n')}\n`);
  return dir;
}

describe('the Action', () => {
  it('turns inputs into check arguments in one place', () => {
    expect(splitList('https://a.test\n https://b.test ,\n')).toEqual([
      'https://a.test',
      'https://b.test',
    ]);
    expect(
      checkArgs({ workingDirectory: 'm', proxies: ['https://a.test'], failOn: 'warning' }),
    ).toEqual([...['--dir', 'm', '--fail-on', 'warning', '--proxy', 'https://a.test']]);
  });

  it('refuses one proxy listed twice in the proxies input, as the command does', async () => {
    const args = checkArgs({
      workingDirectory: 'm',
      proxies: splitList('https://proxy.test/\nhttps://PROXY.test:443'),
      failOn: 'error',
    });
    await expect(parseCheckOptions(args)).rejects.toThrow(
      /--proxy "https:\/\/proxy.test\/" and --proxy "https:\/\/PROXY.test:443" are the same proxy/,
    );
  });

  it('passes, and sets its outputs, when every line is verified', async () => {
    const dir = await project('honest', ['example.test/alpha']);
    const r = await runAction(dir, {
      'working-directory': dir,
      proxies: `${world.proxyA.url}\n${world.proxyB.url}`,
      'fail-on': 'error',
    });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.outputs).toMatch(/findings<<.*\n0\n/);
    expect(r.outputs).toMatch(/verified<<.*\n2\n/);
  });

  it('fails the step naming the finding when one proxy serves a tampered zip', async () => {
    const dir = await project('tampered', ['example.test/alpha', 'example.test/beta']);
    const r = await runAction(dir, {
      'working-directory': dir,
      proxies: `${world.proxyA.url}\n${world.proxyB.url}`,
      'fail-on': 'error',
    });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('MG102');
    expect(r.stdout).toContain('::error::modguard: the check failed: 1 finding(s)');
    expect(r.outputs).toMatch(/verified<<.*\n3\n/);
  });

  it('annotates the go.sum line of each finding and writes the job summary', async () => {
    const dir = await project('annotated', ['example.test/alpha', 'example.test/beta']);
    const r = await runAction(dir, {
      'working-directory': dir,
      proxies: `${world.proxyA.url}\n${world.proxyB.url}`,
    });
    expect(r.exitCode).toBe(1);
    // beta's zip line is go.sum's third line (alpha's two come first)
    const annotation = r.stdout
      .split('\n')
      .find((l) => l.startsWith('::error ') && l.includes(',file=go.sum,line=3::'));
    expect(annotation, r.stdout).toBeDefined();
    expect(annotation).toMatch(/title=modguard MG102%3A .*example\.test\/beta@v0\.2\.0/);
    expect(annotation).toMatch(/::.*%0A%0ARemedy: /);
    expect(r.summary).toMatch(/^## modguard: 1 finding\n/);
    expect(r.summary).toContain('| error | MG102 | go.sum:3 | example.test/beta v0.2.0 |');
    expect(r.summary).toContain('### error MG102: ');
  });

  it('prints the report with workflow commands stopped, so a server cannot issue one', async () => {
    // A 500 body is quoted in the report; the runner would act on "::cmd::" at the start
    // of a line and on "##[cmd]" anywhere in one (actions/runner ActionCommandManager).
    const hostile = {
      path: 'example.test/gamma',
      fault: { kind: 'status' as const, status: 500, body: '##[error]forged\n::warning::forged\n' },
    };
    world.proxyA.faults.push(hostile);
    try {
      const dir = await project('hostile', ['example.test/gamma']);
      const r = await runAction(dir, {
        'working-directory': dir,
        proxies: `${world.proxyA.url}\n${world.proxyB.url}`,
      });
      expect(r.exitCode).toBe(1);
      const stop = /^::stop-commands::([0-9a-f-]{36})$/m.exec(r.stdout);
      expect(stop, r.stdout).not.toBeNull();
      const token = stop?.[1] ?? '';
      const stopped = r.stdout.indexOf(stop?.[0] ?? '');
      const resumed = r.stdout.indexOf(`\n::${token}::\n`);
      expect(stopped).toBeLessThan(r.stdout.indexOf('forged'));
      expect(r.stdout.lastIndexOf('forged', resumed)).toBeGreaterThan(stopped);
      // the step's own failure is a command again
      expect(r.stdout.indexOf('::error::modguard: the check failed')).toBeGreaterThan(resumed);
      // the annotation quotes the body on one line: no command of the server's starts one
      const after = r.stdout.slice(resumed).split('\n');
      const quoting = after.filter((l) => l.includes('forged'));
      expect(quoting.length, after.join('\n')).toBeGreaterThan(0);
      for (const l of quoting)
        expect(l).toMatch(
          /^::(error|warning) title=modguard MG2\d\d%3A .*,file=go\.sum,line=[12]::/,
        );
      // in the job summary, as escaped text on the finding's lines
      expect(r.summary).toContain('\\#\\#\\[error\\]forged');
      expect(r.summary).not.toMatch(/^\s*(::|##\[)/m);
    } finally {
      world.proxyA.faults.splice(world.proxyA.faults.indexOf(hostile), 1);
    }
  });

  it('fails the step on a bad input value instead of defaulting', async () => {
    const dir = await project('bad-input', ['example.test/alpha']);
    const r = await runAction(dir, {
      'working-directory': dir,
      proxies: world.proxyA.url,
      'fail-on': 'sometimes',
    });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('--fail-on must be one of error, warning, notice');
  });

  it('fails the step on an empty proxies input instead of asking the public defaults', async () => {
    const dir = await project('no-proxies', ['example.test/alpha']);
    const r = await runAction(dir, { 'working-directory': dir, proxies: ' \n' });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('the proxies input is empty');
  });
});

describe('the pull-request comment', () => {
  const TOKEN = 'ghs_e2eToken0123456789abcdefABCDEFghij';
  const PULL = 7;
  let api: GitHubApiStandIn | undefined;

  afterEach(async () => {
    const problems = api?.problems ?? [];
    await api?.stop();
    api = undefined;
    expect(problems).toEqual([]);
  });

  /** pullRequest starts the API stand-in and gives the variables of a run for `event`. */
  async function pullRequest(
    event: string,
    options: {
      comments?: { body: string; user: typeof BOT }[];
      refuse?: (c: ApiCall) => Failure | undefined;
      lose?: (c: ApiCall) => Failure | undefined;
    } = {},
  ): Promise<Record<string, string>> {
    api = await startGitHubApi({
      token: TOKEN,
      owner: 'octo-org',
      repo: 'app',
      pull: PULL,
      ...options,
    });
    const path = join(work, `event-${Math.random().toString(36).slice(2)}.json`);
    await writeFile(
      path,
      JSON.stringify({ action: 'synchronize', pull_request: { number: PULL } }),
    );
    return {
      GITHUB_EVENT_NAME: event,
      GITHUB_EVENT_PATH: path,
      GITHUB_REPOSITORY: 'octo-org/app',
      GITHUB_API_URL: api.url,
      GITHUB_SERVER_URL: 'https://github.test',
      GITHUB_RUN_ID: '4242',
      GITHUB_WORKSPACE: work,
    };
  }

  const inputs = (dir: string, more: Record<string, string> = {}) => ({
    'working-directory': dir,
    proxies: `${world.proxyA.url}\n${world.proxyB.url}`,
    'github-token': TOKEN,
    ...more,
  });

  /** expectTokenHidden: the token shows only in the command that masks it, which the runner never prints. */
  function expectTokenHidden(r: { stdout: string; stderr: string }): void {
    expect(r.stdout.split(TOKEN)).toHaveLength(2);
    expect(r.stdout).toContain(`::add-mask::${TOKEN}\n`);
    expect(r.stdout.indexOf(`::add-mask::${TOKEN}`)).toBeLessThan(
      r.stdout.indexOf('::stop-commands::'),
    );
    expect(r.stderr).not.toContain(TOKEN);
  }

  it('comments on the pull request with the findings, and the step still fails on them', async () => {
    const dir = await project('pr-findings', ['example.test/alpha', 'example.test/beta']);
    const r = await runAction(dir, inputs(dir), await pullRequest('pull_request'));
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    expect(api?.writes().map((c) => [c.method, c.path])).toEqual([
      ['POST', '/repos/octo-org/app/issues/7/comments'],
    ]);
    const body = api?.comments[0]?.body ?? '';
    expect(body.split('\n')[0]).toBe('<!-- modguard:comment dir=pr-findings -->');
    expect(body).toContain(`\n${r.summary}`); // the job summary, as the comment's body
    expect(body).toContain('| error | MG102 | go.sum:3 | example.test/beta v0.2.0 |');
    expect(body).toContain('[workflow run](https://github.test/octo-org/app/actions/runs/4242)');
    expect(r.stdout).toContain(
      'modguard: commented on pull request #7: https://github.test/octo-org/app/pull/7#issuecomment-1000',
    );
    expectTokenHidden(r);
  });

  it('updates its earlier comment when the check is clean again', async () => {
    const dir = await project('pr-clean', ['example.test/alpha']);
    const earlier = { body: '<!-- modguard:comment dir=pr-clean -->\nMG102', user: BOT };
    const r = await runAction(
      dir,
      inputs(dir),
      await pullRequest('pull_request_target', { comments: [earlier] }),
    );
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(api?.writes().map((c) => c.method)).toEqual(['PATCH']);
    expect(api?.comments[0]?.body).toContain('## modguard: no findings');
    expectTokenHidden(r);
  });

  it("warns when the token may not comment (a fork's pull request), and the step's outcome is the check's", async () => {
    const dir = await project('pr-forbidden', ['example.test/alpha']);
    // a fork's token reads the pull request but may not write to it
    const refuse = (c: ApiCall) =>
      c.method === 'POST' && c.path !== '/graphql'
        ? { status: 403, message: 'Resource not accessible by integration' }
        : undefined;
    const r = await runAction(
      dir,
      inputs(dir, { comment: 'always' }),
      await pullRequest('pull_request', { refuse }),
    );
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(
      '::warning::modguard: the pull-request comment was not written: commenting on pull request #7: 403 Resource not accessible by integration (the token may not write comments: give the job `permissions: pull-requests: write`',
    );
    expect(r.stdout).not.toMatch(/^::error::/m);
    expect(r.outputs).toMatch(/verified<<.*\n2\n/);
    expectTokenHidden(r);
  });

  it('rides out a 502 and a lost answer to its POST: one comment, no warning', async () => {
    const dir = await project('pr-flaky', ['example.test/alpha', 'example.test/beta']);
    const failed = new Set<string>();
    const first = (c: ApiCall, failure: Failure) => {
      const key = `${c.method} ${c.path}`;
      if (c.path === '/graphql' || failed.has(key)) return undefined;
      failed.add(key);
      return failure;
    };
    // the first list answers 502 quoting the token; the first POST is made, its answer lost
    const bad = { status: 502, message: `Bad Gateway ${TOKEN}` };
    const github = await pullRequest('pull_request', {
      refuse: (c) => (c.method === 'GET' ? first(c, bad) : undefined),
      lose: (c) => (c.method === 'POST' ? first(c, 'reset') : undefined),
    });
    const r = await runAction(dir, inputs(dir), github);
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    expect(api?.writes().map((c) => c.method)).toEqual(['POST']);
    expect(api?.comments).toHaveLength(1);
    expect(r.stdout).toContain(
      'modguard: listing the comments of pull request #7: 502 Bad Gateway ***; trying again in',
    );
    expect(r.stdout).toContain('modguard: commented on pull request #7: ');
    expect(r.stdout).not.toMatch(/^::warning::/m);
    expectTokenHidden(r);
  });

  it('never prints the token, even when the API quotes it back', async () => {
    const dir = await project('pr-echo', ['example.test/alpha', 'example.test/beta']);
    const refuse = () => ({ status: 401, message: `Bad credentials: ${TOKEN}` });
    const r = await runAction(dir, inputs(dir), await pullRequest('pull_request', { refuse }));
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('401 Bad credentials: ***');
    expectTokenHidden(r);
  });

  it('asks nothing of the API on a push, or when the comment is off', async () => {
    const dir = await project('pr-quiet', ['example.test/alpha', 'example.test/beta']);
    const github = await pullRequest('pull_request');
    const push = await runAction(dir, inputs(dir), { ...github, GITHUB_EVENT_NAME: 'push' });
    expect(push.exitCode).toBe(1);
    expect(api?.calls).toEqual([]);
    const off = await runAction(dir, inputs(dir, { comment: 'off' }), github);
    expect(off.exitCode).toBe(1);
    expect(api?.calls).toEqual([]);
    expect(off.stdout).toContain('MG102');
  });

  describe('in a job with a matrix', () => {
    /** leg is the variables and inputs of one leg of workflow CI's job `check` */
    function leg(github: Record<string, string>, runId: string) {
      return { ...github, GITHUB_WORKFLOW: 'CI', GITHUB_JOB: 'check', GITHUB_RUN_ID: runId };
    }
    // as the runner gives ${{ toJSON(matrix) }}: indented, in the workflow's order
    const matrix = (go: string) => JSON.stringify({ go, os: 'ubuntu-latest' }, null, 2);

    it('keeps one comment per leg, each updated in place on the next push', async () => {
      const dir = await project('pr-matrix', ['example.test/alpha', 'example.test/beta']);
      const github = await pullRequest('pull_request');
      for (const [go, run] of [
        ['1.22', '1'],
        ['1.23', '1'],
        ['1.22', '2'],
      ] as const) {
        const r = await runAction(dir, inputs(dir, { matrix: matrix(go) }), leg(github, run));
        expect(r.exitCode, r.stdout + r.stderr).toBe(1);
        expectTokenHidden(r);
      }
      expect(api?.writes().map((c) => [c.method, c.path])).toEqual([
        ['POST', '/repos/octo-org/app/issues/7/comments'],
        ['POST', '/repos/octo-org/app/issues/7/comments'],
        ['PATCH', '/repos/octo-org/app/issues/comments/1000'],
      ]);
      const [first, second] = api?.comments.map((c) => c.body.split('\n')) ?? [];
      expect(api?.comments).toHaveLength(2);
      expect(first?.[0]).toMatch(
        /^<!-- modguard:comment dir=pr-matrix workflow=CI job=check matrix=\S+ -->$/,
      );
      expect(second?.[0]).not.toBe(first?.[0]);
      // each heading names its leg as GitHub's checks list does: job (values)
      expect(first?.[1]).toBe('## modguard · check \\(1.22, ubuntu\\-latest\\): 1 finding');
      expect(second?.[1]).toBe('## modguard · check \\(1.23, ubuntu\\-latest\\): 1 finding');
      expect(api?.comments[0]?.body).toContain('actions/runs/2)');
      expect(api?.comments[1]?.body).toContain('actions/runs/1)');
    });

    it('leaves the comment of the folder alone, which a single-leg job takes over', async () => {
      const dir = await project('pr-former', ['example.test/alpha', 'example.test/beta']);
      const former = '<!-- modguard:comment dir=pr-former -->';
      const github = await pullRequest('pull_request', {
        comments: [{ body: `${former}\nold report`, user: BOT }],
      });
      // a matrix leg cannot tell which leg the folder's comment was for: it starts its own
      const r = await runAction(dir, inputs(dir, { matrix: matrix('1.22') }), leg(github, '1'));
      expect(r.exitCode, r.stdout + r.stderr).toBe(1);
      expect(api?.writes().map((c) => c.method)).toEqual(['POST']);
      expect(api?.comments[0]?.body).toBe(`${former}\nold report`);
      // a job without a matrix updates it in place (twice: found by its new marker then)
      for (const run of ['2', '3']) {
        const single = await runAction(dir, inputs(dir), leg(github, run));
        expect(single.exitCode, single.stdout + single.stderr).toBe(1);
      }
      expect(api?.writes().map((c) => [c.method, c.path.split('/').pop()])).toEqual([
        ['POST', 'comments'],
        ['PATCH', '1000'],
        ['PATCH', '1000'],
      ]);
      expect(api?.comments).toHaveLength(2);
      const taken = api?.comments[0]?.body.split('\n') ?? [];
      expect(taken[0]).toBe('<!-- modguard:comment dir=pr-former workflow=CI job=check -->');
      expect(taken[1]).toBe('## modguard: 1 finding');
      expect(api?.comments[0]?.body).toContain('actions/runs/3)');
    });

    it('fails the step on a matrix input that is not a JSON object, before checking', async () => {
      const dir = await project('pr-bad-matrix', ['example.test/alpha']);
      const r = await runAction(
        dir,
        inputs(dir, { matrix: '1.22' }),
        await pullRequest('pull_request'),
      );
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toContain(
        "::error::modguard: the matrix input must be the job's matrix as JSON",
      );
      expect(api?.calls).toEqual([]);
    });
  });

  it('fails the step on a comment input it does not know, before checking', async () => {
    const dir = await project('pr-bad-input', ['example.test/alpha']);
    const r = await runAction(
      dir,
      inputs(dir, { comment: 'yes' }),
      await pullRequest('pull_request'),
    );
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(
      '::error::modguard: the comment input must be one of auto, always, off, not "yes"',
    );
    expect(api?.calls).toEqual([]);
  });
});
