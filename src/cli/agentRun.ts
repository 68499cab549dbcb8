/** The task itself, once the model is chosen: checkpoints, approvers, the loop, the exit code. */
import * as l10n from '@vscode/l10n';
import * as fs from 'node:fs';
import { policyFromLevel } from '../core/approval';
import { runAgent } from '../core/agent/loop';
import type { NodeHost } from '../core/host/nodeHost';
import { loadProtection } from '../core/host/workspaceProtection';
import { isConfigurationError } from '../core/model/errors';
import type { ModelClient } from '../core/model/client';
import type { ModelFacts } from '../core/model/catalog';
import { DEFAULT_LIMITS } from '../core/tools/limits';
import { defaultTools } from '../core/tools/registry';
import type { RunConfig } from './args';
import { AttachError, askToAttach, attachUrls } from './userContext';
import type { TaskContextOptions } from '../core/context/taskContext';
import { humanRenderer, jsonRenderer } from './render';
import { terminalApprover, terminalBudgetApprover } from './terminalApprover';
import type { TerminalInput } from './terminalInput';
import { escapeControls } from '../core/text/controlChars';
import { newTaskId, type CheckpointPort } from '../core/checkpoints/port';
import { TaskCheckpoints, UnavailableCheckpoints } from '../core/checkpoints/recorder';
import { recoverRestores } from '../core/checkpoints/restoreApply';
import { WorkspaceCheckpoints } from '../core/checkpoints/store';
import type { CheckpointError, CheckpointSettings } from '../core/checkpoints/types';
import { megabytes } from '../core/checkpoints/entryState';
import { checkpointDir } from './userConfig';
import { EXIT_CONFIG, type Prepared } from './prepare';
import type { CliMcp } from './mcpSetup';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;

/** The model a task runs with and what the loop must know of it. */
export interface ModelSetup {
  client: ModelClient;
  contextTokens: number;
  /** The window is not known for certain: the loop checks the server's prompt counts. */
  truncationCheck: boolean;
  facts?: ModelFacts;
  apiKey: string | undefined;
  /** Frees what the model holds (the embedded model's process). */
  dispose?: () => void;
}

export interface ProcessWatch {
  /** The reader of our output went away (`stepwise run --json … | head`). */
  readonly outputGone: boolean;
  dispose(): void;
}

export interface RunParts {
  host: NodeHost;
  mcp: Promise<CliMcp | undefined>;
  signal: AbortSignal;
  terminal: TerminalInput | undefined;
  watch: ProcessWatch;
}

export async function runAgentTask(config: RunConfig, p: Prepared, parts: RunParts, setup: ModelSetup): Promise<number> {
  const { say } = p;
  const { signal, terminal, watch } = parts;
  const { render, noColor } = renderer(config);
  const context = await withPages(p, p.web.allowLocal, signal);
  if (typeof context === 'number') return context;
  const checkpoints = await openCheckpoints(config, fs.realpathSync(p.workspace), p.settings, say);
  const taskBudget = { ...(config.budgetTokens ? { tokens: config.budgetTokens } : {}), ...(config.budgetUsd ? { costUsd: config.budgetUsd } : {}) };
  const mcp = await parts.mcp;
  await mcp?.ready(setup.contextTokens);
  const outcome = await runAgent(
    config.goal,
    {
      model: setup.client,
      host: parts.host,
      tools: mcp ? defaultTools().with(mcp.hub) : defaultTools(),
      mcpAllow: p.mcp.allow,
      policy: policyFromLevel(config.approve),
      protectedPaths: await loadProtection(p.workspace),
      commandRules: p.commandRules,
      ...(terminal ? { approver: terminalApprover(terminal, process.stderr, Boolean(process.stderr.isTTY) && !noColor) } : {}),
      limits: DEFAULT_LIMITS,
      maxSteps: config.maxSteps,
      contextTokens: setup.contextTokens,
      truncationCheck: setup.truncationCheck,
      ...(setup.facts ? { modelFacts: setup.facts } : {}),
      taskBudget,
      ...(terminal ? { budgetApprover: terminalBudgetApprover(terminal, process.stderr) } : {}),
      onEvent: (event) => watch.outputGone || render(event),
      secrets: [setup.apiKey],
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
