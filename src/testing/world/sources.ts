import { createHash } from 'node:crypto';
import type { ModuleSpec } from './spec.js';

/** SourceFile is one generated file of a module version: a slash path and its bytes. */
export interface SourceFile {
  readonly path: string;
  readonly content: Buffer;
}

/** Variant picks which build of a version to generate: the published one or a faulty one. */
export type Variant = 'honest' | 'tampered' | 'stale' | 'moved';

/**
 * generateSources builds the files of module@version deterministically: go.mod, a Go
 * package naming the version, a README and LICENSE, plus `size` bytes of Go source spread
 * over files of up to 64 KiB. A variant changes exactly one file, so its zip hash differs
 * while its go.mod does not.
 */
export function generateSources(
  spec: ModuleSpec,
  version: string,
  variant: Variant = 'honest',
): SourceFile[] {
  const pkg = packageName(spec.path);
  const files: SourceFile[] = [
    text('go.mod', goMod(spec, version)),
    text('LICENSE', `Copyright (c) modguard test world. Generated for ${spec.path}.\n`),
    text('README.md', `# ${spec.path}\n\nA generated module of the modguard test world.\n`),
    text(`${pkg}.go`, mainFile(pkg, version, variant)),
  ];
  const chunk = 64 << 10;
  for (let i = 0, left = spec.size ?? 0; left > 0; i++, left -= chunk) {
    files.push(
      text(`gen/part${i}.go`, filler(`${spec.path}@${version}#${i}`, Math.min(left, chunk))),
    );
  }
  return files;
}

/** goMod is the module's go.mod; the last version carries the spec's retract directives. */
function goMod(spec: ModuleSpec, version: string): string {
  const last = spec.versions[spec.versions.length - 1];
  const retract =
    version === last && spec.retract !== undefined
      ? spec.retract.map((r) => `\n// ${r.rationale}\nretract ${r.version}\n`).join('')
      : '';
  return `module ${spec.path}\n\ngo 1.19\n${retract}`;
}

function mainFile(pkg: string, version: string, variant: Variant): string {
  const body = {
    honest: `// Version is the version this file was published as.\nconst Version = "${version}"\n`,
    tampered: `// Version is the version this file was published as.\nconst Version = "${version}"\n\nfunc init() { exfiltrate() }\n\nfunc exfiltrate() {}\n`,
    stale: `// Version is a draft of the release.\nconst Version = "${version}-draft"\n`,
    moved: `// Version was retagged after publication.\nconst Version = "${version}"\n\n// Retagged is true.\nconst Retagged = true\n`,
  }[variant];
  return `// Package ${pkg} is a generated module of the modguard test world.\npackage ${pkg}\n\n${body}`;
}

/** packageName derives a Go package name from the last non-/vN path element. */
export function packageName(path: string): string {
  const elems = path.split('/').filter((e) => !/^v[0-9]+$/.test(e));
  const last = (elems.at(-1) ?? 'mod').toLowerCase().replace(/[^a-z0-9]/g, '');
  return /^[a-z]/.test(last) ? last : `m${last}`;
}

/** filler writes plausible, compressible Go source of about n bytes, seeded by seed. */
function filler(seed: string, n: number): string {
  let out = 'package gen\n\n';
  let state = createHash('sha256').update(seed).digest();
  for (let i = 0; out.length < n; i++) {
    state = createHash('sha256').update(state).digest();
    const [a, b, c] = [state.readUInt32BE(0), state.readUInt32BE(4), state.readUInt16BE(8)];
    out += `// F${i} returns a derived value.\nfunc F${i}(x int) int {\n\treturn x*${a % 9973} + ${b % 65521} - ${c}\n}\n\n`;
  }
  return out.slice(0, Math.max(n, 13));
}

function text(path: string, content: string): SourceFile {
  return { path, content: Buffer.from(content, 'utf8') };
}
