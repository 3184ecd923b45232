import { UsageError } from '../errors.js';

/** Inputs names every input of action.yml, in one place. */
export enum Inputs {
  WorkingDirectory = 'working-directory',
  Proxies = 'proxies',
  Sumdb = 'sumdb',
  FailOn = 'fail-on',
}

/** Outputs names every output of action.yml. */
export enum Outputs {
  Findings = 'findings',
  Verified = 'verified',
}

/** ActionInputs is action.yml's inputs read once: what `modguard check` is run with. */
export interface ActionInputs {
  readonly workingDirectory: string;
  readonly proxies: readonly string[];
  readonly sumdb?: string;
  readonly failOn: string;
}

/**
 * checkArgs turns the Action's inputs into `modguard check` arguments, so the Action
 * and the command validate them in one place (src/cli/check/options.ts): a bad value is
 * a usage error there, never a silent default here.
 */
export function checkArgs(inputs: ActionInputs): string[] {
  // An empty list would leave `check` to its public defaults: say so instead.
  if (inputs.proxies.length === 0) {
    throw new UsageError(
      'the proxies input is empty: give GOPROXY URLs one per line, or leave it out for the defaults',
    );
  }
  const args = ['--dir', inputs.workingDirectory, '--fail-on', inputs.failOn];
  for (const p of inputs.proxies) args.push('--proxy', p);
  if (inputs.sumdb !== undefined) args.push('--sumdb', inputs.sumdb);
  return args;
}

/** splitList reads a multi-line or comma-separated input into its non-empty entries. */
export function splitList(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
