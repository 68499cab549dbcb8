/**
 * ModelClient over VS Code's language-model API (vscode.lm, 1.95): models other extensions offer
 * (Copilot, local-model extensions) run the same agent loop as an OpenAI-compatible server.
 */
import { randomBytes } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import type { ModelClient, ModelEvent, ModelRequest, ToolCall } from '../core/model/client';
import { ModelError } from '../core/model/errors';
import { messageText, toLmMessages, toLmTools, toModelError } from './lmMessages';

/** Token counting is for display only: never wait long for it. */
const COUNT_TIMEOUT_MS = 2_000;

export class VsCodeLmClient implements ModelClient {
  readonly model: string;
  /** Counts of earlier messages: the history is re-sent every turn, counted once. */
  private readonly counted = new Map<string, number>();

  constructor(private readonly chat: vscode.LanguageModelChat) {
    this.model = chat.id;
  }

  async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent> {
    if (signal.aborted) throw new ModelError('cancelled', 'Cancelled.');
    const cts = new vscode.CancellationTokenSource();
    const aborted = new Promise<never>((_, reject) => {
      const onAbort = () => {
        cts.cancel();
        reject(new ModelError('cancelled', 'Cancelled.'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      cts.token.onCancellationRequested(() => signal.removeEventListener('abort', onAbort));
    });
    aborted.catch(() => {});
    // Counted while the model answers, so usage adds no latency.
    const promptTokens = this.countPrompt(request, cts.token);
    let iterator: AsyncIterator<unknown> | undefined;
    try {
      // Raced with the signal: a consent dialog or a provider that ignores cancellation must not
      // keep Stop from stopping.
      const options: vscode.LanguageModelChatRequestOptions = {
        // VS Code shows it when it asks the user to allow Stepwise.
        justification: l10n.t('Stepwise runs the task you gave it.'),
        ...(request.tools.length ? { tools: toLmTools(request.tools) } : {}),
      };
      const response = await Promise.race([this.chat.sendRequest(toLmMessages(request.messages), options, cts.token), aborted]);
      iterator = response.stream[Symbol.asyncIterator]();
      const calls: ToolCall[] = [];
      let produced = '';
      for (;;) {
        const next = await Promise.race([iterator.next(), aborted]);
        if (next.done) break;
        const part = next.value;
        if (part instanceof vscode.LanguageModelTextPart) {
          produced += part.value;
          yield { type: 'text', delta: part.value };
        } else if (part instanceof vscode.LanguageModelToolCallPart) {
          // Emitted only once the answer is complete (the ModelClient contract).
          // The loop pairs results with calls by id; not every provider sets one.
          const id = part.callId || `call_${calls.length}_${randomBytes(3).toString('hex')}`;
          calls.push({ id, name: part.name, arguments: JSON.stringify(part.input ?? {}) });
        }
      }
      iterator = undefined;
      const usage = await this.usage(promptTokens, produced + calls.map((c) => c.name + c.arguments).join(''), cts.token);
      if (usage) yield usage;
      for (const call of calls) yield { type: 'tool_call', call };
      yield { type: 'finish', reason: calls.length ? 'tool_calls' : 'stop' };
    } catch (error) {
      throw toModelError(error, this.chat, signal);
    } finally {
      // Stops the provider when the consumer broke off or an error ended the stream early.
      if (iterator) void Promise.resolve(iterator.return?.()).catch(() => {});
      cts.cancel();
      cts.dispose();
    }
  }

  private async countPrompt(request: ModelRequest, token: vscode.CancellationToken): Promise<number | undefined> {
    try {
      // The tool definitions are part of the prompt too (a server's prompt_tokens include them,
      // and the loop compares this count with its own estimate of what it sent).
      const parts: { kind: string; text: string }[] = request.messages.map((m) => ({ kind: m.role, text: messageText(m) }));
      if (request.tools.length) parts.push({ kind: 'tools', text: JSON.stringify(request.tools) });
      const counts = await Promise.all(parts.map((p) => this.count(p.text, `${p.kind}\u0000${p.text}`, token)));
      return counts.reduce((a, b) => a + b, 0);
    } catch {
      return undefined;
    }
  }

  private async count(text: string, key: string, token: vscode.CancellationToken): Promise<number> {
    const known = this.counted.get(key);
    if (known !== undefined) return known;
    const count = await this.chat.countTokens(text, token);
    if (this.counted.size > 1_000) this.counted.clear();
    this.counted.set(key, count);
    return count;
  }

  /** undefined when the provider could not count in time: usage is shown, never required. */
  private async usage(prompt: Promise<number | undefined>, completion: string, token: vscode.CancellationToken): Promise<ModelEvent | undefined> {
    const counting = Promise.all([prompt, completion ? Promise.resolve(this.chat.countTokens(completion, token)) : Promise.resolve(0)]);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), COUNT_TIMEOUT_MS)));
    try {
      const counts = await Promise.race([counting, timeout]);
      if (!counts || counts[0] === undefined) return undefined;
      return { type: 'usage', promptTokens: counts[0], completionTokens: counts[1], estimated: true };
    } catch {
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
}

export interface LmModelInfo {
  id: string;
  name: string;
  vendor: string;
  family: string;
  maxInputTokens: number;
}

/** The model with this id, or the first one VS Code offers when no id is given. */
export async function selectLmModel(id: string | undefined): Promise<vscode.LanguageModelChat | undefined> {
  const models = await vscode.lm.selectChatModels(id ? { id } : undefined);
  return models[0];
}

/** Every chat model VS Code offers, for Stepwise: Select Model. */
export async function listLmModels(): Promise<LmModelInfo[]> {
  const models = await vscode.lm.selectChatModels();
  return models.map((m) => ({ id: m.id, name: m.name, vendor: m.vendor, family: m.family, maxInputTokens: m.maxInputTokens }));
}
