/**
 * What the loop needs to know about a model before a task: its context window (the user's
 * setting if given, else what the server says, else the catalog's for a known hosted model, else a
 * default) and its price when it is a priced hosted model.
 */
import * as l10n from '@vscode/l10n';
import { lookupModel, type ModelFacts } from './catalog';
import { discoverContextWindow, isLocal, type ContextWindow, type ServerKind } from './contextWindow';

export const DEFAULT_CONTEXT_TOKENS = 32_768;
/**
 * The source of the default window, as a profile carries it: English, so callers can compare with
 * it (the CLI says nothing then). Show it with contextSourceText().
 */
export const DEFAULT_CONTEXT_SOURCE = 'the default (the server did not tell; set it if your model has a smaller window)'; // l10n-ignore: compared with, shown through contextSourceText()

/** A profile's contextSource as the user reads it (the default's in the display language too). */
export function contextSourceText(source: string): string {
  return source === DEFAULT_CONTEXT_SOURCE ? l10n.t('the default (the server did not tell; set it if your model has a smaller window)') : source;
}

export interface ModelProfile {
  contextTokens: number;
  /** Where the window came from, e.g. "the model's num_ctx in Ollama". */
  contextSource: string;
  /**
   * The server runs the model with this window (or is a hosted API, which refuses an over-long
   * prompt instead of cutting it): requests kept inside it cannot be silently truncated.
   */
  windowCertain: boolean;
  facts?: ModelFacts;
  /** The server, when its own endpoints identified it (llama.cpp gets cache_prompt, Ollama keep_alive). */
  server?: ServerKind;
}

export interface ProfileOptions {
  baseUrl: string;
  model: string;
  apiKey?: string | undefined;
  /** The user's own setting wins: they may know the server better than it tells. */
  contextTokens?: number | undefined;
  signal?: AbortSignal;
}

export async function profileModel(options: ProfileOptions): Promise<ModelProfile> {
  const facts = await lookupModel(options.baseUrl, options.model);
  const withFacts = facts ? { facts } : {};
  const discover = () =>
    discoverContextWindow({ baseUrl: options.baseUrl, model: options.model, apiKey: options.apiKey, ...(options.signal ? { signal: options.signal } : {}) });
  if (options.contextTokens) {
    // The window is the user's; a local server is still asked which it is, for its cache options.
    const server = isLocalUrl(options.baseUrl) ? (await discover())?.server : undefined;
    return { contextTokens: options.contextTokens, contextSource: l10n.t('your setting'), windowCertain: false, ...withFacts, ...serverOf(server) };
  }
  const found: ContextWindow | undefined = facts?.contextTokens ? undefined : await discover();
  if (found) return { contextTokens: found.tokens, contextSource: found.source, windowCertain: found.certain, ...withFacts, ...serverOf(found.server) };
  if (facts?.contextTokens) return { contextTokens: facts.contextTokens, contextSource: factsSource(facts), windowCertain: true, ...withFacts };
  return { contextTokens: DEFAULT_CONTEXT_TOKENS, contextSource: DEFAULT_CONTEXT_SOURCE, windowCertain: false, ...withFacts };
}

/** "OpenAI model facts from models.dev": where a hosted model's window came from. */
function factsSource(facts: ModelFacts): string {
  return facts.catalog ? l10n.t('{0} model facts from models.dev', facts.catalog) : facts.source.replace('prices', 'model facts'); // l10n-ignore: a source without its catalog's name (tests)
}

function serverOf(server: ServerKind | undefined): { server?: ServerKind } {
  return server ? { server } : {};
}

function isLocalUrl(baseUrl: string): boolean {
  try {
    return isLocal(new URL(baseUrl).hostname);
  } catch {
    return false;
  }
}
