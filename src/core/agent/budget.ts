/**
 * The context budget: the request must fit the model's window. Old tool outputs go first;
 * the system prompt, the goal and the plan (it lives in update_plan calls) are never dropped.
 */
import type { ChatMessage } from '../model/client';

export interface BudgetOptions {
  /** The model's context window, in tokens. */
  contextTokens: number;
  /** Kept free for the model's answer. */
  reserveTokens: number;
  /** Tokens taken by the tool definitions. */
  toolTokens: number;
}

export class ContextBudgetError extends Error {
  override name = 'ContextBudgetError';
}

const TRIMMED = '[output removed to fit the context window; run the tool again if you need it]';
/** The latest tool outputs are what the model is working on: keep at least these. */
const KEEP_RECENT_OUTPUTS = 2;

/** A cheap, slightly pessimistic token estimate: this runs before every request. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 3.5);
}

export function messageTokens(message: ChatMessage): number {
  let text = message.content;
  if (message.role === 'assistant' && message.toolCalls) {
    for (const call of message.toolCalls) text += call.name + call.arguments;
  }
  return estimateTokens(text) + 4;
}

/** Returns the messages to send: the same array when it fits, else a copy with old outputs trimmed. */
export function fitToBudget(messages: ChatMessage[], options: BudgetOptions): ChatMessage[] {
  const limit = options.contextTokens - options.reserveTokens - options.toolTokens;
  const sizes = messages.map(messageTokens);
  let total = sizes.reduce((a, b) => a + b, 0);
  if (total <= limit) return messages;

  const out = messages.slice();
  const toolIndexes = out.flatMap((m, i) => (m.role === 'tool' ? [i] : []));
  const trimmable = toolIndexes.slice(0, Math.max(0, toolIndexes.length - KEEP_RECENT_OUTPUTS));
  for (const i of trimmable) {
    if (total <= limit) break;
    const message = out[i] as Extract<ChatMessage, { role: 'tool' }>;
    if (message.content === TRIMMED) continue;
    const trimmed = { ...message, content: TRIMMED };
    total += messageTokens(trimmed) - (sizes[i] ?? 0);
    out[i] = trimmed;
  }
  if (total > limit) {
    throw new ContextBudgetError(
      `The task no longer fits the model's context window (${options.contextTokens} tokens, about ${total + options.toolTokens + options.reserveTokens} needed). Start a new task with a narrower goal, or use a model with a larger window.`,
    );
  }
  return out;
}
