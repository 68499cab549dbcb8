/**
 * "The server's first model", when the user named none: the first model that is recognisably a
 * chat model. Servers list embedding, rerank, audio, image and moderation models too (OpenAI's
 * list starts with them alphabetically); any other name counts as chat.
 */
import * as l10n from '@vscode/l10n';
import { ModelError } from './errors';
import { OpenAIClient } from './openaiClient';

const NOT_CHAT = /embed|rerank|whisper|\btts\b|-tts|audio|transcribe|speech|dall-e|image|moderation|^(babbage|davinci)-0|^sora|realtime/i;

export function isChatModel(id: string): boolean {
  return !NOT_CHAT.test(id);
}

/** The first chat model the server lists; throws model_not_found with the next step when there is none. */
export async function firstChatModel(baseUrl: string, apiKey: string | undefined, signal: AbortSignal, fix: string): Promise<string> {
  return pickChatModel(await new OpenAIClient({ baseUrl, model: '', apiKey }).listModels(signal), baseUrl, fix);
}

/** The first chat model of a list the server gave (sorted, as listModels gives it); model_not_found when there is none. */
export function pickChatModel(listed: readonly string[], baseUrl: string, fix: string): string {
  const models = [...listed].sort();
  const first = models.find(isChatModel);
  if (first) return first;
  throw new ModelError(
    'model_not_found',
    models.length
      ? l10n.t('The server at {0} lists no chat model (only {1}). {2}', baseUrl, `${models.slice(0, 5).join(', ')}${models.length > 5 ? ', …' : ''}`, fix)
      : l10n.t(
          'The server at {0} lists no models. Pull or load one (e.g. `ollama pull qwen2.5-coder`), or {1}',
          baseUrl,
          `${fix.charAt(0).toLowerCase()}${fix.slice(1)}`,
        ),
  );
}
