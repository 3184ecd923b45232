import { readFile } from 'node:fs/promises';
import { UsageError } from '../../errors.js';
import { Verifiers, parseVerifierKey } from '../../sumdb/note.js';
import { SumdbError } from '../../sumdb/errors.js';
import { decodeUtf8 } from '../../sumdb/tlog-note.js';
import { verifyTlogProof } from '../../sumdb/tlog-proof.js';
import { parseCommandArgs } from '../args.js';
import { Exit, type CliIO, type Command } from '../io.js';

const usage = 'modguard proof verify FILE --key NAME+HASH+KEY [--key ...] --leaf-file FILE';

/**
 * proofCommand verifies a c2sp.org/tlog-proof@v1 file offline: the checkpoint must be
 * signed by one of the --key verifier keys (origin = that key's name, or a Go sumdb
 * tree note), and the proof must put SHA256(0x00 || leaf) at its index in that tree.
 * Exit 0 only when both hold.
 */
export const proofCommand: Command = {
  name: 'proof',
  summary: 'verify a tlog inclusion proof offline',
  usage,
  run: async (args, io) => {
    const [sub, ...rest] = args;
    if (sub !== 'verify') {
      throw new UsageError(
        sub === undefined ? 'missing subcommand: verify' : `unknown subcommand "${sub}"`,
      );
    }
    return verify(rest, io);
  },
};

async function verify(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    { key: { type: 'string', multiple: true }, 'leaf-file': { type: 'string' } },
    { min: 1, max: 1 },
  );
  const keys = values.key ?? [];
  if (keys.length === 0) throw new UsageError('--key is required');
  const leafFile = values['leaf-file'];
  if (leafFile === undefined) throw new UsageError('--leaf-file is required');
  let verifiers;
  try {
    verifiers = new Verifiers(keys.map(parseVerifierKey));
  } catch (err) {
    throw new UsageError(`bad --key: ${err instanceof Error ? err.message : String(err)}`);
  }
  const file = positionals[0] ?? '';
  const [bytes, leaf] = await Promise.all([readFile(file), readFile(leafFile)]);
  const text = decodeUtf8(bytes);
  if (text === undefined) throw new SumdbError('PROOF_MALFORMED', `${file}: not UTF-8`);
  const r = verifyTlogProof(text, verifiers, leaf);
  const signers = r.note.sigs.map((s) => s.name).join(', ');
  io.stdout.write(
    `verified: leaf ${r.index} in tree of size ${r.checkpoint.n} of ${r.checkpoint.origin} (signed by ${signers})\n`,
  );
  return Exit.ok;
}
