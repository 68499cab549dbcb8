/**
 * Silent truncation: some servers cut an over-long prompt to their window without an error —
 * Ollama drops the front, where the system prompt and the goal are — and report only the tokens
 * they kept. A conversation that lost its instructions must not be acted on, so a turn whose
 * reported prompt is far smaller than what was sent stops the task.
 *
 * The sent size is an estimate (about 3.5 characters per token, on the high side), so only a gap
 * well beyond its error counts: the server kept under 55% of it, dropped over 1,000 tokens, and kept
 * at least 1,024 (a cut prompt fills a window; a smaller count is e.g. a server counting only the
 * tokens it did not have cached). The loop skips the check when the window is the server's own.
 */
import * as l10n from '@vscode/l10n';
import { ModelError } from '../model/errors';
import { fix } from '../model/fixWords';

const KEPT_RATIO = 0.55;
const MIN_DROPPED = 1000;
/** A cut prompt fills the server's window, and no window is this small: a lower count is something else. */
const MIN_KEPT = 1024;

export function checkTruncation(sentEstimate: number, reportedPrompt: number | undefined, contextTokens: number): ModelError | undefined {
  if (reportedPrompt === undefined || reportedPrompt < MIN_KEPT) return undefined;
  if (reportedPrompt >= sentEstimate * KEPT_RATIO || sentEstimate - reportedPrompt < MIN_DROPPED) return undefined;
  return new ModelError(
    'prompt_truncated',
    l10n.t(
      "The server processed only {0} of the about {1} prompt tokens Stepwise sent: it cut the conversation to fit its context window, dropping the start (the instructions and your goal), so Stepwise stopped instead of acting on it. Give the model a larger window on the server (Ollama: num_ctx or OLLAMA_CONTEXT_LENGTH), or set Stepwise's context window ({2}, now {3}) to what the server really uses, e.g. {4}.",
      reportedPrompt,
      sentEstimate,
      fix('windowSetting'),
      contextTokens,
      roundDown(reportedPrompt),
    ),
  );
}

function roundDown(tokens: number): number {
  for (const size of [131072, 65536, 32768, 16384, 8192, 4096, 2048]) if (tokens >= size * 0.9) return size;
  return tokens;
}
