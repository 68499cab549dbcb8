/**
 * `stepwise doctor` and Stepwise: Check Setup: one line per check, each problem with its next step
 * in the words of the place the user is in (fixWords.ts: flags and variables in the CLI, commands
 * and settings in VS Code). A task could run when no line failed.
 */
import * as l10n from '@vscode/l10n';
import { isChatModel } from '../model/chatModels';
import { hostOf, PROBE_LIMIT_MS, type Probe } from '../model/discovery';
import { ModelError } from '../model/errors';
import { fix } from '../model/fixWords';
import { contextSourceText, profileModel } from '../model/modelProfile';
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
    lines.push({ status: 'fail', what: l10n.t('server'), detail: l10n.t('no model server found or configured'), next: fix('chooseServer') });
  } else {
    const shown = server.label === hostOf(server.baseUrl) ? server.baseUrl : l10n.t('{0} at {1}', server.label, server.baseUrl);
    lines.push({ status: 'ok', what: l10n.t('server'), detail: `${shown} (${server.how})` });
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
        detail: l10n.t('not found: search uses the built-in engine (slower on large workspaces)'),
        next: l10n.t('install ripgrep (e.g. `apt install ripgrep`, `brew install ripgrep`)'),
      };
}

export function canRun(lines: readonly CheckLine[]): boolean {
  return !lines.some((l) => l.status === 'fail');
}

function probeLine(p: Probe): CheckLine {
  const where = l10n.t('{0} on {1}', p.label, hostOf(p.baseUrl));
  switch (p.outcome.kind) {
    case 'ok':
      return { status: 'ok', what: l10n.t('found'), detail: l10n.t('{0}: running, {1} model(s)', where, p.outcome.models.length) };
    case 'absent':
      return { status: 'info', what: l10n.t('looked'), detail: l10n.t('{0}: not running', where) };
    case 'timeout':
      return { status: 'warn', what: l10n.t('looked'), detail: l10n.t('{0}: no answer within {1} s, skipped', where, PROBE_LIMIT_MS / 1000) };
    case 'not_openai':
      return {
        status: 'warn',
        what: l10n.t('looked'),
        detail: l10n.t('{0}: something answers, but {1}: not an OpenAI-compatible server, skipped (no key sent)', where, p.outcome.why),
      };
  }
}

function keyLine(server: NonNullable<SetupTarget['server']>): CheckLine {
  const hosted = !/^(127\.|localhost|\[::1\])/.test(hostOf(server.baseUrl));
  const what = l10n.t('API key');
  if (server.apiKey) {
    return { status: 'ok', what, detail: server.keySource ? l10n.t('set ({0}); not shown', server.keySource) : l10n.t('set; not shown') };
  }
  return hosted
    ? { status: 'warn', what, detail: l10n.t('none: a hosted API usually needs one') }
    : { status: 'ok', what, detail: l10n.t('none (a local server needs none)') };
}

/** Models listed, the model, tool calling and the window: each needs the one before. */
async function modelLines(target: SetupTarget, server: NonNullable<SetupTarget['server']>, signal: AbortSignal): Promise<CheckLine[]> {
  let models: string[];
  try {
    models = await new OpenAIClient({ baseUrl: server.baseUrl, model: '', ...(server.apiKey ? { apiKey: server.apiKey } : {}) }).listModels(signal, 10_000);
  } catch (error) {
    const message = error instanceof ModelError ? error.message : String(error);
    return [
      {
        status: 'fail',
        what: l10n.t('models'),
        detail: message,
        next: error instanceof ModelError && error.kind === 'auth' ? fix('setKey') : fix('chooseServer'),
      },
    ];
  }
  const chat = models.filter(isChatModel);
  if (chat.length === 0) {
    const detail = models.length ? l10n.t('only models that are not chat models: {0}', models.slice(0, 5).join(', ')) : l10n.t('the server lists no models');
    return [{ status: 'fail', what: l10n.t('models'), detail, next: l10n.t('load or pull a chat model, e.g. `ollama pull qwen2.5-coder:7b`') }];
  }
  const lines: CheckLine[] = [{ status: 'ok', what: l10n.t('models'), detail: l10n.t('{0} listed ({1} chat)', models.length, chat.length) }];
  const model = target.model ?? chat[0]!;
  if (target.model && !models.includes(target.model)) {
    lines.push({
      status: 'fail',
      what: l10n.t('model'),
      detail: l10n.t('{0} is not one the server lists (it has {1})', target.model, chat.slice(0, 5).join(', ')),
      next: fix('nameModel'),
    });
    return lines;
  }
  lines.push({ status: 'ok', what: l10n.t('model'), detail: target.model ? model : l10n.t('{0} (the first chat model)', model) });
  lines.push(await toolLine(target, server, model, signal));
  const profile = await profileModel({ baseUrl: server.baseUrl, model, apiKey: server.apiKey, contextTokens: target.contextTokens, signal });
  lines.push({
    status: profile.windowCertain || target.contextTokens ? 'ok' : 'warn',
    what: l10n.t('context window'),
    detail: l10n.t('{0} tokens ({1})', profile.contextTokens, contextSourceText(profile.contextSource)),
    ...(profile.windowCertain || target.contextTokens ? {} : { next: l10n.t("if you know the model's window, set it ({0})", fix('windowSetting')) }),
  });
  return lines;
}

async function toolLine(target: SetupTarget, server: NonNullable<SetupTarget['server']>, model: string, signal: AbortSignal): Promise<CheckLine> {
  const what = l10n.t('tool calling');
  if (!target.probeTools) return { status: 'info', what, detail: l10n.t('not checked {0}', fix('skippedProbe')) };
  const support = await probeToolCalling(server.baseUrl, model, server.apiKey, signal);
  switch (support.kind) {
    case 'native':
      return { status: 'ok', what, detail: l10n.t('native (the server takes tool definitions)') };
    case 'text':
      return { status: 'ok', what, detail: l10n.t('text protocol: the server refused tool definitions ({0})', support.why) };
    case 'error':
      return { status: 'fail', what, detail: support.error.message, next: support.error.kind === 'auth' ? fix('setKey') : fix('nameModel') };
  }
}
