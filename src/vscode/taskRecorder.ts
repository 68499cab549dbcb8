/**
 * The open task, recorded: every agent event folded into the TaskView (the same reducer the page
 * runs), pending approvals and plans as task events, the full outputs the panel shows shortened,
 * and the task history in the TaskStore. It owns the task; the sidebar view only subscribes and
 * shows. Goals from the command palette and inline requests are recorded the same way.
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { AgentEvent } from '../core/agent/events';
import { escapeControls } from '../core/text/controlChars';
import type { ApprovalView, TaskEvent, TaskSummary, TaskView } from '../protocol/messages';
import type { McpToolRef } from '../core/contracts';
import { applyTaskEvent, markInterrupted, newTaskView } from '../protocol/taskReducer';
import { boundApproval, VIEW_OUTPUT_CHARS } from '../protocol/viewBounds';
import type { PendingApprovals, PendingItem } from './approvals';
import { commandView } from './commandRules';
import { toTaskEvents } from './taskEvents';
import type { TaskStore } from './taskStore';

/** Full tool outputs kept for "Open full output" (the panel has them shortened), newest last. */
const KEPT_OUTPUTS = 200;

/** What changed: one event of the open task, the whole task (a new or reopened one), or the history list. */
export type RecorderChange = { kind: 'event'; taskId: string; event: TaskEvent } | { kind: 'task' } | { kind: 'history' };

export class TaskRecorder implements vscode.Disposable {
  private current: TaskView | undefined;
  private readonly fullOutputs = new Map<string, { name: string; text: string }>();
  private readonly toolNames = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<RecorderChange>();
  private readonly subscription: vscode.Disposable;
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly store: TaskStore,
    pending: PendingApprovals,
  ) {
    this.subscription = pending.onDidChange((item) => this.onPendingChanged(item));
  }

  get task(): TaskView | undefined {
    return this.current;
  }

  history(): Promise<TaskSummary[]> {
    return this.store.list();
  }

  begin(goal: string, maxSteps: number): void {
    this.current = newTaskView(randomUUID(), goal, maxSteps, Date.now());
    void this.store.save(this.current, true);
    this.changed.fire({ kind: 'task' });
  }

  record(event: AgentEvent): void {
    if (event.type === 'tool_call') this.toolNames.set(event.id, event.name);
    if (event.type === 'tool_result' && event.output.length > VIEW_OUTPUT_CHARS) {
      this.fullOutputs.set(event.id, { name: this.toolNames.get(event.id) ?? 'tool', text: event.output });
      if (this.fullOutputs.size > KEPT_OUTPUTS) this.fullOutputs.delete(this.fullOutputs.keys().next().value as string);
    }
    for (const taskEvent of toTaskEvents(event)) this.apply(taskEvent);
  }

  end(): void {
    if (this.current) void this.store.save(this.current, true).then(() => this.changed.fire({ kind: 'history' }));
  }

  /** The window is closing or reloading mid-task: record it as interrupted (never to be re-run). */
  async interrupt(): Promise<void> {
    if (this.current?.status !== 'running') return;
    markInterrupted(this.current);
    await this.store.save(this.current, true);
  }

  /** After a restore the header offers Undo restore (saved with the task, so history shows it too). */
  markRestored(undoable: boolean): void {
    if (!this.current) return;
    this.apply({ type: 'restored', undoable }, true);
  }

  /** Shows a task from the history (not while one runs: the caller checks). */
  async open(taskId: string): Promise<void> {
    const task = await this.store.load(taskId);
    if (task) this.current = task;
    this.changed.fire({ kind: 'task' });
  }

  clear(): void {
    this.current = undefined;
    this.changed.fire({ kind: 'task' });
  }

  fullOutput(toolId: string): { name: string; text: string } | undefined {
    return this.fullOutputs.get(toolId);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private apply(event: TaskEvent, saveNow = event.type === 'done'): void {
    if (!this.current || (this.current.status === 'interrupted' && event.type !== 'restored')) return;
    applyTaskEvent(this.current, event);
    void this.store.save(this.current, saveNow);
    this.changed.fire({ kind: 'event', taskId: this.current.id, event });
  }

  private onPendingChanged(item: PendingItem | undefined): void {
    const waiting = this.current?.pendingApproval?.approvalId ?? this.current?.pendingPlan?.approvalId;
    if (waiting) this.apply({ type: 'approval_resolved', approvalId: waiting });
    if (item?.kind === 'step') {
      const r = item.request;
      // What the card shows is what runs: control characters made visible, the detail bounded.
      this.apply({
        type: 'approval_request',
        approval: boundApproval({
          approvalId: item.id,
          toolCallId: r.toolCallId,
          tool: r.tool,
          risk: r.risk,
          title: escapeControls(r.title),
          ...(r.detail !== undefined ? { detail: escapeControls(r.detail) } : {}),
          ...(r.protectedPaths ? { protectedPaths: r.protectedPaths.map(escapeControls) } : {}),
          hasDiff: r.proposedContent !== undefined,
          ...(r.command ? { command: commandView(r.command) } : {}),
          ...(r.host ? { host: escapeControls(r.host) } : {}),
          ...(r.mcpTool ? { mcpTool: mcpView(r.mcpTool) } : {}),
        }),
      });
    } else if (item?.kind === 'plan') {
      this.apply({
        type: 'plan_request',
        plan: { approvalId: item.id, steps: item.steps.map((s) => ({ title: escapeControls(s.title).slice(0, 500), status: s.status })) },
      });
    }
  }
}

function mcpView(ref: McpToolRef): NonNullable<ApprovalView['mcpTool']> {
  return {
    server: escapeControls(ref.server),
    tool: escapeControls(ref.tool),
    ...(ref.readOnlyHint ? { readOnlyHint: true } : {}),
    ...(ref.fromWorkspace ? { fromWorkspace: true } : {}),
  };
}
