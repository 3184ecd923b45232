import { pending } from './pending.js';

export const proxyCommand = pending('proxy', 'fetch a module through a GOPROXY chain', 5);
