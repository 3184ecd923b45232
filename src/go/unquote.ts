/**
 * unquoteGo interprets a double-quoted Go string literal as Go's strconv.Unquote does
 * (go1.19 src/strconv/quote.go UnquoteChar): \a \b \f \n \r \t \v \\ \", \xhh, \ooo
 * (≤ 0377), \uhhhh and \Uhhhhhhhh (valid, non-surrogate runes). Returns undefined
 * for a malformed literal — and, because modguard strings are Unicode, for escapes
 * that build bytes which are not valid UTF-8 (Go would keep the raw bytes).
 */
export function unquoteGo(literal: string): string | undefined {
  if (literal.length < 2 || literal[0] !== '"' || literal[literal.length - 1] !== '"')
    return undefined;
  const body = literal.slice(1, -1);
  const bytes: number[] = [];
  for (let i = 0; i < body.length;) {
    const c = body[i] ?? '';
    if (c === '"' || c === '\n') return undefined;
    if (c !== '\\') {
      const cp = body.codePointAt(i) ?? 0;
      const ch = String.fromCodePoint(cp);
      bytes.push(...encoder.encode(ch));
      i += ch.length;
      continue;
    }
    const step = unquoteEscape(body, i + 1, bytes);
    if (step === undefined) return undefined;
    i = step;
  }
  try {
    return decoder.decode(new Uint8Array(bytes));
  } catch {
    return undefined;
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const SIMPLE: Record<string, number> = {
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  '\\': 92,
  '"': 34,
};

/** unquoteEscape decodes the escape after a backslash at body[i], appending bytes; returns the next index. */
function unquoteEscape(body: string, i: number, bytes: number[]): number | undefined {
  const c = body[i];
  if (c === undefined) return undefined;
  const simple = SIMPLE[c];
  if (simple !== undefined) {
    bytes.push(simple);
    return i + 1;
  }
  if (c >= '0' && c <= '7') {
    const digits = body.slice(i, i + 3);
    if (!/^[0-7]{3}$/.test(digits)) return undefined;
    const v = Number.parseInt(digits, 8);
    if (v > 255) return undefined;
    bytes.push(v);
    return i + 3;
  }
  const width = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : 0;
  if (width === 0) return undefined;
  const hex = body.slice(i + 1, i + 1 + width);
  if (hex.length !== width || !/^[0-9A-Fa-f]+$/.test(hex)) return undefined;
  const v = Number.parseInt(hex, 16);
  if (c === 'x') {
    bytes.push(v);
  } else {
    if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return undefined;
    bytes.push(...encoder.encode(String.fromCodePoint(v)));
  }
  return i + 1 + width;
}
