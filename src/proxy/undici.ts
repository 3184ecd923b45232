/**
 * undici, without its index. The package's index.js loads fetch, WebSocket, the cache,
 * the mocks and more, and touches `globalThis.File` and `globalThis.Headers`, which
 * makes Node compile its own copy of undici as well: about 50 ms of every modguard run,
 * for classes modguard never uses. These are the pieces it does use, with undici's
 * types; the API methods (`request`, …) are put on Dispatcher as the index does.
 */
import type * as Undici from 'undici';
import api from 'undici/lib/api/index.js';
import AgentClass from 'undici/lib/dispatcher/agent.js';
import DispatcherClass from 'undici/lib/dispatcher/dispatcher.js';
import PoolClass from 'undici/lib/dispatcher/pool.js';
import ProxyAgentClass from 'undici/lib/dispatcher/proxy-agent.js';

Object.assign((DispatcherClass as { prototype: object }).prototype, api);

export type { Dispatcher } from 'undici';
export const Agent = AgentClass as typeof Undici.Agent;
export const Pool = PoolClass as typeof Undici.Pool;
export const ProxyAgent = ProxyAgentClass as typeof Undici.ProxyAgent;
