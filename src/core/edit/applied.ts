/**
 * Edits already applied: the replacement holds the search text plus more (an insertion, a
 * wrapper), and the file already has that "more" around the match. A model that re-sends an
 * edit (or sends the same block twice in one call) would otherwise insert its lines twice.
 */
import { type TextLines, toLF } from './lines';
import { isBlank, looseKey } from './normalize';
import type { Hit } from './substring';

/** Raw-text match: the text around the hit already reads as the replacement around the search. */
export function alreadyThereRaw(body: string, hit: Hit, searchLF: string, replLF: string): boolean {
  if (searchLF === '' || hit.virtualEnd) return false;
  for (let k = replLF.indexOf(searchLF); k !== -1; k = replLF.indexOf(searchLF, k + 1)) {
    const before = replLF.slice(0, k);
    const after = replLF.slice(k + searchLF.length);
    if (before.trim() === '' && after.trim() === '') continue;
    const fileBefore = toLF(body.slice(Math.max(0, hit.start - 2 * before.length), hit.start));
    const fileAfter = toLF(body.slice(hit.end, hit.end + 2 * after.length + 1));
    if (fileBefore.endsWith(before) && fileAfter.startsWith(after)) return true;
  }
  return false;
}

/** Line match of file lines first..last: the lines around them already read as the replacement's extra lines. */
export function alreadyThereLines(doc: TextLines, first: number, last: number, core: string[], repl: string[]): boolean {
  const n = core.length;
  if (n === 0) return false;
  const keys = core.map((l) => looseKey(l));
  const replKeys = repl.map((l) => looseKey(l));
  for (let k = 0; k + n <= repl.length; k++) {
    if (!keys.every((key, i) => replKeys[k + i] === key)) continue;
    const before = replKeys.slice(0, k);
    const after = replKeys.slice(k + n);
    if ([...before, ...after].every((key) => isBlank(key))) continue;
    if (first - before.length < 0 || last + after.length >= doc.count) continue;
    const same = before.every((key, i) => doc.looseKey(first - before.length + i) === key) && after.every((key, i) => doc.looseKey(last + 1 + i) === key);
    if (same) return true;
  }
  return false;
}
