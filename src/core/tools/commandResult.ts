/** How a finished command or task reads to the model: status line first, then capped output. */
// l10n-ignore-file: a command result is for the model
import { capText } from '../caps';
import type { CommandResult } from '../host/host';
import type { ToolResult } from './defineTool';

export function commandResultText(result: CommandResult, timeoutS: number, maxChars: number): ToolResult {
  const status = result.timedOut
    ? `Killed after ${timeoutS} s (timeout), with every process it started. Output so far:`
    : result.cancelled
      ? 'Cancelled by the user. Output so far:'
      : `Exit code: ${result.exitCode ?? 'none (killed by a signal)'}`;
  const parts = [result.note, status, capText(result.output.trimEnd() || '(no output)', maxChars)];
  if (result.problems?.length) parts.push(`Problems:\n${result.problems.join('\n')}`);
  return { ok: result.exitCode === 0, output: parts.filter(Boolean).join('\n') };
}
