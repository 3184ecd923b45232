import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { errorMessage, InputError } from '../../errors.js';
import type { ModuleFiles, SourceFile } from '../../check/run.js';
import type { GoModReplace } from '../../go/gomod.js';
import { parseGoWork } from '../../go/gowork.js';
import { spellBytes } from '../../go/strings.js';

/** SKIP are folders never searched for nested modules (the go command ignores them too, or they are not ours). */
const SKIP = new Set(['vendor', 'testdata', 'node_modules']);

/**
 * workspaceFile is the go.work the go command uses from `dir` (modload.InitWorkfile and
 * findWorkspaceFile, go 1.19 modload/init.go): none with GOWORK=off; with GOWORK an
 * absolute path, that file; unset, empty or "auto", the first go.work in `dir` or a
 * folder above it. A relative GOWORK is a usage error, as the go command's ("must be
 * an absolute path"). Not copied: Go also stops before crossing GOROOT.
 */
export async function workspaceFile(
  dir: string,
  gowork: string | undefined,
): Promise<string | undefined> {
  if (gowork === 'off') return undefined;
  if (gowork !== undefined && gowork !== '' && gowork !== 'auto') {
    if (!isAbsolute(gowork)) {
      throw new InputError(
        `GOWORK=${gowork}: the path provided to GOWORK must be an absolute path`,
      );
    }
    return gowork;
  }
  for (let d = await realpath(resolve(dir)); ; d = dirname(d)) {
    const f = join(d, 'go.work');
    if (await isFile(f)) return f;
    if (dirname(d) === d) return undefined;
  }
}

/**
 * findModules lists the module folders to check for `dir`: with a workspace file (see
 * workspaceFile), the folders its `use` directives name (relative to the go.work's
 * folder; go.dev/ref/mod#workspaces) and `dir` when it holds a go.mod; else `dir`. With `recursive`,
 * every folder below `dir` with a go.mod as well (skipping vendor, testdata,
 * node_modules and dot or underscore folders, as `./...` does), `dir` itself only
 * when it is a module (a folder of modules is not one). Paths are real paths
 * (symbolic links resolved), as git names the work tree.
 */
export async function findModules(
  dir: string,
  recursive: boolean,
  workFile?: string,
): Promise<ModuleFolders> {
  const root = await realpath(resolve(dir));
  const dirs = new Set<string>();
  let workReplace: readonly GoModReplace[] = [];
  const hasGoMod = await isFile(join(root, 'go.mod'));
  // Recursive, `dir` itself need not be a module (a folder of modules); otherwise it is
  // checked, and readModuleFiles says so when it holds neither go.mod nor go.sum.
  const rootIsModule =
    workFile !== undefined
      ? hasGoMod
      : !recursive || hasGoMod || (await isFile(join(root, 'go.sum')));
  if (rootIsModule) dirs.add(root);
  if (workFile !== undefined) {
    const text = await readOptional(workFile);
    if (text === undefined) throw new InputError(`${workFile}: go.work file not found`);
    const parsed = parseGoWork(text, workFile);
    if (parsed.errors.length > 0)
      throw new InputError(parsed.errors.map((e) => e.message).join('\n'));
    workReplace = parsed.replace;
    const base = dirname(workFile);
    for (const u of parsed.use) {
      const used = await realpathOrSame(resolve(base, u.dir));
      if (!(await isFile(join(used, 'go.mod')))) {
        throw new InputError(`${workFile}:${u.line}: use ${u.dir}: no go.mod in ${used}`);
      }
      dirs.add(used);
    }
  }
  if (recursive) for (const d of await nestedModules(root)) dirs.add(d);
  if (dirs.size === 0) throw new InputError(`${root}: no go.mod here or in any folder below`);
  return { dirs: [...dirs].sort(), workReplace };
}

/** ModuleFolders are the folders to check and, in a workspace, its go.work's replace directives. */
export interface ModuleFolders {
  readonly dirs: string[];
  readonly workReplace: readonly GoModReplace[];
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
 * readWorkspaceSum reads the go.work.sum beside a workspace file: the checksums a
 * workspace needs that none of its modules' go.sum files hold (go.dev/ref/mod#go-work-file).
 * It is checked like a go.sum without a go.mod; undefined when there is none.
 */
export async function readWorkspaceSum(
  workFile: string,
  base: string,
): Promise<ModuleFiles | undefined> {
  const goSum = await readSource(join(dirname(workFile), 'go.work.sum'), base, spellBytes);
  return goSum === undefined ? undefined : { goSum };
}

/**
 * readModuleFiles reads a module folder's go.sum and go.mod. A module without go.sum
 * has nothing to verify and is reported as an empty go.sum; display names are relative
 * to `base` (the repository root) with `/` separators, for annotations and SARIF.
 */
export async function readModuleFiles(moduleDir: string, base: string): Promise<ModuleFiles> {
  const goSum = await readSource(join(moduleDir, 'go.sum'), base, spellBytes);
  const goMod = await readSource(join(moduleDir, 'go.mod'), base);
  if (goMod === undefined && goSum === undefined) {
    throw new InputError(`${moduleDir}: no go.mod or go.sum here`);
  }
  const sum = goSum ?? { file: display(base, join(moduleDir, 'go.sum')), text: '' };
  return goMod === undefined ? { goSum: sum } : { goSum: sum, goMod };
}

/**
 * readSource reads a file for the check. A go.sum or go.work.sum is decoded as Go reads
 * it, as bytes (G/modfetch/fetch.go readGoSum): with spellBytes, so that a byte that is
 * not UTF-8 is reported as the \xNN Go writes, not as U+FFFD.
 */
async function readSource(
  path: string,
  base: string,
  decode?: (bytes: Buffer) => string,
): Promise<SourceFile | undefined> {
  const text = await readOptional(path, decode);
  return text === undefined ? undefined : { file: display(base, path), text };
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

async function realpathOrSame(path: string): Promise<string> {
  return realpath(path).catch(() => path);
}

async function readOptional(
  path: string,
  decode = (bytes: Buffer) => bytes.toString('utf8'),
): Promise<string | undefined> {
  try {
    return decode(await readFile(path));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InputError(`${path}: ${errorMessage(err)}`);
  }
}

/** display names `path` relative to `base` with `/` separators. */
export function display(base: string, path: string): string {
  const rel = relative(base, path);
  return (rel === '' ? '.' : rel).split(sep).join('/');
}
