/**
 * What an identified server is sent so that the prompt prefix stays cached between steps: llama.cpp
 * `cache_prompt` (older servers default it off), Ollama `keep_alive` (the model and its cache are
 * unloaded after 5 minutes idle by default, e.g. while the user reads an approval). Nothing is sent
 * to a server that was not identified: hosted APIs reject parameters they do not know.
 */
import type { ServerKind } from './contextWindow';

/** Ollama's keep_alive unless the user sets another (VS Code: stepwise.ollamaKeepAlive; CLI: STEPWISE_OLLAMA_KEEP_ALIVE). */
export const DEFAULT_KEEP_ALIVE = '30m';

/** A duration Ollama takes: "30m", "2h", "90s", "-1" (keep loaded), "0"; anything else is not sent. */
export function validKeepAlive(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v && /^(-1|0|\d+(\.\d+)?(ms|s|m|h)?)$/.test(v) ? v : undefined;
}

export function cacheOptions(server: ServerKind | undefined, keepAlive: string | undefined): Record<string, unknown> {
  if (server === 'llamacpp') return { cache_prompt: true };
  const alive = validKeepAlive(keepAlive);
  if (server === 'ollama' && alive) return { keep_alive: /^-?\d+$/.test(alive) ? Number(alive) : alive };
  return {};
}
