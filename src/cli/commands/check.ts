import { pending } from './pending.js';

export const checkCommand = pending(
  'check',
  'cross-verify go.sum against proxies, the sumdb and git',
  6,
);
