/**
 * The model a task runs on in VS Code: an OpenAI-compatible server (its window asked from the
 * server, its price from the catalog) or one of VS Code's language models (the provider states its
 * window). Problems come back as ModelErrors with what to do.
 */
import * as vscode from 'vscode';
import { describeBudgetStop, type BudgetStatus } from '../core/agent/taskBudget';
import type { ModelFacts } from '../core/model/catalog';
import type { ModelClient } from '../core/model/client';
import { ModelError } from '../core/model/errors';
import { baseUrlProblem } from '../core/model/baseUrl';
import { profileModel } from '../core/model/modelProfile';
import { firstChatModel } from '../core/model/chatModels';
import { OpenAIClient } from '../core/model/openaiClient';
import { ToolProtocolClient, type ProtocolMemory } from '../core/model/toolProtocolClient';
import { selectLmModel, VsCodeLmClient } from './lmClient';
import type { ApiKeyStore, StepwiseSettings } from './settings';

export interface ModelSetup {
  client: ModelClient;
  contextTokens: number;
  /** Off when the window is the one the server runs with (see AgentOptions.truncationCheck). */
  truncationCheck: boolean;
  facts?: ModelFacts;
  /** What must never reach the model, the panel or the log (the API key). */
  secrets: string[];
}

export async function setUpModel(
  settings: StepwiseSettings,
  keys: ApiKeyStore,
  log: vscode.LogOutputChannel,
  signal: AbortSignal,
  memory?: ProtocolMemory,
): Promise<ModelSetup> {
  if (settings.provider === 'vscode-lm') {
    const chat = await selectLmModel(settings.model || undefined);
    if (!chat) {
      throw new ModelError(
        'model_not_found',
        settings.model
          ? `VS Code offers no language model "${settings.model}". Pick one with Stepwise: Select Model.`
          : 'VS Code offers no language models: install or sign in to an extension that provides one, or set stepwise.provider to "openai-compatible".',
      );
    }
    const contextTokens = settings.contextWindow ?? chat.maxInputTokens;
    log.info(`Using ${chat.name} (${chat.vendor}) through VS Code's language-model API; context window ${contextTokens} tokens.`);
    return {
      client: new ToolProtocolClient(new VsCodeLmClient(chat), settings.toolProtocol, memory),
      contextTokens,
      truncationCheck: false,
      secrets: [process.env.OPENAI_API_KEY, process.env.STEPWISE_API_KEY].filter((k): k is string => Boolean(k)),
    };
  }

  const urlProblem = baseUrlProblem(settings.baseUrl, 'stepwise.baseUrl');
  if (urlProblem) throw new ModelError('bad_url', urlProblem);
  const apiKey = await keys.get();
  let model = settings.model;
  if (!model) {
    model = await firstChatModel(settings.baseUrl, apiKey, signal, 'Pick one with Stepwise: Select Model.');
    log.info(`Using model ${model}, the server's first chat model (choose another with Stepwise: Select Model).`);
  }
  const profile = await profileModel({ baseUrl: settings.baseUrl, model, apiKey, contextTokens: settings.contextWindow, signal });
  log.info(
    `Context window ${profile.contextTokens} tokens (${profile.contextSource}).${profile.facts?.inputPerMTok !== undefined ? ` Costs estimated from ${profile.facts.source}.` : ''}`,
  );
  if (settings.budget.costUsd !== undefined && profile.facts?.inputPerMTok === undefined) {
    const message = `stepwise.budget.usd cannot apply: ${model} has no published price${settings.budget.tokens ? '; stepwise.budget.tokens still applies' : '; set stepwise.budget.tokens to limit this task'}.`;
    log.warn(message);
    void vscode.window
      .showWarningMessage(`Stepwise: ${message}`, 'Open Settings')
      .then((p) => p && vscode.commands.executeCommand('workbench.action.openSettings', 'stepwise.budget'));
  }
  return {
    client: new ToolProtocolClient(new OpenAIClient({ baseUrl: settings.baseUrl, model, apiKey }), settings.toolProtocol, memory),
    contextTokens: profile.contextTokens,
    truncationCheck: !profile.windowCertain,
    ...(profile.facts ? { facts: profile.facts } : {}),
    // The stored key, and one VS Code itself may have in its environment (a task's ${env:…} could print it).
    secrets: [apiKey, process.env.OPENAI_API_KEY, process.env.STEPWISE_API_KEY].filter((k): k is string => Boolean(k)),
  };
}

/** At the task budget: a modal asks whether to continue for another budget's worth. */
export async function askBudget(status: BudgetStatus): Promise<boolean> {
  const pick = await vscode.window.showWarningMessage(
    `Stepwise reached the task budget of ${status.limit}.`,
    { modal: true, detail: `${describeBudgetStop(status)} Continue for another budget's worth, or stop here?` },
    'Continue',
  );
  return pick === 'Continue';
}
