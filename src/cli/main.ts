/** `stepwise run`: wires the core to a folder, a model server and the terminal. */
import * as l10n from '@vscode/l10n';
import * as fs from 'node:fs';
import { policyFromLevel } from '../core/approval';
import { runAgent } from '../core/agent/loop';
import { chooseCliServer, chooseModel, choiceMessage, noServerMessage, rememberServer } from './serverChoice';
import { NodeHost } from '../core/host/nodeHost';
import { loadProtection } from '../core/host/workspaceProtection';
import { killAllProcessGroups } from '../core/host/processRunner';
import { isConfigurationError, ModelError } from '../core/model/errors';
import { modelClient } from './modelClient';
import { DEFAULT_CONTEXT_SOURCE, profileModel } from '../core/model/modelProfile';
import { DEFAULT_LIMITS } from '../core/tools/limits';
import { defaultTools } from '../core/tools/registry';
import { parseCommandLine, UsageError, type RunConfig } from './args';
import { help } from './help';
import { useCliLanguage } from './locale';
import { AttachError, askToAttach, attachUrls } from './userContext';
import type { TaskContextOptions } from '../core/context/taskContext';
import { doctor } from './doctor';
import { humanRenderer, jsonRenderer } from './render';
import { terminalApprover, terminalBudgetApprover } from './terminalApprover';
import { TerminalInput } from './terminalInput';
import { escapeControls } from '../core/text/controlChars';
import { newTaskId, type CheckpointPort } from '../core/checkpoints/port';
import { TaskCheckpoints, UnavailableCheckpoints } from '../core/checkpoints/recorder';
import { recoverRestores } from '../core/checkpoints/restoreApply';
import { WorkspaceCheckpoints } from '../core/checkpoints/store';
import type { CheckpointError, CheckpointSettings } from '../core/checkpoints/types';
import { megabytes } from '../core/checkpoints/entryState';
import { listCheckpoints, restoreCommand } from './checkpointCommands';
import { checkpointDir } from './userConfig';
import { EXIT_CONFIG, prepare, type Prepared } from './prepare';
import { type CliMcp, killMcpProcesses, startCliMcp } from './mcpSetup';

export { EXIT_CONFIG } from './prepare';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;

export async function main(argv: string[], version: string): Promise<number> {
  useCliLanguage(process.env);
  let command;
  try {
    command = parseCommandLine(argv, process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`stepwise: ${error.message} ${l10n.t('(see stepwise --help)')}\n`);
    return EXIT_CONFIG;
  }
  if (command.kind === 'help') {
    process.stdout.write(`${help()}\n`);
    return EXIT_OK;
  }
  if (command.kind === 'version') {
    process.stdout.write(`${version}\n`);
    return EXIT_OK;
  }
  if (command.kind === 'doctor') return doctor(command.config, { env: process.env, out: process.stdout, err: process.stderr });
  if (command.kind === 'checkpoints' || command.kind === 'restore') {
    const io = { env: process.env, out: process.stdout, err: process.stderr, ...(process.stdin.isTTY ? { input: process.stdin } : {}) };
    return command.kind === 'checkpoints' ? listCheckpoints(command.config, io) : restoreCommand(command.config, io);
  }
  return run(command.config);
}

/**
 * The task's checkpoints: a store that cannot be opened does not stop a task that only reads; its
 * first changing step asks (or, without a terminal, stops the task) instead.
 */
async function openCheckpoints(config: RunConfig, root: string, settings: CheckpointSettings, say: (m: string) => void): Promise<CheckpointPort | undefined> {
  if (!config.checkpoints) return undefined;
  const id = newTaskId();
  try {
    const store = (await WorkspaceCheckpoints.open(checkpointDir(process.env), root, settings))!;
    for (const r of await recoverRestores(store)) say(l10n.t('finished a restore that was cut off ({0} paths).', r.ops.length));
    const pruned = await store.prune().catch(() => undefined);
    if (pruned?.removedTasks)
      say(l10n.t("removed the checkpoints of {0} old task(s) ({1}) to stay within the store's limits.", pruned.removedTasks, megabytes(pruned.freedBytes)));
    return TaskCheckpoints.start(store, id, config.goal);
  } catch (error) {
    return new UnavailableCheckpoints(id, (error as Error).message);
  }
}

async function run(config: RunConfig): Promise<number> {
  const prepared = prepare(config);
  if (typeof prepared === 'number') return prepared;
  const controller = new AbortController();
  const watch = watchProcess(controller);
  // Until the task ends, an unexpected exit (e.g. stdin closed at a prompt) is not a success.
  process.exitCode = EXIT_FAILED;
  const terminal = process.stdin.isTTY ? new TerminalInput(process.stdin) : undefined;
  try {
    return await runTask(config, prepared, controller.signal, terminal, watch);
  } catch (error) {
    if (error instanceof ModelError) {
      if (error.kind === 'cancelled' && watch.outputGone) return EXIT_FAILED;
      prepared.say(error.message);
      return isConfigurationError(error) ? EXIT_CONFIG : EXIT_FAILED;
    }
    throw error;
  } finally {
    terminal?.close();
    watch.dispose();
  }
}

interface ProcessWatch {
  /** The reader of our output went away (`stepwise run --json … | head`). */
  readonly outputGone: boolean;
  dispose(): void;
}

/**
 * Ctrl+C stops the task (commands are killed with their children); a second one, or the terminal
 * closing / a kill, ends at once — after killing every command still running. A reader of our
 * output that goes away stops the task like Ctrl+C, quietly.
 */
function watchProcess(controller: AbortController): ProcessWatch {
  let interrupts = 0;
  let outputGone = false;
  const onSigint = () => {
    if (++interrupts > 1) return quitNow(130);
    process.stderr.write(`\n${l10n.t('Stopping… (press Ctrl+C again to quit at once)')}\n`);
    controller.abort();
  };
  const onTerminate = () => quitNow(143);
  const onOutputError = (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    outputGone = true;
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onTerminate);
  process.on('SIGHUP', onTerminate);
  process.stdout.on('error', onOutputError);
  process.stderr.on('error', onOutputError);
  return {
    get outputGone() {
      return outputGone;
    },
    dispose() {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onTerminate);
      process.off('SIGHUP', onTerminate);
    },
  };
}

/** The MCP servers start while the model is found; they are stopped when the task ends, however it ends. */
async function runTask(config: RunConfig, p: Prepared, signal: AbortSignal, terminal: TerminalInput | undefined, watch: ProcessWatch): Promise<number> {
  const host = new NodeHost(p.workspace);
  // Looked for (and started) while the model server is found: neither waits for the other.
  const mcp = startCliMcp(p.mcp, { host, workspace: p.workspace, trustWorkspace: config.trustWorkspaceMcp, say: p.say });
  mcp.catch(() => undefined); // handled where it is awaited; not an unhandled rejection meanwhile
  try {
    return await runWithModel(config, p, { host, mcp, signal, terminal, watch });
  } finally {
    await (await mcp.catch(() => undefined))?.hub.dispose();
  }
}

interface RunParts {
  host: NodeHost;
  mcp: Promise<CliMcp | undefined>;
  signal: AbortSignal;
  terminal: TerminalInput | undefined;
  watch: ProcessWatch;
}

/** The model, its window, the checkpoints and the approvers for this run; then the task itself. */
async function runWithModel(config: RunConfig, p: Prepared, parts: RunParts): Promise<number> {
  const { say } = p;
  const { signal, terminal, watch } = parts;
  const server = await chooseCliServer(p.baseUrl, p.apiKey, process.env, signal);
  if ('none' in server) {
    say(noServerMessage(server.none));
    return EXIT_CONFIG;
  }
  const { baseUrl, apiKey } = server;
  const model = await chooseModel(config.model, server, signal);
  if (server.how !== 'configured') say(choiceMessage(server, model));
  await rememberServer(process.env, server, model);
  const { render, noColor } = renderer(config);
  const profile = await profileModel({ baseUrl, model, apiKey, contextTokens: config.contextWindow, signal });
  if (config.contextWindow === undefined && profile.contextSource !== DEFAULT_CONTEXT_SOURCE)
    say(l10n.t('context window {0} tokens ({1})', profile.contextTokens, profile.contextSource));
  if (config.budgetUsd !== undefined && profile.facts?.inputPerMTok === undefined && config.budgetTokens === undefined) {
    // A budget that cannot be kept must not look like one that is.
    say(l10n.t('--budget-usd cannot apply: {0} at {1} has no published price; use --budget-tokens.', model, baseUrl));
    return EXIT_CONFIG;
  }
  const context = await withPages(p, p.web.allowLocal, signal);
  if (typeof context === 'number') return context;
  const checkpoints = await openCheckpoints(config, fs.realpathSync(p.workspace), p.settings, say);
  const taskBudget = { ...(config.budgetTokens ? { tokens: config.budgetTokens } : {}), ...(config.budgetUsd ? { costUsd: config.budgetUsd } : {}) };
  const mcp = await parts.mcp;
  await mcp?.ready(profile.contextTokens);
  const outcome = await runAgent(
    config.goal,
    {
      model: modelClient(config, baseUrl, model, apiKey, profile.server, say),
      host: parts.host,
      tools: mcp ? defaultTools().with(mcp.hub) : defaultTools(),
      mcpAllow: p.mcp.allow,
      policy: policyFromLevel(config.approve),
      protectedPaths: await loadProtection(p.workspace),
      commandRules: p.commandRules,
      ...(terminal ? { approver: terminalApprover(terminal, process.stderr, Boolean(process.stderr.isTTY) && !noColor) } : {}),
      limits: DEFAULT_LIMITS,
      maxSteps: config.maxSteps,
      contextTokens: profile.contextTokens,
      truncationCheck: !profile.windowCertain,
      ...(profile.facts ? { modelFacts: profile.facts } : {}),
      taskBudget,
      ...(terminal ? { budgetApprover: terminalBudgetApprover(terminal, process.stderr) } : {}),
      onEvent: (event) => watch.outputGone || render(event),
      secrets: [apiKey],
      ...(checkpoints ? { checkpoints, onCheckpointFailure: withoutCheckpoints(terminal) } : {}),
      context: { ...context, ...(terminal ? { allowPrivateMention: askToAttach(terminal, signal) } : {}) },
      ...(config.compaction ? { compaction: config.compaction } : {}),
      web: p.web,
    },
    signal,
  );
  // JSON mode keeps stdout for events; the error still gets its one line on stderr.
  if (config.json && outcome.error && !watch.outputGone) say(outcome.error.message);
  if (outcome.status === 'finished') return EXIT_OK;
  return isConfigurationError(outcome.error) ? EXIT_CONFIG : EXIT_FAILED;
}

/** JSON events or the human transcript (coloured on a terminal unless NO_COLOR). */
function renderer(config: RunConfig) {
  const noColor = Boolean(process.env.NO_COLOR);
  const color = !config.json && Boolean(process.stdout.isTTY) && !noColor;
  const render = config.json ? jsonRenderer((line) => process.stdout.write(line)) : humanRenderer(process.stdout, process.stderr, color);
  return { render, noColor };
}

/** The context with the --attach URLs' pages; a page that cannot be fetched is a configuration error. */
async function withPages(p: Prepared, allowLocal: boolean, signal: AbortSignal): Promise<TaskContextOptions | number> {
  try {
    const pages = await attachUrls(p.urls, allowLocal, signal);
    return pages.length ? { ...p.context, attachments: [...(p.context.attachments ?? []), ...pages] } : p.context;
  } catch (error) {
    if (!(error instanceof AttachError)) throw error;
    p.say(error.message);
    return EXIT_CONFIG;
  }
}

/** A checkpoint cannot be stored: on a terminal the user may go on without; otherwise the step is not run. */
function withoutCheckpoints(terminal: TerminalInput | undefined) {
  return async (error: CheckpointError, signal: AbortSignal): Promise<boolean> => {
    if (terminal) {
      const answer = await terminal
        .ask(process.stderr, `\n${escapeControls(error.message)}\n${l10n.t('Run this step and the rest of the task without checkpoints?')} (y/N) `, signal)
        .catch(() => 'n');
      if (/^(y|yes)$/i.test(answer.trim())) return true;
    }
    error.message = `${error.message} ${l10n.t('The step was not run; pass --no-checkpoints to run without checkpoints.')}`;
    return false;
  };
}

function quitNow(code: number): never {
  killAllProcessGroups();
  killMcpProcesses();
  process.exit(code);
}
