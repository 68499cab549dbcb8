/** `stepwise run`: wires the core to a folder, a model server and the terminal. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { policyFromLevel } from '../core/approval';
import { runAgent } from '../core/agent/loop';
import { NodeHost } from '../core/host/nodeHost';
import { loadProtection } from '../core/host/workspaceProtection';
import { killAllProcessGroups } from '../core/host/processRunner';
import { isConfigurationError, ModelError } from '../core/model/errors';
import { DEFAULT_BASE_URL, OpenAIClient } from '../core/model/openaiClient';
import { DEFAULT_CONTEXT_SOURCE, profileModel } from '../core/model/modelProfile';
import { ToolProtocolClient } from '../core/model/toolProtocolClient';
import { DEFAULT_LIMITS } from '../core/tools/limits';
import { defaultTools } from '../core/tools/registry';
import { HELP, parseCommandLine, UsageError, type RunConfig } from './args';
import { humanRenderer, jsonRenderer } from './render';
import { fileProtocolMemory, stateFile } from './protocolMemory';
import { terminalApprover, terminalBudgetApprover } from './terminalApprover';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_CONFIG = 2;

export async function main(argv: string[], version: string): Promise<number> {
  let command;
  try {
    command = parseCommandLine(argv, process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`stepwise: ${error.message} (see stepwise --help)\n`);
    return EXIT_CONFIG;
  }
  if (command.kind === 'help') {
    process.stdout.write(`${HELP}\n`);
    return EXIT_OK;
  }
  if (command.kind === 'version') {
    process.stdout.write(`${version}\n`);
    return EXIT_OK;
  }
  return run(command.config);
}

async function run(config: RunConfig): Promise<number> {
  const workspace = path.resolve(config.workspace);
  if (!fs.existsSync(workspace) || !fs.statSync(workspace).isDirectory()) {
    process.stderr.write(`stepwise: the workspace "${config.workspace}" is not a folder.\n`);
    return EXIT_CONFIG;
  }
  const baseUrl = (config.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/i.test(baseUrl)) {
    process.stderr.write(`stepwise: --base-url must be an http(s) URL such as ${DEFAULT_BASE_URL}, not "${baseUrl}".\n`);
    return EXIT_CONFIG;
  }

  const controller = new AbortController();
  let interrupts = 0;
  // Ctrl+C stops the task (commands are killed with their children); a second one, or the
  // terminal closing / a kill, ends at once — after killing every command still running.
  const onSigint = () => {
    if (++interrupts > 1) return quitNow(130);
    process.stderr.write('\nStopping… (press Ctrl+C again to quit at once)\n');
    controller.abort();
  };
  const onTerminate = () => quitNow(143);
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onTerminate);
  process.on('SIGHUP', onTerminate);
  // Until the task ends, an unexpected exit (e.g. stdin closed at a prompt) is not a success.
  process.exitCode = EXIT_FAILED;
  try {
    const model = config.model ?? (await firstModel(baseUrl, config.apiKey, controller.signal));
    const noColor = Boolean(process.env.NO_COLOR);
    const color = !config.json && Boolean(process.stdout.isTTY) && !noColor;
    const onEvent = config.json
      ? jsonRenderer((line) => process.stdout.write(line))
      : humanRenderer(process.stdout, process.stderr, color);
    const interactive = Boolean(process.stdin.isTTY);
    const profile = await profileModel({ baseUrl, model, apiKey: config.apiKey, contextTokens: config.contextWindow, signal: controller.signal });
    if (config.contextWindow === undefined && profile.contextSource !== DEFAULT_CONTEXT_SOURCE) process.stderr.write(`stepwise: context window ${profile.contextTokens} tokens (${profile.contextSource})\n`);
    if (config.budgetUsd !== undefined && profile.facts?.inputPerMTok === undefined && config.budgetTokens === undefined) {
      // A budget that cannot be kept must not look like one that is.
      process.stderr.write(`stepwise: --budget-usd cannot apply: ${model} at ${baseUrl} has no published price; use --budget-tokens.\n`);
      return EXIT_CONFIG;
    }
    const taskBudget = { ...(config.budgetTokens ? { tokens: config.budgetTokens } : {}), ...(config.budgetUsd ? { costUsd: config.budgetUsd } : {}) };
    const outcome = await runAgent(
      config.goal,
      {
        model: new ToolProtocolClient(
          new OpenAIClient({ baseUrl, model, apiKey: config.apiKey }),
          config.toolProtocol,
          fileProtocolMemory(stateFile(process.env), baseUrl, (m) => process.stderr.write(`stepwise: ${m} writes its tool calls as text; later runs start in the text protocol (--tool-protocol overrides)\n`)),
        ),
        host: new NodeHost(workspace),
        tools: defaultTools(),
        policy: policyFromLevel(config.approve),
        protectedPaths: await loadProtection(workspace),
        ...(interactive ? { approver: terminalApprover(process.stdin, process.stderr, Boolean(process.stderr.isTTY) && !noColor) } : {}),
        limits: DEFAULT_LIMITS,
        maxSteps: config.maxSteps,
        contextTokens: profile.contextTokens,
        truncationCheck: !profile.windowCertain,
        ...(profile.facts ? { modelFacts: profile.facts } : {}),
        taskBudget,
        ...(interactive ? { budgetApprover: terminalBudgetApprover(process.stdin, process.stderr) } : {}),
        onEvent,
      },
      controller.signal,
    );
    // JSON mode keeps stdout for events; the error still gets its one line on stderr.
    if (config.json && outcome.error) process.stderr.write(`stepwise: ${outcome.error.message}\n`);
    if (outcome.status === 'finished') return EXIT_OK;
    return isConfigurationError(outcome.error) ? EXIT_CONFIG : EXIT_FAILED;
  } catch (error) {
    if (error instanceof ModelError) {
      process.stderr.write(`stepwise: ${error.message}\n`);
      return isConfigurationError(error) ? EXIT_CONFIG : EXIT_FAILED;
    }
    throw error;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onTerminate);
    process.off('SIGHUP', onTerminate);
  }
}

function quitNow(code: number): never {
  killAllProcessGroups();
  process.exit(code);
}

/** With no model named, use the server's first one (and say so). */
async function firstModel(baseUrl: string, apiKey: string | undefined, signal: AbortSignal): Promise<string> {
  const models = await new OpenAIClient({ baseUrl, model: '', apiKey }).listModels(signal);
  const first = models[0];
  if (!first) {
    throw new ModelError('model_not_found', `The server at ${baseUrl} lists no models. Pull or load one (e.g. \`ollama pull qwen2.5-coder\`), or pass --model.`);
  }
  process.stderr.write(`stepwise: using model ${first} (pass --model to choose another)\n`);
  return first;
}
