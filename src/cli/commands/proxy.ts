import { rm } from 'node:fs/promises';
import { UsageError } from '../../errors.js';
import { GoError } from '../../go/errors.js';
import { check } from '../../go/module.js';
import type { Attempt, Served } from '../../proxy/chain.js';
import { chainFromEnv } from '../../proxy/config.js';
import { fetchModule, type FetchedModule } from '../../proxy/fetch.js';
import { makeTempDir } from '../../temp-dirs.js';
import { parseCommandArgs } from '../args.js';
import { Exit, type CliIO, type Command } from '../io.js';

const usage = [
  'modguard proxy get MODULE@VERSION [--proxy GOPROXY-LIST] [--go-get-base URL] [--json]',
  '',
  '  --proxy GOPROXY-LIST  the GOPROXY list to use instead of $GOPROXY; `direct` fetches',
  "                        from the module's git repository (go-get discovery, git tags)",
  '  --go-get-base URL     ask URL/<module path>?go-get=1 for the repository instead of',
  '                        https://<module path>?go-get=1 (a local world or mirror)',
].join('\n');

/**
 * proxyCommand fetches one module version through a GOPROXY chain, exactly as the go
 * command would choose sources (default: the environment's GOPROXY, GONOPROXY/GOPRIVATE,
 * .netrc; `direct` and GONOPROXY/GOPRIVATE modules are fetched from git through go-get
 * discovery into a temporary mirror, src/proxy/direct.ts), and prints which source served
 * the .mod and the .zip, the sources that failed before, and the go.sum h1 of each. It
 * exits 1 with the reason when nothing could be had.
 */
export const proxyCommand: Command = {
  name: 'proxy',
  summary: 'fetch a module through a GOPROXY chain and hash what it served',
  usage,
  run: async (args, io) => {
    const [sub, ...rest] = args;
    if (sub !== 'get') {
      throw new UsageError(
        sub === undefined ? 'missing subcommand: get' : `unknown subcommand "${sub}"`,
      );
    }
    return get(rest, io);
  },
};

async function get(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    { proxy: { type: 'string' }, 'go-get-base': { type: 'string' }, json: { type: 'boolean' } },
    { min: 1, max: 1 },
  );
  const { path, version } = parseModuleVersion(positionals[0] ?? '');
  const base = values['go-get-base'];
  if (base !== undefined && !/^https?:\/\/[^/]/i.test(base)) {
    throw new UsageError(`--go-get-base must be an http(s) URL, got ${JSON.stringify(base)}`);
  }
  const dir = await makeTempDir('modguard-proxy-get-');
  try {
    const setup = await chainFromEnv(io.env, {
      ...(values.proxy === undefined ? {} : { goproxy: values.proxy }),
      vcs: base === undefined ? {} : { discoveryBase: base },
    });
    try {
      const fetched = await fetchModule(setup.chain, path, version, dir);
      const json = values.json === true;
      io.stdout.write(json ? JSON.stringify(toJson(fetched), null, 2) + '\n' : render(fetched));
      return Exit.ok;
    } finally {
      await setup.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** parseModuleVersion splits `path@version` and checks both as module.Check does. */
function parseModuleVersion(arg: string): { path: string; version: string } {
  const at = arg.lastIndexOf('@');
  if (at <= 0) throw new UsageError(`expected MODULE@VERSION, got ${JSON.stringify(arg)}`);
  const path = arg.slice(0, at);
  const version = arg.slice(at + 1);
  try {
    check(path, version);
  } catch (err) {
    if (err instanceof GoError) throw new UsageError(err.message);
    throw err;
  }
  return { path, version };
}

function render(f: FetchedModule): string {
  const lines = [
    `${f.path}@${f.version}`,
    `  go.mod  ${f.modHash}  from ${f.mod.source}  (${f.mod.value.length} bytes)`,
    `  zip     ${f.zipHash}  from ${f.zip.source}  (${f.zip.value.size} bytes, sha256 ${f.zip.value.sha256})`,
    ...tried('go.mod', f.mod),
    ...tried('zip', f.zip),
  ];
  return lines.join('\n') + '\n';
}

function tried(what: string, served: Served<unknown>): string[] {
  return served.attempts.map((a) => `  ${what.padEnd(6)}  tried ${a.source}: ${describe(a)}`);
}

function describe(a: Attempt): string {
  return a.error.status === undefined ? a.error.code : `${a.error.code} (${a.error.status})`;
}

function toJson(f: FetchedModule) {
  const attempts = (s: Served<unknown>) =>
    s.attempts.map((a) => ({
      source: a.source,
      code: a.error.code,
      status: a.error.status,
      message: a.error.message,
    }));
  return {
    path: f.path,
    version: f.version,
    mod: {
      hash: f.modHash,
      source: f.mod.source,
      size: f.mod.value.length,
      attempts: attempts(f.mod),
    },
    zip: {
      hash: f.zipHash,
      source: f.zip.source,
      size: f.zip.value.size,
      sha256: f.zip.value.sha256,
      attempts: attempts(f.zip),
    },
  };
}
