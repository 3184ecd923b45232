import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { goModuleEnv } from '../../support/go.js';

/** GoDownload is one object of `go mod download -json` output. */
export interface GoDownload {
  Path: string;
  Version: string;
  Sum?: string;
  GoModSum?: string;
  Error?: string;
}

/** GoRun is the outcome of one bounded `go mod download -json` run. */
export interface GoRun {
  downloads: GoDownload[];
  exitCode: number | undefined;
  timedOut: boolean;
  stderr: string;
}

/**
 * goModDownload runs Go 1.19's `go mod download -json` for the given module@version args in
 * a sealed environment: loopback GOPROXY and GOSUMDB only, temp GOPATH/GOMODCACHE/GOCACHE/
 * GOENV/HOME, GOTOOLCHAIN=local, GOFLAGS=-mod=mod, explicit GOPRIVATE/GONOSUMDB. The run
 * is killed after timeoutMs (a hung proxy hangs the go command).
 */
export async function goModDownload(
  args: string[],
  env: { GOPROXY: string; GOSUMDB: string; GOPRIVATE?: string },
  timeoutMs = 60_000,
): Promise<GoRun> {
  const dir = await mkdtemp(join(tmpdir(), 'modguard-go-'));
  try {
    const result = await execa('go', ['mod', 'download', '-json', ...args], {
      cwd: dir,
      reject: false,
      timeout: timeoutMs,
      extendEnv: false,
      env: goModuleEnv(dir, {
        GO111MODULE: 'on',
        GOWORK: 'off',
        GOINSECURE: '',
        GOPRIVATE: env.GOPRIVATE ?? '',
        GONOSUMDB: env.GOPRIVATE ?? '',
        GONOPROXY: env.GOPRIVATE ?? '',
        GOPROXY: env.GOPROXY,
        GOSUMDB: env.GOSUMDB,
      }),
    });
    return {
      downloads: parseJsonStream(result.stdout),
      exitCode: result.exitCode,
      timedOut: result.timedOut,
      stderr: result.stderr,
    };
  } finally {
    await execa('chmod', ['-R', 'u+w', '--', dir], { reject: false });
    await rm(dir, { recursive: true, force: true });
  }
}

/** parseJsonStream splits Go's concatenated, indented JSON objects. */
function parseJsonStream(text: string): GoDownload[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  return trimmed.split(/\n}\n{/).map((part, i, all) => {
    const open = i === 0 ? part : '{' + part;
    return JSON.parse(i === all.length - 1 ? open : open + '\n}') as GoDownload;
  });
}
