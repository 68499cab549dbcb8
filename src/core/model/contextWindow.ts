/**
 * How large a context window the server will really give this model, asked where servers tell:
 * the model list (vLLM `max_model_len`, others `context_length`), Ollama `/api/show` (the
 * model's `num_ctx` parameter; otherwise Ollama's default — it silently drops the front of a longer
 * prompt), LM Studio `/api/v0/models/{id}` (the loaded context), llama.cpp `/props` (`n_ctx`).
 * Only the configured origin is asked, redirects are never followed, and every probe is short:
 * a server that tells nothing costs a few hundred milliseconds, never an error.
 */
import { guardedFetch } from './guardedFetch';

export interface ContextWindow {
  tokens: number;
  /** Where the number came from, for the log and for messages. */
  source: string;
}

export interface DiscoverOptions {
  baseUrl: string;
  model: string;
  apiKey?: string | undefined;
  signal?: AbortSignal;
  /** Per probe (default 2 s). */
  timeoutMs?: number;
}

/** Ollama's context length when neither the model nor the server sets one (OLLAMA_CONTEXT_LENGTH). */
export const OLLAMA_DEFAULT_CONTEXT = 4096;

type Probe = (options: DiscoverOptions, get: Getter) => Promise<ContextWindow | undefined>;
type Getter = (url: string, body?: unknown) => Promise<unknown>;

const fromModelList: Probe = async ({ baseUrl, model }, get) => {
  const list = (await get(`${baseUrl}/models`)) as { data?: Record<string, unknown>[] } | undefined;
  const entry = list?.data?.find((m) => m.id === model);
  if (!entry) return undefined;
  for (const key of ['max_model_len', 'context_length', 'context_window', 'max_context_length']) {
    const tokens = positive(entry[key]);
    if (tokens) return { tokens, source: `the server's model list (${key})` };
  }
  const meta = entry.meta as Record<string, unknown> | undefined;
  const train = positive(meta?.n_ctx_train);
  return train ? { tokens: train, source: "the server's model list (n_ctx_train)" } : undefined;
};

const fromOllama: Probe = async ({ baseUrl, model }, get) => {
  const show = (await get(`${serverRoot(baseUrl)}/api/show`, { model })) as { parameters?: string; model_info?: Record<string, unknown> } | undefined;
  if (!show || (show.parameters === undefined && show.model_info === undefined)) return undefined;
  const numCtx = /(?:^|\n)\s*num_ctx\s+(\d+)/.exec(show.parameters ?? '')?.[1];
  if (numCtx) return { tokens: Number(numCtx), source: "the model's num_ctx in Ollama" };
  const trained = Object.entries(show.model_info ?? {}).find(([k]) => k.endsWith('.context_length'))?.[1];
  const max = positive(trained);
  // Without num_ctx Ollama runs the model with its server default, whatever the model could take.
  const tokens = max ? Math.min(max, OLLAMA_DEFAULT_CONTEXT) : OLLAMA_DEFAULT_CONTEXT;
  return { tokens, source: `Ollama's default context length (the model takes up to ${max ?? 'unknown'}; raise it with num_ctx or OLLAMA_CONTEXT_LENGTH, then set stepwise.contextWindow / --context-window)` };
};

const fromLmStudio: Probe = async ({ baseUrl, model }, get) => {
  const info = (await get(`${serverRoot(baseUrl)}/api/v0/models/${encodeURIComponent(model)}`)) as Record<string, unknown> | undefined;
  const loaded = positive(info?.loaded_context_length);
  if (loaded) return { tokens: loaded, source: 'LM Studio (loaded context length)' };
  const max = positive(info?.max_context_length);
  return max ? { tokens: max, source: 'LM Studio (max context length)' } : undefined;
};

const fromLlamaCpp: Probe = async ({ baseUrl }, get) => {
  const props = (await get(`${serverRoot(baseUrl)}/props`)) as { n_ctx?: unknown; default_generation_settings?: { n_ctx?: unknown } } | undefined;
  const tokens = positive(props?.default_generation_settings?.n_ctx) ?? positive(props?.n_ctx);
  return tokens ? { tokens, source: 'llama.cpp server (n_ctx)' } : undefined;
};

/** Asks the server; undefined when it does not tell. Never throws. */
export async function discoverContextWindow(options: DiscoverOptions): Promise<ContextWindow | undefined> {
  const fetcher = guardedFetch(options.baseUrl);
  const origin = safeOrigin(options.baseUrl);
  if (!origin) return undefined;
  const get: Getter = async (url, body) => {
    if (safeOrigin(url) !== origin) return undefined;
    const signal = AbortSignal.any([AbortSignal.timeout(options.timeoutMs ?? 2000), ...(options.signal ? [options.signal] : [])]);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetcher(url, { method: body === undefined ? 'GET' : 'POST', headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), signal });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      return undefined;
    }
    return response.json();
  };
  // Asked at once (a server that hangs on unknown paths costs one timeout, not four); the
  // specific servers win, since their number is the window in use and the list's may be the maximum.
  const found = await Promise.all([fromOllama, fromLmStudio, fromLlamaCpp, fromModelList].map((probe) => probe(options, get).catch(() => undefined)));
  return found.find((f) => f !== undefined);
}

function serverRoot(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
}

function safeOrigin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 256 ? Math.floor(value) : undefined;
}
