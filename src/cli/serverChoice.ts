/**
 * Which model server a CLI run uses. Precedence: flags (--base-url, --provider) > environment
 * (OPENAI_BASE_URL; an API key alone means OpenAI's own API) > the server found last time, if it
 * still answers > the first local server found running (Ollama, LM Studio, llama.cpp, vLLM).
 * A found server never gets the key. The choice found is remembered in the state folder.
 */
import * as l10n from '@vscode/l10n';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writePrivateFile } from '../core/checkpoints/privateFiles';
import { firstChatModel, pickChatModel } from '../core/model/chatModels';
import { escapeControls } from '../core/text/controlChars';
import { chooseServer, describeProbes, hostOf, localCandidates, type Probe, probeServers } from '../core/model/discovery';
import { presetById } from '../core/model/presets';
import { stateDir } from './userConfig';

export interface ServerChoice {
  baseUrl: string;
  /** Sent only to a server the user named (or OpenAI's API for a key given alone). */
  apiKey: string | undefined;
  /** How it was chosen, for the line that says so. */
  how: 'configured' | 'key' | 'remembered' | 'found';
  label: string;
  /** Its model list, when it was already asked for (discovery). */
  models?: string[];
  /** The model used with it last time (a remembered server). */
  lastModel?: string;
  /** Every probe made, for `doctor` and for the message when nothing was found. */
  probes: Probe[];
}

interface Remembered {
  baseUrl: string;
  label: string;
  model?: string;
}

export function rememberedFile(env: NodeJS.ProcessEnv): string {
  return path.join(stateDir(env), 'server.json');
}

export async function chooseCliServer(
  explicit: string | undefined,
  apiKey: string | undefined,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
): Promise<ServerChoice | { none: Probe[] }> {
  if (explicit) return { baseUrl: explicit.replace(/\/+$/, ''), apiKey, how: 'configured', label: hostOf(explicit), probes: [] };
  // l10n-ignore: a product name
  if (apiKey) return { baseUrl: presetById('openai')!.baseUrl, apiKey, how: 'key', label: 'OpenAI', probes: [] };
  const remembered = readRemembered(env);
  const locals = localCandidates().filter((c) => c.baseUrl !== remembered?.baseUrl);
  const candidates = remembered ? [{ label: remembered.label, baseUrl: remembered.baseUrl }, ...locals] : locals;
  const probes = await probeServers(candidates, signal);
  const chosen = chooseServer(probes);
  if (!chosen || chosen.outcome.kind !== 'ok') return { none: probes };
  const again = remembered && chosen.baseUrl === remembered.baseUrl;
  return {
    baseUrl: chosen.baseUrl,
    apiKey: undefined,
    how: again ? 'remembered' : 'found',
    label: chosen.label,
    models: chosen.outcome.models,
    ...(again && remembered.model ? { lastModel: remembered.model } : {}),
    probes,
  };
}

/** Remembers a found server and the model used with it; never fatal (no memory is the same as a first run). */
export async function rememberServer(env: NodeJS.ProcessEnv, choice: ServerChoice, model: string): Promise<void> {
  if (choice.how !== 'found' && choice.how !== 'remembered') return;
  const file = rememberedFile(env);
  try {
    await fs.promises.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await writePrivateFile(file, JSON.stringify({ baseUrl: choice.baseUrl, label: choice.label, model } satisfies Remembered));
  } catch {
    // The next run looks again.
  }
}

function readRemembered(env: NodeJS.ProcessEnv): Remembered | undefined {
  try {
    const value = JSON.parse(fs.readFileSync(rememberedFile(env), 'utf8')) as Partial<Remembered>;
    // Only a local address is ever remembered: a file edited to point elsewhere is not followed.
    if (typeof value.baseUrl !== 'string' || typeof value.label !== 'string' || !isLoopback(value.baseUrl)) return undefined;
    return { baseUrl: value.baseUrl, label: value.label, ...(typeof value.model === 'string' ? { model: value.model } : {}) };
  } catch {
    return undefined;
  }
}

function isLoopback(baseUrl: string): boolean {
  try {
    const host = new URL(baseUrl).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  } catch {
    return false;
  }
}

/** What `run` says when no server was found: what was tried, and the three ways on, with the flags and variables. */
export function noServerMessage(probes: readonly Probe[]): string {
  const tried = describeProbes(probes);
  return l10n.t(
    'no model server found (looked for {0}). Start a local one (e.g. `ollama serve`, then `ollama pull qwen2.5-coder:7b`), set OPENAI_API_KEY to use OpenAI, or pass --base-url URL (env OPENAI_BASE_URL) or --provider NAME; `stepwise doctor` checks a setup.',
    tried,
  );
}

/** "using LM Studio at 127.0.0.1:1234 (found running), model …", naming the others found too. */
export function choiceMessage(choice: ServerChoice, model: string): string {
  const where = choice.how === 'configured' ? choice.baseUrl : l10n.t('{0} at {1}', choice.label, hostOf(choice.baseUrl));
  const why = {
    configured: '',
    key: l10n.t(' (an API key is set and no server: pass --base-url for another)'),
    remembered: l10n.t(' (used last time)'),
    found: l10n.t(' (found running)'),
  }[choice.how];
  const others = choice.probes.filter((p) => p.outcome.kind === 'ok' && p.baseUrl !== choice.baseUrl).map((p) => p.label);
  const alsoFound = others.length ? l10n.t('; also running: {0} (pass --provider to choose)', others.join(', ')) : '';
  return l10n.t('using {0}{1}, model {2}{3}', where, why, model, alsoFound);
}

/**
 * The model named (--model, STEPWISE_MODEL), else the one used last with a remembered server if it
 * is still there, else the server's first chat model (said so when the server was named).
 */
export async function chooseModel(named: string | undefined, server: ServerChoice, signal: AbortSignal): Promise<string> {
  if (named) return named;
  if (server.lastModel && server.models?.includes(server.lastModel)) return server.lastModel;
  const fix = l10n.t('Pass --model NAME (or set STEPWISE_MODEL).');
  if (server.models) return pickChatModel(server.models, server.baseUrl, fix);
  const first = await firstChatModel(server.baseUrl, server.apiKey, signal, fix);
  if (server.how === 'configured')
    process.stderr.write(`stepwise: ${l10n.t("using model {0}, the server's first chat model (pass --model to choose another)", escapeControls(first))}\n`);
  return first;
}
