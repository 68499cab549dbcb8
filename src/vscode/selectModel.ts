/**
 * Stepwise: Select Model — first where inference runs (a preset server, a custom URL, or VS Code's
 * language models), then one of the models found there. The server and provider are machine-wide
 * settings (a workspace must not redirect the key); the model is remembered for the workspace in
 * the extension's workspace state — never in the repository's .vscode/settings.json.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { OpenAIClient } from '../core/model/openaiClient';
import { PRESETS, presetForUrl } from '../core/model/presets';
import { baseUrlProblem } from '../core/model/baseUrl';
import { notifyError } from './errorActions';
import { chooseEmbedded } from './embeddedModel';
import { DEFAULT_MODEL, gigabytes } from '../core/embedded/defaultModel';
import { listLmModels } from './lmClient';
import { readSettings, WORKSPACE_MODEL_KEY, type ApiKeyStore } from './settings';

type Where = { kind: 'server'; baseUrl: string; label: string; hint?: string } | { kind: 'vscode-lm' } | { kind: 'embedded' };

/** `onPicked(server, model)`: a model picked again starts afresh (native tool calls, whatever was remembered). */
export async function selectModel(
  keys: ApiKeyStore,
  log: vscode.LogOutputChannel,
  choices: vscode.Memento,
  onPicked?: (server: string, model: string) => void,
): Promise<string | undefined> {
  const where = await pickWhere(choices);
  if (!where) return undefined;
  if (where.kind === 'embedded') {
    // One model, set by its file (stepwise.embedded.modelFile): nothing to list.
    await chooseEmbedded(choices, log);
    return undefined;
  }
  const config = vscode.workspace.getConfiguration('stepwise');
  let items: vscode.QuickPickItem[];
  try {
    items = where.kind === 'vscode-lm' ? await lmItems() : await serverItems(where, keys);
  } catch (error) {
    log.error((error as Error).message);
    notifyError(error as Error);
    return undefined;
  }
  if (items.length === 0) {
    const hint =
      where.kind === 'vscode-lm'
        ? l10n.t('Install or sign in to an extension that provides language models.')
        : where.hint
          ? l10n.t('Load or pull one first ({0}).', where.hint)
          : l10n.t('Load or pull one first.');
    const at = where.kind === 'vscode-lm' ? l10n.t("VS Code's language-model API") : where.baseUrl;
    void vscode.window.showWarningMessage(l10n.t('Stepwise: no models found at {0}. {1}', at, hint));
    return undefined;
  }
  const current = readSettings(choices).model;
  const pick = await vscode.window.showQuickPick(
    items.map((i) => (i.label === current ? { ...i, description: i.description ? l10n.t('{0} (current)', i.description) : l10n.t('(current)') } : i)),
    {
      title: l10n.t('Stepwise: Select Model'),
      placeHolder: where.kind === 'vscode-lm' ? l10n.t('Models VS Code offers') : l10n.t('Models at {0}', where.baseUrl),
      matchOnDescription: true,
    },
  );
  if (!pick) return undefined;
  // The model is remembered for this workspace (first: the next goal may start at once); where
  // inference runs is machine-wide.
  if (vscode.workspace.workspaceFolders?.length) await choices.update(WORKSPACE_MODEL_KEY, pick.label);
  else await config.update('model', pick.label, vscode.ConfigurationTarget.Global);
  await config.update('provider', where.kind === 'vscode-lm' ? 'vscode-lm' : 'openai-compatible', vscode.ConfigurationTarget.Global);
  if (where.kind === 'server') await config.update('baseUrl', where.baseUrl, vscode.ConfigurationTarget.Global);
  log.info(`Model set to ${pick.label} (${where.kind === 'vscode-lm' ? "VS Code's language models" : where.baseUrl}).`); // l10n-ignore: log line
  onPicked?.(where.kind === 'vscode-lm' ? 'vscode-lm' : where.baseUrl, pick.label);
  return pick.label;
}

async function pickWhere(choices: vscode.Memento): Promise<Where | undefined> {
  const settings = readSettings(choices);
  const currentPreset = settings.provider === 'openai-compatible' ? presetForUrl(settings.baseUrl) : undefined;
  type Item = vscode.QuickPickItem & { where?: Where; custom?: true };
  const items: Item[] = [
    ...(settings.provider === 'openai-compatible' && !currentPreset
      ? [
          {
            label: settings.baseUrl,
            description: l10n.t('current server'),
            where: { kind: 'server', baseUrl: settings.baseUrl, label: settings.baseUrl } as Where,
          },
        ]
      : []),
    ...PRESETS.map((p) => ({
      label: p.label,
      description: p === currentPreset ? l10n.t('{0} (current)', p.baseUrl) : p.baseUrl,
      detail: p.needsKey ? l10n.t('Needs an API key (Stepwise: Set API Key).') : l10n.t('Local, no key needed.'),
      where: { kind: 'server', baseUrl: p.baseUrl, label: p.label, hint: p.hint } as Where,
    })),
    { label: l10n.t('Other OpenAI-compatible server…'), description: l10n.t('enter its base URL'), custom: true },
    {
      label: l10n.t("VS Code's language models"),
      description: settings.provider === 'vscode-lm' ? l10n.t('(current)') : l10n.t('Copilot or another provider extension'),
      where: { kind: 'vscode-lm' },
    },
    {
      label: l10n.t('The embedded model'),
      description: settings.provider === 'embedded' ? l10n.t('(current)') : l10n.t('Stepwise runs it on this machine: no server, no key'),
      detail: l10n.t(
        '{0} ({1} GB, downloaded once after asking), or your GGUF file (stepwise.embedded.modelFile).',
        DEFAULT_MODEL.label,
        gigabytes(DEFAULT_MODEL.bytes),
      ),
      where: { kind: 'embedded' },
    },
  ];
  const pick = await vscode.window.showQuickPick(items, {
    title: l10n.t('Stepwise: Where should the model run?'),
    placeHolder: l10n.t("Pick a server or VS Code's language models"),
  });
  if (!pick) return undefined;
  if (!pick.custom) return pick.where;
  const url = await vscode.window.showInputBox({
    title: l10n.t('Stepwise: Base URL of an OpenAI-compatible server'),
    value: settings.baseUrl,
    prompt: l10n.t('Usually ends in /v1, e.g. http://127.0.0.1:8000/v1'),
    // A user name or password in the URL would be shown and logged: refused, like any non-URL.
    validateInput: (v) => baseUrlProblem(v.trim().replace(/\/+$/, ''), l10n.t('The base URL')),
    ignoreFocusOut: true,
  });
  return url ? { kind: 'server', baseUrl: url.trim().replace(/\/+$/, ''), label: url.trim() } : undefined;
}

async function serverItems(where: Extract<Where, { kind: 'server' }>, keys: ApiKeyStore): Promise<vscode.QuickPickItem[]> {
  const apiKey = await keys.get();
  const controller = new AbortController();
  const models = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: l10n.t('Stepwise: asking {0} for its models…', where.baseUrl), cancellable: true },
    (_p, token) => {
      token.onCancellationRequested(() => controller.abort());
      return new OpenAIClient({ baseUrl: where.baseUrl, model: '', apiKey }).listModels(controller.signal);
    },
  );
  return models.map((id) => ({ label: id }));
}

async function lmItems(): Promise<vscode.QuickPickItem[]> {
  return (await listLmModels()).map((m) => ({
    label: m.id,
    description: `${m.name} · ${m.vendor}`,
    detail: l10n.t('{0} tokens of context', m.maxInputTokens.toLocaleString('en-US')),
  }));
}
