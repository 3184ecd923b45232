import { Exit, type Command } from '../io.js';

/** pending names a command that is planned but not built yet; it refuses to run. */
export function pending(name: string, summary: string, issue: number): Command {
  return {
    name,
    summary: `${summary} (not built yet: issue ${issue})`,
    usage: `modguard ${name} ...`,
    run: async (_args, io) => {
      io.stderr.write(`modguard ${name}: not built yet (tracked in issue ${issue})\n`);
      return Exit.usage;
    },
  };
}
