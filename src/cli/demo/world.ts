import type { ModuleSpec, WorldSpec } from '../../testing/world/index.js';

/** Requirement is one module version the demo project requires. */
export interface Requirement {
  readonly path: string;
  readonly version: string;
}

const modules: ModuleSpec[] = [
  { path: 'example.test/greet', versions: ['v1.0.0', 'v1.1.0'], tag: 'gpg', size: 20_000 },
  { path: 'example.test/ssh/signed', versions: ['v0.1.0'], tag: 'ssh' },
  { path: 'example.test/Upper/case', versions: ['v1.0.0'], tag: 'gpg' },
  { path: 'example.test/light/v2', versions: ['v2.0.0', 'v2.0.1'], tag: 'gpg' },
  { path: 'example.test/yaml', versions: ['v1.2.0'], tag: 'gpg', size: 120_000 },
  { path: 'example.test/cli', versions: ['v1.4.0'], tag: 'ssh', size: 60_000 },
  { path: 'example.test/log', versions: ['v0.9.0'], tag: 'annotated' },
  { path: 'example.test/net', versions: ['v1.0.0'], tag: 'gpg', size: 200_000 },
  {
    path: 'example.test/db',
    versions: ['v1.3.0', 'v1.3.1'],
    tag: 'gpg',
    retract: [{ version: 'v1.3.0', rationale: 'v1.3.0 corrupts indexes on upgrade.' }],
  },
  { path: 'example.test/text', versions: ['v0.3.0'], tag: 'ssh' },
  { path: 'example.test/uuid', versions: ['v1.1.0'], tag: 'gpg' },
  { path: 'corp.example/internal/auth', versions: ['v1.0.0'], tag: 'gpg', private: true },
];

/**
 * demoWorld is the demo's local module world: a dozen modules behind two proxies, a
 * checksum database and git, with one zip tampered in proxy B (yaml), one tag moved
 * after publication (cli), one private module (corp.example/internal/auth), one
 * unsigned tag (log) and one required version retracted by its module's latest go.mod (db).
 */
export const demoWorld: WorldSpec = {
  modules,
  knobs: [
    { kind: 'tamper', proxy: 'B', path: 'example.test/yaml', version: 'v1.2.0' },
    { kind: 'moved-tag', path: 'example.test/cli', version: 'v1.4.0' },
  ],
};

/** demoRequirements are what the demo project's go.mod requires: the latest, except db v1.3.0. */
export const demoRequirements: Requirement[] = modules.map((m) => ({
  path: m.path,
  version: m.path === 'example.test/db' ? 'v1.3.0' : (m.versions[m.versions.length - 1] ?? ''),
}));

/** DemoExpectation is one finding the check must report on the demo world. */
export interface DemoExpectation {
  readonly code: string;
  readonly module: string;
  readonly why: string;
}

/** demoExpected is every finding of MG1xx–MG7xx the check must report, and no other. */
export const demoExpected: readonly DemoExpectation[] = [
  { code: 'MG102', module: 'example.test/yaml', why: 'proxy B serves a tampered zip' },
  { code: 'MG701', module: 'example.test/cli', why: 'the git tag was moved after publication' },
  { code: 'MG704', module: 'example.test/log', why: 'the git tag is not signed' },
  { code: 'MG601', module: 'example.test/db', why: 'v1.3.0 is retracted by v1.3.1' },
];
