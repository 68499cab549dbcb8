/**
 * Compaction the model writes: one request — the current one, the same tools, plus one user
 * message asking for a structured summary, sent with tool_choice "none" — whose answer replaces the
 * older turns. Its tokens count in the task's usage and budget. An empty, enormous or shapeless
 * answer is not used (the mechanical digest is, instead); a failed request is reported as failed.
 */
import * as l10n from '@vscode/l10n';
import type { ModelClient, ModelRequest } from '../model/client';
import { ModelError } from '../model/errors';
import type { AgentEvent, EventSink } from './events';
import { recordUsage, type CostOf } from './modelTurn';
import type { Session } from './session';
import { requestTokens } from './budget';
import { estimateTokens } from './tokenEstimate';

export type CompactionMethod = 'model' | 'mechanical';

export type SummaryOutcome =
  | { ok: true; text: string }
  /** failed: the request itself failed (an error, a cut stream); else the answer was not a usable summary. */
  | { ok: false; failed: boolean; why: string };

/** The section names asked for; a summary must use at least two of them to count as one. */
const SECTIONS = ['Files', 'Edits', 'Commands', 'Open questions', 'Next step']; // l10n-ignore: the headings asked of the model
const SECTIONS_NEEDED = 2;

export function compactionAsk(maxTokens: number): string {
  const words = Math.max(60, Math.floor(maxTokens * 0.6));
  // The question is for the model: it stays English.
  return [
    'The conversation is about to be compacted to fit the context window: everything before your latest steps will be replaced by your summary, so write down what you will still need.', // l10n-ignore: for the model
    `Write a summary of the work so far, at most ${words} words, under these headings:`, // l10n-ignore: for the model
    '## Files — each file read and what matters in it (names, line numbers, facts you will rely on)', // l10n-ignore: for the model
    '## Edits — what you changed and where', // l10n-ignore: for the model
    '## Commands — what ran and its result', // l10n-ignore: for the model
    '## Open questions', // l10n-ignore: for the model
    '## Next step', // l10n-ignore: for the model
    'Answer with the summary only; do not call any tools.', // l10n-ignore: for the model
  ].join('\n');
}

/** What the goal message carries after a compaction. */
export function summaryBlock(summary: string, method: CompactionMethod): string {
  const by = method === 'model' ? 'your own summary' : 'a list Stepwise kept'; // l10n-ignore: for the model
  // l10n-ignore: the summary block is for the model
  return `[The earlier steps were compacted to fit the context window; this is ${by} of them. The latest steps follow in full. Read a file again if you need its exact text.]\n${summary.trim()}`;
}

/** Why a summary cannot be used, or undefined when it can. */
export function summaryProblem(text: string, cut: boolean, maxTokens: number): string | undefined {
  const trimmed = text.trim();
  if (!trimmed) return l10n.t("the model's summary was empty");
  if (cut || estimateTokens(trimmed) > maxTokens) return l10n.t("the model's summary was too long (over {0} tokens)", maxTokens);
  const sections = SECTIONS.filter((s) => new RegExp(`\\b${s}`, 'i').test(trimmed)).length;
  if (sections < SECTIONS_NEEDED) return l10n.t("the model's answer was not a summary in the form asked for");
  return undefined;
}

/** Streams the summary request (nothing of it is shown as a message); cancellation is rethrown. */
export async function askForSummary(
  model: ModelClient,
  request: ModelRequest,
  session: Session,
  emit: EventSink,
  signal: AbortSignal,
  costOf?: CostOf,
): Promise<SummaryOutcome> {
  let text = '';
  let cut = false;
  let usage = false;
  let calls = 0;
  try {
    for await (const event of model.stream(request, signal)) {
      if (event.type === 'text') text += event.delta;
      else if (event.type === 'tool_call') calls++;
      else if (event.type === 'retry') text = '';
      else if (event.type === 'finish') cut = event.reason === 'length';
      else if (event.type === 'usage') {
        usage = true;
        recordUsage(session, event.promptTokens, event.completionTokens, emit, costOf);
      }
    }
  } catch (error) {
    if (signal.aborted || (error instanceof ModelError && error.kind === 'cancelled')) throw error;
    return { ok: false, failed: true, why: error instanceof Error ? error.message : String(error) };
  }
  if (!usage) recordUsage(session, requestTokens(request.messages, 0), estimateTokens(text), emit, costOf);
  if (!text.trim() && calls) return { ok: false, failed: false, why: l10n.t('the model called a tool instead of writing the summary') };
  const problem = summaryProblem(text, cut, request.answerTokens ?? Number.POSITIVE_INFINITY);
  return problem ? { ok: false, failed: false, why: problem } : { ok: true, text: text.trim() };
}

/** "Compacted 12 earlier steps (the model's summary): about 9,800 → 4,100 tokens." */
export function describeCompaction(event: Extract<AgentEvent, { type: 'compaction' }>): string {
  if (event.turns === 0) return l10n.t('Nothing to compact yet.');
  const how =
    event.method === 'model'
      ? l10n.t("the model's summary")
      : event.fallback
        ? l10n.t('a list of the steps, because {0}', event.fallback)
        : l10n.t('a list of the steps');
  const n = (x: number) => x.toLocaleString('en-US');
  return event.turns === 1
    ? l10n.t('Compacted 1 earlier step ({0}): about {1} → {2} tokens.', how, n(event.tokensBefore), n(event.tokensAfter))
    : l10n.t('Compacted {0} earlier steps ({1}): about {2} → {3} tokens.', event.turns, how, n(event.tokensBefore), n(event.tokensAfter));
}
