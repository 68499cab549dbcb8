/**
 * ModelClient over the openai package's streaming chat completions: OpenAI itself and any
 * OpenAI-compatible server (Ollama, LM Studio, llama.cpp, vLLM). Retries are ours (retry.ts).
 * Every request carries a bound on the answer; an answer cut at it (finish_reason `length`) is
 * passed on as such, without its tool calls: the loop tells the model and goes on.
 */
import * as l10n from '@vscode/l10n';
import { randomBytes } from 'node:crypto';
import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { ChatMessage, FinishReason, ModelClient, ModelEvent, ModelRequest } from './client';
import type { ServerKind } from './contextWindow';
import { cacheOptions } from './serverCache';
import { classifyError } from './classifyError';
import { ModelError, noVisionError } from './errors';
import { fix } from './fixWords';
import { guardedFetch } from './guardedFetch';
import { cutStreamError, overtimeError, runawayError, stalledError } from './streamErrors';
import { DEFAULT_RETRY, backoffDelay, sleep, type RetryPolicy } from './retry';
import { ToolCallAssembler } from './toolCallAssembler';

export { DEFAULT_BASE_URL } from './defaults';

export interface OpenAIClientOptions {
  baseUrl: string;
  model: string;
  apiKey?: string;
  retry?: RetryPolicy;
  /** Longest silence between two chunks before the stream counts as dropped. */
  idleTimeoutMs?: number;
  /** Longest wait for the first chunk (a local model may process a long prompt first). */
  firstChunkTimeoutMs?: number;
  /** The answer bound when a request names none (default: the request's window room, at most 4096). */
  maxOutputTokens?: number;
  /** Longest one answer may take from request to end (default 20 minutes): a server that streams forever is cut off. */
  maxAnswerMs?: number;
  /**
   * The server, when its own endpoints identified it: llama.cpp is asked to keep the prompt cache
   * (cache_prompt), Ollama to keep the model loaded between steps (keep_alive). Nothing is sent
   * to others: hosted APIs reject parameters they do not know.
   */
  server?: ServerKind;
  /** Ollama's keep_alive ("30m", "-1"); empty or absent: Ollama's own default. */
  keepAlive?: string;
}

/** An answer of N tokens is taken to be at most this many characters per token before it counts as a runaway. */
const MAX_CHARS_PER_TOKEN = 10;
/** Without a window to go by. */
const DEFAULT_MAX_ANSWER_TOKENS = 32_768;
const DEFAULT_MAX_ANSWER_MS = 20 * 60_000;
const LIST_MODELS_TIMEOUT_MS = 30_000;

export class OpenAIClient implements ModelClient {
  readonly model: string;
  private readonly client: OpenAI;
  private readonly retry: RetryPolicy;

  constructor(private readonly options: OpenAIClientOptions) {
    this.model = options.model;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.client = new OpenAI({
      baseURL: options.baseUrl,
      // Local servers need no key, but the SDK insists on one.
      apiKey: options.apiKey || 'no-key',
      maxRetries: 0,
      timeout: options.firstChunkTimeoutMs ?? 10 * 60_000,
      fetch: guardedFetch(options.baseUrl),
    });
  }

  private answerBound(request: ModelRequest): number {
    return Math.max(1, Math.floor(request.answerTokens ?? this.options.maxOutputTokens ?? Math.min(request.maxOutputTokens ?? 4096, 4096)));
  }

  /** Model ids the server offers (/v1/models), sorted; a server that does not answer in time is an error, not a hang. */
  async listModels(signal: AbortSignal, timeoutMs = LIST_MODELS_TIMEOUT_MS): Promise<string[]> {
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      const ids: string[] = [];
      for await (const model of this.client.models.list({ signal: AbortSignal.any([signal, timeout]) })) ids.push(model.id);
      return ids.sort();
    } catch (error) {
      if (timeout.aborted && !signal.aborted) {
        throw new ModelError(
          'unreachable',
          l10n.t(
            'The server at {0} did not list its models within {1} s. Check that it is the right server. {2}',
            this.options.baseUrl,
            Math.round(timeoutMs / 1000),
            fix('nameModel'),
          ),
        );
      }
      throw error instanceof ModelError ? error : classifyError(error, this.options.baseUrl, this.model, signal);
    }
  }

  async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent> {
    for (let attempt = 1; ; attempt++) {
      let failure: ModelError;
      try {
        yield* this.attempt(request, signal);
        return;
      } catch (error) {
        failure = error instanceof ModelError ? error : classifyError(error, this.options.baseUrl, this.model, signal);
        // A server that cannot take the images says so in its own words: the same refusal as a model known not to.
        if (hasImages(request) && IMAGE_REFUSAL.test(failure.message) && failure.kind !== 'cancelled') {
          throw noVisionError(this.model, l10n.t('the server said: {0}', failure.message.slice(0, 300)));
        }
      }
      if (signal.aborted) throw new ModelError('cancelled', 'Cancelled.');
      if (!failure.retryable) throw failure;
      if (failure.retryAfterMs !== undefined && failure.retryAfterMs > this.retry.maxRetryAfterMs) {
        const wait = Math.round(failure.retryAfterMs / 1000);
        throw new ModelError(
          failure.kind,
          l10n.t('{0} The server asks to wait {1} s, longer than Stepwise will wait; try again later.', failure.message, wait),
        );
      }
      if (attempt >= this.retry.maxAttempts) {
        throw new ModelError(failure.kind, l10n.t('{0} Gave up after {1} attempts.', failure.message, attempt));
      }
      const delayMs = backoffDelay(this.retry, attempt, failure.retryAfterMs);
      yield { type: 'retry', attempt, delayMs, reason: failure.message };
      await sleep(delayMs, signal);
    }
  }

  private async *attempt(request: ModelRequest, outerSignal: AbortSignal): AsyncIterable<ModelEvent> {
    const idle = new IdleTimer(this.options.idleTimeoutMs ?? 120_000, outerSignal);
    const maxAnswerMs = this.options.maxAnswerMs ?? DEFAULT_MAX_ANSWER_MS;
    const overtime = setTimeout(() => idle.expire(), maxAnswerMs);
    const maxTokens = request.maxOutputTokens ?? DEFAULT_MAX_ANSWER_TOKENS;
    let streamed = 0;
    try {
      const stream = await this.client.chat.completions.create(
        {
          model: this.model,
          messages: request.messages.map(toOpenAIMessage),
          ...(request.tools.length
            ? { tools: request.tools.map(toOpenAITool), ...(request.toolChoice === 'none' ? { tool_choice: 'none' as const } : {}) }
            : {}),
          stream: true,
          stream_options: { include_usage: true },
          [answerBoundField(this.options.baseUrl)]: this.answerBound(request),
          ...cacheOptions(this.options.server, this.options.keepAlive),
        },
        { signal: idle.signal },
      );
      // Headers arrived; the SDK's timeout stops here. Until the first chunk, allow prompt processing time.
      idle.reset(this.options.firstChunkTimeoutMs ?? 10 * 60_000);
      const calls = new ToolCallAssembler();
      let finish: FinishReason | undefined;
      for await (const chunk of stream as AsyncIterable<ChatCompletionChunk>) {
        idle.reset();
        if (chunk.usage) {
          yield { type: 'usage', promptTokens: chunk.usage.prompt_tokens ?? 0, completionTokens: chunk.usage.completion_tokens ?? 0 };
        }
        const choice = chunk.choices?.[0];
        if (!choice) continue;
        streamed += answerChars(choice.delta);
        if (streamed > maxTokens * MAX_CHARS_PER_TOKEN) throw runawayError(maxTokens);
        if (choice.delta?.content) yield { type: 'text', delta: choice.delta.content };
        for (const delta of choice.delta?.tool_calls ?? []) calls.add(delta);
        if (choice.finish_reason) finish = normalizeFinish(choice.finish_reason);
      }
      if (idle.expired) throw overtimeError(this.options.baseUrl, maxAnswerMs);
      if (idle.fired) throw stalledError(this.options.baseUrl);
      if (!finish) throw cutStreamError(this.options.baseUrl);
      // A call in a cut answer may be cut itself: none of them runs, even one that parses.
      if (finish !== 'length') for (const call of calls.complete(`call_${randomBytes(3).toString('hex')}`)) yield { type: 'tool_call', call };
      yield { type: 'finish', reason: finish };
    } catch (error) {
      if (idle.expired && !outerSignal.aborted) throw overtimeError(this.options.baseUrl, maxAnswerMs);
      if (idle.fired && !outerSignal.aborted) throw stalledError(this.options.baseUrl);
      throw error;
    } finally {
      clearTimeout(overtime);
      idle.dispose();
    }
  }
}

/** OpenAI's own API takes max_completion_tokens (its newer models refuse max_tokens); other servers max_tokens. */
export function answerBoundField(baseUrl: string): 'max_completion_tokens' | 'max_tokens' {
  try {
    return new URL(baseUrl).hostname === 'api.openai.com' ? 'max_completion_tokens' : 'max_tokens';
  } catch {
    return 'max_tokens';
  }
}

/** Characters of answer in one delta: text, reasoning and tool-call arguments alike. */
function answerChars(delta: unknown): number {
  const d = (delta ?? {}) as {
    content?: unknown;
    reasoning_content?: unknown;
    reasoning?: unknown;
    tool_calls?: { function?: { arguments?: unknown; name?: unknown } }[];
  };
  let n = 0;
  for (const value of [d.content, d.reasoning_content, d.reasoning]) if (typeof value === 'string') n += value.length;
  for (const call of Array.isArray(d.tool_calls) ? d.tool_calls : []) {
    for (const value of [call?.function?.arguments, call?.function?.name]) if (typeof value === 'string') n += value.length;
  }
  return n;
}

/** Aborts the request when no chunk arrived for too long, or when the caller cancels. */
class IdleTimer {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  fired = false;
  /** The answer took longer than an answer may take. */
  expired = false;
  readonly signal: AbortSignal;

  constructor(
    private readonly ms: number,
    private readonly outer: AbortSignal,
  ) {
    this.signal = this.controller.signal;
    this.onOuterAbort = this.onOuterAbort.bind(this);
    if (outer.aborted) this.controller.abort();
    else outer.addEventListener('abort', this.onOuterAbort, { once: true });
  }

  private onOuterAbort(): void {
    this.controller.abort();
  }

  reset(ms = this.ms): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.fired = true;
      this.controller.abort();
    }, ms);
  }

  expire(): void {
    this.expired = true;
    this.controller.abort();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.outer.removeEventListener('abort', this.onOuterAbort);
  }
}

function normalizeFinish(reason: string): FinishReason {
  return reason === 'stop' || reason === 'tool_calls' || reason === 'length' || reason === 'content_filter'
    ? reason
    : reason === 'function_call'
      ? 'tool_calls'
      : 'other';
}

/** What servers say when a model cannot take image input (OpenAI, vLLM, llama.cpp, Ollama, LM Studio). */
const IMAGE_REFUSAL = /image|vision|multimodal|mmproj|content part|image_url/i;

function hasImages(request: ModelRequest): boolean {
  return request.messages.some((m) => m.role === 'user' && (m.images?.length ?? 0) > 0);
}

function toOpenAITool(spec: { name: string; description: string; parameters: Record<string, unknown> }): ChatCompletionTool {
  return { type: 'function', function: { name: spec.name, description: spec.description, parameters: spec.parameters } };
}

function toOpenAIMessage(message: ChatMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content };
    case 'user':
      if (!message.images?.length) return { role: 'user', content: message.content };
      return {
        role: 'user',
        content: [
          { type: 'text', text: message.content },
          ...message.images.map((i) => ({ type: 'image_url' as const, image_url: { url: `data:${i.mimeType};base64,${i.data}` } })),
        ],
      };
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
    case 'assistant':
      return {
        role: 'assistant',
        content: message.content || null,
        ...(message.toolCalls?.length
          ? { tool_calls: message.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } })) }
          : {}),
      };
  }
}
