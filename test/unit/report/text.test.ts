import { describe, expect, it } from 'vitest';
import { makeFinding } from '../../../src/check/findings.js';
import { summarize } from '../../../src/check/summary.js';
import { clean, renderText } from '../../../src/report/text.js';
import { H } from '../check/fixtures.js';
import { sampleReport } from './sample.js';

const ESC = '\u001b';

const EXPECTED = `Errors (1)

error MG102 proxy B serves a different copy of example.com/m@v1.2.3 (zip)
  at go.sum:7
  proxy B serves bytes that hash to ${H.B}; go.sum, proxy A and sumdb agree on ${H.A}. proxy B holds a tampered or stale copy.
    witness  url                                                h1 / error
    go.sum   go.sum:7                                           ${H.A}
    proxy A  http://127.0.0.1:8081/example.com/m/@v/v1.2.3.zip  ${H.A}
    proxy B  http://127.0.0.1:8082/example.com/m/@v/v1.2.3.zip  ${H.B}
    sumdb    http://127.0.0.1:8083/lookup/example.com/m@v1.2.3  ${H.A}
  remedy: Stop using proxy B until its operator explains the difference; report it to them with the evidence. The go.sum line itself agrees with the checksum database.

Warnings (2)

warning MG505 GOINSECURE is set
  at go.mod
  GOINSECURE is "git.corp.example".
  remedy: Unset GOINSECURE, or narrow it to one internal host; the checksum database still protects public modules.

warning MG201 proxy A could not answer for example.com/n@v1.2.3 (zip)
  at go.sum:9
  proxy A (http://127.0.0.1:8081/example.com/m/@v/v1.2.3.zip): got an HTML page with status 200 (HTML_PAGE).
    witness  url                                                h1 / error
    proxy A  http://127.0.0.1:8081/example.com/m/@v/v1.2.3.zip  error: got an HTML page with status 200 (HTML_PAGE)
  remedy: Run the check again; if proxy A keeps failing, check its URL and your network, or configure another witness.

Notices (1)

notice MG401 duplicate go.sum line for example.com/m@v1.2.3 (zip)
  at go.sum:11
  go.sum:11 repeats go.sum:7.
  remedy: Remove the duplicate line, or run \`go mod tidy\`.

modguard: 3 go.sum lines: 1 verified, 1 mismatched, 1 inconclusive, 0 skipped; 4 findings (1 error, 2 warnings, 1 notice)
`;

describe('renderText', () => {
  describe('when colour is off', () => {
    it('groups by severity with evidence tables and a closing summary line', () => {
      expect(renderText(sampleReport(), { color: false })).toBe(EXPECTED);
    });

    it('writes no escape sequence', () => {
      expect(renderText(sampleReport(), { color: false })).not.toContain(ESC);
    });
  });

  describe('when colour is on', () => {
    const coloured = renderText(sampleReport(), { color: true });

    it('colours severities and titles', () => {
      expect(coloured).toContain(`${ESC}[1;31merror MG102${ESC}[0m`);
      expect(coloured).toContain(`${ESC}[1;33mWarnings (2)${ESC}[0m`);
      expect(coloured).toContain(`${ESC}[1;36mnotice MG401${ESC}[0m`);
    });

    it('says the same as without colour', () => {
      const sgr = new RegExp(`${ESC}\\[[0-9;]*m`, 'g');
      expect(coloured.replace(sgr, '')).toBe(EXPECTED);
    });
  });

  describe('when there are no findings', () => {
    it('prints the summary line only', () => {
      expect(renderText(summarize([]), { color: true })).toBe(
        'modguard: 0 go.sum lines: 0 verified, 0 mismatched, 0 inconclusive, 0 skipped; 0 findings (0 errors, 0 warnings, 0 notices)\n',
      );
    });
  });

  describe('when a witness sends control characters', () => {
    it('replaces them, so no escape sequence reaches the terminal', () => {
      const hostile = makeFinding(
        'MG201',
        {
          module: 'example.com/m',
          version: 'v1.0.0',
          kind: 'zip',
          file: 'go.sum',
          line: 1,
          witness: 'proxy A',
        },
        `proxy A said: ${ESC}]0;pwned${ESC}\\ and \u009b31m`,
        [{ witness: 'proxy A', url: 'http://127.0.0.1/', h1: null, error: `${ESC}[2J cleared` }],
      );
      const text = renderText(summarize([], [hostile]), { color: false });
      expect(text).not.toContain(ESC);
      expect(text).not.toContain('\u009b');
      expect(text).toContain('\ufffd[2J cleared');
    });

    it('keeps each evidence row on one line, so a newline cannot start a line of its own', () => {
      const error = 'reading http://127.0.0.1/m.zip: 500\n::error::forged\nmodguard: 0 findings';
      const hostile = makeFinding(
        'MG201',
        { module: 'example.com/m', version: 'v1.0.0', kind: 'zip', file: 'go.sum', line: 1 },
        'proxy A could not answer.',
        [{ witness: 'proxy A', url: 'http://127.0.0.1/m.zip', h1: null, error }],
      );
      const lines = renderText(summarize([], [hostile]), { color: false }).split('\n');
      const row = lines.filter((l) => l.includes('proxy A  http://127.0.0.1/m.zip'));
      expect(row).toEqual([
        '    proxy A  http://127.0.0.1/m.zip  error: reading http://127.0.0.1/m.zip: 500\ufffd::error::forged\ufffdmodguard: 0 findings',
      ]);
      expect(lines.filter((l) => l.startsWith('::') || l.startsWith('modguard: 0 f'))).toEqual([]);
    });

    it('keeps printable text, including non-ASCII', () => {
      expect(clean('tab\there ünïcode\nnext')).toBe('tab\ufffdhere ünïcode\nnext');
    });
  });
});
