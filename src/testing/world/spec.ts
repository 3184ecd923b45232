import type { FaultRule } from '../proxy-server.js';

/** TagKind is how a version is tagged in the module's git repository. */
export type TagKind = 'gpg' | 'ssh' | 'annotated' | 'lightweight';

/** ProxyName names one of the world's two independent GOPROXY servers. */
export type ProxyName = 'A' | 'B';

/** ModuleSpec describes one module of the world; its sources are generated from it. */
export interface ModuleSpec {
  /** a module path on a fake domain (the first element needs a dot), e.g. `example.test/greet` */
  readonly path: string;
  readonly versions: readonly string[];
  /** served only from git: never put in a proxy or the sumdb (GOPRIVATE) */
  readonly private?: boolean;
  /** how its versions are tagged in git; default 'annotated' */
  readonly tag?: TagKind;
  /** approximate bytes of Go source per version beyond the minimal files; default 0 */
  readonly size?: number;
  /** retract directives written into the go.mod of the module's last version */
  readonly retract?: readonly { readonly version: string; readonly rationale: string }[];
}

/**
 * Knob is one fault injected into the world:
 *   tamper    proxy serves a zip with one file altered (h1 differs from sumdb and git)
 *   stale     proxy serves an older build of the module under the same version
 *   fault     a proxy answers a matching request with 404/410/500, HTML 200, slowly,
 *             never (hung) or with a TCP reset (see FaultRule)
 *   moved-tag the git tag is moved to another commit after publication, so git differs
 *             from the proxies and the sumdb
 */
export type Knob =
  | {
      readonly kind: 'tamper';
      readonly proxy: ProxyName;
      readonly path: string;
      readonly version: string;
    }
  | {
      readonly kind: 'stale';
      readonly proxy: ProxyName;
      readonly path: string;
      readonly version: string;
    }
  | { readonly kind: 'fault'; readonly proxy: ProxyName; readonly rule: FaultRule }
  | { readonly kind: 'moved-tag'; readonly path: string; readonly version: string };

/** WorldSpec is everything startWorld builds. */
export interface WorldSpec {
  readonly modules: readonly ModuleSpec[];
  readonly knobs?: readonly Knob[];
  /** build git repositories and the git server; default true */
  readonly git?: boolean;
  /** the checksum database name; default `sum.world.test` */
  readonly sumdbName?: string;
}

/**
 * smallWorld is the default world for tests and the demo: one module per tag kind, a
 * `/v2` module, an upper-case path (escaped as `!`), and one private module.
 */
export function smallWorld(knobs: readonly Knob[] = []): WorldSpec {
  return {
    modules: [
      { path: 'example.test/greet', versions: ['v1.0.0', 'v1.1.0'], tag: 'gpg' },
      { path: 'example.test/ssh/signed', versions: ['v0.1.0'], tag: 'ssh' },
      { path: 'example.test/Upper/case', versions: ['v1.0.0'], tag: 'annotated' },
      { path: 'example.test/light/v2', versions: ['v2.0.0', 'v2.0.1'], tag: 'lightweight' },
      { path: 'private.test/secret', versions: ['v1.0.0'], private: true, tag: 'annotated' },
    ],
    knobs,
  };
}
