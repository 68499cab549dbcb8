/**
 * The ModelClient port: a chat request in, a stream of typed events out. Implementations:
 * openaiClient.ts (any OpenAI-compatible server); later, VS Code's language models.
 * A `tool_call` event is only emitted for an answer that completed normally.
 */
import type { ToolSpec } from '../contracts';

export interface ToolCall {
  id: string;
  name: string;
  /** The raw JSON text the model produced; validated by the loop, never trusted. */
  arguments: string;
}

/** An image the user attached, sent with their message to a model that takes images. */
export interface ImagePart {
  /** How the user knows it: a file name, "pasted image". */
  name: string;
  mimeType: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';
  /** Base64. */
  data: string;
}

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string; images?: ImagePart[] }
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; content: string };

export interface ModelRequest {
  messages: ChatMessage[];
  tools: ToolSpec[];
  /** What is left of the context window for the answer: a longer one is a runaway, and is cut off. */
  maxOutputTokens?: number;
  /** The bound sent to the server on every request (max_tokens): the answer room the budget keeps free. */
  answerTokens?: number;
  /** "none": the answer must be text (a compaction summary); the tools are still sent, so the prompt prefix stays the same. */
  toolChoice?: 'auto' | 'none';
}

export type FinishReason = 'stop' | 'tool_calls' | 'length' | 'content_filter' | 'other';

export type ModelEvent =
  | { type: 'text'; delta: string }
  | { type: 'tool_call'; call: ToolCall }
  /** estimated: counted by the client, not reported by the server (no truncation check on it). */
  | { type: 'usage'; promptTokens: number; completionTokens: number; estimated?: boolean }
  /** The attempt failed and will be repeated: discard the text streamed so far. */
  | { type: 'retry'; attempt: number; delayMs: number; reason: string }
  | { type: 'finish'; reason: FinishReason };

export interface ModelClient {
  readonly model: string;
  stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent>;
}
