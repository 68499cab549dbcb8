/**
 * Whether a server takes tool definitions with this model: one request with a tool and a one-token
 * answer. A server or model without tool support refuses the request (Ollama: "does not support
 * tools"), and Stepwise then uses the text protocol. Only `doctor` sends it: `run` finds out from
 * the task's own first request.
 */
import OpenAI from 'openai';
import { answerBoundField } from './openaiClient';
import { classifyError } from './classifyError';
import { guardedFetch } from './guardedFetch';
import type { ModelError } from './errors';

export type ToolSupport = { kind: 'native' } | { kind: 'text'; why: string } | { kind: 'error'; error: ModelError };

const PROBE_TOOL = {
  type: 'function' as const,
  function: { name: 'noop', description: 'Does nothing.', parameters: { type: 'object', properties: {} } }, // l10n-ignore: the probe request is for the model
};

export async function probeToolCalling(baseUrl: string, model: string, apiKey: string | undefined, signal: AbortSignal): Promise<ToolSupport> {
  const client = new OpenAI({ baseURL: baseUrl, apiKey: apiKey || 'no-key', maxRetries: 0, timeout: 120_000, fetch: guardedFetch(baseUrl) });
  try {
    await client.chat.completions.create(
      { model, messages: [{ role: 'user', content: 'Say ok.' }], tools: [PROBE_TOOL], stream: false, [answerBoundField(baseUrl)]: 1 }, // l10n-ignore: the probe request is for the model
      { signal },
    );
    return { kind: 'native' };
  } catch (error) {
    const status = (error as { status?: number }).status;
    const message = error instanceof Error ? error.message : String(error);
    if ((status === 400 || status === 422 || status === 501) && /tool|function/i.test(message)) return { kind: 'text', why: message.slice(0, 200) };
    return { kind: 'error', error: classifyError(error, baseUrl, model, signal) };
  }
}
