/**
 * Model errors a user can act on, each with its own kind (the CLI maps kinds to exit codes)
 * and a one-line message that says what to do. Never carries the API key.
 */
import * as l10n from '@vscode/l10n';

export type ModelErrorKind =
  | 'auth' // 401/403: bad or missing key
  | 'model_not_found' // 404 naming the model
  | 'unreachable' // nothing listening, DNS failure
  | 'bad_url' // an HTML page, a missing /v1, a redirect
  | 'context_length' // the conversation does not fit the model's window
  | 'prompt_truncated' // the server silently kept only part of the prompt
  | 'rate_limited' // 429 with a wait longer than we will sleep, or retries exhausted
  | 'server' // 5xx or a dropped stream, retries exhausted
  | 'runaway' // the answer went on past the window or the time an answer may take
  | 'bad_request' // 400 for another reason
  | 'no_vision' // images sent to a model that does not take them
  | 'cancelled';

export class ModelError extends Error {
  override name = 'ModelError';
  constructor(
    readonly kind: ModelErrorKind,
    message: string,
    /** Whether another attempt might succeed. */
    readonly retryable = false,
    /** Server-requested wait, when it gave one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** The refusal for images a model cannot take: known before the request (the catalog says so) or from the server's error. */
export function noVisionError(model: string, why: string): ModelError {
  return new ModelError('no_vision', l10n.t('{0} does not take images ({1}). Remove the image from the goal, or choose a model that sees images.', model, why));
}

/** Configuration problems: the user must change a setting before anything can work. */
export function isConfigurationError(error: unknown): boolean {
  return error instanceof ModelError && ['auth', 'model_not_found', 'unreachable', 'bad_url', 'prompt_truncated', 'no_vision'].includes(error.kind);
}
