/** Turns whatever the openai SDK or the network threw into a ModelError with a message that says what to do. */
import * as l10n from '@vscode/l10n';
import OpenAI from 'openai';
import { fix } from './fixWords';
import { ModelError } from './errors';
import { parseRetryAfter } from './retry';

const CONTEXT_PATTERNS =
  /context.length|context window|maximum context|too many tokens|exceeds? the (context|maximum)|prompt is too long|context_length_exceeded/i;

function serverMessage(error: InstanceType<typeof OpenAI.APIError>): string {
  const body = error.error as { message?: unknown } | undefined;
  const text = typeof body?.message === 'string' ? body.message : error.message;
  return text.replace(/\s+/g, ' ').slice(0, 300);
}

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let i = 0; i < 5 && current && typeof current === 'object'; i++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
    const inner = (current as { errors?: unknown }).errors;
    if (Array.isArray(inner) && inner.length) return causeCode(inner[0]);
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function causeMessages(error: unknown): string {
  const messages: string[] = [];
  let current: unknown = error;
  for (let i = 0; i < 6 && current && typeof current === 'object'; i++) {
    messages.push(String((current as { message?: unknown }).message ?? ''));
    current = (current as { cause?: unknown }).cause;
  }
  return messages.join(' | ');
}

function findModelError(error: unknown): ModelError | undefined {
  let current: unknown = error;
  for (let i = 0; i < 5 && current; i++) {
    if (current instanceof ModelError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export function classifyError(error: unknown, baseUrl: string, model: string, signal: AbortSignal): ModelError {
  if (signal.aborted) return new ModelError('cancelled', 'Cancelled.');
  const own = findModelError(error);
  if (own) return own;
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return new ModelError('server', l10n.t('The model server at {0} did not answer in time.', baseUrl), true);
  }
  if (error instanceof OpenAI.APIUserAbortError) return new ModelError('cancelled', 'Cancelled.');
  if (error instanceof OpenAI.APIError && error.status !== undefined) {
    const status = error.status;
    const message = serverMessage(error);
    if (status === 401 || status === 403) {
      return new ModelError('auth', l10n.t('The model server at {0} refused the API key ({1}: {2}). {3}', baseUrl, status, message, fix('setKey')));
    }
    if (status === 404) {
      if (/model/i.test(message)) {
        return new ModelError(
          'model_not_found',
          l10n.t('The model "{0}" is not available at {1} ({2}). Pick one the server lists at /v1/models.', model, baseUrl, message),
        );
      }
      return new ModelError('bad_url', l10n.t('{0} has no chat completions endpoint (404). Check the base URL; it usually ends in /v1.', baseUrl));
    }
    if (status === 429) {
      return new ModelError(
        'rate_limited',
        l10n.t('The model server at {0} is rate limiting requests (429: {1}).', baseUrl, message),
        true,
        parseRetryAfter(error.headers),
      );
    }
    if (status === 408 || status === 409 || status >= 500) {
      return new ModelError('server', l10n.t('The model server at {0} failed ({1}: {2}).', baseUrl, status, message), true, parseRetryAfter(error.headers));
    }
    if (CONTEXT_PATTERNS.test(message)) {
      return new ModelError(
        'context_length',
        l10n.t("The conversation no longer fits the model's context window ({0}). Start a new task, or use a model with a larger window.", message),
      );
    }
    return new ModelError('bad_request', l10n.t('The model server at {0} rejected the request ({1}: {2}).', baseUrl, status, message));
  }
  if (/bad port/i.test(causeMessages(error))) {
    return new ModelError(
      'bad_url',
      l10n.t("{0} uses a port that web requests may not use. Use the server's real port (Ollama 11434, LM Studio 1234, llama.cpp 8080, vLLM 8000).", baseUrl),
    );
  }
  const code = causeCode(error);
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return new ModelError('unreachable', l10n.t('Cannot reach a model server at {0} ({1}). {2}', baseUrl, code, fix('startServer')));
  }
  if (error instanceof Error && /invalid url|failed to parse url/i.test(error.message + String((error as { cause?: unknown }).cause ?? ''))) {
    return new ModelError('bad_url', l10n.t('"{0}" is not a valid URL. Use e.g. http://127.0.0.1:11434/v1.', baseUrl));
  }
  const detail = error instanceof Error ? error.message : String(error);
  // Resets, cut streams and malformed chunks: worth another attempt.
  return new ModelError('server', l10n.t('The connection to {0} failed ({1}).', baseUrl, code ?? detail.slice(0, 200)), true);
}
