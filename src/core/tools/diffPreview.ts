/** The unified diff shown for approval of an edit (and in the CLI): what will change, exactly. */
import { createTwoFilesPatch } from 'diff';

export function unifiedDiff(path: string, before: string, after: string): string {
  const patch = createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, undefined, undefined, { context: 3 });
  // Drop the "====" banner line createTwoFilesPatch starts with.
  return patch.replace(/^=+\n/, '');
}

/** Counts added and removed lines of a unified diff, for one-line summaries. */
export function diffStats(diff: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+') && !line.startsWith('+++')) added++;
    else if (line.startsWith('-') && !line.startsWith('---')) removed++;
  }
  return { added, removed };
}
