import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startWorld, type World, type WorldSpec } from '../../../src/testing/world/index.js';
import { clearRequests, Temps, type Requirement } from './helpers.js';

/**
 * cliWorld is the world these tests check against, without git (for speed): honest
 * modules, one zip tampered in proxy B (yaml), one module proxy B answers with 500
 * (flaky), one version retracted by its module's latest go.mod (db v1.3.0) and a
 * private module.
 */
export const cliWorld: WorldSpec = {
  git: false,
  modules: [
    { path: 'example.test/greet', versions: ['v1.0.0', 'v1.1.0'] },
    { path: 'example.test/Upper/case', versions: ['v1.0.0'] },
    { path: 'example.test/light/v2', versions: ['v2.0.1'] },
    {
      path: 'example.test/db',
      versions: ['v1.3.0', 'v1.3.1'],
      retract: [{ version: 'v1.3.0', rationale: 'v1.3.0 corrupts indexes.' }],
    },
    { path: 'example.test/yaml', versions: ['v1.2.0'] },
    { path: 'example.test/flaky', versions: ['v0.1.0'] },
    { path: 'private.test/secret', versions: ['v1.0.0'], private: true },
  ],
  knobs: [
    { kind: 'tamper', proxy: 'B', path: 'example.test/yaml', version: 'v1.2.0' },
    {
      kind: 'fault',
      proxy: 'B',
      rule: { path: 'example.test/flaky', fault: { kind: 'status', status: 500 } },
    },
  ],
};

/** honest are requirements every witness agrees on. */
export const honest: Requirement[] = [
  { path: 'example.test/greet', version: 'v1.1.0' },
  { path: 'example.test/Upper/case', version: 'v1.0.0' },
  { path: 'example.test/light/v2', version: 'v2.0.1' },
];

export const tampered: Requirement = { path: 'example.test/yaml', version: 'v1.2.0' };
export const flaky: Requirement = { path: 'example.test/flaky', version: 'v0.1.0' };
export const retracted: Requirement = { path: 'example.test/db', version: 'v1.3.0' };

/**
 * useCliWorld starts cliWorld before a test file's tests and stops it after, with a HOME
 * of its own and the servers' requests forgotten before each test; `ready` receives
 * both. It returns the file's scratch folders (removed after its tests).
 */
export function useCliWorld(ready: (world: World, home: string) => void): Temps {
  const temps = new Temps();
  let world: World | undefined;
  beforeAll(async () => {
    world = await startWorld(cliWorld);
    ready(world, await temps.make());
  });
  afterAll(async () => {
    await world?.stop();
    await temps.cleanup();
  });
  beforeEach(() => {
    if (world !== undefined) clearRequests(world);
  });
  return temps;
}
