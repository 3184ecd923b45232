import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { generateKey } from '../../sumdb/note.js';
import { makeTempDir } from '../../temp-dirs.js';
import { startGitServer, type GitServer } from '../git-server.js';
import { createGpgKey, createSshKey, stopGpgAgent, type GpgKey, type SshKey } from '../keys.js';
import { startProxyServer, type ProxyServer, type SumdbMount } from '../proxy-server.js';
import { goSumRecord, handleSumdb, startSumdbServer, type RunningSumdb } from '../sumdb-server.js';
import { buildVersion, type BuiltVersion } from './build.js';
import { buildRepo, type BuiltRepo } from './git.js';
import type { Variant } from './sources.js';
import type { Knob, ModuleSpec, ProxyName, TagKind, WorldSpec } from './spec.js';

export type { Knob, ModuleSpec, WorldSpec, TagKind, ProxyName } from './spec.js';
export { smallWorld } from './spec.js';

/** WorldVersion is one module version of the world and what each witness holds for it. */
export interface WorldVersion {
  readonly path: string;
  readonly version: string;
  readonly private: boolean;
  readonly tag: TagKind;
  /** the honest (published) hashes: what the sumdb records and go.sum should say */
  readonly zipHash: string;
  readonly modHash: string;
  /** the zip hash each proxy serves, when it differs from the honest one (tamper, stale) */
  readonly served: Readonly<Partial<Record<ProxyName, { variant: Variant; zipHash: string }>>>;
  /** true when the git tag was moved after publication */
  readonly movedTag: boolean;
}

/** WorldSumdb is the world's checksum database: standalone, and mounted under both proxies. */
export interface WorldSumdb {
  readonly name: string;
  readonly url: string;
  /** the verifier key, `name+hash+key` */
  readonly verifierKey: string;
  /** GOSUMDB value for the go command: `<verifierKey> <url>` */
  readonly gosumdb: string;
  readonly server: RunningSumdb;
}

/** World is a running local module world; stop() ends every server and removes its files. */
export interface World {
  readonly dir: string;
  readonly proxyA: ProxyServer;
  readonly proxyB: ProxyServer;
  readonly sumdb: WorldSumdb;
  readonly git: GitServer | undefined;
  readonly repos: readonly BuiltRepo[];
  readonly versions: readonly WorldVersion[];
  readonly keys: { gpg: GpgKey; ssh: SshKey } | undefined;
  /** go.sum lines (honest hashes) for every public version */
  goSum(): string;
  /**
   * goEnv is the module environment that points a go command (or modguard) at this world:
   * GOPROXY (proxy A), GOSUMDB (`key url`), GOPRIVATE/GONOPROXY/GONOSUMDB (the private
   * modules), GOFLAGS=-mod=mod, GOTOOLCHAIN=local. Callers add GOPATH/GOMODCACHE/GOCACHE.
   */
  goEnv(): Record<string, string>;
  /** the world version of path@version */
  find(path: string, version: string): WorldVersion;
  stop(): Promise<void>;
}

/**
 * startWorld builds and starts the local module world on loopback: module sources
 * generated from the spec → zips (x/mod zip rules) → two independent GOPROXY servers (A
 * and B, each with its own store and the sumdb mounted at /sumdb/<name>/) → a sumdb over
 * the honest records of every public version → git repositories with signed and unsigned
 * tags behind git's smart HTTP with go-import discovery. Knobs inject the faults.
 */
export async function startWorld(spec: WorldSpec): Promise<World> {
  const dir = await makeTempDir('modguard-world-');
  const stops: (() => Promise<void>)[] = [() => rm(dir, { recursive: true, force: true })];
  const stop = async () => {
    for (const s of stops.splice(0).reverse()) await s();
  };
  try {
    return await build(spec, dir, stops, stop);
  } catch (err) {
    await stop();
    throw err;
  }
}

async function build(
  spec: WorldSpec,
  dir: string,
  stops: (() => Promise<void>)[],
  stop: () => Promise<void>,
): Promise<World> {
  const knobs = spec.knobs ?? [];
  const published = await publishAll(spec.modules, knobs);
  const sumdb = await startWorldSumdb(spec.sumdbName ?? 'sum.world.test', published);
  stops.push(() => sumdb.server.close());
  const mount: SumdbMount = {
    name: sumdb.name,
    handle: (req, res, rest) => handleSumdb(sumdb.server.state, req, res, rest),
  };
  const proxyA = await startProxyServer({ name: 'A', sumdb: mount });
  stops.push(() => proxyA.stop());
  const proxyB = await startProxyServer({ name: 'B', sumdb: mount });
  stops.push(() => proxyB.stop());
  fillProxies({ A: proxyA, B: proxyB }, published, knobs);
  const gitPart = spec.git === false ? undefined : await startGit(spec, dir, knobs, stops);
  const versions = published.map((p) => p.world);
  return {
    dir,
    proxyA,
    proxyB,
    sumdb,
    git: gitPart?.server,
    repos: gitPart?.repos ?? [],
    versions,
    keys: gitPart?.keys,
    goSum: () => goSumOf(versions),
    goEnv: () => goEnvOf(proxyA, sumdb, versions),
    find: (path, version) => findVersion(versions, path, version),
    stop,
  };
}

interface Published {
  spec: ModuleSpec;
  honest: BuiltVersion;
  variants: Partial<Record<ProxyName, BuiltVersion>>;
  world: WorldVersion;
}

async function publishAll(
  modules: readonly ModuleSpec[],
  knobs: readonly Knob[],
): Promise<Published[]> {
  const out: Published[] = [];
  for (const spec of modules) {
    for (const [i, version] of spec.versions.entries()) {
      out.push(await publish(spec, version, i, knobs));
    }
  }
  return out;
}

async function publish(
  spec: ModuleSpec,
  version: string,
  i: number,
  knobs: readonly Knob[],
): Promise<Published> {
  const honest = await buildVersion(spec, version, i);
  const variants: Partial<Record<ProxyName, BuiltVersion>> = {};
  const served: Partial<Record<ProxyName, { variant: Variant; zipHash: string }>> = {};
  for (const k of knobs) {
    if (
      (k.kind !== 'tamper' && k.kind !== 'stale') ||
      k.path !== spec.path ||
      k.version !== version
    )
      continue;
    const variant = k.kind === 'tamper' ? 'tampered' : 'stale';
    const built = await buildVersion(spec, version, i, variant);
    variants[k.proxy] = built;
    served[k.proxy] = { variant, zipHash: built.zipHash };
  }
  const movedTag = knobs.some(
    (k) => k.kind === 'moved-tag' && k.path === spec.path && k.version === version,
  );
  const world: WorldVersion = {
    path: spec.path,
    version,
    private: spec.private === true,
    tag: spec.tag ?? 'annotated',
    zipHash: honest.zipHash,
    modHash: honest.modHash,
    served,
    movedTag,
  };
  return { spec, honest, variants, world };
}

async function startWorldSumdb(name: string, published: readonly Published[]): Promise<WorldSumdb> {
  const { signerKey, verifierKey } = generateKey(name);
  const records = published
    .filter((p) => !p.world.private)
    .map((p) => goSumRecord(p.world.path, p.world.version, p.world.zipHash, p.world.modHash));
  const server = await startSumdbServer({ signerKey, records });
  return { name, url: server.url, verifierKey, gosumdb: `${verifierKey} ${server.url}`, server };
}

function fillProxies(
  proxies: Record<ProxyName, ProxyServer>,
  published: readonly Published[],
  knobs: readonly Knob[],
) {
  for (const p of published) {
    if (p.world.private) continue;
    for (const name of ['A', 'B'] as const) {
      proxies[name].put(p.world.path, p.world.version, (p.variants[name] ?? p.honest).stored);
    }
  }
  for (const k of knobs) if (k.kind === 'fault') proxies[k.proxy].faults.push({ ...k.rule });
}

async function startGit(
  spec: WorldSpec,
  dir: string,
  knobs: readonly Knob[],
  stops: (() => Promise<void>)[],
) {
  const keyDir = join(dir, 'keys');
  const gpg = await createGpgKey(join(keyDir, 'gpg'));
  stops.push(() => stopGpgAgent(gpg));
  const keys = { gpg, ssh: await createSshKey(join(keyDir, 'ssh')) };
  const dirs = { work: join(dir, 'work'), gitRoot: join(dir, 'git') };
  await mkdir(dirs.gitRoot, { recursive: true });
  const repos: BuiltRepo[] = [];
  for (const m of spec.modules) {
    const moved = knobs.flatMap((k) =>
      k.kind === 'moved-tag' && k.path === m.path ? [k.version] : [],
    );
    repos.push(await buildRepo(m, dirs, keys, moved));
  }
  const server = await startGitServer(dirs.gitRoot, repos);
  stops.push(() => server.stop());
  return { server, repos, keys };
}

function goSumOf(versions: readonly WorldVersion[]): string {
  return versions
    .filter((v) => !v.private)
    .map((v) => `${v.path} ${v.version} ${v.zipHash}\n${v.path} ${v.version}/go.mod ${v.modHash}\n`)
    .join('');
}

function findVersion(
  versions: readonly WorldVersion[],
  path: string,
  version: string,
): WorldVersion {
  const v = versions.find((x) => x.path === path && x.version === version);
  if (v === undefined) throw new Error(`the world has no ${path}@${version}`);
  return v;
}

function goEnvOf(
  proxyA: ProxyServer,
  sumdb: WorldSumdb,
  versions: readonly WorldVersion[],
): Record<string, string> {
  const priv = [...new Set(versions.filter((v) => v.private).map((v) => v.path))].join(',');
  return {
    GOPROXY: proxyA.url,
    GOSUMDB: sumdb.gosumdb,
    GOPRIVATE: priv,
    GONOPROXY: priv,
    GONOSUMDB: priv,
    GOFLAGS: '-mod=mod',
    GOTOOLCHAIN: 'local',
  };
}
