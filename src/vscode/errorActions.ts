/** A failed task's error as a notification with the button that fixes it; never a stack trace. */
import * as vscode from 'vscode';
import { ModelError } from '../core/model/errors';
import { RuleError } from '../core/commands/rules';

const ACTIONS: Record<string, [string, () => Thenable<unknown>]> = {
  'Set API Key': ['Set API Key', () => vscode.commands.executeCommand('stepwise.setApiKey')],
  'Select Model': ['Select Model', () => vscode.commands.executeCommand('stepwise.selectModel')],
  'Open Settings': ['Open Settings', () => vscode.commands.executeCommand('workbench.action.openSettings', 'stepwise.')],
  'Show Log': ['Show Log', () => vscode.commands.executeCommand('stepwise.showLog')],
};

function actionsFor(error: Error): string[] {
  if (error instanceof RuleError) return ['Open Settings'];
  if (!(error instanceof ModelError)) return ['Show Log'];
  switch (error.kind) {
    case 'auth':
      // VS Code's own models need the user's consent, not a key.
      return vscode.workspace.getConfiguration('stepwise').get('provider') === 'vscode-lm' ? ['Select Model', 'Show Log'] : ['Set API Key', 'Open Settings'];
    case 'prompt_truncated':
      return ['Open Settings', 'Show Log'];
    case 'model_not_found':
      return ['Select Model', 'Open Settings'];
    case 'unreachable':
    case 'bad_url':
      return ['Open Settings', 'Show Log'];
    default:
      return ['Show Log'];
  }
}

/** Shows the error; does not wait for the user (a command must not hang on a notification). */
export function notifyError(error: Error): void {
  const actions = actionsFor(error);
  void vscode.window.showErrorMessage(`Stepwise: ${error.message}`, ...actions).then((pick) => {
    if (pick) void ACTIONS[pick]?.[1]();
  });
}
