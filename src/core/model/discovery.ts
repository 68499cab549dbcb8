/**
 * Finding a model server when none is configured: the usual local ports (and a remembered
 * choice) are asked for their model list with one GET each, in parallel, within one time limit.
 * No key is sent (any local program can listen on those ports) and no redirect is followed; a
 * port that answers with something other than an OpenAI-compatible model list is never used.
 */
import * as l10n from '@vscode/l10n';
import { isChatModel } from './chatModels';
import { PRESETS } from './presets';

/** All probes together finish within this. */
export const PROBE_LIMIT_MS = 1500;
/** A model list is small; a port that streams more is not a model server. */
const MAX_LIST_BYTES = 4 * 1024 * 1024;

export type ProbeOutcome =
  | { kind: 'ok'; models: string[] }
  /** Something answers there, but not an OpenAI-compatible API (a web page, a web app). */
  | { kind: 'not_openai'; why: string }
  /** Nothing listens there. */
  | { kind: 'absent' }
  | { kind: 'timeout' };

export interface Candidate {
  /** How the user knows it: "LM Studio", or "the server you used last". */
  label: string;
  baseUrl: string;
}

export interface Probe extends Candidate {
  outcome: ProbeOutcome;
}

/** The local servers people run, in the order they are preferred when several answer. */
export function localCandidates(): Candidate[] {
  return PRESETS.filter((p) => !p.needsKey).map((p) => ({ label: p.label, baseUrl: p.baseUrl }));
}

/** Asks every candidate at once; every probe has ended (or given up) within `limitMs`. */
export async function probeServers(candidates: readonly Candidate[], signal?: AbortSignal, limitMs = PROBE_LIMIT_MS): Promise<Probe[]> {
  const deadline = AbortSignal.timeout(limitMs);
  const stop = signal ? AbortSignal.any([signal, deadline]) : deadline;
  return Promise.all(candidates.map(async (c) => ({ ...c, outcome: await probeServer(c.baseUrl, stop) })));
}

/** The one to use: the first that lists a chat model, else the first that answers at all (its error then says what is missing). */
export function chooseServer(probes: readonly Probe[]): Probe | undefined {
  const answering = probes.filter((p) => p.outcome.kind === 'ok');
  return answering.find((p) => p.outcome.kind === 'ok' && p.outcome.models.some(isChatModel)) ?? answering[0];
}

/** GET {baseUrl}/models, read as an OpenAI model list. */
export async function probeServer(baseUrl: string, signal: AbortSignal): Promise<ProbeOutcome> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl.replace(/\/+$/, '')}/models`, { redirect: 'manual', signal, headers: { accept: 'application/json' } });
  } catch (error) {
    if (signal.aborted) return { kind: 'timeout' };
    const code = (error as { cause?: { code?: string } }).cause?.code;
    return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EADDRNOTAVAIL'
      ? { kind: 'absent' }
      : { kind: 'not_openai', why: l10n.t('the connection failed ({0})', code ?? 'error') };
  }
  try {
    if (response.status >= 300 && response.status < 400)
      return { kind: 'not_openai', why: l10n.t('it redirects to {0}', response.headers.get('location') ?? l10n.t('another address')) };
    if (response.status === 401 || response.status === 403) return { kind: 'not_openai', why: l10n.t('it asks for a key (HTTP {0})', response.status) };
    if (!response.ok) return { kind: 'not_openai', why: l10n.t('GET /models answered HTTP {0}', response.status) };
    if ((response.headers.get('content-type') ?? '').includes('text/html')) return { kind: 'not_openai', why: l10n.t('it answers with a web page') };
    const models = modelIds(await boundedText(response, signal));
    return models ? { kind: 'ok', models } : { kind: 'not_openai', why: l10n.t('its answer is not a model list') };
  } catch {
    return signal.aborted ? { kind: 'timeout' } : { kind: 'not_openai', why: l10n.t('its answer could not be read') };
  } finally {
    await response.body?.cancel().catch(() => undefined);
  }
}

/** `{"data": [{"id": …}, …]}` → the ids; undefined for anything else. */
function modelIds(text: string): string[] | undefined {
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    return undefined;
  }
  const data = (list as { data?: unknown })?.data;
  if (!Array.isArray(data)) return undefined;
  const ids = data.map((m) => (m as { id?: unknown })?.id);
  return ids.every((id): id is string => typeof id === 'string') ? ids : undefined;
}

async function boundedText(response: Response, signal: AbortSignal): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    if (signal.aborted) throw new Error('stopped');
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_LIST_BYTES) throw new Error('too large'); // l10n-ignore: caught, never shown
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** "Ollama on 127.0.0.1:11434, llama.cpp server on 127.0.0.1:8080 (answers, but …)": what was looked at, for messages. */
export function describeProbes(probes: readonly Probe[]): string {
  return probes
    .map((p) =>
      p.outcome.kind === 'not_openai'
        ? l10n.t('{0} on {1} (answers, but {2})', p.label, hostOf(p.baseUrl), p.outcome.why)
        : l10n.t('{0} on {1}', p.label, hostOf(p.baseUrl)),
    )
    .join(', ');
}

/** "127.0.0.1:1234" for a local base URL: how a found server is named in messages. */
export function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}
