import { pending } from './pending.js';

export const sumdbCommand = pending(
  'sumdb',
  'look up and verify records in a checksum database',
  4,
);
