/**
 * `stepwise doctor` and Stepwise: Check Setup: one line per check, each problem with its next step
 * in the words of the place the user is in (fixWords.ts: flags and variables in the CLI, commands
 * and settings in VS Code). A task could run when no line failed.
 */
import { isChatModel } from '../model/chatModels';
import { hostOf, PROBE_LIMIT_MS, type Probe } from '../model/discovery';
import { ModelError } from '../model/errors';
import { fix } from '../model/fixWords';
import { profileModel } from '../model/modelProfile';
import { OpenAIClient } from '../model/openaiClient';
import { probeToolCalling } from '../model/toolProbe';
import type { CheckLine } from './checkLine';
import { proxyLines, type NetworkFacts } from './networkFacts';

export { type CheckLine, type CheckStatus, formatCheckLine } from './checkLine';

export interface SetupTarget {
  /** The server chosen, and how ("found running", "your setting"); undefined when none was found. */
  server?: { baseUrl: string; label: string; how: string; apiKey?: string | undefined; keySource?: string };
  /** The local ports looked at (when the server was to be found). */
  probes: readonly Probe[];
  model?: string | undefined;
  contextTokens?: number | undefined;
  probeTools: boolean;
  network: NetworkFacts;
  /** ripgrep's path; undefined when there is none. */
  ripgrep: string | undefined;
}

export async function checkSetup(target: SetupTarget, signal: AbortSignal): Promise<CheckLine[]> {
  const lines: CheckLine[] = target.probes.map(probeLine);
  const server = target.server;
  if (!server) {
    lines.push({ status: 'fail', what: 'server', detail: 'no model server found or configured', next: fix('chooseServer') });
  } else {
    lines.push({
      status: 'ok',
      what: 'server',
      detail: `${server.label === hostOf(server.baseUrl) ? server.baseUrl : `${server.label} at ${server.baseUrl}`} (${server.how})`,
    });
    lines.push(keyLine(server));
    lines.push(...(await modelLines(target, server, signal)));
  }
  lines.push(...proxyLines(target.network));
  lines.push(ripgrepLine(target.ripgrep));
  return lines;
}

export function ripgrepLine(path: string | undefined): CheckLine {
  return path
    ? { status: 'ok', what: 'ripgrep', detail: path }
    : {
        status: 'warn',
        what: 'ripgrep',
        detail: 'not found: search uses the built-in engine (slower on large workspaces)',
        next: 'install ripgrep (e.g. `apt install ripgrep`, `brew install ripgrep`)',
      };
}

export function canRun(lines: readonly CheckLine[]): boolean {
  return !lines.some((l) => l.status === 'fail');
}

function probeLine(p: Probe): CheckLine {
  const where = `${p.label} on ${hostOf(p.baseUrl)}`;
  switch (p.outcome.kind) {
    case 'ok':
      return { status: 'ok', what: 'found', detail: `${where}: running, ${p.outcome.models.length} model(s)` };
    case 'absent':
      return { status: 'info', what: 'looked', detail: `${where}: not running` };
    case 'timeout':
      return { status: 'warn', what: 'looked', detail: `${where}: no answer within ${PROBE_LIMIT_MS / 1000} s, skipped` };
    case 'not_openai':
      return {
        status: 'warn',
        what: 'looked',
        detail: `${where}: something answers, but ${p.outcome.why}: not an OpenAI-compatible server, skipped (no key sent)`,
      };
  }
}

function keyLine(server: NonNullable<SetupTarget['server']>): CheckLine {
  const hosted = !/^(127\.|localhost|\[::1\])/.test(hostOf(server.baseUrl));
  if (server.apiKey) return { status: 'ok', what: 'API key', detail: `set${server.keySource ? ` (${server.keySource})` : ''}; not shown` };
  return hosted
    ? { status: 'warn', what: 'API key', detail: 'none: a hosted API usually needs one' }
    : { status: 'ok', what: 'API key', detail: 'none (a local server needs none)' };
}

/** Models listed, the model, tool calling and the window: each needs the one before. */
async function modelLines(target: SetupTarget, server: NonNullable<SetupTarget['server']>, signal: AbortSignal): Promise<CheckLine[]> {
  let models: string[];
  try {
    models = await new OpenAIClient({ baseUrl: server.baseUrl, model: '', ...(server.apiKey ? { apiKey: server.apiKey } : {}) }).listModels(signal, 10_000);
  } catch (error) {
    const message = error instanceof ModelError ? error.message : String(error);
    return [
      { status: 'fail', what: 'models', detail: message, next: error instanceof ModelError && error.kind === 'auth' ? fix('setKey') : fix('chooseServer') },
    ];
  }
  const chat = models.filter(isChatModel);
  if (chat.length === 0) {
    const detail = models.length ? `only models that are not chat models: ${models.slice(0, 5).join(', ')}` : 'the server lists no models';
    return [{ status: 'fail', what: 'models', detail, next: 'load or pull a chat model, e.g. `ollama pull qwen2.5-coder:7b`' }];
  }
  const lines: CheckLine[] = [{ status: 'ok', what: 'models', detail: `${models.length} listed (${chat.length} chat)` }];
  const model = target.model ?? chat[0]!;
  if (target.model && !models.includes(target.model)) {
    lines.push({
      status: 'fail',
      what: 'model',
      detail: `${target.model} is not one the server lists (it has ${chat.slice(0, 5).join(', ')})`,
      next: fix('nameModel'),
    });
    return lines;
  }
  lines.push({ status: 'ok', what: 'model', detail: `${model}${target.model ? '' : ' (the first chat model)'}` });
  lines.push(await toolLine(target, server, model, signal));
  const profile = await profileModel({ baseUrl: server.baseUrl, model, apiKey: server.apiKey, contextTokens: target.contextTokens, signal });
  lines.push({
    status: profile.windowCertain || target.contextTokens ? 'ok' : 'warn',
    what: 'context window',
    detail: `${profile.contextTokens} tokens (${profile.contextSource})`,
    ...(profile.windowCertain || target.contextTokens ? {} : { next: `if you know the model's window, set it (${fix('windowSetting')})` }),
  });
  return lines;
}

async function toolLine(target: SetupTarget, server: NonNullable<SetupTarget['server']>, model: string, signal: AbortSignal): Promise<CheckLine> {
  if (!target.probeTools) return { status: 'info', what: 'tool calling', detail: `not checked ${fix('skippedProbe')}` };
  const support = await probeToolCalling(server.baseUrl, model, server.apiKey, signal);
  switch (support.kind) {
    case 'native':
      return { status: 'ok', what: 'tool calling', detail: 'native (the server takes tool definitions)' };
    case 'text':
      return { status: 'ok', what: 'tool calling', detail: `text protocol: the server refused tool definitions (${support.why})` };
    case 'error':
      return { status: 'fail', what: 'tool calling', detail: support.error.message, next: support.error.kind === 'auth' ? fix('setKey') : fix('nameModel') };
  }
}
