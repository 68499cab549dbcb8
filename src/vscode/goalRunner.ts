/**
 * Runs one goal at a time in VS Code: settings and key → model → VsCodeHost → the core loop, with
 * its progress where the user looks (taskProgress.ts), every step in the log, and errors as
 * actionable notifications. In Restricted Mode only read tools are offered and changes are denied.
 */
import * as l10n from '@vscode/l10n';
import { mainArgument } from '../core/text/summaries';
import * as vscode from 'vscode';
import type { Approver } from '../core/agent/events';
import { runAgent, TaskControl, type AgentOptions, type AgentOutcome } from '../core/agent/loop';
import type { AgentEvent } from '../core/agent/events';
import type { CommandRules } from '../core/commands/ruleSet';
import { taskCommandRules } from './commandRules';
import type { ApprovalPolicy } from '../core/approval';
import { makeRedactor } from '../core/redact';
import { DEFAULT_LIMITS } from '../core/tools/limits';
import { defaultTools, type ToolRegistry } from '../core/tools/registry';
import type { McpService } from './mcpService';
import { vscodeApprover, vscodePlanApprover, type ApprovalSurface, type PendingApprovals } from './approvals';
import { TaskProgress } from './taskProgress';
import type { TaskRecorder } from './taskRecorder';
import type { CommandTerminal } from './commandTerminal';
import { notifyError } from './errorActions';
import type { ProtocolMemory } from '../core/model/toolProtocolClient';
import { logEvent } from './eventLog';
import { askBudget, setUpModel, type ModelSetup } from './modelSetup';
import type { ProposedContent } from './proposedContent';
import { readSettings, type ApiKeyStore, type StepwiseSettings } from './settings';
import type { ModelSource } from './modelSource';
import type { SetupState } from './setupState';
import { VsCodeHost } from './vscodeHost';
import { readUserInstructions } from '../core/context/userInstructions';
import type { Attachment } from '../core/context/attachments';
import type { ImagePart } from '../core/model/client';
import type { VsCodeCheckpoints } from './checkpoints';
import { WorkspaceRoots } from './workspaceRoots';

/** How one run differs from a goal typed into the palette or the sidebar (inline requests). */
export interface RunOptions {
  /** What the history shows instead of the full goal. */
  title?: string;
  /** false: no plan-first gate (an inline change is reviewed as a diff instead). */
  planFirst?: boolean;
  progress?: vscode.ProgressLocation;
  /** Adjusts the policy and the approver for this run. */
  approval?: (policy: ApprovalPolicy, approver: Approver) => { policy: ApprovalPolicy; approver: Approver; reviewPaths?: string[] };
  /** One line on what the agent is doing now. */
  onStatus?: (label: string) => void;
  /** What the user attached to the goal (the sidebar's `@` mentions, pasted images). */
  attachments?: Attachment[];
  images?: ImagePart[];
}

export interface GoalResult {
  status: AgentOutcome['status'];
  summary: string;
  /** The task's id, under which its checkpoints are restored (Stepwise: Restore to Checkpoint). */
  task?: string;
}

export class GoalRunner {
  private running: AbortController | undefined;
  private control: TaskControl | undefined;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly keys: ApiKeyStore,
    private readonly terminal: CommandTerminal,
    private readonly pending: PendingApprovals,
    private readonly proposed: ProposedContent,
    private readonly recorder: TaskRecorder,
    private readonly surface: ApprovalSurface,
    private readonly choices: vscode.Memento,
    private readonly protocols: ((server: string) => ProtocolMemory) | undefined,
    private readonly checkpoints: VsCodeCheckpoints | undefined,
    private readonly setup: SetupState,
    private readonly mcp?: McpService,
  ) {}

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** Compact the running task's context before its next request (the sidebar's Compact, /compact). */
  compact(): boolean {
    if (!this.control) return false;
    this.log.info('Compaction requested.'); // l10n-ignore: log line
    this.control.requestCompaction();
    return true;
  }

  stop(): boolean {
    if (!this.running) return false;
    this.log.info('Stop requested.'); // l10n-ignore: log line
    this.running.abort();
    return true;
  }

  async start(goal: string, options: RunOptions = {}): Promise<GoalResult | undefined> {
    if (this.running) {
      void vscode.window.showInformationMessage(l10n.t('A Stepwise task is already running.'), l10n.t('Stop')).then((pick) => pick && this.stop());
      return undefined;
    }
    if (!vscode.workspace.workspaceFolders?.length) {
      void vscode.window
        .showErrorMessage(l10n.t('Stepwise works on a folder: open a folder first.'), l10n.t('Open Folder'))
        .then((pick) => pick && vscode.commands.executeCommand('vscode.openFolder'));
      return undefined;
    }
    const controller = new AbortController();
    this.running = controller;
    this.control = new TaskControl();
    const settings = readSettings(this.choices);
    this.recorder.begin(options.title ?? goal, settings.maxSteps);
    await vscode.commands.executeCommand('setContext', 'stepwise.running', true);
    try {
      return await this.run(goal, settings, controller, options);
    } finally {
      this.running = undefined;
      this.control = undefined;
      this.recorder.end();
      await vscode.commands.executeCommand('setContext', 'stepwise.running', false);
    }
  }

  private async run(goal: string, settings: StepwiseSettings, controller: AbortController, options: RunOptions): Promise<GoalResult> {
    this.log.info(`Goal: ${goal}`);
    let commandRules: CommandRules;
    try {
      commandRules = taskCommandRules(settings);
    } catch (error) {
      return this.fail(error as Error);
    }
    const setup = await this.model(settings, controller.signal);
    if ('failed' in setup) return setup.failed;
    const agent = await this.agentOptions(goal, settings, setup, options, commandRules);
    // Inline runs stop with Escape or Stepwise: Stop; the others also from the notification shown while the sidebar is hidden.
    const progress = new TaskProgress(this.surface, () => controller.abort(), options.progress);
    const status = (label: string) => {
      progress.report(label);
      options.onStatus?.(label);
    };
    const onEvent = (event: AgentEvent) => {
      logEvent(this.log, event);
      this.recorder.record(event);
      if (event.type === 'tool_call') status(`${event.name} ${summarize(event.args)}`);
      if (event.type === 'plan') status(event.steps.find((s) => s.status === 'in_progress')?.title ?? l10n.t('planning'));
    };
    const outcome = await runAgent(goal, { ...agent, onEvent }, controller.signal).finally(() => progress.dispose());
    if (outcome.status === 'finished') void vscode.window.showInformationMessage(l10n.t('Stepwise finished: {0}', outcome.summary));
    else if (outcome.status === 'cancelled')
      this.log.info('Stopped by the user; the log above shows where.'); // l10n-ignore: log line
    else if (outcome.error) {
      notifyError(outcome.error); // already redacted by the loop
      // A model that refused (a key, VS Code's language-model access) shows the setup card again.
      await this.setup.failed(outcome.error, setup.source);
    } else void vscode.window.showWarningMessage(l10n.t('Stepwise stopped: {0}', outcome.summary), l10n.t('Show Log')).then((p) => p && this.log.show());
    return { status: outcome.status, summary: outcome.summary, ...(agent.checkpoints ? { task: outcome.taskId } : {}) };
  }

  /** The model client and its window; a failure is the goal's result (redacted: a server may echo the key). */
  private async model(settings: StepwiseSettings, signal: AbortSignal): Promise<ModelSetup | { failed: GoalResult }> {
    try {
      const deps = {
        sources: this.setup.sources,
        log: this.log,
        protocols: this.protocols,
        pick: (found: ModelSource[]) => this.setup.pick(found),
        embedded: this.setup.embedded,
      };
      const model = await setUpModel(settings, deps, signal);
      this.setup.succeeded(model);
      return model;
    } catch (error) {
      // l10n-ignore: the result the command returns to its caller, as the core's loop words it
      if (signal.aborted) return { failed: { status: 'cancelled', summary: 'Cancelled by the user.' } };
      const redact = makeRedactor([await Promise.resolve(this.keys.get()).catch(() => undefined)]);
      const failure = error instanceof Error ? error : new Error(String(error));
      failure.message = redact(failure.message);
      await this.setup.failed(failure);
      return { failed: this.fail(failure) };
    }
  }

  /** Tools, policy, approvers, protections and checkpoints for this task (Restricted Mode only reads). */
  private async agentOptions(
    goal: string,
    settings: StepwiseSettings,
    setup: ModelSetup,
    options: RunOptions,
    commandRules: CommandRules,
  ): Promise<Omit<AgentOptions, 'onEvent'>> {
    const trusted = vscode.workspace.isTrusted;
    const user = readUserInstructions(process.env, settings.instructions);
    const basePolicy: ApprovalPolicy = trusted ? settings.policy : { read: settings.policy.read, edit: 'deny', execute: 'deny' };
    if (!trusted) this.log.warn('Restricted Mode: Stepwise only reads in this workspace.'); // l10n-ignore: log line
    const roots = new WorkspaceRoots();
    const baseApprover = vscodeApprover(this.pending, this.proposed, roots, this.surface);
    const { policy, approver, reviewPaths } = options.approval?.(basePolicy, baseApprover) ?? { policy: basePolicy, approver: baseApprover };
    const planFirst = settings.planFirst && trusted && options.planFirst !== false;
    // Each folder's own .stepwiseignore and hooks folder protect its paths.
    const protectedPaths = await roots.protection();
    // Restricted Mode changes nothing, so it records nothing.
    const checkpoints = trusted && settings.checkpoints.enabled ? await this.checkpoints?.startTask(goal, settings.checkpoints.settings) : undefined;
    return {
      model: setup.client,
      host: new VsCodeHost(this.terminal),
      tools: trusted ? await this.taskTools(setup.contextTokens) : defaultTools().filter((t) => t.risk === 'read' || t.risk === 'none'),
      mcpAllow: settings.mcpAllow,
      policy,
      protectedPaths,
      commandRules,
      approver,
      ...(reviewPaths ? { reviewPaths } : {}),
      ...(planFirst ? { planApprover: vscodePlanApprover(this.pending, this.surface) } : {}),
      limits: { ...DEFAULT_LIMITS, commandTimeoutS: settings.commandTimeoutSeconds },
      maxSteps: settings.maxSteps,
      contextTokens: setup.contextTokens,
      truncationCheck: setup.truncationCheck,
      ...(setup.facts ? { modelFacts: setup.facts } : {}),
      taskBudget: settings.budget,
      web: settings.web,
      budgetApprover: askBudget,
      secrets: setup.secrets,
      context: {
        ...(user ? { userInstructions: user } : {}),
        ...(options.attachments?.length ? { attachments: options.attachments } : {}),
        ...(options.images?.length ? { images: options.images } : {}),
      },
      ...(checkpoints ? { checkpoints, onCheckpointFailure: askWithoutCheckpoints } : {}),
      ...(settings.compaction ? { compaction: settings.compaction } : {}),
      ...(this.control ? { control: this.control } : {}),
    };
  }

  /** The built-in tools and the MCP servers' (started, waited for at most their start time); one not ready is named. */
  private async taskTools(contextTokens: number): Promise<ToolRegistry> {
    const mcp = await this.mcp?.forTask(contextTokens);
    for (const { server, reason } of mcp?.notReady ?? []) {
      const show = l10n.t('MCP Servers');
      void vscode.window
        .showWarningMessage(l10n.t('MCP server {0} is not available ({1}); the task starts without it.', server, reason), show)
        .then((pick) => pick && vscode.commands.executeCommand('stepwise.mcpServers'));
    }
    return mcp?.hub ? defaultTools().with(mcp.hub) : defaultTools();
  }

  private fail(error: Error): GoalResult {
    this.log.error(error.message);
    this.recorder.record({ type: 'error', message: error.message });
    this.recorder.record({ type: 'done', status: 'failed', summary: error.message });
    notifyError(error);
    return { status: 'failed', summary: error.message };
  }
}

/** A checkpoint cannot be stored: the step waits until the user says whether to go on without. */
async function askWithoutCheckpoints(error: Error): Promise<boolean> {
  const go = l10n.t('Continue Without Checkpoints');
  const pick = await vscode.window.showWarningMessage(
    l10n.t('Stepwise cannot record a checkpoint before this step.'),
    { modal: true, detail: `${error.message}\n\n${l10n.t("Without checkpoints, this task's changes cannot be restored from Stepwise.")}` },
    go,
  );
  return pick === go;
}

function summarize(args: unknown): string {
  return typeof args === 'object' ? mainArgument(args, 80) : '';
}
