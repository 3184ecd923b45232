import { pending } from './pending.js';

export const proofCommand = pending('proof', 'verify a tlog inclusion proof offline', 4);
