/**
 * The `embedded` provider's ModelClient: a GGUF model run by llama.cpp in a process of Stepwise's
 * own (modelProcess.ts), laid out with the model's own chat template. Tools are described as the
 * text protocol describes them, and when tools are offered every answer is generated under a
 * grammar (callGrammar.ts) that ends it with exactly one well-formed call. The reasoning before the
 * call streams as text; the call is read from the finished answer.
 */
import * as l10n from '@vscode/l10n';
import * as path from 'node:path';
import type { ModelClient, ModelEvent, ModelRequest } from '../model/client';
import { ModelError } from '../model/errors';
import { toTextRequest } from '../model/textProtocol';
import { CALL_OPEN, callGrammar, splitAnswer } from './callGrammar';
import { type Answered, ModelProcessError, type ModelProcess } from './modelProcess';
import type { WorkerMessage } from './workerProtocol';

/** Answer room when the loop names none. */
const DEFAULT_ANSWER_TOKENS = 4096;

export class EmbeddedClient implements ModelClient {
  readonly model: string;
  private grammarFor = { key: '', grammar: '' };
  private callCount = 0;

  constructor(
    private readonly process: ModelProcess,
    modelFile: string,
  ) {
    this.model = path.basename(modelFile);
  }

  async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent> {
    const withTools = request.tools.length > 0 && request.toolChoice !== 'none';
    const grammar = withTools ? this.grammar(request) : undefined;
    const queue = new EventQueue();
    let answer = '';
    let shown = 0;
    const maxTokens = Math.max(1, Math.min(request.answerTokens ?? DEFAULT_ANSWER_TOKENS, request.maxOutputTokens ?? Number.POSITIVE_INFINITY));
    // Stopped also when the loop stops reading this answer: the model must not go on writing it.
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const done = this.process
      .generate(
        toMessages(request, request.tools.length > 0),
        grammar,
        maxTokens,
        (delta) => {
          answer += delta;
          const safe = withTools ? textEnd(answer, shown) : answer.length;
          if (safe > shown) queue.push({ type: 'text', delta: answer.slice(shown, safe) });
          shown = Math.max(shown, safe);
        },
        stop.signal,
      )
      .then(
        (end) => queue.end(end),
        (error: unknown) => queue.fail(error),
      );
    try {
      yield* queue.drain();
      await done;
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (!queue.result) stop.abort();
    }
    const end = queue.result!;
    if (end.stop === 'abort' || signal.aborted) throw new ModelError('cancelled', l10n.t('Cancelled.'));
    // A cut answer's call may be cut too: only the text before it is kept.
    const { text, call } =
      withTools && end.stop === 'eog' ? splitAnswer(answer) : { text: answer.slice(0, withTools ? textEnd(answer, 0, true) : answer.length), call: undefined };
    if (text.length > shown) yield { type: 'text', delta: text.slice(shown) };
    if (call) yield { type: 'tool_call', call: { id: `call_embedded_${++this.callCount}`, ...call } };
    yield { type: 'usage', promptTokens: end.promptTokens, completionTokens: end.completionTokens };
    yield { type: 'finish', reason: end.stop === 'length' ? 'length' : call ? 'tool_calls' : 'stop' };
  }

  private grammar(request: ModelRequest): string {
    const key = JSON.stringify(request.tools);
    if (this.grammarFor.key !== key) this.grammarFor = { key, grammar: callGrammar(request.tools) };
    return this.grammarFor.grammar;
  }
}

/** Said to the model with the tools (also when an answer must be text: the prompt stays the same, its cache valid): the grammar ends every answer after its first call. */
const ONE_CALL = 'Here, write exactly one call per answer; its result comes in the next message.'; // l10n-ignore: for the model

/** The turns as the text protocol writes them, for the model's chat template. */
function toMessages(request: ModelRequest, withTools: boolean): WorkerMessage[] {
  return toTextRequest(request).messages.map((m, i) => ({
    role: m.role === 'tool' ? 'user' : m.role,
    content:
      i === 0 && m.role === 'system' && withTools
        ? `${m.content}\n${ONE_CALL}`
        : m.role === 'user' && m.images?.length
          ? `${m.content}\n\n${l10n.t('[{0} image(s) left out: the embedded model reads text only]', m.images.length)}`
          : m.content,
  }));
}

/**
 * Where the answer's text ends, as far as it can be told yet: at the "<t" that opens the call (the
 * grammar allows it nowhere else), or before a last "<" that may be its start. `ended`: nothing
 * more comes, so a last "<" is text, not a call's start.
 */
function textEnd(answer: string, from: number, ended = false): number {
  const open = answer.indexOf(CALL_OPEN.slice(0, 2), Math.max(0, from - 1));
  if (open >= 0) return open;
  return !ended && answer.endsWith('<') ? answer.length - 1 : answer.length;
}

type Done = Answered;

/** Text events as the process sends them, handed to the generator that yields them. */
class EventQueue {
  private items: ModelEvent[] = [];
  private wake: (() => void) | undefined;
  private finished = false;
  private error: unknown;
  result: Done | undefined;

  push(event: ModelEvent): void {
    this.items.push(event);
    this.wake?.();
  }

  end(result: Done): void {
    this.result = result;
    this.finished = true;
    this.wake?.();
  }

  fail(error: unknown): void {
    this.error = error;
    this.finished = true;
    this.wake?.();
  }

  async *drain(): AsyncIterable<ModelEvent> {
    for (;;) {
      while (this.items.length) yield this.items.shift()!;
      if (this.finished) break;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
    if (this.error !== undefined) throw toModelError(this.error);
  }
}

function toModelError(error: unknown): ModelError {
  if (error instanceof ModelProcessError) {
    if (error.tooLong)
      return new ModelError(
        'context_length',
        l10n.t(
          "The conversation no longer fits the embedded model's context window ({0}). Start a new task, or give a larger window (--context-window, stepwise.contextWindow).",
          error.message,
        ),
      );
    return new ModelError(error.cancelled ? 'cancelled' : 'server', error.message);
  }
  return error instanceof ModelError ? error : new ModelError('server', error instanceof Error ? error.message : String(error));
}
