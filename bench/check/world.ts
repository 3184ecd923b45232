/**
 * bench/check/world: the module world for `npm run bench:check`, composed from the test
 * world's parts (src/testing): two GOPROXY servers (A and B) over one store of honest zips,
 * each mounting the checksum database at /sumdb/<name>/, and that database standalone.
 *
 * Sizes: each module's Go source follows bench/proxy/sizes.ts (60% small … 1% huge).
 * Generated Go source deflates about 4:1, so a realistic total of compressed zip bytes is
 * reached by adding one incompressible file, `assets/blob.bin` (AES-CTR keystream, seeded
 * by the module path), to every module in proportion to its source size, until the zips
 * add up to the requested total. startWorld (src/testing/world) cannot add such a file,
 * which is why this bench builds its own world from the same servers.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { hashGoMod } from '../../src/hash/dirhash.js';
import type { ModuleFile } from '../../src/hash/create.js';
import { createModuleZipBytes } from '../../src/hash/modzip.js';
import { hashModuleZip } from '../../src/hash/zipcheck.js';
import { bufferSource } from '../../src/hash/zipformat.js';
import { generateKey } from '../../src/sumdb/note.js';
import {
  startProxyServer,
  type ProxyServer,
  type SumdbMount,
  type StoredVersion,
} from '../../src/testing/proxy-server.js';
import { goSumRecord, handleSumdb, startSumdbServer } from '../../src/testing/sumdb-server.js';
import { generateSources } from '../../src/testing/world/sources.js';
import type { ModuleSpec } from '../../src/testing/world/spec.js';
import { benchModules } from '../proxy/sizes.js';

/** BenchVersion is one published module version and its honest go.sum hashes. */
export interface BenchVersion {
  readonly path: string;
  readonly version: string;
  readonly zipHash: string;
  readonly modHash: string;
  readonly zipBytes: number;
}

/** BenchWorld is the running world: two proxies, the sumdb and what they serve. */
export interface BenchWorld {
  readonly proxyA: ProxyServer;
  readonly proxyB: ProxyServer;
  readonly sumdbUrl: string;
  /** GOSUMDB value: `<verifier key> <url>` */
  readonly gosumdb: string;
  readonly versions: readonly BenchVersion[];
  readonly sourceBytes: number;
  readonly assetBytes: number;
  stop(): Promise<void>;
}

/**
 * startBenchWorld publishes n modules whose zips add up to about totalZipBytes (never
 * less than their Go source alone makes) and starts the servers on loopback.
 */
export async function startBenchWorld(n: number, totalZipBytes: number): Promise<BenchWorld> {
  const specs = benchModules(n);
  const sources = specs.map((s) => generateSources(s, 'v1.0.0'));
  const sourceZips = await Promise.all(specs.map((s, i) => zipOf(s, sources[i] ?? [], 0)));
  const sourceZipTotal = sourceZips.reduce((sum, z) => sum + z.length, 0);
  const weights = specs.map((s) => (s.size ?? 0) + 4096);
  const weightTotal = weights.reduce((a, b) => a + b, 0);
  const extra = Math.max(0, totalZipBytes - sourceZipTotal);
  const versions: BenchVersion[] = [];
  const stored: StoredVersion[] = [];
  let assetBytes = 0;
  for (const [i, spec] of specs.entries()) {
    const asset = Math.round((extra * (weights[i] ?? 0)) / weightTotal);
    assetBytes += asset;
    const files = sources[i] ?? [];
    const zip = asset === 0 ? (sourceZips[i] ?? Buffer.alloc(0)) : await zipOf(spec, files, asset);
    const mod = files.find((f) => f.path === 'go.mod')?.content ?? Buffer.from('');
    const zipHash = await hashModuleZip(spec.path, 'v1.0.0', bufferSource(zip));
    versions.push({
      path: spec.path,
      version: 'v1.0.0',
      zipHash,
      modHash: hashGoMod(mod),
      zipBytes: zip.length,
    });
    stored.push({ info: { Version: 'v1.0.0', Time: '2024-01-01T12:00:00Z' }, mod, zip });
  }
  const sourceBytes = sources.flat().reduce((sum, f) => sum + f.content.length, 0);
  return serve(versions, stored, sourceBytes, assetBytes);
}

async function serve(
  versions: BenchVersion[],
  stored: StoredVersion[],
  sourceBytes: number,
  assetBytes: number,
): Promise<BenchWorld> {
  const name = 'sum.bench.test';
  const { signerKey, verifierKey } = generateKey(name);
  const records = versions.map((v) => goSumRecord(v.path, v.version, v.zipHash, v.modHash));
  const sumdb = await startSumdbServer({ signerKey, records });
  const mount: SumdbMount = {
    name,
    handle: (req, res, rest) => handleSumdb(sumdb.state, req, res, rest),
  };
  const proxyA = await startProxyServer({ name: 'A', sumdb: mount });
  const proxyB = await startProxyServer({ name: 'B', sumdb: mount });
  for (const [i, v] of versions.entries()) {
    const s = stored[i];
    if (s === undefined) continue;
    proxyA.put(v.path, v.version, s);
    proxyB.put(v.path, v.version, s);
  }
  return {
    proxyA,
    proxyB,
    sumdbUrl: sumdb.url,
    gosumdb: `${verifierKey} ${sumdb.url}`,
    versions,
    sourceBytes,
    assetBytes,
    stop: async () => {
      await proxyB.stop();
      await proxyA.stop();
      await sumdb.close();
    },
  };
}

async function zipOf(
  spec: ModuleSpec,
  files: readonly { path: string; content: Buffer }[],
  assetBytes: number,
): Promise<Buffer> {
  const all: ModuleFile[] = files.map((f) => fileOf(f.path, f.content));
  if (assetBytes > 0) all.push(fileOf('assets/blob.bin', keystream(spec.path, assetBytes)));
  return createModuleZipBytes(spec.path, 'v1.0.0', all, { vendorRule: 'old' });
}

function fileOf(path: string, content: Buffer): ModuleFile {
  return { path, kind: 'file', size: content.length, open: () => [content] };
}

/** keystream is n incompressible, deterministic bytes: AES-256-CTR over zeros, keyed by seed. */
function keystream(seed: string, n: number): Buffer {
  const key = createHash('sha256').update(seed).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  return Buffer.concat([cipher.update(Buffer.alloc(n)), cipher.final()]);
}
