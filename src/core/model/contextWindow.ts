/**
 * How large a context window the server will really give this model, asked where servers tell:
 * llama.cpp `/props` (`n_ctx`), LM Studio `/api/v0/models/{id}` (the loaded context), Ollama
 * `/api/ps` (the loaded model's context) or `/api/show` (its `num_ctx`), the model list (vLLM
 * `max_model_len`). A number the server runs with is `certain`: the budget keeps every request
 * inside it, so nothing can be cut. Maximums and defaults are not (the server may run with less,
 * and Ollama's default depends on its memory), so the truncation check stays on for them.
 *
 * Only the configured origin is asked, redirects are never followed, every probe is short, and the
 * server-specific probes go only to local and private-network hosts: a hosted API gets the model
 * list only. Answers are cached per server and model for the session.
 */
import * as l10n from '@vscode/l10n';
import { guardedFetch } from './guardedFetch';
import { fix } from './fixWords';

export interface ContextWindow {
  tokens: number;
  /** Where the number came from, for the log and for messages. */
  source: string;
  /** The window the server runs the model with (not a maximum or a guessed default). */
  certain: boolean;
  /** Which server answered, when its own endpoint did: it is then sent its own cache options. */
  server?: ServerKind;
}

export type ServerKind = 'llamacpp' | 'lmstudio' | 'ollama' | 'vllm';

export interface DiscoverOptions {
  baseUrl: string;
  model: string;
  apiKey?: string | undefined;
  signal?: AbortSignal;
  /** Per probe (default 2 s). */
  timeoutMs?: number;
}

/** What Ollama uses when neither the model nor the server says (it may use more, by memory). */
export const OLLAMA_DEFAULT_CONTEXT = 4096;

type Getter = (url: string, body?: unknown) => Promise<unknown>;
type Probe = (options: DiscoverOptions, get: Getter) => Promise<ContextWindow | undefined>;

const fromLlamaCpp: Probe = async ({ baseUrl }, get) => {
  const props = (await get(`${serverRoot(baseUrl)}/props`)) as { n_ctx?: unknown; default_generation_settings?: { n_ctx?: unknown } } | undefined;
  const tokens = positive(props?.default_generation_settings?.n_ctx) ?? positive(props?.n_ctx);
  return tokens ? { tokens, source: l10n.t('llama.cpp server (n_ctx)'), certain: true, server: 'llamacpp' } : undefined;
};

const fromLmStudio: Probe = async ({ baseUrl, model }, get) => {
  const info = (await get(`${serverRoot(baseUrl)}/api/v0/models/${encodeURIComponent(model)}`)) as Record<string, unknown> | undefined;
  const loaded = positive(info?.loaded_context_length);
  if (loaded) return { tokens: loaded, source: l10n.t('LM Studio (loaded context length)'), certain: true, server: 'lmstudio' };
  const max = positive(info?.max_context_length);
  return max
    ? { tokens: max, source: l10n.t('LM Studio (the model is not loaded; its maximum context length)'), certain: false, server: 'lmstudio' }
    : undefined;
};

const fromOllama: Probe = async ({ baseUrl, model }, get) => {
  const root = serverRoot(baseUrl);
  const [ps, show] = await Promise.all([
    get(`${root}/api/ps`).catch(() => undefined) as Promise<{ models?: { name?: string; model?: string; context_length?: unknown }[] } | undefined>,
    get(`${root}/api/show`, { model }).catch(() => undefined) as Promise<
      { parameters?: unknown; model_info?: Record<string, unknown>; details?: { format?: unknown } } | undefined
    >,
  ]);
  const loaded = ps?.models?.find((m) => m.name === model || m.model === model || m.name === `${model}:latest`);
  const running = positive(loaded?.context_length);
  if (running) return { tokens: running, source: l10n.t("Ollama (the loaded model's context length)"), certain: true, server: 'ollama' };
  // Other servers answer /api/show for compatibility; Ollama's own answer describes the model file.
  if (!show || typeof show.details?.format !== 'string' || !show.details.format) return undefined;
  const numCtx = /(?:^|\n)\s*num_ctx\s+(\d+)/.exec(typeof show.parameters === 'string' ? show.parameters : '')?.[1];
  if (numCtx) return { tokens: Number(numCtx), source: l10n.t("the model's num_ctx in Ollama"), certain: true, server: 'ollama' };
  const max = positive(Object.entries(show.model_info ?? {}).find(([k]) => k.endsWith('.context_length'))?.[1]);
  return {
    tokens: max ? Math.min(max, OLLAMA_DEFAULT_CONTEXT) : OLLAMA_DEFAULT_CONTEXT,
    source: max
      ? l10n.t(
          "Ollama's smallest default context length (the model takes up to {0} tokens; Ollama may give it more by memory, or set num_ctx / OLLAMA_CONTEXT_LENGTH, then {1})",
          max,
          fix('windowSetting'),
        )
      : l10n.t(
          "Ollama's smallest default context length (the model takes up to an unknown number of tokens; Ollama may give it more by memory, or set num_ctx / OLLAMA_CONTEXT_LENGTH, then {0})",
          fix('windowSetting'),
        ),
    certain: false,
    server: 'ollama',
  };
};

const fromModelList: Probe = async ({ baseUrl, model }, get) => {
  const list = (await get(`${baseUrl}/models`)) as { data?: Record<string, unknown>[] } | undefined;
  const entry = list?.data?.find((m) => m.id === model);
  if (!entry) return undefined;
  const served = positive(entry.max_model_len);
  if (served) return { tokens: served, source: l10n.t("the server's model list (max_model_len)"), certain: true, server: 'vllm' };
  for (const key of ['context_length', 'context_window', 'max_context_length']) {
    const tokens = positive(entry[key]);
    if (tokens) return { tokens, source: l10n.t("the server's model list ({0})", key), certain: false };
  }
  const meta = entry.meta as Record<string, unknown> | undefined;
  const train = positive(meta?.n_ctx_train);
  return train ? { tokens: train, source: l10n.t("the server's model list (n_ctx_train, a maximum)"), certain: false } : undefined;
};

const cache = new Map<string, Promise<ContextWindow | undefined>>();

/** Asks the server; undefined when it does not tell. Never throws. */
export function discoverContextWindow(options: DiscoverOptions): Promise<ContextWindow | undefined> {
  const key = `${options.baseUrl} ${options.model}`;
  let found = cache.get(key);
  if (!found) {
    found = discover(options);
    cache.set(key, found);
    // Only answers are kept: a server that was down is asked again next time.
    void found.then((w) => w ?? cache.delete(key));
  }
  return found;
}

async function discover(options: DiscoverOptions): Promise<ContextWindow | undefined> {
  const fetcher = guardedFetch(options.baseUrl);
  const origin = safeUrl(options.baseUrl);
  if (!origin) return undefined;
  const get: Getter = async (url, body) => {
    if (safeUrl(url)?.origin !== origin.origin) return undefined;
    const signal = AbortSignal.any([AbortSignal.timeout(options.timeoutMs ?? 2000), ...(options.signal ? [options.signal] : [])]);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetcher(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal,
    });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      return undefined;
    }
    return response.json();
  };
  // Asked at once (a server that hangs on unknown paths costs one timeout, not four); the first
  // that answers in this order wins: the servers' own numbers are the window in use.
  const probes = isLocal(origin.hostname) ? [fromLlamaCpp, fromLmStudio, fromOllama, fromModelList] : [fromModelList];
  const found = await Promise.all(probes.map((probe) => probe(options, get).catch(() => undefined)));
  return found.find((f) => f !== undefined);
}

/** Loopback and private-network hosts: where people run their own servers. */
export function isLocal(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.local') || host === '::1' || !host.includes('.')) return true;
  const v4 = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(host);
  if (!v4) return /^f[cd][0-9a-f]{2}:/.test(host);
  const [a, b] = [Number(v4[1]), Number(v4[2])];
  return a === 127 || a === 10 || (a === 192 && b === 168) || (a === 172 && b >= 16 && b <= 31) || (a === 100 && b >= 64 && b <= 127);
}

function serverRoot(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
}

function safeUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 256 ? Math.floor(value) : undefined;
}
