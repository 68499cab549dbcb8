/**
 * What is sent each step, kept prefix-stable: local servers (llama.cpp, Ollama, vLLM) reuse the
 * longest unchanged prefix of the previous request, and hosted APIs bill it at a fraction, so a
 * message once sent is never rewritten — except in a compaction, which happens rarely and in one
 * go: when a request would pass the high mark, the older turns are replaced at once by a summary
 * (the model's own, or the mechanical digest) down to the low mark; then it is append-only again.
 *
 * The system prompt, the goal and the latest turn are always sent verbatim, and the plan too: when
 * its latest update_plan call falls in the compacted range, that call and its result are kept.
 * An output too large for the window is cut (head and tail) before it is first sent: not a rewrite.
 */
import * as l10n from '@vscode/l10n';
import type { ToolSpec } from '../contracts';
import { costOf } from '../model/catalog';
import type { ChatMessage, ModelRequest } from '../model/client';
import { ContextBudgetError, cachedTokens, cutToTokens, requestTokens, roomOf, type BudgetOptions } from './budget';
import { askForSummary, compactionAsk, summaryBlock, type CompactionMethod, type SummaryOutcome } from './compaction';
import type { EventSink } from './events';
import type { AgentOptions } from './loop';
import type { TaskBudgetGuard } from './taskBudget';
import type { TaskControl } from './taskControl';
import type { Session } from './session';
import { WorkDigest } from './workDigest';
import { estimateTokens } from './tokenEstimate';
import { planAccepted } from '../tools/updatePlan';

/** Compaction starts when a request would pass this share of the room, and goes down to the lower one. */
const HIGH_MARK = 0.85;
const LOW_MARK = 0.5;
/** Outputs of one turn, cut before they are first sent, share at most this part of the room. */
const NEW_OUTPUTS_SHARE = 0.6;
/** The summary (model-written or mechanical) takes at most this share of the room. */
const SUMMARY_SHARE = 0.15;
const SUMMARY_MAX = 1500;
const SUMMARY_MIN = 150;

/** Windows from this size up have room for the model to write its own summary. */
const MODEL_COMPACTION_FROM = 16_384;

export interface ContextPolicyOptions {
  budget: BudgetOptions;
  /** The tools sent now (they may change while a task runs). */
  tools: () => ToolSpec[];
  method: CompactionMethod;
  /** Sends the summary request (the task budget is checked first); absent = mechanical only. */
  ask?: (request: ModelRequest, signal: AbortSignal) => Promise<SummaryOutcome>;
  emit: EventSink;
  /** The UI's requests (Compact), taken before each request. */
  control?: TaskControl;
}

export class ContextPolicy {
  /** Where the verbatim tail starts in the session's messages (2: nothing compacted yet). */
  private cut = 2;
  /** The goal message with the summary, after a compaction. */
  private goal?: ChatMessage;
  /** The latest update_plan call and its result, when they were compacted away. */
  private planPair: ChatMessage[] = [];
  /** How many of the session's messages have been sent. */
  private sent = 0;
  private readonly digest = new WorkDigest();
  /** Why the model's summary request failed, when it did: later compactions are mechanical. */
  private modelFailed?: string;
  /** The model's latest summary, and how many digest lines it covers. */
  private modelSummary?: { text: string; listed: number };
  /** The summary request of this step failed (for the message if the task cannot go on). */
  private failedNow = false;

  constructor(
    private readonly session: Session,
    private readonly options: ContextPolicyOptions,
  ) {}

  /** The messages to send this step; may compact first (and ask the model for its summary). */
  async messages(signal: AbortSignal): Promise<ChatMessage[]> {
    const room = roomOf(this.options.budget);
    this.capNewOutputs(room * NEW_OUTPUTS_SHARE);
    const before = this.size(this.view());
    const trigger = this.options.control?.takeCompaction() ? 'user' : before > room * HIGH_MARK ? 'window' : undefined;
    this.failedNow = false;
    if (trigger) await this.compact(trigger, before, room, signal);
    let total = this.size(this.view());
    if (total > room) {
      // Last resort before failing: the new outputs share what is left.
      this.capNewOutputs(room - (total - this.newOutputsSize()));
      total = this.size(this.view());
    }
    if (total > room) {
      const needed = total + this.options.budget.toolTokens + this.options.budget.reserveTokens;
      const window = this.options.budget.contextTokens;
      throw new ContextBudgetError(
        this.failedNow
          ? l10n.t(
              'The model could not summarise the earlier steps ({0}), and the task no longer fits its context window ({1} tokens, about {2} needed). Start a new task with a narrower goal, or use a model with a larger window.',
              this.modelFailed ?? '',
              window,
              needed,
            )
          : l10n.t(
              "The task no longer fits the model's context window ({0} tokens, about {1} needed even with the earlier steps summarised). Start a new task with a narrower goal, or use a model with a larger window.",
              window,
              needed,
            ),
      );
    }
    this.sent = this.session.messages.length;
    return this.view();
  }

  private view(): ChatMessage[] {
    const [system, goal] = this.session.messages;
    return [system!, this.goal ?? goal!, ...this.planPair, ...this.session.messages.slice(this.cut)];
  }

  private size(messages: readonly ChatMessage[]): number {
    return requestTokens(messages, 0);
  }

  private newOutputsSize(): number {
    return this.session.messages.slice(this.sent).reduce((n, m) => n + (m.role === 'tool' ? cachedTokens(m) : 0), 0);
  }

  /** Cuts each output not yet sent to its share of `tokens` (head and tail kept, at least a few lines). */
  private capNewOutputs(tokens: number): void {
    const fresh = this.session.messages.flatMap((m, i) => (i >= this.sent && m.role === 'tool' ? [i] : []));
    if (!fresh.length) return;
    const share = Math.max(0, Math.floor(tokens / fresh.length));
    for (const i of fresh) {
      const message = this.session.messages[i]!;
      if (cachedTokens(message) > share) this.session.replaceUnsent(i, { ...message, content: cutToTokens(message.content, share) });
    }
  }

  private async compact(trigger: 'window' | 'user', before: number, room: number, signal: AbortSignal): Promise<void> {
    const summaryTokens = Math.max(SUMMARY_MIN, Math.min(SUMMARY_MAX, Math.floor(room * SUMMARY_SHARE)));
    // The user asked: everything but the latest turn. Near the window: down to the low mark.
    const tailStart = this.chooseCut(trigger === 'user' ? 0 : room * LOW_MARK - summaryTokens);
    const base = { type: 'compaction' as const, trigger, tokensBefore: before + this.options.budget.toolTokens };
    if (tailStart <= this.cut) {
      if (trigger === 'user') this.options.emit({ ...base, method: 'mechanical', turns: 0, tokensAfter: base.tokensBefore, summary: '' });
      return;
    }
    let method: CompactionMethod = this.options.method === 'model' && this.options.ask && !this.modelFailed ? 'model' : 'mechanical';
    let fallback =
      this.options.method === 'model' && this.modelFailed ? l10n.t("the model's summary request failed earlier ({0})", this.modelFailed) : undefined;
    let summary: string | undefined;
    if (method === 'model') {
      const outcome = await this.askModel(summaryTokens, signal);
      if (outcome.ok) summary = outcome.text;
      else if (outcome.failed) {
        // The history stays as it was; if it no longer fits, messages() stops the task saying why.
        this.modelFailed = outcome.why;
        this.failedNow = true;
        return;
      } else {
        method = 'mechanical';
        fallback = outcome.why;
      }
    }
    const compacted = this.session.messages.slice(this.cut, tailStart);
    this.digest.add(compacted);
    if (summary !== undefined) this.modelSummary = { text: summary, listed: this.digest.size };
    // The list after a summary the model wrote earlier goes on from it rather than dropping it.
    summary ??= this.modelSummary
      ? `${this.modelSummary.text}\n\n${this.digest.text(summaryTokens - estimateTokens(this.modelSummary.text), this.modelSummary.listed)}`
      : this.digest.text(summaryTokens);
    this.keepPlan(tailStart);
    this.cut = tailStart;
    const goal = this.session.messages[1] as Extract<ChatMessage, { role: 'user' }>;
    this.goal = { ...goal, content: `${goal.content}\n\n${summaryBlock(summary, method)}` };
    const turns = compacted.filter((m) => m.role === 'assistant').length;
    const tokensAfter = this.size(this.view()) + this.options.budget.toolTokens;
    this.options.emit({ ...base, method, turns, tokensAfter, summary, ...(fallback ? { fallback } : {}) });
  }

  /** The earliest turn start from which the tail fits `tokens` beside the fixed head; at latest the last turn. */
  private chooseCut(tokens: number): number {
    const messages = this.session.messages;
    // The latest turn with results (after it may come only a cut answer or a nudge) is always kept.
    const results = messages.map((m) => m.role).lastIndexOf('tool');
    const starts = messages.flatMap((m, i) => (i > this.cut && m.role === 'assistant' && (results < 0 || i < results) ? [i] : []));
    const last = starts.at(-1);
    if (last === undefined) return this.cut;
    const head = this.size([messages[0]!, messages[1]!]) + this.size(this.planPair) + 200;
    let tail = this.size(messages.slice(last));
    let chosen = last;
    for (let k = starts.length - 2; k >= 0; k--) {
      const start = starts[k]!;
      tail += this.size(messages.slice(start, starts[k + 1]));
      if (head + tail > tokens) break;
      chosen = start;
    }
    return chosen;
  }

  /** The plan survives a compaction: its latest update_plan call and result, when they are in the compacted range. */
  private keepPlan(tailStart: number): void {
    const messages = this.session.messages;
    // Only a plan that was accepted counts (a call with bad arguments, or a plan sent back, is not the plan).
    const planned = new Set(messages.flatMap((m) => (m.role === 'tool' && planAccepted(m.content) ? [m.toolCallId] : [])));
    const planAt = (from: number, to: number) => {
      for (let i = to - 1; i >= from; i--) {
        const m = messages[i]!;
        const calls = m.role === 'assistant' ? [...(m.toolCalls ?? [])].reverse() : [];
        const call = calls.find((c) => c.name === 'update_plan' && planned.has(c.id));
        if (call) return call;
      }
      return undefined;
    };
    if (planAt(tailStart, messages.length)) {
      this.planPair = [];
      return;
    }
    const call = planAt(this.cut, tailStart);
    const result = call && messages.find((m) => m.role === 'tool' && m.toolCallId === call.id);
    if (call && result) this.planPair = [{ role: 'assistant', content: '', toolCalls: [call] }, result];
  }

  private async askModel(summaryTokens: number, signal: AbortSignal): Promise<SummaryOutcome> {
    const view = this.view();
    const ask = compactionAsk(summaryTokens);
    const last = view.at(-1);
    // After a nudge the last message is the user's already: one message, so turns still alternate.
    const messages: ChatMessage[] =
      last?.role === 'user' && !last.images?.length
        ? [...view.slice(0, -1), { role: 'user', content: `${last.content}\n\n${ask}` }]
        : [...view, { role: 'user', content: ask }];
    const needed = requestTokens(messages, this.options.budget.toolTokens) + summaryTokens;
    if (needed > this.options.budget.contextTokens) {
      return { ok: false, failed: false, why: l10n.t('the conversation is too large to ask the model for a summary') };
    }
    // The server is asked for at most summaryTokens; the runaway guard is the usual answer room's.
    const maxOutputTokens = Math.max(summaryTokens, this.options.budget.reserveTokens);
    const request: ModelRequest = { messages, tools: this.options.tools(), toolChoice: 'none', maxOutputTokens, answerTokens: summaryTokens };
    return this.options.ask!(request, signal);
  }
}

/** The task's policy; a summary request is checked against the task budget like any other request. */
export function contextFor(options: AgentOptions, session: Session, budget: BudgetOptions, guard: TaskBudgetGuard, emit: EventSink): ContextPolicy {
  const cost = (prompt: number, completion: number) => costOf(options.modelFacts, prompt, completion);
  return new ContextPolicy(session, {
    budget,
    tools: () => options.tools.specs(),
    method: options.compaction ?? (options.contextTokens >= MODEL_COMPACTION_FROM ? 'model' : 'mechanical'),
    emit,
    ...(options.control ? { control: options.control } : {}),
    // A summary that would pass the task budget is not asked for (nor is the user): the list costs nothing.
    ask: async (request, signal) =>
      guard.wouldPass(session, requestTokens(request.messages, budget.toolTokens) + (request.answerTokens ?? 0))
        ? { ok: false, failed: false, why: l10n.t('a summary request would pass the task budget') }
        : askForSummary(options.model, request, session, emit, signal, cost),
  });
}
