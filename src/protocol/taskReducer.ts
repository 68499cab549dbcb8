/**
 * Applies a TaskEvent to a TaskView. Pure and shared: the extension keeps (and persists) the
 * task with it, the webview renders with it, so both always agree.
 */
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

/** Mutates and returns `task` (the webview batches many events per frame; copies would cost). */
export function applyTaskEvent(task: TaskView, event: TaskEvent): TaskView {
  const items = task.items;
  switch (event.type) {
    case 'step':
      task.step = event.step;
      task.maxSteps = event.maxSteps;
      break;
    case 'message_delta': {
      const open = lastMessage(items);
      if (open) open.text += event.text;
      else items.push({ kind: 'message', text: event.text, streaming: true });
      break;
    }
    case 'message': {
      const open = lastMessage(items);
      if (open) {
        open.text = event.text;
        open.streaming = false;
      } else items.push({ kind: 'message', text: event.text, streaming: false });
      break;
    }
    case 'retry': {
      const open = lastMessage(items);
      if (open) items.pop();
      items.push({ kind: 'notice', text: `Retrying: ${event.reason}`, tone: 'warning' });
      break;
    }
    case 'plan':
      task.plan = event.steps;
      break;
    case 'tool_call': {
      const open = lastMessage(items);
      if (open) open.streaming = false;
      items.push({ kind: 'tool', id: event.id, name: event.name, summary: event.summary, status: 'running', output: '' });
      break;
    }
    case 'tool_output': {
      const card = tool(items, event.id);
      if (card && card.output.length < MAX_TOOL_OUTPUT) card.output += event.chunk;
      break;
    }
    case 'tool_result': {
      const card = tool(items, event.id);
      if (card) {
        if (card.status !== 'denied') card.status = event.ok ? 'ok' : 'error';
        card.output = event.output;
      }
      break;
    }
    case 'denied': {
      const card = tool(items, event.id);
      if (card) card.status = 'denied';
      break;
    }
    case 'usage':
      task.promptTokens = event.totalPromptTokens;
      task.completionTokens = event.totalCompletionTokens;
      if (event.costUsd !== undefined) task.costUsd = event.costUsd;
      break;
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
    case 'notice':
      items.push({ kind: 'notice', text: event.text, tone: event.tone });
      break;
    case 'checkpoint': {
      const card = tool(items, event.id);
      if (card) card.checkpoint = event.step;
      task.checkpointTask = event.task;
      break;
    }
    case 'restored':
      task.restored = event.undoable;
      break;
    case 'done': {
      const open = lastMessage(items);
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
  task.items.push({ kind: 'notice', text: 'Interrupted by a window reload. Nothing was re-run; start a new task to continue.', tone: 'warning' });
  return task;
}
