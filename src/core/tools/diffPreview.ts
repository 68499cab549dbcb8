/** What an edit shows: the unified diff for approval, and the problems it introduced afterwards. */
// l10n-ignore-file: the diff is in unified-diff form, its notes are tool results for the model
import { createTwoFilesPatch } from 'diff';
import type { Host } from '../host/host';

/**
 * Bounds on computing a diff: past them (a rewrite of every line of a large file costs seconds to
 * minutes, on the extension host's one thread) the line-by-line diff is given up and the change is
 * shown as one hunk — every old line removed, every new line added, labelled "whole file replaced"
 * — which costs no more than the text itself. Nothing of the new content is left out.
 */
export const DIFF_LIMITS = { maxEditLength: 2000, timeout: 1000 };

export function unifiedDiff(path: string, before: string, after: string): string {
  // A new or emptied file needs no diffing at all.
  if (before === '' || after === '') return wholeFileDiff(path, before, after, '');
  const patch = createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, undefined, undefined, { context: 3, ...DIFF_LIMITS });
  if (patch === undefined) return wholeFileDiff(path, before, after, ` whole file replaced (${lines(before).length} → ${lines(after).length} lines)`);
  // Drop the "====" banner line createTwoFilesPatch starts with.
  return patch.replace(/^=+\n/, '');
}

function lines(text: string): string[] {
  if (text === '') return [];
  const all = text.split('\n');
  if (text.endsWith('\n')) all.pop();
  return all;
}

/** One hunk: all of `before` removed, all of `after` added (a valid unified diff). */
function wholeFileDiff(path: string, before: string, after: string, label: string): string {
  const removed = lines(before);
  const added = lines(after);
  const noNewline = '\\ No newline at end of file';
  const out = [
    `--- a/${path}`,
    `+++ b/${path}`,
    `@@ -${removed.length ? 1 : 0},${removed.length} +${added.length ? 1 : 0},${added.length} @@${label}`,
    ...removed.map((l) => `-${l}`),
    ...(before !== '' && !before.endsWith('\n') ? [noNewline] : []),
    ...added.map((l) => `+${l}`),
    ...(after !== '' && !after.endsWith('\n') ? [noNewline] : []),
  ];
  return `${out.join('\n')}\n`;
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
