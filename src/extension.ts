/**
 * The VS Code extension's composition root: registers commands and wires the pieces together.
 * Activation is cheap on purpose; the agent runtime (core, model client) loads on first use.
 */
import * as vscode from 'vscode';
import type { ApprovalRequest } from './core/agent/events';
import { StepwiseCodeActions } from './vscode/inline/codeActions';
import { ApiKeyStore } from './vscode/settings';
import type { GoalResult } from './vscode/goalRunner';
import type { EditSelectionResult } from './vscode/inline/editSelection';
import type { Runtime } from './vscode/runtime';

/** What the extension exports: used by integration tests and other extensions. */
export interface StepwiseApi {
  startGoal(goal: string): Promise<GoalResult | undefined>;
  /** Stepwise: Edit Selection… on the active editor's selection (or the given uri/range/request). */
  editSelection(args?: unknown): Promise<EditSelectionResult | undefined>;
  pendingApproval(): ApprovalRequest | undefined;
  activationMs: number;
}

let runtime: Runtime | undefined;

export function activate(context: vscode.ExtensionContext): StepwiseApi {
  const started = performance.now();
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
    });
    return runtime;
  };

  const startGoal = async (goal?: string): Promise<GoalResult | undefined> => {
    const text =
      typeof goal === 'string' && goal.trim()
        ? goal
        : await vscode.window.showInputBox({ title: 'Stepwise: Start Goal', prompt: 'What should Stepwise do in this workspace?', placeHolder: 'e.g. Fix the failing test in src/math.ts', ignoreFocusOut: true });
    if (!text?.trim()) return undefined;
    return load().startGoal(text.trim());
  };

  context.subscriptions.push(
    log,
    vscode.commands.registerCommand('stepwise.startGoal', startGoal),
    vscode.commands.registerCommand('stepwise.stop', () => runtime?.stop() ?? false),
    vscode.commands.registerCommand('stepwise.editSelection', (args?: unknown) => load().editSelection(args)),
    // Lenses pass (review id, hunk); the editor title passes its resource, which means "all".
    vscode.commands.registerCommand('stepwise.acceptChange', (review?: unknown, index?: unknown) => runtime?.acceptChange(num(review), num(index)) ?? false),
    vscode.commands.registerCommand('stepwise.rejectChange', (review?: unknown, index?: unknown) => runtime?.rejectChange(num(review), num(index)) ?? false),
    vscode.commands.registerCommand('stepwise.showChangeDiff', () => runtime?.showChangeDiff()),
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new StepwiseCodeActions(), { providedCodeActionKinds: StepwiseCodeActions.kinds }),
    vscode.commands.registerCommand('stepwise.setApiKey', () => setApiKey(keys, log)),
    vscode.commands.registerCommand('stepwise.selectModel', () => load().selectModel()),
    vscode.commands.registerCommand('stepwise.showLog', () => log.show()),
    vscode.window.registerWebviewViewProvider('stepwise.chat', { resolveWebviewView: (view) => load().resolveChatView(view) }),
    vscode.commands.registerCommand('stepwise.approveStep', () => runtime?.answerApproval({ decision: 'approve' }) ?? false),
    vscode.commands.registerCommand('stepwise.rejectStep', (feedback?: string) =>
      runtime?.answerApproval(typeof feedback === 'string' && feedback ? { decision: 'deny', feedback } : { decision: 'deny' }) ?? false,
    ),
    { dispose: () => void runtime?.dispose() },
  );
  const activationMs = performance.now() - started;
  log.info(`Stepwise activated in ${activationMs.toFixed(1)} ms.`);
  return { startGoal, editSelection: (args) => load().editSelection(args), pendingApproval: () => runtime?.pendingApproval(), activationMs };
}

export async function deactivate(): Promise<void> {
  // Stops a running task: its command is killed with its children, no edit is half-applied,
  // and the task is kept in the history as interrupted.
  const current = runtime;
  runtime = undefined;
  await current?.dispose();
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

async function setApiKey(keys: ApiKeyStore, log: vscode.LogOutputChannel): Promise<boolean> {
  const value = await vscode.window.showInputBox({
    title: 'Stepwise: Set API Key',
    prompt: 'Stored in VS Code\'s secret storage, never in settings. Leave empty to remove the stored key.',
    password: true,
    ignoreFocusOut: true,
  });
  if (value === undefined) return false;
  if (value.trim() === '') {
    await keys.clear();
    log.info('API key removed.');
  } else {
    await keys.set(value.trim());
    log.info('API key stored in secret storage.');
  }
  return true;
}
