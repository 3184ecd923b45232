import { join } from 'node:path';
import { UsageError } from '../../errors.js';
import { defaultCacheDir } from '../../cache/dirs.js';
import { resolveGoEnv } from '../../go/env.js';
import { matchPrefixPatterns } from '../../go/module.js';
import { parseGoSumdb } from '../../go/gosumdb.js';
import { webSettings } from '../../proxy/config.js';
import { dialSumdb } from '../../sumdb/connect.js';
import { SumdbError } from '../../sumdb/errors.js';
import { parseCommandArgs } from '../args.js';
import { onTerminate } from '../check/terminal.js';
import { Exit, type CliIO, type Command } from '../io.js';

const usage =
  'modguard sumdb lookup MODULE@VERSION [--sumdb "NAME+HASH+KEY [URL]"] [--state-dir DIR]';

/**
 * sumdbCommand looks up a module version in a checksum database and prints its go.sum
 * lines only after proving them (signed tree head, consistency with the tree head kept
 * in --state-dir, inclusion via tiles), then the tree size they were proven in. A kept
 * tree head that does not verify fails the lookup (STATE_INVALID, exit 1) and is left
 * as it is, as the go command's "initializing sumdb.Client" error does. The
 * database comes from --sumdb or GOSUMDB with the go command's semantics (parseGoSumdb;
 * without a URL, GOPROXY's `/sumdb/NAME/supported` probe, then https://NAME), read with
 * the go command's web settings (.netrc credentials, HTTPS_PROXY/HTTP_PROXY/NO_PROXY).
 */
export const sumdbCommand: Command = {
  name: 'sumdb',
  summary: 'look up and verify records in a checksum database',
  usage,
  run: async (args, io) => {
    const [sub, ...rest] = args;
    if (sub !== 'lookup') {
      throw new UsageError(
        sub === undefined ? 'missing subcommand: lookup' : `unknown subcommand "${sub}"`,
      );
    }
    return lookup(rest, io);
  },
};

async function lookup(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    { sumdb: { type: 'string' }, 'state-dir': { type: 'string' } },
    { min: 1, max: 1 },
  );
  const target = positionals[0] ?? '';
  const at = target.lastIndexOf('@');
  if (at <= 0 || at === target.length - 1)
    throw new UsageError(`want MODULE@VERSION, got ${JSON.stringify(target)}`);
  const path = target.slice(0, at);
  const version = target.slice(at + 1);
  const env = resolveGoEnv({ process: io.env });
  const config = values.sumdb === undefined ? env.sumdb : parseGoSumdb(values.sumdb);
  if (config.off === true) throw new UsageError('the checksum database is off (GOSUMDB=off)');
  // GONOSUMDB falls back to GOPRIVATE (resolveGoEnv): private paths never reach a sumdb.
  if (matchPrefixPatterns(env.values.GONOSUMDB.value, path)) {
    throw new SumdbError(
      'NOT_FOUND',
      `${path} matches GONOSUMDB/GOPRIVATE: private modules are never looked up`,
    );
  }
  const stateDir = values['state-dir'] ?? join(defaultCacheDir(), 'sumdb');
  const db = await dialSumdb({
    verifierKey: config.key,
    url: config.url,
    proxies: env.proxy,
    stateDir,
    http: await webSettings(env, io.env),
  });
  // Interrupted, it finishes writing the tree head first: no lock is left behind.
  const termination = onTerminate(() => db.close());
  try {
    const r = await db.client.lookup(path, version);
    if (r.lines.length === 0)
      throw new SumdbError('NOT_FOUND', `the record proven for ${target} has no lines for it`);
    io.stdout.write(r.lines.map((l) => `${l}\n`).join(''));
    io.stdout.write(
      `# verified: record ${r.recordId} in tree of size ${r.treeSize} of ${config.name}\n`,
    );
    return Exit.ok;
  } finally {
    termination.stop();
    await db.close();
  }
}
