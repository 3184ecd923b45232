/**
 * Go string semantics the rest of src/go needs. Go strings are UTF-8 bytes and
 * JavaScript strings are UTF-16 code units; these helpers make the difference explicit.
 */

/**
 * compareStrings orders two strings as Go's `<` does: by UTF-8 bytes, which is
 * code point order (not UTF-16 code unit order). Returns -1, 0 or +1.
 */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+D800–U+DFFF) stand for code points above U+FFFF, so they sort
    // after U+E000–U+FFFF in UTF-8 although their code units are smaller.
    return rank(x) < rank(y) ? -1 : +1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? +1 : 0;
}

function rank(unit: number): number {
  return unit >= 0xd800 && unit <= 0xdfff ? unit + 0x10000 : unit;
}

/** isValidUtf8 reports whether s has no lone surrogate, i.e. whether it encodes as valid UTF-8. */
export function isValidUtf8(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    const next = s.charCodeAt(i + 1);
    if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return false;
    i++;
  }
  return true;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * spellBytes spells bytes as a string without losing one, as Go sees them when it ranges
 * over a string (utf8.DecodeRune): each valid UTF-8 sequence is its character, and each
 * byte that does not begin one (RuneError, width 1) is a lone surrogate U+DC80–U+DCFF,
 * which no valid text holds. So two byte strings that are not UTF-8 stay apart (Go
 * compares file names as bytes: a file in `\xff/` is not in the nested module at
 * `\xfe/`); quote() writes such a byte as the \xNN Go's %q writes; and isValidUtf8 (so
 * CheckPath and CheckFilePath) is false, as Go refuses the bytes, where TextDecoder would
 * have made all of them U+FFFD.
 */
export function spellBytes(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    // spelled sequence by sequence below
  }
  let out = '';
  let run = 0; // where the current run of valid sequences began
  for (let i = 0; i < bytes.length;) {
    const n = sequenceLength(bytes, i);
    if (n > 0) {
      i += n;
      continue;
    }
    out +=
      strictUtf8.decode(bytes.subarray(run, i)) + String.fromCharCode(0xdc00 + (bytes[i] ?? 0));
    run = ++i;
  }
  return out + strictUtf8.decode(bytes.subarray(run));
}

/**
 * sequenceLength is the length of the valid UTF-8 sequence at bytes[i], or 0 when none
 * begins there: an overlong form, a surrogate, a code point above U+10FFFF, a stray
 * continuation byte or a truncated sequence (Go unicode/utf8 DecodeRune's accept ranges).
 */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const c = bytes[i] ?? 0;
  if (c < 0x80) return 1;
  let n: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) n = 2;
  else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    if (c === 0xe0) lo = 0xa0;
    if (c === 0xed) hi = 0x9f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    if (c === 0xf0) lo = 0x90;
    if (c === 0xf4) hi = 0x8f;
  } else return 0;
  if (i + n > bytes.length) return 0;
  const second = bytes[i + 1] ?? 0;
  if (second < lo || second > hi) return 0;
  for (let k = 2; k < n; k++) {
    const b = bytes[i + k] ?? 0;
    if (b < 0x80 || b > 0xbf) return 0;
  }
  return n;
}

/**
 * isGoSpace reports unicode.IsSpace (Go unicode/graphic.go): the ASCII spaces
 * \t \n \v \f \r and space, U+0085, U+00A0, and the Unicode White_Space separators.
 * Unlike JavaScript's \s it excludes U+FEFF.
 */
export function isGoSpace(c: number): boolean {
  switch (c) {
    case 0x09:
    case 0x0a:
    case 0x0b:
    case 0x0c:
    case 0x0d:
    case 0x20:
    case 0x85:
    case 0xa0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x3000:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200a;
  }
}

/** fields splits s around runs of unicode.IsSpace, as Go's strings.Fields does. */
export function fields(s: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < s.length; i++) {
    if (isGoSpace(s.charCodeAt(i))) {
      if (start >= 0) out.push(s.slice(start, i));
      start = -1;
    } else if (start < 0) {
      start = i;
    }
  }
  if (start >= 0) out.push(s.slice(start));
  return out;
}

/** trimSpace removes leading and trailing unicode.IsSpace, as Go's strings.TrimSpace does. */
export function trimSpace(s: string): string {
  let i = 0;
  let j = s.length;
  while (i < j && isGoSpace(s.charCodeAt(i))) i++;
  while (j > i && isGoSpace(s.charCodeAt(j - 1))) j--;
  return s.slice(i, j);
}

/** equalFoldAscii is strings.EqualFold restricted to ASCII letters (enough for fixed ASCII names). */
export function equalFoldAscii(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x >= 0x41 && x <= 0x5a) x += 0x20;
    if (y >= 0x41 && y <= 0x5a) y += 0x20;
    if (x !== y) return false;
  }
  return true;
}

/** hasControlChar reports an ASCII control character (< 0x20 or 0x7f), which net/url refuses in a URL. */
export function hasControlChar(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}
