/** What an edit shows: the unified diff for approval, and the problems it introduced afterwards. */
import { createTwoFilesPatch } from 'diff';
import type { Host } from '../host/host';

/**
 * Bounds on computing a diff: past them (a rewrite of every line of a large file costs seconds to
 * minutes, on the extension host's one thread) the diff is given up and the change is described
 * as a whole-file replacement instead.
 */
export const DIFF_LIMITS = { maxEditLength: 2000, timeout: 1000 };

const WHOLE_FILE = /^\[whole file replaced \((\d+) → (\d+) lines\)/m;

export function unifiedDiff(path: string, before: string, after: string): string {
  const patch = createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, undefined, undefined, { context: 3, ...DIFF_LIMITS });
  if (patch === undefined) {
    return `--- a/${path}\n+++ b/${path}\n[whole file replaced (${lineCount(before)} → ${lineCount(after)} lines): too many changes to show line by line]\n`;
  }
  // Drop the "====" banner line createTwoFilesPatch starts with.
  return patch.replace(/^=+\n/, '');
}

function lineCount(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** Counts added and removed lines of a unified diff, for one-line summaries. */
export function diffStats(diff: string): { added: number; removed: number } {
  const whole = WHOLE_FILE.exec(diff);
  if (whole) return { added: Number(whole[2]), removed: Number(whole[1]) };
  let added = 0;
  let removed = 0;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+') && !line.startsWith('+++')) added++;
    else if (line.startsWith('-') && !line.startsWith('---')) removed++;
  }
  return { added, removed };
}

/** New errors the editor reports after an edit, as a note for the tool result ('' when none). */
export async function newProblemsNote(host: Host, path: string): Promise<string> {
  const problems = (await host.newProblems?.(path)) ?? [];
  if (problems.length === 0) return '';
  const shown = problems.slice(0, 20);
  const more = problems.length > shown.length ? `\n[… ${problems.length - shown.length} more]` : '';
  return `\nNew problems after this edit:\n${shown.join('\n')}${more}`;
}

/** Tells the model which part of its proposal the user kept ('' when they took all of it). */
export function partialAcceptNote(path: string, proposed: string, written: string): string {
  if (proposed === written) return '';
  return `\nThe user accepted only part of this change and rejected the rest. What was written differs from your proposal by:\n${unifiedDiff(path, proposed, written)}Do not redo the rejected parts unless the user asks.`;
}
