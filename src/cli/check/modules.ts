import { readdir, readFile, realpath } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { UsageError } from '../../errors.js';
import type { ModuleFiles, SourceFile } from '../../check/run.js';
import { parseGoWork } from '../../go/gowork.js';

/** SKIP are folders never searched for nested modules (the go command ignores them too, or they are not ours). */
const SKIP = new Set(['vendor', 'testdata', 'node_modules']);

/**
 * findModules lists the module folders to check under `dir`: the folders named by a
 * go.work `use` directive when `dir` holds a go.work (go.dev/ref/mod#workspaces), else
 * `dir` itself; with `recursive`, every folder below with a go.mod as well (skipping
 * vendor, testdata, node_modules and dot or underscore folders, as `./...` does).
 * Paths are real paths (symbolic links resolved), as git names the work tree.
 */
export async function findModules(dir: string, recursive: boolean): Promise<string[]> {
  const root = await realpath(resolve(dir));
  const work = await readOptional(join(root, 'go.work'));
  const dirs = new Set<string>();
  if (work !== undefined) {
    const parsed = parseGoWork(work, display(root, join(root, 'go.work')));
    if (parsed.errors.length > 0)
      throw new UsageError(parsed.errors.map((e) => e.message).join('\n'));
    for (const u of parsed.use) dirs.add(resolve(root, u.dir));
  } else {
    dirs.add(root);
  }
  if (recursive) for (const d of await nestedModules(root)) dirs.add(d);
  return [...dirs].sort();
}

async function nestedModules(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (d: string): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true });
    if (entries.some((e) => e.isFile() && e.name === 'go.mod')) found.push(d);
    for (const e of entries) {
      if (!e.isDirectory() || SKIP.has(e.name) || e.name.startsWith('.') || e.name.startsWith('_'))
        continue;
      await walk(join(d, e.name));
    }
  };
  await walk(root);
  return found;
}

/**
 * readWorkspaceSum reads the go.work.sum beside a go.work in `dir`: the checksums a
 * workspace needs that none of its modules' go.sum files hold (go.dev/ref/mod#go-work-file).
 * It is checked like a go.sum without a go.mod; undefined when there is none.
 */
export async function readWorkspaceSum(
  dir: string,
  base: string,
): Promise<ModuleFiles | undefined> {
  const root = await realpath(resolve(dir));
  if ((await readOptional(join(root, 'go.work'))) === undefined) return undefined;
  const goSum = await readSource(join(root, 'go.work.sum'), base);
  return goSum === undefined ? undefined : { goSum };
}

/**
 * readModuleFiles reads a module folder's go.sum and go.mod. A module without go.sum
 * has nothing to verify and is reported as an empty go.sum; display names are relative
 * to `base` (the repository root) with `/` separators, for annotations and SARIF.
 */
export async function readModuleFiles(moduleDir: string, base: string): Promise<ModuleFiles> {
  const goSum = await readSource(join(moduleDir, 'go.sum'), base);
  const goMod = await readSource(join(moduleDir, 'go.mod'), base);
  if (goMod === undefined && goSum === undefined) {
    throw new UsageError(`${moduleDir}: no go.mod or go.sum here`);
  }
  const sum = goSum ?? { file: display(base, join(moduleDir, 'go.sum')), text: '' };
  return goMod === undefined ? { goSum: sum } : { goSum: sum, goMod };
}

async function readSource(path: string, base: string): Promise<SourceFile | undefined> {
  const text = await readOptional(path);
  return text === undefined ? undefined : { file: display(base, path), text };
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** display names `path` relative to `base` with `/` separators. */
export function display(base: string, path: string): string {
  const rel = relative(base, path);
  return (rel === '' ? '.' : rel).split(sep).join('/');
}
