/**
 * Everything heavy the extension needs (the core, the openai client, zod), bundled separately as
 * dist/runtime.js and loaded on the first command that needs it, so activation stays cheap.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { useDisplayLanguage } from './language';
import type { ApprovalAnswer, ApprovalRequest } from '../core/agent/events';
import { PendingApprovals, type PendingItem } from './approvals';
import { CommandTerminal } from './commandTerminal';
import { ChatView } from './chatView';
import { TaskRecorder } from './taskRecorder';
import { GoalRunner, type GoalResult } from './goalRunner';
import { editSelection, type EditSelectionResult } from './inline/editSelection';
import { InlineReviews } from './inline/review';
import { PROPOSED_SCHEME, ProposedContent } from './proposedContent';
import { listProtocolMemory } from '../core/model/protocolMemory';
import type { ProtocolMemory } from '../core/model/toolProtocolClient';
import type { ApiKeyStore } from './settings';
import { selectModel } from './selectModel';
import { checkSetupInVsCode, type SetupReport } from './checkSetup';
import { useEditorWords } from './editorWords';
import { Mentions } from './mentions';
import type { ImageView, MentionItem } from '../protocol/messages';
import { VsCodeHost } from './vscodeHost';
import { CREATE_AGENTS_MD_GOAL, createAgentsMdTitle } from './agentsMd';
import { runSetupAction, type SetupAction } from './setupActions';
import { SetupState } from './setupState';
import { TaskStore } from './taskStore';
import { WorkspaceRoots } from './workspaceRoots';
import { CHECKPOINT_SCHEME, VsCodeCheckpoints, type RestoreOutcome } from './checkpoints';
import { readSettings } from './settings';
import { McpService } from './mcpService';
import { fillPrompt, promptItems } from './mcpPrompts';
import { showMcpServers } from './mcpServersView';
import { watchCommandRules } from './commandRules';
import { killAllProcessGroups } from '../core/host/processRunner';
import * as path from 'node:path';

/** A step waiting for approval, as the extension's API shows it. */
export type PendingStep = ApprovalRequest & {
  /** Answers must name it (or the tool call id): a stale answer approves nothing. */
  approvalId: string;
  /** Where it has been put in front of the user so far: 'panel' (the sidebar showed the card), 'notification'. */
  shownIn: string[];
};

export interface RuntimeDeps {
  log: vscode.LogOutputChannel;
  keys: ApiKeyStore;
  extensionUri: vscode.Uri;
  /** Per-workspace storage (history lives here), or the global one without a workspace. */
  storageDir: string;
  /** Machine-wide memory (which models need the text tool protocol). */
  globalState: vscode.Memento;
  /** This workspace's choices the user made in Stepwise (the model picked for it). */
  workspaceState: vscode.Memento;
  /** Machine-wide storage: checkpoints live under it, outside every workspace. */
  globalStorageDir: string;
}

export interface Runtime {
  /** Stops a running task, recording it as interrupted; resolves once that is saved. */
  dispose(): Promise<void>;
  startGoal(goal: string): Promise<GoalResult | undefined>;
  /** Stepwise: Create AGENTS.md — a task that drafts it (an approved edit, like any other). */
  createAgentsMd(): Promise<GoalResult | undefined>;
  /** Stepwise: Edit Selection… with the command's arguments (validated there). */
  editSelection(args: unknown): Promise<EditSelectionResult | undefined>;
  /** Accept or reject one hunk of the change under review, or all of them without an index. */
  acceptChange(reviewId?: number, index?: number, uri?: string): boolean;
  rejectChange(reviewId?: number, index?: number, uri?: string): boolean;
  showChangeDiff(): Promise<void>;
  decideHere(decision: 'accepted' | 'rejected', thread?: unknown): boolean;
  stop(): boolean;
  selectModel(): Promise<string | undefined>;
  /** Stepwise: Check Setup — the report opens as a document and is returned. */
  checkSetup(): Promise<SetupReport>;
  /** The step waiting for approval, with the id an answer must name and where it is on screen. */
  pendingApproval(): PendingStep | undefined;
  /** Answers the pending step; with an id (approval or tool call id), only if that step is still the one pending. */
  answerApproval(answer: ApprovalAnswer, id?: string): boolean;
  /** Whether `text` is an approval or tool call id handed out in this session. */
  isApprovalId(text: string): boolean;
  readonly onDidChangeApproval: vscode.Event<PendingItem | undefined>;
  resolveChatView(view: vscode.WebviewView): void;
  /** Stepwise: Restore to Checkpoint… — `{ task, step, yes?, includeChanged? }`, or a pick of recent checkpoints. */
  restoreCheckpoint(args: unknown): Promise<RestoreOutcome | undefined>;
  /** Stepwise: Undo Restore — `{ yes? }`. */
  undoRestore(args: unknown): Promise<RestoreOutcome | undefined>;
  /** Stepwise: MCP Servers — their state and tools; restart one, see its log. */
  showMcpServers(): Promise<void>;
}

export function createRuntime(deps: RuntimeDeps): Runtime {
  // This bundle has its own copy of the core's t(): it is told the language too.
  useDisplayLanguage(deps.extensionUri.fsPath);
  const terminal = new CommandTerminal();
  const pending = new PendingApprovals();
  const proposed = new ProposedContent();
  const provider = vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, proposed);
  const checkpoints = new VsCodeCheckpoints(path.join(deps.globalStorageDir, 'checkpoints'), deps.log);
  const checkpointDocs = vscode.workspace.registerTextDocumentContentProvider(CHECKPOINT_SCHEME, checkpoints);
  const ruleWatch = watchCommandRules(() => readSettings());
  const store = historyStore(deps);
  const words = useEditorWords();
  const setup = new SetupState(deps.globalState, deps.keys, deps.workspaceState);
  const protocols = protocolMemory(deps.globalState, deps.log);
  const setupCommands = modelCommands(deps, setup, protocols, proposed);
  let runner: GoalRunner | undefined;
  const roots = new WorkspaceRoots();
  const mcp = new McpService(new VsCodeHost(terminal), deps.workspaceState);
  const mentions = new Mentions(new VsCodeHost(terminal), roots, mcp);
  const reviews = new InlineReviews(pending, proposed);
  const recorder = new TaskRecorder(store, pending);
  const chat = new ChatView(deps.extensionUri, recorder, pending, proposed, roots, deps.log, {
    ...goalActions(() => runner, mentions, mcp),
    ...checkpointActions(checkpoints),
    ...setupCommands,
  });
  runner = new GoalRunner(deps.log, deps.keys, terminal, pending, proposed, recorder, chat, deps.workspaceState, protocols, checkpoints, setup, mcp);
  return {
    resolveChatView: (view) => {
      chat.resolveWebviewView(view);
      // The first `@` then answers from a list already made.
      if (vscode.workspace.workspaceFolders?.length) mentions.search.warm();
    },
    startGoal: (goal) => runner.start(goal),
    createAgentsMd: () => runner.start(CREATE_AGENTS_MD_GOAL, { title: createAgentsMdTitle() }),
    editSelection: (args) => editSelection(args, { runner, reviews, roots }),
    ...reviewActions(reviews),
    stop: () => runner.stop(),
    selectModel: setupCommands.pickModel,
    checkSetup: setupCommands.checkSetup,
    pendingApproval: () => {
      const item = pending.item();
      return item?.kind === 'step' ? { ...item.request, approvalId: item.id, shownIn: pending.shownWhere() } : undefined;
    },
    answerApproval: (answer, id) => pending.answer(answer, id),
    isApprovalId: (text) => pending.isKnownId(text),
    onDidChangeApproval: pending.onDidChange,
    ...restoreCommands(checkpoints, recorder, () => runner.isRunning),
    showMcpServers: () => showMcpServers(mcp),
    dispose: async () => {
      await recorder.interrupt().catch(() => undefined);
      runner.stop();
      // The window is going away: commands still running are killed now, with all they started.
      killAllProcessGroups();
      for (const part of [chat, recorder, reviews, provider, checkpointDocs, ruleWatch, terminal, setup, words, mentions, mcp]) part.dispose();
    },
  };
}

/** Accept / Reject of the in-place review: from its lenses, its boxes, its keys and the editor title. */
function reviewActions(reviews: InlineReviews) {
  return {
    acceptChange: (reviewId?: number, index?: number, uri?: string) => reviews.accept(reviewId, index, uri),
    rejectChange: (reviewId?: number, index?: number, uri?: string) => reviews.reject(reviewId, index, uri),
    showChangeDiff: () => reviews.showDiff(),
    decideHere: (decision: 'accepted' | 'rejected', thread?: unknown) => reviews.decideHere(decision, thread),
  };
}

/** The sidebar's goals: started with their mentions attached (or the reason they cannot start), stopped. */
function goalActions(runner: () => GoalRunner | undefined, mentions: Mentions, mcp: McpService) {
  return {
    start: async (goal: string, items: MentionItem[], images: ImageView[]) => {
      const attached = await mentions.attach(items);
      if ('problem' in attached) return attached.problem;
      void runner()?.start(goal, { attachments: attached.attachments, images });
      return undefined;
    },
    mentionQuery: (query: string) => mentions.search.query(query),
    promptQuery: (query: string) => promptItems(mcp, query),
    usePrompt: (value: string) => fillPrompt(mcp, value),
    dropped: (uris: string[]) => mentions.dropped(uris),
    onMentionsRefresh: mentions.search.onDidRefresh,
    stop: () => runner()?.stop(),
    compact: () => runner()?.compact(),
    isRunning: () => runner()?.isRunning ?? false,
  };
}

/** Restore to here, View changes since here and Undo restore, from a step's card. */
function checkpointActions(checkpoints: VsCodeCheckpoints) {
  const settings = () => readSettings().checkpoints.settings;
  return {
    restore: async (task: string, step: number) => Boolean((await checkpoints.restore(task, step, settings()))?.restored.length),
    viewChanges: (task: string, step: number) => checkpoints.viewChanges(task, step, settings()),
    undoRestore: async () => Boolean((await checkpoints.undoRestore(settings()))?.restored.length),
  };
}

/** Select Model, Check Setup and the setup card's actions: each leaves the model bar and card current. */
function modelCommands(deps: RuntimeDeps, setup: SetupState, protocols: (server: string) => ProtocolMemory, proposed: ProposedContent) {
  const pickModel = async () => {
    const picked = await selectModel(deps.keys, deps.log, deps.workspaceState, (server, model) => protocols(server).forget?.(model));
    if (picked) await setup.reset();
    return picked;
  };
  const checkSetup = () => checkSetupInVsCode(setup, deps.workspaceState, proposed);
  return {
    pickModel,
    checkSetup,
    setupView: () => setup.view(),
    onSetupChange: setup.onDidChange,
    setupAction: (action: SetupAction) =>
      runSetupAction(action, { setup, keys: deps.keys, log: deps.log, choices: deps.workspaceState, selectModel: pickModel, checkSetup }),
  };
}

/** The task history; a store that cannot save is logged each time and shown once. */
function historyStore(deps: RuntimeDeps): TaskStore {
  let warned = false;
  const store = new TaskStore(deps.storageDir, (error) => {
    deps.log.error(`The task history could not be saved: ${error.message}`); // l10n-ignore: log line
    if (warned) return;
    warned = true;
    void vscode.window
      .showWarningMessage(
        l10n.t('Stepwise cannot save the task history ({0}). Tasks still run; the history will be incomplete.', error.message),
        l10n.t('Show Log'),
      )
      .then(
        (pick) => pick && deps.log.show(),
        () => undefined,
      );
  });
  // l10n-ignore: log line
  void store.recoverInterrupted().catch((e: Error) => deps.log.warn(`Task history could not be checked: ${e.message}`));
  return store;
}

/** Stepwise: Restore to Checkpoint… and Undo Restore (never while a task runs: it could be writing those files). */
function restoreCommands(checkpoints: VsCodeCheckpoints, recorder: TaskRecorder, isRunning: () => boolean): Pick<Runtime, 'restoreCheckpoint' | 'undoRestore'> {
  const notWhileRunning = () => {
    if (!isRunning()) return false;
    void vscode.window.showInformationMessage(l10n.t('Stop the running Stepwise task before restoring files.'));
    return true;
  };
  return {
    restoreCheckpoint: async (args) => {
      if (notWhileRunning()) return undefined;
      const { task, step, ...options } = restoreArgs(args);
      const target = task && step ? { task, step } : await checkpoints.pick(readSettings().checkpoints.settings);
      if (!target) return undefined;
      const outcome = await checkpoints.restore(target.task, target.step, readSettings().checkpoints.settings, options);
      if (outcome?.restored.length) recorder.markRestored(true);
      return outcome;
    },
    undoRestore: async (args) => {
      if (notWhileRunning()) return undefined;
      const outcome = await checkpoints.undoRestore(readSettings().checkpoints.settings, restoreArgs(args));
      if (outcome?.restored.length) recorder.markRestored(false);
      return outcome;
    },
  };
}

/** The restore commands' arguments (from a keybinding, the API or another extension), taken only when well-formed. */
function restoreArgs(args: unknown) {
  const a = (args && typeof args === 'object' ? args : {}) as Record<string, unknown>;
  return {
    yes: a.yes === true,
    includeChanged: a.includeChanged === true,
    task: typeof a.task === 'string' ? a.task : undefined,
    step: typeof a.step === 'number' && Number.isInteger(a.step) && a.step >= 1 ? a.step : undefined,
  };
}

/** Models that needed the text protocol once start in it next time (keyed by server and model). */
function protocolMemory(state: vscode.Memento, log: vscode.LogOutputChannel): (server: string) => ProtocolMemory {
  const KEY = 'stepwise.textProtocolModels';
  const store = {
    read: () => state.get<string[]>(KEY) ?? [],
    write: (list: string[]) => {
      // l10n-ignore: log line
      void Promise.resolve(state.update(KEY, list)).catch((e: Error) => log.warn(`The text-protocol choice could not be saved: ${e.message}`));
      return true;
    },
  };
  return (server) =>
    listProtocolMemory(store, server, (model) =>
      // l10n-ignore: log line
      log.info(`${model} calls tools in text: Stepwise will use the text protocol with it from now on (stepwise.toolProtocol overrides).`),
    );
}
