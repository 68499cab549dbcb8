/**
 * A proposed change as line hunks, for reviewing it piece by piece: each hunk can be accepted or
 * rejected, and the result is rebuilt byte for byte from the original and the accepted hunks
 * (line endings, BOM and a missing final newline come through untouched). Pure: no I/O.
 */
import { diffArrays } from 'diff';
import { DIFF_LIMITS } from '../tools/diffPreview';

export interface Hunk {
  /** 0-based index of the first original line the hunk replaces (or inserts before). */
  start: number;
  /** Original lines the hunk removes, each with its line ending. */
  removed: string[];
  /** Lines the hunk puts in their place, each with its line ending. */
  added: string[];
}

/** Splits text into lines that keep their endings, so joining them gives the text back. */
export function splitKeepingEndings(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

export function lineHunks(before: string, after: string): Hunk[] {
  const hunks: Hunk[] = [];
  let line = 0;
  let open: Hunk | undefined;
  const oldLines = splitKeepingEndings(before);
  const newLines = splitKeepingEndings(after);
  const parts = diffArrays(oldLines, newLines, DIFF_LIMITS);
  // Too many changes to diff in bounded time: one hunk, the whole file.
  if (parts === undefined) return before === after ? [] : [{ start: 0, removed: oldLines, added: newLines }];
  for (const part of parts) {
    if (!part.added && !part.removed) {
      open = undefined;
      line += part.value.length;
      continue;
    }
    if (!open) {
      open = { start: line, removed: [], added: [] };
      hunks.push(open);
    }
    if (part.removed) {
      open.removed.push(...part.value);
      line += part.value.length;
    } else {
      open.added.push(...part.value);
    }
  }
  return hunks;
}

/** The original with the accepted hunks applied (accepted[i] for hunks[i]; missing = rejected). */
export function applyHunks(before: string, hunks: readonly Hunk[], accepted: readonly boolean[]): string {
  const lines = splitKeepingEndings(before);
  const out: string[] = [];
  let line = 0;
  hunks.forEach((hunk, i) => {
    out.push(...lines.slice(line, hunk.start));
    out.push(...(accepted[i] ? hunk.added : hunk.removed));
    line = hunk.start + hunk.removed.length;
  });
  out.push(...lines.slice(line));
  return out.join('');
}
