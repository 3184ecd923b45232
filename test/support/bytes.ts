/**
 * splitAt cuts bytes into consecutive views at the given offsets, each taken modulo
 * length + 1 and then sorted, so any numbers (a fast-check array, say) make a valid
 * split. A cut at 0 or at the end, and a repeated cut, each make an empty piece.
 */
export function splitAt<T extends Uint8Array>(bytes: T, cuts: readonly number[]): T[] {
  const at = cuts.map((c) => c % (bytes.length + 1)).sort((a, b) => a - b);
  const out: T[] = [];
  let from = 0;
  for (const c of [...at, bytes.length]) {
    out.push(bytes.subarray(from, c) as T);
    from = c;
  }
  return out;
}
