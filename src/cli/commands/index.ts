import type { Command } from '../io.js';
import { checkCommand } from './check.js';
import { demoCommand } from './demo.js';
import { hashCommand } from './hash.js';
import { proofCommand } from './proof.js';
import { proxyCommand } from './proxy.js';
import { sumdbCommand } from './sumdb.js';

/** commands lists every modguard subcommand, in the order help shows them. */
export const commands: Command[] = [
  checkCommand,
  demoCommand,
  hashCommand,
  sumdbCommand,
  proofCommand,
  proxyCommand,
];
