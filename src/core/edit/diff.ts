/**
 * Which replacement lines the model left as they were in its search text: a longest common
 * subsequence of equal lines. Those lines keep the file's own bytes when written, wherever they
 * sit in the block (not only at its head and tail).
 */

/** Above this many cells the middle is not aligned (one changed run instead): bounded time. */
const MAX_CELLS = 1_000_000;

/** Pairs (search line, replacement line) of equal lines, in increasing order of both. */
export function keptLines(search: readonly string[], repl: readonly string[]): Array<readonly [number, number]> {
  const n = search.length;
  const r = repl.length;
  let head = 0;
  while (head < n && head < r && search[head] === repl[head]) head++;
  let tail = 0;
  while (tail < n - head && tail < r - head && search[n - 1 - tail] === repl[r - 1 - tail]) tail++;
  const pairs: Array<readonly [number, number]> = [];
  for (let i = 0; i < head; i++) pairs.push([i, i]);
  const a = search.slice(head, n - tail);
  const b = repl.slice(head, r - tail);
  if (a.length > 0 && b.length > 0 && a.length * b.length <= MAX_CELLS) {
    for (const [i, j] of lcs(a, b)) pairs.push([head + i, head + j]);
  }
  for (let k = tail; k > 0; k--) pairs.push([n - k, r - k]);
  return pairs;
}

function lcs(a: readonly string[], b: readonly string[]): Array<readonly [number, number]> {
  const n = a.length;
  const m = b.length;
  const table: Uint32Array[] = [];
  for (let i = 0; i <= n; i++) table.push(new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    const row = table[i]!;
    const below = table[i + 1]!;
    for (let j = m - 1; j >= 0; j--) {
      row[j] = a[i] === b[j] ? below[j + 1]! + 1 : Math.max(below[j]!, row[j + 1]!);
    }
  }
  const out: Array<readonly [number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push([i++, j++]);
    } else if (table[i + 1]![j]! >= table[i]![j + 1]!) i++;
    else j++;
  }
  return out;
}
