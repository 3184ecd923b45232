import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * parseCommandArgs parses a command's arguments strictly: an unknown flag, a missing
 * value or a stray positional is a UsageError, never a silent default.
 */
export function parseCommandArgs<O extends Options>(
  args: string[],
  options: O,
  positionals: { min: number; max: number },
) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const n = parsed.positionals.length;
  if (n < positionals.min || n > positionals.max) {
    const want =
      positionals.min === positionals.max
        ? `${positionals.min}`
        : `${positionals.min} to ${positionals.max}`;
    throw new UsageError(`expected ${want} argument(s), got ${n}`);
  }
  return parsed;
}
