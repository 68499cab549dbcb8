/**
 * The mechanical summary of compacted turns: one line per tool call — files read, edits made,
 * commands and their exit codes — newest kept when over the cap, so however long the task runs the
 * digest stays bounded. Used for small windows, and whenever the model's own summary fails.
 */
// l10n-ignore-file: the work digest is for the model
import { estimateTokens } from './tokenEstimate';
import { mainArgument } from '../text/summaries';
import type { ChatMessage } from '../model/client';

/** Calls that say nothing about the work done (the plan is kept verbatim elsewhere). */
const NOT_LISTED = new Set(['update_plan', 'finish']);
const ARGUMENT_CHARS = 80;
const RESULT_CHARS = 100;

export class WorkDigest {
  private readonly lines: string[] = [];

  /** Adds a line for each tool call in these messages (a compacted range), with its result's first line. */
  add(messages: readonly ChatMessage[]): void {
    const results = new Map<string, string>();
    for (const m of messages) if (m.role === 'tool') results.set(m.toolCallId, m.content);
    for (const m of messages) {
      if (m.role !== 'assistant') continue;
      for (const call of m.toolCalls ?? []) {
        if (NOT_LISTED.has(call.name)) continue;
        const result = results.get(call.id);
        this.lines.push(`- ${call.name} ${argumentOf(call.arguments)}: ${result === undefined ? '(no result)' : firstLine(result)}`);
      }
    }
  }

  get size(): number {
    return this.lines.length;
  }

  /** The digest within `maxTokens` (from line `from`): the newest lines, with a count of the older ones left out. */
  text(maxTokens: number, from = 0): string {
    const kept: string[] = [];
    let used = estimateTokens('Steps done so far (one line each; older ones first):\n') + 20;
    for (let i = this.lines.length - 1; i >= from; i--) {
      const cost = estimateTokens(this.lines[i]!) + 1;
      if (used + cost > maxTokens && kept.length > 0) break;
      kept.unshift(this.lines[i]!);
      used += cost;
    }
    const omitted = this.lines.length - from - kept.length;
    return [
      'Steps done so far (one line each; older ones first):',
      ...(omitted ? [`- (${omitted} earlier steps not listed)`] : []),
      ...(kept.length ? kept : ['- none yet']),
    ].join('\n');
  }
}

function argumentOf(args: string): string {
  try {
    return mainArgument(JSON.parse(args) as unknown, ARGUMENT_CHARS);
  } catch {
    return '';
  }
}

/** The line that says what happened ("Edited …", "exit code 0"), whitespace collapsed. */
function firstLine(output: string): string {
  const lines = output.split('\n');
  // A command's status may follow a note (commandResult.ts): the status is what matters.
  const status = lines.slice(0, 3).find((l) => /^(Exit code:|Killed after|Cancelled by)/.test(l));
  const line = (status ?? lines.find((l) => l.trim()) ?? '').replace(/\s+/g, ' ').trim();
  return line.length > RESULT_CHARS ? `${line.slice(0, RESULT_CHARS)}…` : line || '(empty)';
}
