import { pending } from './pending.js';

export const demoCommand = pending('demo', 'run the check on the built-in local module world', 6);
