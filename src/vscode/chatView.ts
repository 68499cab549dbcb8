/**
 * The sidebar chat view: hosts the webview (strict CSP with a nonce, only the extension's media
 * folder), validates every message from it, and shows what the TaskRecorder holds — the open task,
 * its history, pending approvals. The webview never sends arguments to run: it names an approval
 * id, and the extension runs what it holds.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import {
  MAX_MESSAGE_CHARS,
  MAX_START_CHARS,
  webviewToExtension,
  type ExtensionMessage,
  type ImageView,
  type MentionItem,
  type SetupView,
  type WebviewMessage,
} from '../protocol/messages';
import type { SetupAction } from './setupActions';
import { boundHistory, boundTask } from '../protocol/viewBounds';
import { openProposedDiff, type ApprovalSurface, type PendingApprovals } from './approvals';
import type { ProposedContent } from './proposedContent';
import { openLink, pageHtml } from './chatPage';
import { interfaceLanguage } from './language';
import { cardAnswer } from './commandRules';
import type { RecorderChange, TaskRecorder } from './taskRecorder';
import type { WorkspaceRoots } from './workspaceRoots';

export interface ChatActions {
  /** Starts a goal with its mentions attached; resolves with why it could not start (for the composer). */
  start(goal: string, mentions: MentionItem[], images: ImageView[]): Promise<string | undefined>;
  /** The `@` picker's answers, and files dropped on the goal box. */
  mentionQuery(query: string): Promise<MentionItem[]>;
  /** The `/` picker's MCP prompts, and a picked one's text (undefined: the user cancelled). */
  promptQuery(query: string): Promise<MentionItem[]>;
  usePrompt(value: string): Promise<{ text: string } | { problem: string } | undefined>;
  dropped(uris: string[]): Promise<{ items: MentionItem[]; problem?: string }>;
  onMentionsRefresh: vscode.Event<void>;
  stop(): void;
  /** Compact the running task before its next request. */
  compact(): void;
  isRunning(): boolean;
  /** Restores to right before a step (asks first); resolves true when something was restored. */
  restore(task: string, step: number): Promise<boolean>;
  viewChanges(task: string, step: number): Promise<void>;
  undoRestore(): Promise<boolean>;
  /** The model bar and setup card, and when they change. */
  setupView(): SetupView;
  onSetupChange: vscode.Event<void>;
  setupAction(action: SetupAction): Promise<void>;
}

export class ChatView implements vscode.WebviewViewProvider, ApprovalSurface, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  /** The `@` picker's latest query, answered again when the workspace's list is made again. */
  private lastMentionQuery: { query: string; requestId: number } | undefined;
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];
  /** Approval ids the page has put on screen, and who waits to hear of one. */
  private readonly shown = new Set<string>();
  private readonly shownWaiters = new Map<string, () => void>();
  private readonly visibility = new vscode.EventEmitter<void>();
  readonly onDidChangeVisible = this.visibility.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly recorder: TaskRecorder,
    private readonly pending: PendingApprovals,
    private readonly proposed: ProposedContent,
    private readonly roots: WorkspaceRoots,
    private readonly log: vscode.LogOutputChannel,
    private readonly actions: ChatActions,
  ) {
    this.disposables.push(
      recorder.onDidChange((change) => this.show(change)),
      actions.onSetupChange(() => this.post({ type: 'setup', setup: actions.setupView() })),
      actions.onMentionsRefresh(() => void this.mentionsRefreshed()),
      this.visibility,
    );
  }

  private show(change: RecorderChange): void {
    if (change.kind === 'event') this.post({ type: 'event', taskId: change.taskId, event: change.event });
    else if (change.kind === 'task') void this.sendState();
    else void this.sendHistory();
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    view.webview.options = { enableScripts: true, localResourceRoots: [media] };
    view.webview.html = pageHtml(view.webview, media);
    this.disposables.push(
      view.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      view.onDidChangeVisibility(() => {
        this.visibility.fire();
        if (view.visible && this.ready) void this.sendState();
      }),
      view.onDidDispose(() => {
        this.view = undefined;
        this.ready = false;
        this.visibility.fire();
      }),
    );
    this.visibility.fire();
  }

  isVisible(): boolean {
    return this.view?.visible === true;
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

  // ── messages from the page ──

  private receive(raw: unknown): void {
    let size = 0;
    try {
      size = JSON.stringify(raw)?.length ?? 0;
    } catch {
      size = Infinity;
    }
    const start = (raw as { type?: unknown } | null)?.type === 'start';
    if (size > (start ? MAX_START_CHARS : MAX_MESSAGE_CHARS)) {
      this.log.warn(`Dropped a message from the Stepwise view: ${size} characters is too large.`); // l10n-ignore: log line
      return;
    }
    const parsed = webviewToExtension.safeParse(raw);
    if (!parsed.success) {
      this.log.warn(`Dropped an invalid message from the Stepwise view: ${parsed.error.issues[0]?.message ?? 'invalid'}`); // l10n-ignore: log line
      return;
    }
    this.handle(parsed.data).catch((error: Error) => {
      this.log.error(`The Stepwise view's request failed: ${error.message}`); // l10n-ignore: log line
      void vscode.window.showErrorMessage(`Stepwise: ${error.message}`).then(undefined, () => undefined);
    });
  }

  private async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.post({ type: 'l10n', ...interfaceLanguage() });
        this.post({ type: 'setup', setup: this.actions.setupView() });
        return this.sendState();
      case 'setupAction':
        return this.actions.setupAction(message.action);
      case 'start':
        return this.start(message.goal, message.mentions ?? [], message.images ?? []);
      case 'mentionQuery':
        this.lastMentionQuery = { query: message.query, requestId: message.requestId };
        return this.post({ type: 'mentionResults', requestId: message.requestId, items: await this.actions.mentionQuery(message.query) });
      case 'promptQuery':
      case 'usePrompt':
        return this.prompt(message);
      case 'dropped':
        return this.dropped(message.uris);
      case 'stop':
        return this.actions.stop();
      case 'compact':
        return this.actions.compact();
      case 'newTask':
        if (this.actions.isRunning()) return;
        return this.recorder.clear();
      case 'decide':
        this.pending.answer(cardAnswer(message, this.pending.current()), message.approvalId);
        return;
      case 'decidePlan':
        this.pending.answerPlan(
          message.decision === 'approve'
            ? { decision: 'approve', ...(message.steps ? { steps: message.steps } : {}) }
            : { decision: 'feedback', feedback: message.feedback?.trim() || 'The user asked for another plan.' }, // l10n-ignore: feedback for the model
          message.approvalId,
        );
        return;
      case 'viewDiff': {
        const item = this.pending.item();
        if (item?.kind === 'step' && item.id === message.approvalId) await openProposedDiff(item.request, this.proposed, this.roots);
        return;
      }
      case 'shown':
        return this.markShown(message.approvalId);
      case 'openOutput':
        return this.openOutput(message.toolId);
      case 'openTask':
        return this.actions.isRunning() ? undefined : this.recorder.open(message.taskId);
      case 'openLink':
        return openLink(message.url);
      case 'restore':
      case 'viewChanges':
        return this.checkpointAction(message.type, message.toolId);
      case 'undoRestore':
        if (this.actions.isRunning()) return void vscode.window.showInformationMessage(l10n.t('Stop the running Stepwise task before undoing a restore.'));
        if (await this.actions.undoRestore()) this.recorder.markRestored(false);
        return;
    }
  }

  /** The `/` picker: the prompts that match, and a picked one's text for the goal box (or why it cannot be used). */
  private async prompt(message: Extract<WebviewMessage, { type: 'promptQuery' | 'usePrompt' }>): Promise<void> {
    if (message.type === 'promptQuery')
      return this.post({ type: 'mentionResults', requestId: message.requestId, items: await this.actions.promptQuery(message.query) });
    const filled = await this.actions.usePrompt(message.value);
    if (filled)
      this.post('text' in filled ? { type: 'promptFilled', text: filled.text } : { type: 'composerError', text: filled.problem, goal: '', mentions: [] });
  }

  /** The workspace's list was made again: the picker, if still open on the last query, gets the new answer. */
  private async mentionsRefreshed(): Promise<void> {
    const last = this.lastMentionQuery;
    if (last) this.post({ type: 'mentionResults', requestId: last.requestId, items: await this.actions.mentionQuery(last.query) });
  }

  /** A goal from the composer; one whose mentions cannot be attached comes back with why. */
  private async start(goal: string, mentions: MentionItem[], images: ImageView[]): Promise<void> {
    if (this.actions.isRunning()) return void vscode.window.showInformationMessage(l10n.t('A Stepwise task is already running; stop it first.'));
    const problem = await this.actions.start(goal, mentions, images);
    if (problem) this.post({ type: 'composerError', text: problem, goal, mentions });
  }

  private async dropped(uris: string[]): Promise<void> {
    const { items, problem } = await this.actions.dropped(uris);
    if (items.length) this.post({ type: 'mentionsAdded', items });
    if (problem) this.post({ type: 'composerError', text: problem, goal: '', mentions: [] });
  }

  /** The page showed an approval card: a step that waits for the panel may go on (the set stays bounded). */
  private markShown(approvalId: string): void {
    this.shown.add(approvalId);
    this.pending.markShown(approvalId, 'panel');
    if (this.shown.size > 500) this.shown.delete(this.shown.values().next().value as string);
    this.shownWaiters.get(approvalId)?.();
    this.shownWaiters.delete(approvalId);
  }

  private async openOutput(toolId: string): Promise<void> {
    const output = this.recorder.fullOutput(toolId);
    if (!output)
      return void vscode.window.showInformationMessage(l10n.t("Stepwise: the full output of that step is no longer kept (only this session's outputs are)."));
    const uri = this.proposed.add(l10n.t('output of {0} ({1}).txt', output.name, toolId), output.text);
    await vscode.window.showTextDocument(uri, { preview: true });
  }

  /** Restore to here / View changes since here, on a step of the task shown. */
  private async checkpointAction(action: 'restore' | 'viewChanges', toolId: string): Promise<void> {
    const item = this.recorder.task?.items.find((i) => i.kind === 'tool' && i.id === toolId);
    const step = item?.kind === 'tool' ? item.checkpoint : undefined;
    const task = this.recorder.task?.checkpointTask;
    if (step === undefined || !task) return;
    if (action === 'viewChanges') return this.actions.viewChanges(task, step);
    if (this.actions.isRunning()) return void vscode.window.showInformationMessage(l10n.t('Stop the running Stepwise task before restoring files.'));
    if (await this.actions.restore(task, step)) this.recorder.markRestored(true);
  }

  // ── to the page ──

  private post(message: ExtensionMessage): void {
    if (this.view && this.ready) void this.view.webview.postMessage(message);
  }

  private async sendState(): Promise<void> {
    // Bounded: the page takes no message over MAX_MESSAGE_CHARS, and the step waiting for approval must get there.
    this.post({
      type: 'state',
      task: this.recorder.task ? boundTask(this.recorder.task) : undefined,
      history: boundHistory(await this.recorder.history()),
      running: this.actions.isRunning(),
    });
  }

  private async sendHistory(): Promise<void> {
    this.post({ type: 'history', history: boundHistory(await this.recorder.history()) });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
