import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorDetail, looksLikeHtml } from '../../../src/proxy/body.js';
import { latestFromList } from '../../../src/proxy/client.js';
import { redactText, redactUrl, sourceLabel } from '../../../src/proxy/redact.js';
import { pathEscape } from '../../../src/proxy/wire.js';

describe('pathEscape (Go url.PathEscape, then "/" restored: G/modfetch/proxy.go:447)', () => {
  // Expected values computed with Go 1.19.8: strings.ReplaceAll(url.PathEscape(s), "%2F", "/").
  it.each([
    ['github.com/!azure/azure-sdk-for-go/@v/list', 'github.com/%21azure/azure-sdk-for-go/@v/list'],
    ['@v/v1.0.0+incompatible.zip', '@v/v1.0.0+incompatible.zip'],
    ['a b?c#d;e,f', 'a%20b%3Fc%23d%3Be%2Cf'],
    ["$&+:=@~-_.!*'()", '$&+:=@~-_.%21%2A%27%28%29'],
    ['é', '%C3%A9'],
  ])('%s → %s', (input, want) => {
    expect(pathEscape(input)).toBe(want);
  });

  it('property: keeps exactly the literal bytes and decodes back to its input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        const out = pathEscape(s);
        expect(out).toMatch(/^(?:[A-Za-z0-9\-_.~$&+:=@/]|%[0-9A-F]{2})*$/);
        expect(decodeURIComponent(out)).toBe(s);
        const literal = /^[A-Za-z0-9\-_.~$&+:=@/]*$/.test(s);
        expect(out === s).toBe(literal);
      }),
      { numRuns: 500 },
    );
  });
});

describe('redaction', () => {
  it('hides user and password in URLs', () => {
    expect(redactUrl('https://me:tok@proxy.corp/x')).toBe('https://xxxxx@proxy.corp/x');
    expect(redactUrl('https://tok@proxy.corp/x')).toBe('https://xxxxx@proxy.corp/x');
    expect(redactUrl('https://proxy.corp/x')).toBe('https://proxy.corp/x');
    expect(redactUrl('https://proxy.corp/x?token=tok&a=b')).toBe('https://proxy.corp/x?xxxxx');
    expect(redactUrl('not a url tok@x')).toBe('<unparsable URL>');
    expect(sourceLabel('https://me:tok@proxy.corp/')).toBe('https://xxxxx@proxy.corp');
  });

  it('hides userinfo inside free text', () => {
    expect(redactText('connect https://me:tok@h/x failed')).toBe(
      'connect https://xxxxx@h/x failed',
    );
  });
});

describe('looksLikeHtml', () => {
  it.each([
    ['<!DOCTYPE html><html>', '', true],
    ['\n  <html lang="en">', 'application/octet-stream', true],
    ['\uFEFF<!doctype html>', '', true],
    ['<p>hi</p>', 'text/html; charset=utf-8', true],
    ['<p>hi</p>', 'text/plain', false],
    ['module example.test/x\n', 'text/html', false],
    ['{"Version":"v1.0.0"}', 'text/html', false],
    ['PK\u0003\u0004', 'text/html', false],
  ])('%j with %j → %s', (body, ct, want) => {
    expect(looksLikeHtml(Buffer.from(body), ct)).toBe(want);
  });
});

describe('errorDetail (G/web/api.go formatErrorDetail)', () => {
  it('keeps up to 8 lines of text/plain, tab-indented', () => {
    const body = Buffer.from('not found: x\nline2\n');
    expect(errorDetail(body, 'text/plain; charset=utf-8')).toBe('\n\tnot found: x\n\tline2');
  });

  it('ignores other content types and control characters', () => {
    expect(errorDetail(Buffer.from('x'), 'text/html')).toBe('');
    expect(errorDetail(Buffer.from('x\u001b[31m'), 'text/plain')).toBe('');
  });
});

describe('latestFromList (G/modfetch/proxy.go latestFromList)', () => {
  it.each([
    ['v1.0.0\nv2.0.0\n', undefined],
    ['v1.0.0 2020-01-01T00:00:00Z\nv0.9.0 2021-01-01T00:00:00Z\n', 'v0.9.0'],
    ['v1.0.0 2020-01-01T00:00:00Z\nv1.1.0 2020-01-01T00:00:00Z\n', 'v1.0.0'],
    [
      'v0.0.0-20220101000000-abcdefabcdef\nv1.0.0 2021-01-01T00:00:00Z\n',
      'v0.0.0-20220101000000-abcdefabcdef',
    ],
    ['v1.0.0 not-a-time\nbogus 2030-01-01T00:00:00Z\n', undefined],
  ])('%j → %s', (list, want) => {
    expect(latestFromList(list)).toBe(want);
  });
});
