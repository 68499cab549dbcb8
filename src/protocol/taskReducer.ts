/**
 * Applies a TaskEvent to a TaskView. Pure and shared: the extension keeps (and persists) the
 * task with it, the webview renders with it, so both always agree.
 */
import * as l10n from '@vscode/l10n';
import type { TaskEvent, TaskItem, TaskView } from './messages';

const MAX_TOOL_OUTPUT = 20_000;

function lastMessage(items: TaskItem[]): Extract<TaskItem, { kind: 'message' }> | undefined {
  const last = items[items.length - 1];
  return last?.kind === 'message' && last.streaming ? last : undefined;
}

function tool(items: TaskItem[], id: string): Extract<TaskItem, { kind: 'tool' }> | undefined {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    if (item?.kind === 'tool' && item.id === id) return item;
  }
  return undefined;
}

type MessageEvent = Extract<TaskEvent, { type: 'message_delta' | 'message' | 'retry' }>;
type ToolEvent = Extract<TaskEvent, { type: 'tool_call' | 'tool_output' | 'tool_result' | 'denied' | 'checkpoint' }>;
type ApprovalEvent = Extract<TaskEvent, { type: 'approval_request' | 'plan_request' | 'approval_resolved' }>;

/** Mutates and returns `task` (the webview batches many events per frame; copies would cost). */
export function applyTaskEvent(task: TaskView, event: TaskEvent): TaskView {
  switch (event.type) {
    case 'message_delta':
    case 'message':
    case 'retry':
      applyMessageEvent(task.items, event);
      break;
    case 'tool_call':
    case 'tool_output':
    case 'tool_result':
    case 'denied':
    case 'checkpoint':
      applyToolEvent(task, event);
      break;
    case 'approval_request':
    case 'plan_request':
    case 'approval_resolved':
      applyApprovalEvent(task, event);
      break;
    case 'step':
      task.step = event.step;
      task.maxSteps = event.maxSteps;
      break;
    case 'plan':
      task.plan = event.steps;
      break;
    case 'usage':
      task.promptTokens = event.totalPromptTokens;
      task.completionTokens = event.totalCompletionTokens;
      if (event.costUsd !== undefined) task.costUsd = event.costUsd;
      break;
    case 'notice':
      task.items.push({ kind: 'notice', text: event.text, tone: event.tone });
      break;
    case 'compaction':
      task.items.push({ kind: 'compaction', text: event.text, summary: event.summary });
      break;
    case 'restored':
      task.restored = event.undoable;
      break;
    case 'done': {
      const open = lastMessage(task.items);
      if (open) open.streaming = false;
      task.status = event.status;
      task.summary = event.summary;
      task.pendingApproval = undefined;
      task.pendingPlan = undefined;
      break;
    }
  }
  return task;
}

/** The model's streamed reply: deltas grow the open message, the full text replaces it. */
function applyMessageEvent(items: TaskItem[], event: MessageEvent): void {
  const open = lastMessage(items);
  switch (event.type) {
    case 'message_delta':
      if (open) open.text += event.text;
      else items.push({ kind: 'message', text: event.text, streaming: true });
      break;
    case 'message':
      if (open) {
        open.text = event.text;
        open.streaming = false;
      } else items.push({ kind: 'message', text: event.text, streaming: false });
      break;
    case 'retry':
      // The half-streamed reply is dropped: the retried request streams a new one.
      if (open) items.pop();
      items.push({ kind: 'notice', text: l10n.t('Retrying: {0}', event.reason), tone: 'warning' });
      break;
  }
}

/** A tool call's card, from the call through its output to its result (or denial) and checkpoint. */
function applyToolEvent(task: TaskView, event: ToolEvent): void {
  const items = task.items;
  if (event.type === 'tool_call') {
    const open = lastMessage(items);
    if (open) open.streaming = false;
    items.push({ kind: 'tool', id: event.id, name: event.name, summary: event.summary, status: 'running', output: '' });
    return;
  }
  const card = tool(items, event.id);
  switch (event.type) {
    case 'tool_output':
      if (card && card.output.length < MAX_TOOL_OUTPUT) card.output += event.chunk;
      break;
    case 'tool_result':
      if (card) {
        if (card.status !== 'denied') card.status = event.ok ? 'ok' : 'error';
        card.output = event.output;
      }
      break;
    case 'denied':
      if (card) card.status = 'denied';
      break;
    case 'checkpoint':
      if (card) card.checkpoint = event.step;
      task.checkpointTask = event.task;
      break;
  }
}

/** The approval or plan waiting for the user; a resolution clears only the one it names. */
function applyApprovalEvent(task: TaskView, event: ApprovalEvent): void {
  switch (event.type) {
    case 'approval_request':
      task.pendingApproval = event.approval;
      break;
    case 'plan_request':
      task.pendingPlan = event.plan;
      break;
    case 'approval_resolved':
      if (task.pendingApproval?.approvalId === event.approvalId) task.pendingApproval = undefined;
      if (task.pendingPlan?.approvalId === event.approvalId) task.pendingPlan = undefined;
      break;
  }
}

export function newTaskView(id: string, goal: string, maxSteps: number, now: number): TaskView {
  return {
    id,
    goal,
    status: 'running',
    createdAt: now,
    items: [{ kind: 'goal', text: goal }],
    plan: [],
    step: 0,
    maxSteps,
    promptTokens: 0,
    completionTokens: 0,
  };
}

/** A task found running after a reload: what was in flight is marked interrupted, never re-run. */
export function markInterrupted(task: TaskView): TaskView {
  if (task.status !== 'running') return task;
  for (const item of task.items) {
    if (item.kind === 'tool' && item.status === 'running') item.status = 'interrupted';
    if (item.kind === 'message') item.streaming = false;
  }
  task.pendingApproval = undefined;
  task.pendingPlan = undefined;
  task.status = 'interrupted';
  task.items.push({ kind: 'notice', text: l10n.t('Interrupted by a window reload. Nothing was re-run; start a new task to continue.'), tone: 'warning' });
  return task;
}
