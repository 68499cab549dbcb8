/**
 * The agent loop: plan → act → observe, with a human in it.
 * build the request (within the budget) → stream the answer → run each tool call (validated,
 * approved) → append the observations → repeat until finish, cancellation, or a limit.
 */
import * as l10n from '@vscode/l10n';
import { ProtectedPaths, type ApprovalPolicy, type PathProtection } from '../approval';
import type { Host } from '../host/host';
import type { ModelClient, ToolCall } from '../model/client';
import { ModelError, noVisionError } from '../model/errors';
import type { Limits } from '../tools/limits';
import type { ToolRegistry } from '../tools/registry';
import type { ImagePart } from '../model/client';
import { ApprovalGate } from './approvalGate';
import type { CommandRules } from '../commands/ruleSet';
import { costOf, type ModelFacts } from '../model/catalog';
import { ContextBudgetError, currentTools, estimateTokens, imageTokens, requestTokens, windowBudget } from './budget';
import type { CompactionMethod } from './compaction';
import { contextFor } from './contextPolicy';
import type { TaskControl } from './taskControl';
import type { WebAccess } from '../tools/defineTool';
import { McpAllowList } from '../mcp/allowList';
import type { Approver, DoneStatus, EventSink, TaskUsage } from './events';
import { modelTurn, recordUsage } from './modelTurn';
import { PlanGate, type PlanApprover } from './planGate';
import { Session } from './session';
import { TaskBudgetGuard, type BudgetApprover, type TaskBudget } from './taskBudget';
import { ToolExecutor, type CheckpointFailureHandler } from './toolExecutor';
import { newTaskId, type CheckpointPort } from '../checkpoints/port';
import { CheckpointError } from '../checkpoints/types';
import { checkTruncation } from './truncation';
import { startContext, type TaskContextOptions } from '../context/taskContext';
import { makeRedactor, redactDeep } from '../redact';

/** Answers cut at the output limit in a row before the task stops. */
const MAX_CUTS = 2;

export interface AgentOptions {
  model: ModelClient;
  host: Host;
  tools: ToolRegistry;
  policy: ApprovalPolicy;
  protectedPaths?: PathProtection;
  /** Asked for steps the policy does not allow by itself; absent = such steps are denied. */
  approver?: Approver;
  /** Paths whose edits are always asked, whatever standing answers ("always", "the next N") say. */
  reviewPaths?: string[];
  /** Which commands run without asking and which never run (default: the built-in read-only list). */
  commandRules?: CommandRules;
  /** Plan first: the first plan is shown here before any edit or command may run. */
  planApprover?: PlanApprover;
  limits: Limits;
  maxSteps: number;
  /** The model's context window in tokens. */
  contextTokens: number;
  /**
   * Stop when the server reports far fewer prompt tokens than were sent (default on). Off when the
   * window is the one the server runs with: then nothing can be cut, and a server that counts only
   * uncached tokens must not look like one that truncates.
   */
  truncationCheck?: boolean;
  /** Price and window of a hosted model, for the cost line and a cost budget. */
  modelFacts?: ModelFacts;
  /** Tokens or cost for the whole task; before going over, budgetApprover is asked (absent = stop). */
  taskBudget?: TaskBudget;
  budgetApprover?: BudgetApprover;
  onEvent?: EventSink;
  /** Values that must never reach the model, the events or a log (the API key). */
  secrets?: readonly (string | undefined)[];
  /** The task's id (in `checkpoint` and `done` events); default: the checkpoints' task, else a new one. */
  taskId?: string;
  /** Records a checkpoint before each step that may change files; absent = none. */
  checkpoints?: CheckpointPort;
  /** Asked when a checkpoint cannot be stored; absent or false = the step does not run and the task stops. */
  onCheckpointFailure?: CheckpointFailureHandler;
  /** The user's instructions and attachments (the project's instructions and machine facts are found here). */
  context?: TaskContextOptions;
  /** How older turns are summarised near the window (default: the model's summary from a 16k window up, else mechanical). */
  compaction?: CompactionMethod;
  /** What the UI may ask of a running task between steps (compact now). */
  control?: TaskControl;
  /** Hosts web_fetch reaches without asking, and whether it may reach local addresses. */
  web?: WebAccess;
  /** MCP servers (`SERVER`) and tools (`SERVER/TOOL`) that run without asking. */
  mcpAllow?: readonly string[];
}

export { TaskControl } from './taskControl';

export interface AgentOutcome {
  status: DoneStatus;
  summary: string;
  /** The error that ended the run, when one did. */
  error?: Error;
  session: Session;
  /** The task's id (its checkpoints are listed and restored under it). */
  taskId: string;
}

function redactError(error: Error, redact: (text: string) => string): Error {
  const message = redact(error.message);
  if (message !== error.message) error.message = message;
  return error;
}

export async function runAgent(goal: string, options: AgentOptions, signal: AbortSignal): Promise<AgentOutcome> {
  const redact = makeRedactor(options.secrets ?? []);
  const sink = options.onEvent;
  // Every event leaves redacted: a tool output or a server's error may carry the key.
  const emit: EventSink = sink ? (event) => sink(redactDeep(event, redact)) : () => {};
  const executor = buildExecutor(options, emit);
  const session = await beginSession(goal, options, executor, emit);
  const taskId = options.taskId ?? options.checkpoints?.taskId ?? newTaskId();
  let tools = options.tools.specs();
  const budget = windowBudget(options.contextTokens, tools);
  const cost = (prompt: number, completion: number) => costOf(options.modelFacts, prompt, completion);
  const guard = new TaskBudgetGuard(options.taskBudget, options.modelFacts, options.budgetApprover);
  const end = ender(session, taskId, emit, redact, cost);
  const context = contextFor(options, session, budget, guard, emit);
  let nudged = false;
  let cuts = 0;

  try {
    refuseImagesIfBlind(options, session);
    for (;;) {
      if (signal.aborted) return end('cancelled', l10n.t('Cancelled by the user.'));
      if (session.step >= options.maxSteps) return end('max_steps', l10n.t('Stopped after {0} steps without finishing.', options.maxSteps));
      session.step++;
      emit({ type: 'step', step: session.step, maxSteps: options.maxSteps });

      tools = currentTools(options.tools, tools, budget);
      const messages = await context.messages(signal);
      const sent = requestTokens(messages, budget.toolTokens);
      // No answer can be longer than what the window has left: beyond that it is a runaway.
      const request = { messages, tools, maxOutputTokens: Math.max(budget.reserveTokens, options.contextTokens - sent), answerTokens: budget.reserveTokens };
      const overBudget = await guard.check(session, sent, signal);
      if (overBudget) return signal.aborted ? end('cancelled', overBudget) : end('failed', overBudget);
      const turn = await modelTurn(options.model, request, session, emit, signal, cost);
      // A server that reports no usage still spends tokens: the budget and the usage line count an estimate.
      if (!turn.usageReported) recordUsage(session, sent, estimateTokens(turn.text + turn.toolCalls.map((c) => c.name + c.arguments).join('')), emit, cost);
      const truncated = options.truncationCheck === false ? undefined : checkTruncation(sent - imageTokens(messages), turn.promptTokens, options.contextTokens);
      if (truncated) return end('failed', truncated.message, truncated);
      if (turn.finish === 'length') {
        const tooMany = keepCutAnswer(turn.text, ++cuts, budget.reserveTokens, session, emit);
        if (tooMany) return end('failed', tooMany);
        continue;
      }
      cuts = 0;
      session.addAssistant(turn.text, turn.toolCalls);
      if (turn.text.trim()) emit({ type: 'message', text: turn.text });

      if (turn.toolCalls.length === 0) {
        if (nudged) return end('failed', turn.text.trim() || l10n.t('The model stopped without calling finish.'));
        nudged = true;
        session.addNudge();
        continue;
      }
      nudged = false;
      const finished = await runCalls(turn.toolCalls, executor, session, emit, redact, signal);
      if (finished !== undefined) return end('finished', finished);
    }
  } catch (error) {
    return endOnError(error, signal, end);
  }
}

/**
 * An answer cut at its bound: it stays, with a note on how to split the work, so the same request
 * is never sent again. Returns why the task ends when that happened too often in a row.
 */
function keepCutAnswer(text: string, cuts: number, answerTokens: number, session: Session, emit: EventSink): string | undefined {
  if (cuts > MAX_CUTS) {
    return l10n.t(
      "The model's answers were cut off at the output limit ({0} tokens) {1} times in a row. Try a narrower goal, or a model with a larger context window.",
      answerTokens,
      MAX_CUTS + 1,
    );
  }
  session.addCutAnswer(text, answerTokens);
  if (text.trim()) emit({ type: 'message', text });
  return undefined;
}

/** Stop ends as cancelled; a model, budget or checkpoint error with its own message; anything else as unexpected. */
function endOnError(error: unknown, signal: AbortSignal, end: ReturnType<typeof ender>): AgentOutcome {
  if (signal.aborted || (error instanceof ModelError && error.kind === 'cancelled')) return end('cancelled', l10n.t('Cancelled by the user.'));
  if (error instanceof ModelError || error instanceof ContextBudgetError || error instanceof CheckpointError) return end('failed', error.message, error);
  const unexpected = error instanceof Error ? error : new Error(String(error));
  return end('failed', l10n.t('Stepwise hit an unexpected error: {0}', unexpected.message), unexpected);
}

/**
 * The first messages: the machine facts, the instructions and the attachments with the goal
 * (src/core/context/taskContext.ts). Instructions that cannot be read never stop the task: it
 * starts from the goal alone, and says why.
 */
async function beginSession(goal: string, options: AgentOptions, executor: ToolExecutor, emit: EventSink): Promise<Session> {
  const isPrivate = (path: string) => executor.isPrivate(path);
  const started = await startContext(options.host, isPrivate, options.contextTokens, goal, options.context).catch((error: Error) => {
    emit({ type: 'context', instructions: [], attachments: [], skipped: [{ path: 'instructions', reason: l10n.t('could not be read: {0}', error.message) }] });
    return undefined;
  });
  if (!started) return new Session(goal, options.host.name, options.host.folders);
  if (started.event) emit(started.event);
  executor.addNearby(started.instructions);
  return new Session(goal, options.host.name, options.host.folders, started);
}

/** Images for a model the catalog lists with text input only: refused before any request (unknown models are asked). */
function refuseImagesIfBlind(options: AgentOptions, session: Session): void {
  const first = session.messages[1];
  if (options.modelFacts?.vision === false && first?.role === 'user' && first.images?.length) {
    throw noVisionError(options.model.model, l10n.t('models.dev lists it with text input only'));
  }
}

/** The gate (policy, protected paths, command rules, the approver) and the executor that runs each call through it. */
function buildExecutor(options: AgentOptions, emit: EventSink): ToolExecutor {
  const gate = new ApprovalGate(
    options.policy,
    options.protectedPaths ?? new ProtectedPaths(),
    options.approver,
    emit,
    options.reviewPaths,
    options.commandRules,
    new McpAllowList(options.mcpAllow ?? []),
  );
  const plan = new PlanGate(options.planApprover);
  const executor = new ToolExecutor(
    options.tools,
    options.host,
    gate,
    options.limits,
    emit,
    plan,
    options.checkpoints,
    options.onCheckpointFailure,
    options.web,
  );
  // Only a model the catalog says takes images gets them from tools: an unknown one could fail the whole task on them.
  executor.acceptsImages = options.modelFacts?.vision === true;
  return executor;
}

/** Runs one answer's calls in order; returns finish's summary when one of them finished the task. */
async function runCalls(
  calls: readonly ToolCall[],
  executor: ToolExecutor,
  session: Session,
  emit: EventSink,
  redact: (text: string) => string,
  signal: AbortSignal,
): Promise<string | undefined> {
  const images: ImagePart[] = [];
  for (const call of calls) {
    if (signal.aborted) {
      session.addToolResult(call.id, 'Not run: the task was cancelled.'); // l10n-ignore: tool result for the model
      continue;
    }
    const result = await executor.execute(call, signal);
    session.addToolResult(call.id, redact(result.output));
    images.push(...(result.images ?? []));
    for (const effect of result.effects) {
      switch (effect.kind) {
        case 'plan':
          session.plan = effect.steps;
          emit({ type: 'plan', steps: effect.steps });
          break;
        case 'finish':
          return effect.summary;
      }
    }
  }
  if (images.length) session.addToolImages(images);
  return undefined;
}

/** How the task ends: the error event (if any), `done` with the usage and cost, and the outcome, all redacted. */
function ender(
  session: Session,
  taskId: string,
  emit: EventSink,
  redact: (text: string) => string,
  cost: (prompt: number, completion: number) => number | undefined,
) {
  return (status: DoneStatus, summary: string, error?: Error): AgentOutcome => {
    if (error) emit({ type: 'error', message: error.message });
    const costUsd = cost(session.promptTokens, session.completionTokens);
    const usage: TaskUsage = { promptTokens: session.promptTokens, completionTokens: session.completionTokens, ...(costUsd !== undefined ? { costUsd } : {}) };
    emit({ type: 'done', status, summary, usage, task: taskId });
    return { status, summary: redact(summary), session, taskId, ...(error ? { error: redactError(error, redact) } : {}) };
  };
}
