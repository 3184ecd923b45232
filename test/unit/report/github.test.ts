import { describe, expect, it } from 'vitest';
import { makeFinding } from '../../../src/check/findings.js';
import { summarize } from '../../../src/check/summary.js';
import {
  annotations,
  COMMENT_MAX_CHARS,
  markdownText,
  renderJobSummary,
  renderPullRequestComment,
  SUMMARY_DETAILS,
  SUMMARY_ROWS,
} from '../../../src/report/github.js';
import { sampleReport } from './sample.js';

describe('GitHub annotations', () => {
  it('puts each finding on its go.sum line, at its severity, errors first', () => {
    const report = sampleReport();
    const list = annotations(report);
    expect(list).toHaveLength(report.findings.length);
    expect(list.map((a) => a.level)).toEqual(report.findings.map((f) => f.severity));
    const mismatch = list.find((a) => a.title.startsWith('modguard MG102: '));
    expect(mismatch).toMatchObject({ level: 'error', file: 'go.sum', line: 7 });
    expect(mismatch?.message).toContain('Remedy: ');
    const insecure = list.find((a) => a.title.startsWith('modguard MG505: '));
    expect(insecure).toMatchObject({ file: 'go.mod', line: undefined });
  });

  it('replaces control characters a witness wrote, and keeps the title one line', () => {
    const f = makeFinding(
      'MG201',
      { module: 'example.com/m', version: 'v1.0.0', kind: 'zip', file: 'go.sum', line: 3 },
      'proxy said: \u001b[31mred\u001b[0m\r\nnext',
    );
    const [a] = annotations(summarize([], [f]));
    expect(a?.message).not.toContain('\u001b');
    expect(a?.message).not.toContain('\r');
    expect(a?.title).not.toContain('\n');
  });
});

describe('the job summary', () => {
  it('tables every finding with where it is, then its detail, evidence and remedy', () => {
    const md = renderJobSummary(sampleReport());
    expect(md).toMatch(/^## modguard: 4 findings\n/);
    expect(md).toContain('| error | MG102 | go.sum:7 | example.com/m v1.2.3 |');
    expect(md).toContain('### error MG102: ');
    expect(md).toMatch(/\| Witness \| URL \| h1 or error \|/);
    expect(md).toContain('HTML page with status 200');
    expect(md).toContain('Remedy: ');
    expect(md).not.toContain('more findings than shown');
  });

  it('says so when nothing was found', () => {
    expect(renderJobSummary(summarize([], []))).toMatch(
      /^## modguard: no findings\n\nmodguard: 0 go.sum lines/,
    );
  });

  it('renders hostile text as text: no link, image, HTML, mention, cell break or new line', () => {
    const hostile =
      '[x](https://evil.test) ![i](https://evil.test/i.png) <img src=x> @octocat | a\n# b `c` *d*';
    const out = markdownText(hostile);
    expect(out).not.toContain('\n');
    const special = /[\\`*_{}[\]()<>#+\-!|~@&$]/;
    // every special character is escaped, none is left bare
    expect(out.replace(/\\[\\`*_{}[\]()<>#+\-!|~@&$]/g, '')).not.toMatch(special);
    // and removing the escapes gives the text back
    expect(out.replace(/\\(.)/g, '$1')).toBe(hostile.replace('\n', ' '));
    const f = makeFinding(
      'MG201',
      { module: 'example.com/m', version: 'v1.0.0', kind: 'zip', file: 'go.sum', line: 3 },
      hostile,
    );
    const md = renderJobSummary(summarize([], [f]));
    expect(md).toContain('\\[x\\]\\(https://evil.test\\) \\!\\[i\\]');
    expect(md).toContain('\\<img src=x\\> \\@octocat \\| a \\# b');
    for (const line of md.split('\n').filter((l) => l.startsWith('| ') && l.includes('MG201'))) {
      expect(line.split(/(?<!\\)\|/)).toHaveLength(7); // 5 cells: the pipe in the text is escaped
    }
  });

  it('caps the table and the details, and says how many more the log has', () => {
    const many = Array.from({ length: SUMMARY_ROWS + 3 }, (_, i) =>
      makeFinding(
        'MG401',
        { module: 'example.com/m', version: 'v1.0.0', kind: 'zip', file: 'go.sum', line: i + 2 },
        `go.sum:${i + 2} repeats go.sum:1.`,
      ),
    );
    const md = renderJobSummary(summarize([], many));
    expect(md.split('\n').filter((l) => l.startsWith('| notice | MG401 |'))).toHaveLength(
      SUMMARY_ROWS,
    );
    expect(md.split('\n').filter((l) => l.startsWith('### '))).toHaveLength(SUMMARY_DETAILS);
    expect(md).toContain('3 more findings than shown in the table');
    expect(md).toContain(
      `${SUMMARY_ROWS + 3 - SUMMARY_DETAILS} more findings than shown with their details`,
    );
  });
});

describe('the pull-request comment', () => {
  const marker = '<!-- modguard:comment dir=. -->';

  it('is the marker line, then the job summary, then the folder and the run', () => {
    const report = sampleReport();
    const body = renderPullRequestComment(report, {
      marker,
      directory: 'tools/go',
      runUrl: 'https://github.example/o/r/actions/runs/42',
    });
    expect(body.startsWith(`${marker}\n${renderJobSummary(report)}\n`)).toBe(true);
    expect(body).toMatch(
      /\n<sub>modguard checked go.sum in tools\/go · \[workflow run\]\(https:\/\/github.example\/o\/r\/actions\/runs\/42\)<\/sub>\n$/,
    );
    expect(body).not.toContain('stops here');
  });

  it('names the repository root and escapes a folder name', () => {
    const root = renderPullRequestComment(summarize([], []), { marker, directory: '.' });
    expect(root).toContain('modguard checked go.sum in the repository root</sub>');
    const odd = renderPullRequestComment(summarize([], []), { marker, directory: 'a](x)<b>' });
    expect(odd).toContain('in a\\]\\(x\\)\\<b\\></sub>');
  });

  it("stops under GitHub's limit with many findings, at a line, saying where the rest is", () => {
    const many = Array.from({ length: SUMMARY_ROWS }, (_, i) =>
      makeFinding(
        'MG201',
        {
          module: `example.com/m${i}`,
          version: 'v1.0.0',
          kind: 'zip',
          file: 'go.sum',
          line: i + 1,
        },
        `proxy said: ${'x'.repeat(2_000)}`,
      ),
    );
    const report = summarize([], many);
    const summary = renderJobSummary(report);
    expect(summary.length).toBeGreaterThan(COMMENT_MAX_CHARS);
    const runUrl = 'https://github.example/o/r/actions/runs/42';
    const body = renderPullRequestComment(report, { marker, directory: '.', runUrl });
    expect(body.length).toBeLessThanOrEqual(COMMENT_MAX_CHARS);
    expect(body.length).toBeGreaterThan(COMMENT_MAX_CHARS - 2_200); // cut at the last line that fits
    const [kept, rest] = body.split('\n**This comment stops here**: ');
    expect(summary.startsWith(kept!.slice(marker.length + 1))).toBe(true);
    expect(kept!.endsWith('\n')).toBe(true);
    expect(rest).toContain(`the job summary of the [workflow run](${runUrl})`);
    expect(body.endsWith('</sub>\n')).toBe(true);
  });
});
