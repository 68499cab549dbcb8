/**
 * The model a task runs on in VS Code, from where it runs (modelSource.ts): an OpenAI-compatible
 * server (its window asked from the server, its price from the catalog) or one of VS Code's
 * language models (the provider states its window). Problems come back as ModelErrors with what to do.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { describeBudgetStop, type BudgetStatus } from '../core/agent/taskBudget';
import type { ModelFacts } from '../core/model/catalog';
import type { ModelClient } from '../core/model/client';
import { ModelError } from '../core/model/errors';
import { baseUrlProblem } from '../core/model/baseUrl';
import { profileModel } from '../core/model/modelProfile';
import { firstChatModel, pickChatModel } from '../core/model/chatModels';
import { OpenAIClient } from '../core/model/openaiClient';
import { ToolProtocolClient, type ProtocolMemory } from '../core/model/toolProtocolClient';
import * as path from 'node:path';
import type { EmbeddedModels } from './embeddedModel';
import { selectLmModel, VsCodeLmClient } from './lmClient';
import { type ModelSource, type ModelSources, whereItRuns } from './modelSource';
import type { StepwiseSettings } from './settings';

export interface ModelSetup {
  client: ModelClient;
  contextTokens: number;
  /** Off when the window is the one the server runs with (see AgentOptions.truncationCheck). */
  truncationCheck: boolean;
  facts?: ModelFacts;
  /** What must never reach the model, the panel or the log (the API key). */
  secrets: string[];
  /** Where it runs and how that was chosen (remembered when it was found). */
  source: ModelSource;
  /** For the model bar: "qwen2.5-coder:7b", "Ollama, local". */
  shown: { name: string; where: string };
}

export interface ModelSetupDeps {
  sources: ModelSources;
  log: vscode.LogOutputChannel;
  /** Which models needed the text protocol, per server. */
  protocols?: ((server: string) => ProtocolMemory) | undefined;
  /** Chooses among several sources found. */
  pick: (found: ModelSource[]) => Promise<ModelSource | undefined>;
  /** The embedded model, kept loaded between goals. */
  embedded: EmbeddedModels;
}

export async function setUpModel(settings: StepwiseSettings, deps: ModelSetupDeps, signal: AbortSignal): Promise<ModelSetup> {
  const source = await deps.sources.resolve(settings, signal, deps.pick);
  const setup =
    source.kind === 'vscode-lm'
      ? await lmSetup(settings, source, deps)
      : source.kind === 'embedded'
        ? await embeddedSetup(settings, source, deps, signal)
        : await serverSetup(settings, source, deps, signal);
  if (source.how === 'found') {
    const message = l10n.t(
      "Stepwise: using {0} ({1}), found running. Switch it in the Stepwise sidebar's model bar or with Stepwise: Select Model.",
      setup.shown.name,
      setup.shown.where,
    );
    deps.log.info(message);
    void vscode.window.showInformationMessage(message).then(undefined, () => undefined);
  }
  await deps.sources.remember(source, setup.shown.name);
  return setup;
}

/** A model VS Code offers: the one named (settings, then the one used last), else the first. */
async function lmSetup(settings: StepwiseSettings, source: Extract<ModelSource, { kind: 'vscode-lm' }>, deps: ModelSetupDeps): Promise<ModelSetup> {
  const chat = (await selectLmModel(settings.model || source.lastModel || undefined)) ?? (settings.model ? undefined : await selectLmModel(undefined));
  if (!chat) {
    throw new ModelError(
      'model_not_found',
      settings.model
        ? l10n.t('VS Code offers no language model "{0}". Pick one with Stepwise: Select Model.', settings.model)
        : l10n.t(
            'VS Code offers no language models: install or sign in to an extension that provides one (such as GitHub Copilot), or choose another way in the Stepwise sidebar.',
          ),
    );
  }
  const contextTokens = settings.contextWindow ?? chat.maxInputTokens;
  deps.log.info(`Using ${chat.name} (${chat.vendor}) through VS Code's language-model API; context window ${contextTokens} tokens.`); // l10n-ignore: log line
  return {
    client: new ToolProtocolClient(new VsCodeLmClient(chat), settings.toolProtocol, deps.protocols?.('vscode-lm')),
    contextTokens,
    truncationCheck: false,
    secrets: [process.env.OPENAI_API_KEY, process.env.STEPWISE_API_KEY].filter((k): k is string => Boolean(k)),
    source: { ...source, lastModel: chat.id },
    shown: { name: chat.name, where: whereItRuns(source, chat.vendor) },
  };
}

/** A GGUF model Stepwise runs itself: its window is the one its process allocated, so nothing is cut unseen. */
async function embeddedSetup(
  settings: StepwiseSettings,
  source: Extract<ModelSource, { kind: 'embedded' }>,
  deps: ModelSetupDeps,
  signal: AbortSignal,
): Promise<ModelSetup> {
  const model = await deps.embedded.model(source.modelFile, settings.contextWindow, deps.log, signal);
  return {
    client: model.client,
    contextTokens: model.loaded.contextTokens,
    truncationCheck: false,
    secrets: [process.env.OPENAI_API_KEY, process.env.STEPWISE_API_KEY].filter((k): k is string => Boolean(k)),
    source,
    shown: { name: path.basename(model.file), where: whereItRuns(source) },
  };
}

async function serverSetup(
  settings: StepwiseSettings,
  source: Extract<ModelSource, { kind: 'server' }>,
  deps: ModelSetupDeps,
  signal: AbortSignal,
): Promise<ModelSetup> {
  const { baseUrl, apiKey } = source;
  const urlProblem = baseUrlProblem(baseUrl, source.how === 'environment' ? 'OPENAI_BASE_URL' : 'stepwise.baseUrl');
  if (urlProblem) throw new ModelError('bad_url', urlProblem);
  const fixModel = l10n.t('Pick one with Stepwise: Select Model.');
  let model = settings.model || (source.lastModel && source.models?.includes(source.lastModel) ? source.lastModel : '');
  if (!model) {
    model = source.models ? pickChatModel(source.models, baseUrl, fixModel) : await firstChatModel(baseUrl, apiKey, signal, fixModel);
    deps.log.info(`Using model ${model}, the server's first chat model (choose another with Stepwise: Select Model).`); // l10n-ignore: log line
  }
  const profile = await profileModel({ baseUrl, model, apiKey, contextTokens: settings.contextWindow, signal });
  deps.log.info(
    // l10n-ignore: log line
    `Context window ${profile.contextTokens} tokens (${profile.contextSource}).${profile.facts?.inputPerMTok !== undefined ? ` Costs estimated from ${profile.facts.source}.` : ''}`,
  );
  if (settings.budget.costUsd !== undefined && profile.facts?.inputPerMTok === undefined) warnUnpriced(settings, model, deps.log);
  return {
    client: new ToolProtocolClient(
      new OpenAIClient({
        baseUrl,
        model,
        ...(apiKey ? { apiKey } : {}),
        ...(profile.server ? { server: profile.server } : {}),
        keepAlive: settings.ollamaKeepAlive,
      }),
      settings.toolProtocol,
      deps.protocols?.(baseUrl),
    ),
    contextTokens: profile.contextTokens,
    truncationCheck: !profile.windowCertain,
    ...(profile.facts ? { facts: profile.facts } : {}),
    // The key, and one VS Code itself may have in its environment (a task's ${env:…} could print it).
    secrets: [apiKey, process.env.OPENAI_API_KEY, process.env.STEPWISE_API_KEY].filter((k): k is string => Boolean(k)),
    source,
    shown: { name: model, where: whereItRuns(source) },
  };
}

function warnUnpriced(settings: StepwiseSettings, model: string, log: vscode.LogOutputChannel): void {
  const message = settings.budget.tokens
    ? l10n.t('stepwise.budget.usd cannot apply: {0} has no published price; stepwise.budget.tokens still applies.', model)
    : l10n.t('stepwise.budget.usd cannot apply: {0} has no published price; set stepwise.budget.tokens to limit this task.', model);
  log.warn(message);
  void vscode.window
    .showWarningMessage(`Stepwise: ${message}`, l10n.t('Open Settings'))
    .then((p) => p && vscode.commands.executeCommand('workbench.action.openSettings', 'stepwise.budget'));
}

/** At the task budget: a modal asks whether to continue for another budget's worth. */
export async function askBudget(status: BudgetStatus): Promise<boolean> {
  const go = l10n.t('Continue');
  const pick = await vscode.window.showWarningMessage(
    l10n.t('Stepwise reached the task budget of {0}.', status.limit),
    { modal: true, detail: l10n.t("{0} Continue for another budget's worth, or stop here?", describeBudgetStop(status)) },
    go,
  );
  return pick === go;
}
