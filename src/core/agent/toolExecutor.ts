/**
 * Runs one tool call: validate (a malformed call becomes an error for the model, never a crash),
 * guard against the same call repeated, approve, run, cap the output, report.
 * Mutating host methods are unreachable for a tool until its step was approved.
 */
import * as l10n from '@vscode/l10n';
import { capText } from '../caps';
import { HostError, PathError, StaleFileError, type Host } from '../host/host';
import type { ToolCall } from '../model/client';
import type { ApprovalOutcome, LoopEffect } from '../contracts';
import { deniedResult, parseArguments, type Tool, type ToolContext, type ToolResult, type WebAccess } from '../tools/defineTool';
import type { Limits } from '../tools/limits';
import type { ToolRegistry } from '../tools/registry';
import type { ApprovalGate } from './approvalGate';
import type { EventSink } from './events';
import { PlanGate } from './planGate';
import type { CheckpointPort, CheckpointScope, StepInfo } from '../checkpoints/port';
import { CheckpointError } from '../checkpoints/types';
import { checkCommand } from '../commands/commandCheck';
import { workspaceFacts } from '../commands/workspaceFacts';
import type { ProjectInstructions } from '../context/projectInstructions';
import { nearbyText } from '../context/taskContext';

/** Asked when a checkpoint cannot be stored: true runs the rest of the task without checkpoints. */
export type CheckpointFailureHandler = (error: CheckpointError, signal: AbortSignal) => Promise<boolean>;

/** A call's result as the loop gets it. */
export interface ExecutedCall extends ToolResult {
  effects: LoopEffect[];
}

/** Identical calls in a row before the next one is refused instead of run. */
const REPEAT_LIMIT = 3;

export class ToolExecutor {
  /** The model is known to take images (the catalog says so): tools may return them. */
  acceptsImages = false;
  private lastKey = '';
  private repeats = 0;
  /** Tool calls so far in the task: the `step` of a checkpoint. */
  private calls = 0;
  private readonly checkpointed = new Set<number>();
  /** Paths the task changed so far (for script runners' rules); undefined once a command ran unwatched. */
  private changed: string[] | undefined = [];
  private nearby: ProjectInstructions | undefined;

  constructor(
    private readonly tools: ToolRegistry,
    private readonly host: Host,
    private readonly gate: ApprovalGate,
    private readonly limits: Limits,
    private readonly emit: EventSink,
    private readonly plan: PlanGate = new PlanGate(undefined),
    private checkpoints?: CheckpointPort,
    private readonly onCheckpointFailure?: CheckpointFailureHandler,
    private readonly web: WebAccess = { allowedHosts: [], allowLocal: false },
  ) {}

  /** Runs the call; its loop effects (a plan, the end of the task) come back for the loop to apply, when it succeeded. */
  async execute(call: ToolCall, signal: AbortSignal): Promise<ExecutedCall> {
    const step = ++this.calls;
    const effects: LoopEffect[] = [];
    const result = await this.run(call, step, signal, effects);
    const output = capText(result.output, this.limits.maxOutputChars);
    this.emit({ type: 'tool_result', id: call.id, ok: result.ok, output });
    const nearby = result.ok ? await this.instructionsNear(call) : '';
    return { ok: result.ok, output: output + nearby, effects: result.ok ? effects : [], ...(result.images?.length ? { images: result.images } : {}) };
  }

  isPrivate(path: string): boolean {
    return this.gate.isPrivate(path);
  }

  /** From now on, an AGENTS.md near what a step reads, lists or edits is added after its result. */
  addNearby(instructions: ProjectInstructions): void {
    this.nearby = instructions;
  }

  private async instructionsNear(call: ToolCall): Promise<string> {
    const tool = this.tools.get(call.name);
    const parsed = this.nearby && tool && (tool.risk === 'read' || tool.risk === 'edit') ? parseArguments(tool, call.arguments) : undefined;
    const target = parsed?.ok ? readTarget(parsed.args) : undefined;
    if (!this.nearby || target === undefined) return '';
    try {
      const path = await this.host.resolve(target);
      const folder = (await this.host.stat(path))?.type === 'directory';
      const found = await this.nearby.near(path, folder);
      if (found.files.length || found.skipped.length) {
        this.emit({ type: 'context', instructions: found.files.map((f) => f.path), attachments: [], skipped: found.skipped });
      }
      return nearbyText(found);
    } catch {
      return ''; // a path that cannot be resolved has no instructions near it
    }
  }

  private async run(call: ToolCall, step: number, signal: AbortSignal, effects: LoopEffect[]): Promise<ToolResult> {
    const tool = this.tools.get(call.name);
    const parsed = tool ? parseArguments(tool, call.arguments) : undefined;
    this.emit({ type: 'tool_call', id: call.id, name: call.name, args: parsed?.ok ? parsed.args : call.arguments });
    if (!tool || !parsed) {
      // l10n-ignore: tool result for the model
      return { ok: false, output: `There is no tool named "${call.name}". Available tools: ${this.tools.names().join(', ')}.` };
    }
    if (!parsed.ok) return { ok: false, output: parsed.error };
    const repeated = this.repeated(call.name, parsed.args, tool.risk);
    if (repeated) return repeated;
    try {
      if (tool.risk === 'read') {
        const outcome = await this.approveRead(call, parsed.args, signal);
        if (!outcome.approved) return deniedResult(outcome);
      }
      return await tool.run(parsed.args, this.context({ step, tool: call.name, toolCallId: call.id }, signal, effects));
    } catch (error) {
      if (error instanceof CheckpointError) throw error;
      if (error instanceof PathError || error instanceof HostError || error instanceof StaleFileError) {
        return { ok: false, output: error.message };
      }
      return { ok: false, output: `${call.name} failed: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  /** The same call a few times in a row is refused rather than run again (reads and plans excepted). */
  private repeated(name: string, args: unknown, risk: Tool['risk']): ToolResult | undefined {
    const key = `${name}\u0000${JSON.stringify(args)}`;
    this.repeats = key === this.lastKey ? this.repeats + 1 : 1;
    this.lastKey = key;
    if (this.repeats < REPEAT_LIMIT || risk === 'none') return undefined;
    return {
      ok: false,
      // l10n-ignore: tool result for the model
      output: `You have made this exact ${name} call ${this.repeats} times in a row; it was not run again. Use what you already have, try something different, or call finish.`,
    };
  }

  /** The path a read names, resolved: a file listed in .stepwiseignore is asked even when reads run by themselves. */
  private async approveRead(call: ToolCall, args: unknown, signal: AbortSignal): Promise<ApprovalOutcome> {
    const summary = summarizeArgs(args);
    const target = readTarget(args);
    const paths = target === undefined ? [] : [await this.host.resolve(target)];
    return this.gate.approveRead({ tool: call.name, risk: 'read', title: `${call.name}${summary ? ` ${summary}` : ''}`, paths }, call.id, signal);
  }

  /** What a tool works through: the host (its changes unreachable until the step is approved), the gate, the plan. */
  private context(info: StepInfo, signal: AbortSignal, effects: LoopEffect[]): ToolContext {
    let approved = false;
    const checkpointed: CheckpointedAction = (scope, action) => this.withCheckpoint(info, scope, action, signal);
    return {
      host: gatedHost(this.host, () => approved, signal, checkpointed),
      signal,
      limits: this.limits,
      acceptsImages: this.acceptsImages,
      isPrivate: (path) => this.gate.isPrivate(path),
      checkCommand: (text) =>
        checkCommand(text, { rules: this.gate.commandRules, workspace: workspaceFacts(this.host, this.gate.protection), changed: this.changed }),
      hasPrivateRules: this.gate.hasPrivateRules,
      reviewPlan: (steps) => this.plan.review(steps, signal),
      approve: async (step) => {
        // More of a read (search results in private files) is asked like a read, not gated by the plan.
        if (step.risk === 'read') return this.gate.approveRead(step, info.toolCallId, signal);
        // A fetch changes nothing in the workspace: plan-first does not hold it.
        if (!this.plan.open && step.host === undefined) {
          // l10n-ignore: denial reason for the model
          return { approved: false, reason: 'Changes wait for an approved plan: call update_plan with your plan first. Nothing was run.' };
        }
        const outcome = await this.gate.approve(step, info.toolCallId, signal);
        approved = outcome.approved;
        return outcome;
      },
      onOutput: (chunk) => this.emit({ type: 'tool_output', id: info.toolCallId, chunk }),
      web: this.web,
      effect: (effect) => effects.push(effect),
    };
  }

  /** Records a checkpoint before a change and what changed after it; a store that fails stops the step unless the user goes on without. */
  private async withCheckpoint<T>(info: StepInfo, scope: CheckpointScope, action: () => Promise<T>, signal: AbortSignal): Promise<T> {
    const port = this.checkpoints;
    if (!port) {
      try {
        return await action();
      } finally {
        await this.noteChanges(scope, undefined);
      }
    }
    try {
      const skipped = await port.before(info, scope);
      if (!this.checkpointed.has(info.step)) {
        this.checkpointed.add(info.step);
        this.emit({ type: 'checkpoint', task: port.taskId, step: info.step, id: info.toolCallId, tool: info.tool, ...(skipped.length ? { skipped } : {}) });
      }
    } catch (error) {
      const failure =
        error instanceof CheckpointError ? error : new CheckpointError(l10n.t('The checkpoint could not be stored ({0}).', (error as Error).message));
      if (!(await this.onCheckpointFailure?.(failure, signal))) throw failure;
      this.checkpoints = undefined;
      return this.withCheckpoint(info, scope, action, signal);
    }
    try {
      return await action();
    } finally {
      // A failure to record the after-state leaves the before-state, which is what a restore needs.
      await this.noteChanges(scope, await port.after(info.step).catch(() => undefined));
    }
  }

  private async noteChanges(scope: CheckpointScope, reported: string[] | undefined): Promise<void> {
    if (this.changed === undefined) return;
    if (reported) this.changed.push(...reported);
    else if (scope.kind === 'files') this.changed.push(...(await Promise.all(scope.paths.map((p) => this.host.resolve(p).catch(() => p)))));
    else this.changed = undefined;
  }
}

export interface CheckpointedAction {
  <T>(scope: CheckpointScope, action: () => Promise<T>): Promise<T>;
}

function summarizeArgs(args: unknown): string {
  const a = (args ?? {}) as Record<string, unknown>;
  const main = a.path ?? a.query;
  return typeof main === 'string' ? main : '';
}

/** The path a read tool looks at ('' = the workspace root), or undefined when it names none. */
function readTarget(args: unknown): string | undefined {
  const a = (args ?? {}) as Record<string, unknown>;
  if (typeof a.path === 'string') return a.path;
  return 'query' in a || 'recursive' in a || Object.keys(a).length === 0 ? '' : undefined;
}

/** The host as a tool sees it: writes and processes only after the step's approval, and never after Stop. */
function gatedHost(host: Host, isApproved: () => boolean, signal: AbortSignal, checkpointed: CheckpointedAction): Host {
  const guard = <T>(name: string, action: () => Promise<T>): Promise<T> => {
    if (signal.aborted) return Promise.reject(new HostError('The task was cancelled; nothing was run.')); // l10n-ignore: tool result for the model
    if (!isApproved()) return Promise.reject(new Error(`${name} was attempted without an approved step`)); // l10n-ignore: internal guard, a tool result
    return action();
  };
  return {
    name: host.name,
    resolve: (p) => host.resolve(p),
    stat: (p) => host.stat(p),
    readFile: (p, max) => host.readFile(p, max),
    readLines: (p, s, e, sig) => host.readLines(p, s, e, sig),
    listFiles: (p, o) => host.listFiles(p, o),
    search: (o) => host.search(o),
    getDiagnostics: (p) => host.getDiagnostics(p),
    describeTask: (n) => host.describeTask(n),
    ...(host.newProblems ? { newProblems: (p: string) => host.newProblems!(p) } : {}),
    writeFile: (p, t, v) => guard('writeFile', () => checkpointed({ kind: 'files', paths: [p] }, () => host.writeFile(p, t, v))),
    runCommand: (c, o) => guard('runCommand', () => checkpointed({ kind: 'workspace' }, () => host.runCommand(c, o))),
    runTask: (n, o) => guard('runTask', () => checkpointed({ kind: 'workspace' }, () => host.runTask(n, o))),
  };
}
