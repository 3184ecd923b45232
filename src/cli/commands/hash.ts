import { pending } from './pending.js';

export const hashCommand = pending(
  'hash',
  'compute go.sum hashes of a zip, a directory or a git tag',
  3,
);
