import { describe, expect, it } from 'vitest';
import { codeDir } from '../../../src/vcs/locate.js';

// The cases of coderepo.go newCodeRepo's comment, plus the ones it refuses.
describe('codeDir', () => {
  it.each([
    ['github.com/rsc/foo/bar/v2', 'github.com/rsc/foo', 'bar'],
    ['github.com/rsc/foo/v2', 'github.com/rsc/foo', ''],
    ['github.com/rsc/foo', 'github.com/rsc/foo', ''],
    ['nanomsg.org/go/mangos/v2', 'nanomsg.org/go/mangos/v2', ''],
    ['gopkg.in/yaml.v2', 'gopkg.in/yaml.v2', ''],
    ['example.com/a/b/c', 'example.com/a', 'b/c'],
  ])('puts %s under the root %s in %j', (module, root, dir) => {
    expect(codeDir(module, root)).toBe(dir);
  });

  it.each([
    ['example.com/ab', 'example.com/a'],
    ['example.com/other/v2', 'example.com/a'],
    ['example.com/a/v2', 'example.com/a/v2/x'],
  ])('refuses %s under the root %s', (module, root) => {
    expect(() => codeDir(module, root)).toThrow(/not inside repository root/);
  });
});
