/**
 * The setup card's buttons, each what a user could also do from the palette: use VS Code's
 * language models, look for a local server, enter an API key for a hosted service, choose a
 * model, check the setup, copy the command that pulls a local model.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { describeProbes, hostOf, localCandidates, probeServers } from '../core/model/discovery';
import { isChatModel } from '../core/model/chatModels';
import { presetById } from '../core/model/presets';
import { INSTALL_COMMAND, PULL_COMMAND, type WebviewMessage } from '../protocol/messages';
import { type ApiKeyStore, WORKSPACE_MODEL_KEY } from './settings';
import type { SetupState } from './setupState';
import { chooseEmbedded } from './embeddedModel';

export type SetupAction = Extract<WebviewMessage, { type: 'setupAction' }>['action'];

export interface SetupActionDeps {
  setup: SetupState;
  keys: ApiKeyStore;
  log: vscode.LogOutputChannel;
  /** This workspace's picks (the model chosen for it). */
  choices: vscode.Memento;
  selectModel: () => Promise<unknown>;
  checkSetup: () => Promise<unknown>;
}

export async function runSetupAction(action: SetupAction, deps: SetupActionDeps): Promise<void> {
  switch (action) {
    case 'useLm':
      await useLanguageModels(deps);
      break;
    case 'findServer':
      await findServer(deps);
      break;
    case 'apiKey':
      await enterApiKey(deps);
      break;
    case 'useEmbedded':
      await chooseEmbedded(deps.choices, deps.log);
      break;
    case 'chooseModel':
      await deps.selectModel();
      break;
    case 'checkSetup':
      await deps.checkSetup();
      return;
    case 'copyPull':
    case 'copyInstall': {
      const command = action === 'copyPull' ? PULL_COMMAND : INSTALL_COMMAND;
      await vscode.env.clipboard.writeText(command);
      vscode.window.setStatusBarMessage(l10n.t('Copied: {0}', command), 4000);
      return;
    }
  }
  await deps.setup.reset();
}

/** Where inference runs is machine-wide; the workspace's model pick belonged to the old place. */
async function useServer(deps: SetupActionDeps, baseUrl: string): Promise<void> {
  const config = vscode.workspace.getConfiguration('stepwise');
  await config.update('provider', 'openai-compatible', vscode.ConfigurationTarget.Global);
  await config.update('baseUrl', baseUrl, vscode.ConfigurationTarget.Global);
  await deps.choices.update(WORKSPACE_MODEL_KEY, undefined);
}

async function useLanguageModels(deps: SetupActionDeps): Promise<void> {
  await deps.setup.sources.allowLm();
  const models = await vscode.lm.selectChatModels();
  if (!models.length) {
    void vscode.window.showWarningMessage(
      l10n.t('Stepwise: VS Code offers no language models. Install or sign in to an extension that provides them, such as GitHub Copilot.'),
    );
    return;
  }
  await vscode.workspace.getConfiguration('stepwise').update('provider', 'vscode-lm', vscode.ConfigurationTarget.Global);
  await deps.choices.update(WORKSPACE_MODEL_KEY, undefined);
  deps.log.info(`Using VS Code's language models (${models.map((m) => m.name).join(', ')}).`); // l10n-ignore: log line
  void vscode.window.showInformationMessage(
    l10n.t("Stepwise will use VS Code's language models, starting with {0}. Switch with the model bar in the sidebar.", models[0]!.name),
  );
}

async function findServer(deps: SetupActionDeps): Promise<void> {
  await deps.setup.sources.forget();
  const probes = await probeServers(localCandidates());
  const running = probes.filter((p) => p.outcome.kind === 'ok' && p.outcome.models.some(isChatModel));
  if (!running.length) {
    void vscode.window.showWarningMessage(
      l10n.t(
        'Stepwise found no local model server running (looked for {0}). Start one — with Ollama: `ollama serve`, then `{1}` — and look again.',
        describeProbes(probes),
        PULL_COMMAND,
      ),
    );
    return;
  }
  const chosen =
    running.length === 1
      ? running[0]
      : (
          await vscode.window.showQuickPick(
            running.map((p) => ({ label: p.label, description: hostOf(p.baseUrl), probe: p })),
            { title: l10n.t('Stepwise found several local servers: pick one') },
          )
        )?.probe;
  if (!chosen) return;
  await useServer(deps, chosen.baseUrl);
  deps.log.info(`Using ${chosen.label} at ${chosen.baseUrl}.`); // l10n-ignore: log line
  void vscode.window.showInformationMessage(l10n.t('Stepwise will use {0} at {1}.', chosen.label, hostOf(chosen.baseUrl)));
}

async function enterApiKey(deps: SetupActionDeps): Promise<void> {
  const openai = presetById('openai')!;
  const where = await vscode.window.showQuickPick(
    [
      { label: openai.label, description: openai.baseUrl, baseUrl: openai.baseUrl },
      { label: l10n.t('Another OpenAI-compatible service…'), description: l10n.t('enter its base URL'), baseUrl: '' },
    ],
    { title: l10n.t('Stepwise: which service is the key for?') },
  );
  if (!where) return;
  const baseUrl =
    where.baseUrl ||
    (
      await vscode.window.showInputBox({
        title: l10n.t('Stepwise: base URL of the service'),
        prompt: l10n.t('Usually ends in /v1, e.g. https://api.example.com/v1'),
        ignoreFocusOut: true,
        validateInput: (v) => (/^https?:\/\/[^/]/i.test(v.trim()) ? undefined : l10n.t('An http(s) URL, e.g. https://api.example.com/v1')),
      })
    )?.trim();
  if (!baseUrl) return;
  const key = await vscode.window.showInputBox({
    title: l10n.t('Stepwise: API key for {0}', where.baseUrl ? where.label : hostOf(baseUrl)),
    prompt: l10n.t("Stored in VS Code's secret storage, never in settings."),
    password: true,
    ignoreFocusOut: true,
  });
  if (!key?.trim()) return;
  await deps.keys.set(key.trim());
  await useServer(deps, baseUrl.replace(/\/+$/, ''));
  deps.log.info(`API key stored in secret storage for ${hostOf(baseUrl)}.`); // l10n-ignore: log line
  const pick = await vscode.window.showInformationMessage(l10n.t('Stepwise: key stored for {0}. Choose a model now?', hostOf(baseUrl)), l10n.t('Choose Model'));
  if (pick) await deps.selectModel();
}
