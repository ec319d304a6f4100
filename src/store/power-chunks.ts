/**
 * Splits `items` into consecutive chunks whose lengths are powers of two, largest first, none
 * longer than `max` (itself a power of two): 40 items are a chunk of 32 and one of 8. A
 * statement written for a list of rows has one text per list length; with these lengths a few
 * texts serve every count, so each is compiled and prepared once (`PreparedQuery`, the SQLite
 * statement cache) instead of once per count seen.
 */
export function powerChunks<T>(items: readonly T[], max: number): T[][] {
  const chunks: T[][] = [];
  let at = 0;
  while (at < items.length) {
    let size = max;
    while (size > items.length - at) size >>= 1;
    chunks.push(items.slice(at, at + size));
    at += size;
  }
  return chunks;
}
