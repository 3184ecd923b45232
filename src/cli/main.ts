import { ModguardError, UsageError, errorMessage } from '../errors.js';
import { commands } from './commands/index.js';
import { Exit, type CliIO } from './io.js';

import { VERSION as version } from './version.js';

function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'modguard: a supply-chain check for Go modules',
    '',
    'usage: modguard <command> [arguments]',
    '',
    'commands:',
    ...lines,
    '',
    'Run "modguard <command> --help" for a command\'s usage.',
    '',
  ].join('\n');
}

/**
 * main runs one modguard command line and returns its exit status: 0 ok, 1 refused
 * or failed verification, 2 bad usage or internal error. Errors go to stderr only.
 */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    (name === undefined ? io.stderr : io.stdout).write(helpText());
    return name === undefined ? Exit.usage : Exit.ok;
  }
  if (name === 'version' || name === '--version') {
    io.stdout.write(`modguard ${version}\n`);
    return Exit.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`modguard: unknown command "${name}"\n\n${helpText()}`);
    return Exit.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`usage: ${command.usage}\n`);
    return Exit.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    io.stderr.write(`modguard ${name}: ${errorMessage(err)}\n`);
    if (err instanceof UsageError) {
      io.stderr.write(`usage: ${command.usage}\n`);
      return Exit.usage;
    }
    if (err instanceof ModguardError && err.kind !== 'usage') return Exit.failed;
    return Exit.usage;
  }
}
