/**
 * pathMatch is Go's path.Match (go1.19 src/path/match.go), ported over UTF-8 bytes so
 * that `?` and `[...]` consume whole runes and literal bytes compare as Go does.
 *
 *   pattern: { term }
 *   term:    '*' (any run of non-/ characters) | '?' (one non-/ character)
 *            | '[' [ '^' ] { range } ']' | c (matches c, not '*', '?', '\\', '[')
 *            | '\\' c (matches c)
 *   range:   c | c '-' c
 *
 * A malformed pattern (Go's ErrBadPattern) never matches here: module.MatchPrefixPatterns,
 * the only caller, ignores the error and treats the glob as not matching.
 */
export function pathMatch(pattern: string, name: string): boolean {
  const result = match(utf8(pattern), utf8(name));
  return result === true;
}

/** isBadPattern reports whether path.Match would return ErrBadPattern for pattern against name. */
export function isBadPattern(pattern: string, name: string): boolean {
  return match(utf8(pattern), utf8(name)) === BAD;
}

const BAD = 'bad';
type Outcome = boolean | typeof BAD;
type Bytes = Uint8Array;

const encoder = new TextEncoder();
function utf8(s: string): Bytes {
  return encoder.encode(s);
}

const STAR = 0x2a;
const SLASH = 0x2f;

function match(patternIn: Bytes, nameIn: Bytes): Outcome {
  let pattern = patternIn;
  let name = nameIn;
  pattern: while (pattern.length > 0) {
    const { star, chunk, rest } = scanChunk(pattern);
    pattern = rest;
    if (star && chunk.length === 0) return !name.includes(SLASH);
    const first = matchChunk(chunk, name);
    if (first !== BAD && first !== false && (first.length === 0 || pattern.length > 0)) {
      name = first;
      continue;
    }
    if (first === BAD) return BAD;
    if (star) {
      for (let i = 0; i < name.length && name[i] !== SLASH; i++) {
        const t = matchChunk(chunk, name.subarray(i + 1));
        if (t === BAD) return BAD;
        if (t === false) continue;
        if (pattern.length === 0 && t.length > 0) continue;
        name = t;
        continue pattern;
      }
    }
    return restIsValid(pattern) ? false : BAD;
  }
  return name.length === 0;
}

/** restIsValid is Match's final syntax check of the unmatched remainder of the pattern. */
function restIsValid(patternIn: Bytes): boolean {
  let pattern = patternIn;
  while (pattern.length > 0) {
    const { chunk, rest } = scanChunk(pattern);
    pattern = rest;
    if (matchChunk(chunk, new Uint8Array(0)) === BAD) return false;
  }
  return true;
}

function scanChunk(patternIn: Bytes): { star: boolean; chunk: Bytes; rest: Bytes } {
  let pattern = patternIn;
  let star = false;
  while (pattern.length > 0 && pattern[0] === STAR) {
    pattern = pattern.subarray(1);
    star = true;
  }
  let inRange = false;
  let i = 0;
  scan: for (; i < pattern.length; i++) {
    switch (pattern[i]) {
      case 0x5c: // '\\'
        if (i + 1 < pattern.length) i++;
        break;
      case 0x5b: // '['
        inRange = true;
        break;
      case 0x5d: // ']'
        inRange = false;
        break;
      case STAR:
        if (!inRange) break scan;
        break;
    }
  }
  return { star, chunk: pattern.subarray(0, i), rest: pattern.subarray(i) };
}

/** matchChunk matches chunk against the start of s: the rest of s, false, or BAD. */
function matchChunk(chunkIn: Bytes, sIn: Bytes): Bytes | false | typeof BAD {
  let chunk = chunkIn;
  let s = sIn;
  let failed = false;
  while (chunk.length > 0) {
    if (!failed && s.length === 0) failed = true;
    const c = chunk[0];
    if (c === 0x5b) {
      let r = 0;
      if (!failed) {
        const d = decodeRune(s);
        r = d.rune;
        s = s.subarray(d.size);
      }
      const cls = matchClass(chunk.subarray(1), r);
      if (cls === BAD) return BAD;
      chunk = cls.rest;
      if (!cls.matched) failed = true;
    } else if (c === 0x3f) {
      if (!failed) {
        if (s[0] === SLASH) failed = true;
        s = s.subarray(decodeRune(s).size);
      }
      chunk = chunk.subarray(1);
    } else {
      if (c === 0x5c) {
        chunk = chunk.subarray(1);
        if (chunk.length === 0) return BAD;
      }
      if (!failed) {
        if (chunk[0] !== s[0]) failed = true;
        s = s.subarray(1);
      }
      chunk = chunk.subarray(1);
    }
  }
  return failed ? false : s;
}

/** matchClass parses "[^lo-hi...]" after its '[' and tests r against it. */
function matchClass(chunkIn: Bytes, r: number): { matched: boolean; rest: Bytes } | typeof BAD {
  let chunk = chunkIn;
  let negated = false;
  if (chunk.length > 0 && chunk[0] === 0x5e) {
    negated = true;
    chunk = chunk.subarray(1);
  }
  let matched = false;
  for (let nrange = 0; ; nrange++) {
    if (chunk.length > 0 && chunk[0] === 0x5d && nrange > 0) {
      return { matched: matched !== negated, rest: chunk.subarray(1) };
    }
    const lo = getEsc(chunk);
    if (lo === BAD) return BAD;
    chunk = lo.rest;
    let hi = lo.rune;
    if (chunk[0] === 0x2d) {
      const h = getEsc(chunk.subarray(1));
      if (h === BAD) return BAD;
      chunk = h.rest;
      hi = h.rune;
    }
    if (lo.rune <= r && r <= hi) matched = true;
  }
}

function getEsc(chunkIn: Bytes): { rune: number; rest: Bytes } | typeof BAD {
  let chunk = chunkIn;
  if (chunk.length === 0 || chunk[0] === 0x2d || chunk[0] === 0x5d) return BAD;
  if (chunk[0] === 0x5c) {
    chunk = chunk.subarray(1);
    if (chunk.length === 0) return BAD;
  }
  const { rune, size } = decodeRune(chunk);
  if (rune === RUNE_ERROR && size === 1) return BAD;
  const rest = chunk.subarray(size);
  if (rest.length === 0) return BAD;
  return { rune, rest };
}

const RUNE_ERROR = 0xfffd;

/** decodeRune is utf8.DecodeRuneInString: the first rune of b and its byte size (RuneError, 1 when invalid). */
export function decodeRune(b: Bytes): { rune: number; size: number } {
  const b0 = b[0];
  if (b0 === undefined) return { rune: RUNE_ERROR, size: 0 };
  if (b0 < 0x80) return { rune: b0, size: 1 };
  const size =
    b0 >= 0xf0 && b0 < 0xf5 ? 4 : b0 >= 0xe0 && b0 < 0xf0 ? 3 : b0 >= 0xc2 && b0 < 0xe0 ? 2 : 0;
  if (size === 0 || b.length < size) return { rune: RUNE_ERROR, size: 1 };
  let rune = b0 & (0xff >> (size + 1));
  for (let i = 1; i < size; i++) {
    const bi = b[i] ?? 0;
    if ((bi & 0xc0) !== 0x80) return { rune: RUNE_ERROR, size: 1 };
    rune = (rune << 6) | (bi & 0x3f);
  }
  const min = size === 2 ? 0x80 : size === 3 ? 0x800 : 0x10000;
  if (rune < min || rune > 0x10ffff || (rune >= 0xd800 && rune <= 0xdfff)) {
    return { rune: RUNE_ERROR, size: 1 };
  }
  return { rune, size };
}
