/**
 * The VS Code extension's composition root: registers commands and wires the pieces together.
 * Activation is cheap on purpose; the agent runtime (core, model client) loads on first use.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { useDisplayLanguage } from './vscode/language';
import { StepwiseCodeActions } from './vscode/inline/codeActions';
import { ApiKeyStore } from './vscode/settings';
import type { GoalResult } from './vscode/goalRunner';
import type { EditSelectionResult } from './vscode/inline/editSelection';
import type { PendingStep, Runtime } from './vscode/runtime';

/** What the extension exports: used by integration tests and other extensions. */
export interface StepwiseApi {
  startGoal(goal: string): Promise<GoalResult | undefined>;
  /** Stepwise: Edit Selection… on the active editor's selection (or the given uri/range/request). */
  editSelection(args?: unknown): Promise<EditSelectionResult | undefined>;
  /** The step waiting for approval, with `approvalId`: answers that name it cannot approve another step. */
  pendingApproval(): PendingStep | undefined;
  activationMs: number;
}

let runtime: Runtime | undefined;

export function activate(context: vscode.ExtensionContext): StepwiseApi {
  const started = performance.now();
  useDisplayLanguage(context.extensionUri.fsPath);
  const log = vscode.window.createOutputChannel('Stepwise', { log: true });
  const keys = new ApiKeyStore(context.secrets);
  const load = (): Runtime => {
    // Kept out of this bundle by the build (see scripts/build.mjs).
    runtime ??= (require('./runtime.js') as typeof import('./vscode/runtime')).createRuntime({
      log,
      keys,
      extensionUri: context.extensionUri,
      storageDir: (context.storageUri ?? context.globalStorageUri).fsPath,
      globalState: context.globalState,
      workspaceState: context.workspaceState,
      globalStorageDir: context.globalStorageUri.fsPath,
    });
    return runtime;
  };

  const startGoal = (goal?: string) => askGoal(goal, load);

  context.subscriptions.push(
    log,
    vscode.commands.registerCommand('stepwise.startGoal', startGoal),
    vscode.commands.registerCommand('stepwise.stop', () => runtime?.stop() ?? false),
    vscode.commands.registerCommand('stepwise.editSelection', (args?: unknown) => load().editSelection(args)),
    ...reviewCommands(),
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new StepwiseCodeActions(), { providedCodeActionKinds: StepwiseCodeActions.kinds }),
    vscode.commands.registerCommand('stepwise.setApiKey', () => setApiKey(keys, log)),
    vscode.commands.registerCommand('stepwise.selectModel', () => load().selectModel()),
    vscode.commands.registerCommand('stepwise.checkSetup', () => load().checkSetup()),
    vscode.commands.registerCommand('stepwise.createAgentsMd', () => load().createAgentsMd()),
    vscode.commands.registerCommand('stepwise.mcpServers', () => load().showMcpServers()),
    vscode.commands.registerCommand('stepwise.showLog', () => log.show()),
    vscode.commands.registerCommand('stepwise.restoreCheckpoint', (args?: unknown) => load().restoreCheckpoint(args)),
    vscode.commands.registerCommand('stepwise.undoRestore', (args?: unknown) => load().undoRestore(args)),
    vscode.window.registerWebviewViewProvider('stepwise.chat', { resolveWebviewView: (view) => load().resolveChatView(view) }),
    ...approvalCommands(),
    { dispose: () => void runtime?.dispose() },
  );
  const activationMs = performance.now() - started;
  log.info(`Stepwise activated in ${activationMs.toFixed(1)} ms.`); // l10n-ignore: log line
  return { startGoal, editSelection: (args) => load().editSelection(args), pendingApproval: () => runtime?.pendingApproval(), activationMs };
}

/** Stepwise: Start Goal, with the goal given (API, tests) or asked for. */
async function askGoal(goal: string | undefined, load: () => Runtime): Promise<GoalResult | undefined> {
  const text =
    typeof goal === 'string' && goal.trim()
      ? goal
      : await vscode.window.showInputBox({
          title: l10n.t('Stepwise: Start Goal'),
          prompt: l10n.t('What should Stepwise do in this workspace?'),
          placeHolder: l10n.t('e.g. Fix the failing test in src/math.ts'),
          ignoreFocusOut: true,
        });
  if (!text?.trim()) return undefined;
  return load().startGoal(text.trim());
}

/**
 * Accept / Reject of an inline change. Lenses pass (review id, hunk); the editor title passes its
 * resource, which means "all" — and answers only a review of that file.
 */
function reviewCommands(): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(
      'stepwise.acceptChange',
      (review?: unknown, index?: unknown) => runtime?.acceptChange(num(review), num(index), uriOf(review)) ?? false,
    ),
    vscode.commands.registerCommand(
      'stepwise.rejectChange',
      (review?: unknown, index?: unknown) => runtime?.rejectChange(num(review), num(index), uriOf(review)) ?? false,
    ),
    vscode.commands.registerCommand('stepwise.showChangeDiff', () => runtime?.showChangeDiff()),
    // The keys and the review boxes' title buttons (which pass their thread): the change there, then the next.
    vscode.commands.registerCommand('stepwise.acceptHunk', (thread?: unknown) => runtime?.decideHere('accepted', thread) ?? false),
    vscode.commands.registerCommand('stepwise.rejectHunk', (thread?: unknown) => runtime?.decideHere('rejected', thread) ?? false),
  ];
}

/**
 * Approve / Reject Pending Step: bound to the step they were shown for when given its id (approval
 * or tool call id, or { approvalId | toolCallId, feedback }); from a keybinding or the palette, the
 * step pending now.
 */
function approvalCommands(): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('stepwise.approveStep', (target?: unknown) => {
      // Any string given to Approve is an id: an unknown one approves nothing.
      const id = typeof target === 'string' ? target : stepTarget(target, runtime).id;
      return runtime?.answerApproval({ decision: 'approve' }, id) ?? false;
    }),
    vscode.commands.registerCommand('stepwise.rejectStep', (target?: unknown, more?: unknown) => {
      const { id, feedback } = stepTarget(target, runtime, more);
      return runtime?.answerApproval(feedback ? { decision: 'deny', feedback } : { decision: 'deny' }, id) ?? false;
    }),
  ];
}

export async function deactivate(): Promise<void> {
  // Stops a running task: its command is killed with its children, no edit is half-applied,
  // and the task is kept in the history as interrupted.
  const current = runtime;
  runtime = undefined;
  await current?.dispose();
}

/**
 * Reads the Approve/Reject Pending Step arguments: an id string, `{ approvalId | toolCallId | id,
 * feedback }`, or (Reject, as before) a feedback string. A string that is an id handed out in this
 * session is an id, even a stale one: it must never be read as feedback for another step.
 */
function stepTarget(target: unknown, rt: Runtime | undefined, more?: unknown): { id?: string; feedback?: string } {
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  if (typeof target === 'string') {
    if (rt?.isApprovalId(target)) return { id: target, ...(text(more) ? { feedback: text(more)! } : {}) };
    return text(target) ? { feedback: text(target)! } : {};
  }
  if (target && typeof target === 'object') {
    const t = target as Record<string, unknown>;
    const id = text(t.approvalId) ?? text(t.toolCallId) ?? text(t.id);
    // An object that names no step answers nothing: it was meant for some step, not "whatever is pending".
    return { id: id ?? '\u0000none', ...(text(t.feedback) ? { feedback: text(t.feedback)! } : {}) };
  }
  return {};
}

function uriOf(value: unknown): string | undefined {
  return value instanceof vscode.Uri ? value.toString() : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

async function setApiKey(keys: ApiKeyStore, log: vscode.LogOutputChannel): Promise<boolean> {
  const value = await vscode.window.showInputBox({
    title: l10n.t('Stepwise: Set API Key'),
    prompt: l10n.t("Stored in VS Code's secret storage, never in settings. Leave empty to remove the stored key."),
    password: true,
    ignoreFocusOut: true,
  });
  if (value === undefined) return false;
  if (value.trim() === '') {
    await keys.clear();
    log.info('API key removed.'); // l10n-ignore: log line
  } else {
    await keys.set(value.trim());
    log.info('API key stored in secret storage.'); // l10n-ignore: log line
  }
  return true;
}
