/** How an answer that would not end, or ended too early, is reported (openaiClient.ts): errors the user reads. */
import * as l10n from '@vscode/l10n';
import { ModelError } from './errors';

/** The answer went on past what the window has room for. */
export function runawayError(maxTokens: number): ModelError {
  return new ModelError(
    'runaway',
    l10n.t(
      "The model's answer went on past what its context window has room for (about {0} tokens) without ending, so Stepwise stopped it. Try again with a narrower goal; with a local server, check the model's settings (e.g. a repetition penalty).",
      maxTokens.toLocaleString('en-US'),
    ),
  );
}

/** The answer took longer than an answer may take. */
export function overtimeError(baseUrl: string, ms: number): ModelError {
  const took = ms >= 60_000 ? l10n.t('{0} minutes', Math.round(ms / 60_000)) : l10n.t('{0} s', Math.max(1, Math.round(ms / 1000)));
  return new ModelError(
    'runaway',
    l10n.t('The model server at {0} kept sending one answer for over {1} without finishing it, so Stepwise stopped it.', baseUrl, took),
  );
}

/** No chunk came for too long. */
export function stalledError(baseUrl: string): ModelError {
  return new ModelError('server', l10n.t('The model server at {0} stopped sending mid-answer.', baseUrl), true);
}

/** The stream ended without a finish reason. */
export function cutStreamError(baseUrl: string): ModelError {
  return new ModelError('server', l10n.t('The answer from {0} ended early (the stream was cut).', baseUrl), true);
}
