/**
 * The sidebar chat view: hosts the webview (strict CSP with a nonce, only the extension's media
 * folder), validates every message from it, keeps the open task (the same reducer as the page)
 * and its history, and shows pending approvals. The webview never sends arguments to run: it
 * names an approval id, and the extension runs what it holds.
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { AgentEvent } from '../core/agent/events';
import { MAX_MESSAGE_CHARS, webviewToExtension, type ExtensionMessage, type TaskEvent, type TaskView, type WebviewMessage } from '../protocol/messages';
import { applyTaskEvent, markInterrupted, newTaskView } from '../protocol/taskReducer';
import { boundApproval, boundHistory, boundTask, VIEW_OUTPUT_CHARS } from '../protocol/viewBounds';
import { escapeControls } from '../core/text/controlChars';
import { openProposedDiff, type ApprovalSurface, type PendingApprovals, type PendingItem } from './approvals';
import type { ProposedContent } from './proposedContent';
import { toTaskEvents } from './taskEvents';
import { openLink, pageHtml } from './chatPage';
import { commandView, offeredRules } from './commandRules';
import type { TaskStore } from './taskStore';
import type { WorkspaceRoots } from './workspaceRoots';

export interface ChatActions {
  start(goal: string): void;
  stop(): void;
  isRunning(): boolean;
  /** Restores to right before a step (asks first); resolves true when something was restored. */
  restore(task: string, step: number): Promise<boolean>;
  viewChanges(task: string, step: number): Promise<void>;
  undoRestore(): Promise<boolean>;
}

/** Full tool outputs kept for "Open full output" (the panel has them shortened), newest last. */
const KEPT_OUTPUTS = 200;

export class ChatView implements vscode.WebviewViewProvider, ApprovalSurface, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private task: TaskView | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** Approval ids the page has put on screen, and who waits to hear of one. */
  private readonly shown = new Set<string>();
  private readonly shownWaiters = new Map<string, () => void>();
  private readonly fullOutputs = new Map<string, { name: string; text: string }>();
  private readonly toolNames = new Map<string, string>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly store: TaskStore,
    private readonly pending: PendingApprovals,
    private readonly proposed: ProposedContent,
    private readonly roots: WorkspaceRoots,
    private readonly log: vscode.LogOutputChannel,
    private readonly actions: ChatActions,
  ) {
    this.disposables.push(pending.onDidChange((item) => this.onPendingChanged(item)));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    view.webview.options = { enableScripts: true, localResourceRoots: [media] };
    view.webview.html = pageHtml(view.webview, media);
    this.disposables.push(
      view.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      view.onDidChangeVisibility(() => view.visible && this.ready && void this.sendState()),
      view.onDidDispose(() => {
        this.view = undefined;
        this.ready = false;
      }),
    );
  }

  /** Approvals go to the panel whenever it exists; it is revealed so the user sees them. */
  takesApprovals(): boolean {
    if (!this.view) return false;
    this.view.show(true);
    return true;
  }

  whenShown(id: string, ms: number): Promise<boolean> {
    if (this.shown.has(id)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.shownWaiters.delete(id);
        resolve(false);
      }, ms);
      this.shownWaiters.set(id, () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  // ── recording a task (also for goals started from the command palette) ──

  begin(goal: string, maxSteps: number): void {
    this.task = newTaskView(randomUUID(), goal, maxSteps, Date.now());
    void this.store.save(this.task, true);
    void this.sendState();
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
    if (this.task) void this.store.save(this.task, true).then(() => this.sendHistory());
  }

  /** The window is closing or reloading mid-task: record it as interrupted (never to be re-run). */
  async interrupt(): Promise<void> {
    if (this.task?.status !== 'running') return;
    markInterrupted(this.task);
    await this.store.save(this.task, true);
  }

  /** After a restore the header offers Undo restore (saved with the task, so history shows it too). */
  markRestored(undoable: boolean): void {
    if (!this.task) return;
    applyTaskEvent(this.task, { type: 'restored', undoable });
    void this.store.save(this.task, true);
    this.post({ type: 'event', taskId: this.task.id, event: { type: 'restored', undoable } });
  }

  private apply(event: TaskEvent): void {
    if (!this.task || this.task.status === 'interrupted') return;
    applyTaskEvent(this.task, event);
    void this.store.save(this.task, event.type === 'done');
    this.post({ type: 'event', taskId: this.task.id, event });
  }

  private onPendingChanged(item: PendingItem | undefined): void {
    const current = this.task?.pendingApproval?.approvalId ?? this.task?.pendingPlan?.approvalId;
    if (current) this.apply({ type: 'approval_resolved', approvalId: current });
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
        }),
      });
    } else if (item?.kind === 'plan') {
      this.apply({
        type: 'plan_request',
        plan: { approvalId: item.id, steps: item.steps.map((s) => ({ title: escapeControls(s.title).slice(0, 500), status: s.status })) },
      });
    }
  }

  // ── messages from the page ──

  private receive(raw: unknown): void {
    let size = 0;
    try {
      size = JSON.stringify(raw)?.length ?? 0;
    } catch {
      size = Infinity;
    }
    if (size > MAX_MESSAGE_CHARS) {
      this.log.warn(`Dropped a message from the Stepwise view: ${size} characters is too large.`);
      return;
    }
    const parsed = webviewToExtension.safeParse(raw);
    if (!parsed.success) {
      this.log.warn(`Dropped an invalid message from the Stepwise view: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      return;
    }
    this.handle(parsed.data).catch((error: Error) => {
      this.log.error(`The Stepwise view's request failed: ${error.message}`);
      void vscode.window.showErrorMessage(`Stepwise: ${error.message}`).then(undefined, () => undefined);
    });
  }

  private async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        return this.sendState();
      case 'start':
        if (this.actions.isRunning()) return void vscode.window.showInformationMessage('A Stepwise task is already running; stop it first.');
        return this.actions.start(message.goal);
      case 'stop':
        return this.actions.stop();
      case 'newTask':
        if (this.actions.isRunning()) return;
        this.task = undefined;
        return this.sendState();
      case 'decide':
        this.pending.answer(
          message.decision === 'approve'
            ? { decision: 'approve' }
            : message.decision === 'approve_next'
              ? { decision: 'approve_next', count: message.count ?? 3 }
              : message.decision === 'always'
                ? { decision: 'always' }
                : message.decision === 'allow_rule'
                  ? { decision: 'allow_rule', rules: offeredRules(this.pending.current(), message.anyArguments === true) }
                  : { decision: 'deny', ...(message.feedback?.trim() ? { feedback: message.feedback.trim() } : {}) },
          message.approvalId,
        );
        return;
      case 'decidePlan':
        this.pending.answerPlan(
          message.decision === 'approve'
            ? { decision: 'approve', ...(message.steps ? { steps: message.steps } : {}) }
            : { decision: 'feedback', feedback: message.feedback?.trim() || 'The user asked for another plan.' },
          message.approvalId,
        );
        return;
      case 'viewDiff': {
        const item = this.pending.item();
        if (item?.kind === 'step' && item.id === message.approvalId) await openProposedDiff(item.request, this.proposed, this.roots);
        return;
      }
      case 'shown': {
        this.shown.add(message.approvalId);
        this.pending.markShown(message.approvalId, 'panel');
        if (this.shown.size > 500) this.shown.delete(this.shown.values().next().value as string);
        this.shownWaiters.get(message.approvalId)?.();
        this.shownWaiters.delete(message.approvalId);
        return;
      }
      case 'openOutput': {
        const output = this.fullOutputs.get(message.toolId);
        if (!output)
          return void vscode.window.showInformationMessage("Stepwise: the full output of that step is no longer kept (only this session's outputs are).");
        const uri = this.proposed.add(`output of ${output.name} (${message.toolId}).txt`, output.text);
        await vscode.window.showTextDocument(uri, { preview: true });
        return;
      }
      case 'openTask': {
        if (this.actions.isRunning()) return;
        const task = await this.store.load(message.taskId);
        if (task) this.task = task;
        return this.sendState();
      }
      case 'openLink':
        return openLink(message.url);
      case 'restore':
      case 'viewChanges': {
        const item = this.task?.items.find((i) => i.kind === 'tool' && i.id === message.toolId);
        const step = item?.kind === 'tool' ? item.checkpoint : undefined;
        const task = this.task?.checkpointTask;
        if (step === undefined || !task) return;
        if (message.type === 'viewChanges') return this.actions.viewChanges(task, step);
        if (this.actions.isRunning()) return void vscode.window.showInformationMessage('Stop the running Stepwise task before restoring files.');
        if (await this.actions.restore(task, step)) this.markRestored(true);
        return;
      }
      case 'undoRestore':
        if (this.actions.isRunning()) return void vscode.window.showInformationMessage('Stop the running Stepwise task before undoing a restore.');
        if (await this.actions.undoRestore()) this.markRestored(false);
        return;
    }
  }

  // ── to the page ──

  private post(message: ExtensionMessage): void {
    if (this.view && this.ready) void this.view.webview.postMessage(message);
  }

  private async sendState(): Promise<void> {
    // Bounded: the page takes no message over MAX_MESSAGE_CHARS, and the step waiting for approval must get there.
    this.post({
      type: 'state',
      task: this.task ? boundTask(this.task) : undefined,
      history: boundHistory(await this.store.list()),
      running: this.actions.isRunning(),
    });
  }

  private async sendHistory(): Promise<void> {
    this.post({ type: 'history', history: boundHistory(await this.store.list()) });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
