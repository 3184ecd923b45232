import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage, UsageError } from '../../errors.js';
import { hashGoMod } from '../../hash/dirhash.js';
import { hashModuleFiles } from '../../hash/modzip.js';
import type { VendorRule } from '../../hash/vendor.js';
import { hashZip } from '../../hash/zipentry.js';
import { hashModuleZip } from '../../hash/zipcheck.js';
import { readZip } from '../../hash/zipread.js';
import { listModuleDir, openFileSource } from '../../vcs/dirfiles.js';
import { withGitModuleTree } from '../../vcs/gitzip.js';
import { codeDir } from '../../vcs/locate.js';
import { parseCommandArgs } from '../args.js';
import { Exit, type CliIO, type Command } from '../io.js';

const usage = [
  'modguard hash zip FILE.zip [--module M --version V]',
  '       modguard hash dir DIR --module M --version V [--vendor-rule auto|old|new]',
  '       modguard hash git REPO REF --module M --version V [--subdir D | --root IMPORTPATH]',
  '         [--vendor-rule auto|old|new]',
].join('\n');

const moduleOptions = {
  module: { type: 'string' },
  version: { type: 'string' },
  'vendor-rule': { type: 'string' },
} as const;

/**
 * hashCommand computes go.sum hashes the way the go command does: `zip` prints the
 * h1 of a module zip (dirhash.HashZip; with --module/--version the zip must also pass
 * checkZip), `dir` and `git` print the two go.sum lines of a module built from a
 * directory (zip.CreateFromDir) or a git revision (GOPROXY=direct). Output is written
 * only after everything succeeded.
 */
export const hashCommand: Command = {
  name: 'hash',
  summary: 'compute go.sum hashes of a zip, a directory or a git tag',
  usage,
  run: async (args, io) => {
    const [sub, ...rest] = args;
    switch (sub) {
      case 'zip':
        return hashZipFile(rest, io);
      case 'dir':
        return hashDir(rest, io);
      case 'git':
        return hashGit(rest, io);
      default:
        throw new UsageError(
          sub === undefined ? 'missing subcommand: zip, dir or git' : `unknown subcommand "${sub}"`,
        );
    }
  },
};

async function hashZipFile(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, moduleOptions, { min: 1, max: 1 });
  const file = positionals[0] ?? '';
  if ((values.module === undefined) !== (values.version === undefined)) {
    throw new UsageError('--module and --version go together');
  }
  const source = await openFileSource(file);
  try {
    const h1 =
      values.module !== undefined && values.version !== undefined
        ? await hashModuleZip(values.module, values.version, source)
        : await hashZip(await readZip(source));
    io.stdout.write(`${h1}\n`);
    return Exit.ok;
  } finally {
    await source.close();
  }
}

async function hashDir(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, moduleOptions, { min: 1, max: 1 });
  const dir = positionals[0] ?? '';
  const { module, version } = requireModule(values);
  const listing = await listModuleDir(dir, vendorRule(values['vendor-rule']));
  const zipHash = await hashModuleFiles(module, version, listing.files, {
    vendorRule: listing.vendorRule,
  });
  const mod = await readFile(join(dir, 'go.mod')).catch(() => Buffer.from(`module ${module}\n`));
  io.stdout.write(goSumLines(module, version, zipHash, hashGoMod(mod)));
  return Exit.ok;
}

async function hashGit(args: string[], io: CliIO): Promise<number> {
  const options = {
    ...moduleOptions,
    subdir: { type: 'string' },
    root: { type: 'string' },
  } as const;
  const { values, positionals } = parseCommandArgs(args, options, { min: 2, max: 2 });
  const [repo = '', ref = ''] = positionals;
  const { module, version } = requireModule(values);
  const rule = vendorRule(values['vendor-rule']);
  const { subdir, root } = moduleDir(module, values.subdir, values.root);
  const request = { repo, ref, modulePath: module, version, subdir, root };
  const lines = await withGitModuleTree(request, async (tree) => {
    const zipHash = await hashModuleFiles(module, version, tree.files, { vendorRule: rule });
    return goSumLines(module, version, zipHash, hashGoMod(tree.mod));
  });
  io.stdout.write(lines);
  return Exit.ok;
}

/**
 * moduleDir is the module's codeDir from --subdir, or from --root (the repository
 * root's import path, as go-import names it); given both, they must agree.
 */
function moduleDir(
  module: string,
  subdir: string | undefined,
  root: string | undefined,
): { subdir: string; root?: string } {
  if (root === undefined) return { subdir: subdir ?? '' };
  let derived: string;
  try {
    derived = codeDir(module, root);
  } catch (err) {
    throw new UsageError(`--root: ${errorMessage(err)}`);
  }
  if (subdir !== undefined && subdir.replace(/\/$/, '') !== derived) {
    throw new UsageError(
      `--subdir ${JSON.stringify(subdir)} disagrees with --root ${root}, which puts ${module} in ${JSON.stringify(derived)}`,
    );
  }
  return { subdir: derived, root };
}

function requireModule(values: { module?: string; version?: string }): {
  module: string;
  version: string;
} {
  if (values.module === undefined || values.version === undefined) {
    throw new UsageError('--module and --version are required');
  }
  return { module: values.module, version: values.version };
}

function vendorRule(value: string | undefined): VendorRule | 'auto' {
  if (value === undefined || value === 'auto' || value === 'old' || value === 'new')
    return value ?? 'auto';
  throw new UsageError(`--vendor-rule must be auto, old or new, not "${value}"`);
}

/** goSumLines formats the two go.sum lines for a module version (cmd/go modfetch/fetch.go). */
function goSumLines(module: string, version: string, zipHash: string, modHash: string): string {
  return `${module} ${version} ${zipHash}\n${module} ${version}/go.mod ${modHash}\n`;
}
