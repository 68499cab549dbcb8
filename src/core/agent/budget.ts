/**
 * Sizes in the context budget: what a message, an image and a whole request are estimated at, and
 * the head-and-tail cut of an output too large for the window, the tool definitions' share. Which messages are sent is decided
 * in contextPolicy.ts.
 */
import { estimateTokens } from './tokenEstimate';
import type { ChatMessage } from '../model/client';
import type { ToolSpec } from '../contracts';
import type { ToolRegistry } from '../tools/registry';

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

/** What the messages may take: the window less the answer's room and the tool definitions. */
export function roomOf(options: BudgetOptions): number {
  return options.contextTokens - options.reserveTokens - options.toolTokens;
}

const SIZES = new WeakMap<ChatMessage, number>();
const IMAGE_TOKENS = 1_000;

/** Messages never change once made: each is sized once. */
export function cachedTokens(message: ChatMessage): number {
  let size = SIZES.get(message);
  if (size === undefined) SIZES.set(message, (size = messageTokens(message)));
  return size;
}

export function messageTokens(message: ChatMessage): number {
  let text = message.content;
  if (message.role === 'assistant' && message.toolCalls) {
    for (const call of message.toolCalls) text += call.name + call.arguments;
  }
  return estimateTokens(text) + 4 + imageTokens([message]);
}

/**
 * What images are counted as: about what a high-detail image costs on hosted APIs. Servers count
 * them very differently (85 to over 1,000 tokens), so the truncation check leaves them out.
 */
export function imageTokens(messages: readonly ChatMessage[]): number {
  return messages.reduce((n, m) => n + (m.role === 'user' ? (m.images?.length ?? 0) * IMAGE_TOKENS : 0), 0);
}

/** The estimated prompt size of a request: messages plus tool definitions. */
export function requestTokens(messages: readonly ChatMessage[], toolTokens: number): number {
  return messages.reduce((n, m) => n + cachedTokens(m), 0) + toolTokens;
}

/** Head and tail of an output, cut to about `keepTokens` at the text's own rate (code, logs and CJK differ a lot). */
export function cutToTokens(content: string, keepTokens: number): string {
  const charsPerToken = content.length / Math.max(1, estimateTokens(content));
  const keep = Math.max(200, Math.floor(keepTokens * charsPerToken) - 200);
  return content.length > keep ? cutMiddle(content, keep) : content;
}

function cutMiddle(content: string, keep: number): string {
  const head = content.slice(0, Math.floor(keep * 0.7));
  const tail = content.slice(content.length - Math.floor(keep * 0.3));
  const cutLines = content.slice(head.length, content.length - tail.length).split('\n').length;
  // l10n-ignore: the cut marker is for the model
  return `${head}\n[… about ${cutLines} lines cut to fit the context window; read smaller parts (start_line/end_line) to see them …]\n${tail}`;
}

export { estimateTokens } from './tokenEstimate';

/** The tools to send now: an MCP server's list may have changed, or find_tools offered more; their size is counted again. */
export function currentTools(registry: ToolRegistry, last: ToolSpec[], budget: { toolTokens: number }): ToolSpec[] {
  const now = registry.specs();
  if (now.length === last.length && now.every((spec, i) => spec === last[i])) return last;
  budget.toolTokens = estimateTokens(JSON.stringify(now));
  return now;
}

/** The window: room kept for the answer (which also bounds it), and what the tool definitions take. */
export function windowBudget(contextTokens: number, tools: readonly ToolSpec[]) {
  return { contextTokens, reserveTokens: Math.min(4096, Math.floor(contextTokens / 4)), toolTokens: estimateTokens(JSON.stringify(tools)) };
}
