/**
 * The context budget: the request must fit the model's window. As the history nears the window,
 * old tool outputs are summarised (their first line kept, the rest dropped with a note naming the
 * call), then the bulky arguments of old edit calls; the system prompt, the goal and the plan
 * (update_plan calls) are always sent verbatim, and the latest outputs are what the model works on.
 */
import { estimateTokens } from './tokenEstimate';
import { mainArgument } from '../text/summaries';
import type { ChatMessage, ToolCall } from '../model/client';

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

/** The outputs of the turn before the latest are kept whole as long as possible. */
const KEEP_RECENT_OUTPUTS = 2;
/** A latest output cut to fit keeps this share of the room. */
const LATEST_SHARE = 0.6;
/** Summarising starts above this share of the room and goes down to the lower one, so it does not run every step. */
const START_AT = 0.85;
const DOWN_TO = 0.7;
const SUMMARY_LINE_CHARS = 200;
const BULKY_ARGUMENTS = 400;

type ToolMessage = Extract<ChatMessage, { role: 'tool' }>;
const SUMMARIES = new WeakMap<ToolMessage, ToolMessage>();
const SIZES = new WeakMap<ChatMessage, number>();

function cachedTokens(message: ChatMessage): number {
  let size = SIZES.get(message);
  if (size === undefined) SIZES.set(message, (size = messageTokens(message)));
  return size;
}

const IMAGE_TOKENS = 1_000;

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
export function requestTokens(messages: ChatMessage[], toolTokens: number): number {
  return messages.reduce((n, m) => n + cachedTokens(m), 0) + toolTokens;
}

/** Returns the messages to send: the same array when it fits, else a copy with old outputs summarised. */
export function fitToBudget(messages: ChatMessage[], options: BudgetOptions): ChatMessage[] {
  const room = options.contextTokens - options.reserveTokens - options.toolTokens;
  const sizes = messages.map(cachedTokens);
  let total = sizes.reduce((a, b) => a + b, 0);
  if (total <= room * START_AT) return messages;

  const out = messages.slice();
  const calls = callsById(messages);
  const target = room * DOWN_TO;
  const replace = (i: number, message: ChatMessage) => {
    const size = cachedTokens(message);
    total += size - (sizes[i] ?? 0);
    sizes[i] = size;
    out[i] = message;
  };

  const summarise = (i: number) => {
    const message = out[i] as ToolMessage;
    const summarised = summaryOf(message, calls);
    if (summarised !== message) replace(i, summarised);
  };
  // The results of the latest turn are what the model has not seen yet: never summarised.
  const lastAssistant = out.map((m) => m.role).lastIndexOf('assistant');
  const toolIndexes = out.flatMap((m, i) => (m.role === 'tool' ? [i] : []));
  const seen = toolIndexes.filter((i) => i < lastAssistant);
  const latest = toolIndexes.filter((i) => i > lastAssistant);
  for (const i of seen.slice(0, Math.max(0, seen.length - KEEP_RECENT_OUTPUTS))) {
    if (total <= target) break;
    summarise(i);
  }
  // Then what old calls carried: whole files and replacement blocks already applied.
  for (let i = 0; i < lastAssistant && total > target; i++) {
    const message = out[i]!;
    if (message.role !== 'assistant' || !message.toolCalls) continue;
    const toolCalls = message.toolCalls.map(shrinkCall);
    if (toolCalls.some((c, k) => c !== message.toolCalls![k])) replace(i, { ...message, toolCalls });
  }
  // A small window may not hold the previous turn's outputs whole either.
  for (const i of seen.slice(-KEEP_RECENT_OUTPUTS)) if (total > room) summarise(i);
  // Last resort: the latest outputs are cut (head and tail kept) rather than the task failing.
  if (total > room && latest.length) {
    const share = Math.floor((room - (total - latest.reduce((n, i) => n + (sizes[i] ?? 0), 0))) / latest.length);
    for (const i of latest) {
      const message = out[i] as ToolMessage;
      // Tokens to characters at this text's own rate (code, logs and CJK differ a lot).
      const charsPerToken = message.content.length / Math.max(1, estimateTokens(message.content));
      const keep = Math.max(200, Math.floor(Math.min(share, room * LATEST_SHARE) * charsPerToken) - 200);
      if (message.content.length > keep) replace(i, { ...message, content: cutMiddle(message.content, keep) });
    }
  }
  if (total > room) {
    throw new ContextBudgetError(
      `The task no longer fits the model's context window (${options.contextTokens} tokens, about ${total + options.toolTokens + options.reserveTokens} needed even with old outputs summarised). Start a new task with a narrower goal, or use a model with a larger window.`,
    );
  }
  return out;
}

/** Messages in the history never change: a summary made once is reused on every later request. */
function summaryOf(message: ToolMessage, calls: ReturnType<typeof callsById>): ToolMessage {
  let summarised = SUMMARIES.get(message);
  if (!summarised) {
    const summary = summariseOutput(message.content, calls.get(message.toolCallId));
    summarised = summary.length < message.content.length ? { ...message, content: summary } : message;
    SUMMARIES.set(message, summarised);
  }
  return summarised;
}

/** Head and tail of an output, with a note on what was cut in between. */
function cutMiddle(content: string, keep: number): string {
  const head = content.slice(0, Math.floor(keep * 0.7));
  const tail = content.slice(content.length - Math.floor(keep * 0.3));
  const cutLines = content.slice(head.length, content.length - tail.length).split('\n').length;
  return `${head}\n[… about ${cutLines} lines cut to fit the context window; read smaller parts (start_line/end_line) to see them …]\n${tail}`;
}

function callsById(messages: ChatMessage[]): Map<string, ToolCall> {
  const calls = new Map<string, ToolCall>();
  for (const m of messages) if (m.role === 'assistant') for (const c of m.toolCalls ?? []) calls.set(c.id, c);
  return calls;
}

/** First line of the output (usually what happened: "Edited …", "exit code 0") and a note on the rest. */
export function summariseOutput(content: string, call: ToolCall | undefined): string {
  if (content.startsWith('[summarised')) return content;
  const lines = content.split('\n');
  const first = (lines[0] ?? '').slice(0, SUMMARY_LINE_CHARS);
  const what = call ? `${call.name} ${describeArgs(call)}`.trim() : 'this call';
  const dropped =
    lines.length > 1 || (lines[0]?.length ?? 0) > SUMMARY_LINE_CHARS
      ? ` (${lines.length} lines; the rest was dropped to fit the context window — call ${call?.name ?? 'the tool'} again if you need it)`
      : '';
  return `[summarised output of ${what}] ${first}${dropped}`;
}

function describeArgs(call: ToolCall): string {
  try {
    return mainArgument(JSON.parse(call.arguments) as unknown, 120);
  } catch {
    return '';
  }
}

/** An old edit's arguments, reduced to where it went: the plan (update_plan) is never touched. */
function shrinkCall(call: ToolCall): ToolCall {
  if (call.name === 'update_plan' || call.arguments.length <= BULKY_ARGUMENTS) return call;
  let args: Record<string, unknown>;
  try {
    args = JSON.parse(call.arguments) as Record<string, unknown>;
  } catch {
    return { ...call, arguments: JSON.stringify({ note: 'arguments dropped to fit the context window' }) };
  }
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    if (typeof value === 'string' && value.length <= 200) kept[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') kept[key] = value;
  }
  kept.note = 'the rest of the arguments was dropped to fit the context window';
  return { ...call, arguments: JSON.stringify(kept) };
}

export { estimateTokens } from './tokenEstimate';
