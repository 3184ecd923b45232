import { execa, type ResultPromise } from 'execa';

/** OwnerProcess is a child process that holds something (a lock, a folder) until killed. */
export interface OwnerProcess {
  readonly pid: number;
  /** the first line it wrote: what it holds */
  readonly said: string;
  /** kill SIGKILLs it, as an out-of-memory kill would, and resolves once it is gone. */
  kill(): Promise<void>;
}

const running = new Set<ResultPromise>();

/**
 * startOwner runs `node --import tsx script ...args` and resolves once the script has
 * written its first line (once it holds what it takes).
 */
export async function startOwner(script: string, args: string[]): Promise<OwnerProcess> {
  const child = execa('node', ['--import', 'tsx', script, ...args], { reject: false });
  running.add(child);
  const said = await new Promise<string>((ok, fail) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) ok(out.slice(0, out.indexOf('\n')));
    });
    void child.then((r) => fail(new Error(`${script} ended: ${r.stderr}`)));
  });
  // (not the child itself: a thenable, an async function would wait for it to end)
  return {
    pid: child.pid ?? 0,
    said,
    kill: async () => {
      child.kill('SIGKILL');
      const r = await child;
      running.delete(child);
      if (r.signal !== 'SIGKILL') throw new Error(`${script} ended otherwise: ${r.stderr}`);
    },
  };
}

/** killOwners SIGKILLs the owners a test left running. */
export async function killOwners(): Promise<void> {
  for (const c of running) c.kill('SIGKILL');
  await Promise.all([...running]);
  running.clear();
}
