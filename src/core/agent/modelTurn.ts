/** One model turn: stream the answer, forward text as it comes, collect tool calls and usage. */
import type { FinishReason, ModelClient, ModelRequest, ToolCall } from '../model/client';
import type { EventSink } from './events';
import type { Session } from './session';

export interface Turn {
  text: string;
  toolCalls: ToolCall[];
  /** The prompt size the server reported for this turn, when it did. */
  promptTokens?: number;
  /** Whether the server (or client) reported usage at all: without it the loop counts an estimate. */
  usageReported: boolean;
  /** Why the answer ended, when the server said. */
  finish?: FinishReason;
}

/** The task's estimated cost so far in USD, when the model is priced. */
export type CostOf = (promptTokens: number, completionTokens: number) => number | undefined;

export async function modelTurn(
  model: ModelClient,
  request: ModelRequest,
  session: Session,
  emit: EventSink,
  signal: AbortSignal,
  costOf?: CostOf,
): Promise<Turn> {
  let text = '';
  let toolCalls: ToolCall[] = [];
  let promptTokens: number | undefined;
  let usageReported = false;
  let finish: FinishReason | undefined;
  for await (const event of model.stream(request, signal)) {
    switch (event.type) {
      case 'text':
        text += event.delta;
        emit({ type: 'message_delta', text: event.delta });
        break;
      case 'tool_call':
        toolCalls.push(event.call);
        break;
      case 'usage':
        if (!event.estimated) promptTokens = event.promptTokens;
        usageReported = true;
        recordUsage(session, event.promptTokens, event.completionTokens, emit, costOf);
        break;
      case 'retry':
        // The partial answer is discarded; the UI is told to drop what it showed.
        text = '';
        toolCalls = [];
        promptTokens = undefined;
        usageReported = false;
        emit({ type: 'retry', attempt: event.attempt, delayMs: event.delayMs, reason: event.reason });
        break;
      case 'finish':
        finish = event.reason;
        break;
    }
  }
  // Tool calls in an answer cut at its bound never run (a client should not send any; this makes sure).
  if (finish === 'length') toolCalls = [];
  return { text, toolCalls, usageReported, ...(promptTokens !== undefined ? { promptTokens } : {}), ...(finish ? { finish } : {}) };
}

/** Adds a turn's tokens to the task and tells the UI, with the cost so far when the model is priced. */
export function recordUsage(session: Session, prompt: number, completion: number, emit: EventSink, costOf?: CostOf): void {
  session.addUsage(prompt, completion);
  const costUsd = costOf?.(session.promptTokens, session.completionTokens);
  emit({
    type: 'usage',
    promptTokens: prompt,
    completionTokens: completion,
    totalPromptTokens: session.promptTokens,
    totalCompletionTokens: session.completionTokens,
    ...(costUsd !== undefined ? { costUsd } : {}),
  });
}
