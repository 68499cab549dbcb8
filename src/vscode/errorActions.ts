/** A failed task's error as a notification with the button that fixes it; never a stack trace. */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { ModelError } from '../core/model/errors';
import { RuleError } from '../core/commands/rules';

type Action = 'setKey' | 'selectModel' | 'openSettings' | 'showLog';

/** Each button: its label (in the interface language) and what it does. */
const ACTIONS: Record<Action, [() => string, () => Thenable<unknown>]> = {
  setKey: [() => l10n.t('Set API Key'), () => vscode.commands.executeCommand('stepwise.setApiKey')],
  selectModel: [() => l10n.t('Select Model'), () => vscode.commands.executeCommand('stepwise.selectModel')],
  openSettings: [() => l10n.t('Open Settings'), () => vscode.commands.executeCommand('workbench.action.openSettings', 'stepwise.')],
  showLog: [() => l10n.t('Show Log'), () => vscode.commands.executeCommand('stepwise.showLog')],
};

function actionsFor(error: Error): Action[] {
  if (error instanceof RuleError) return ['openSettings'];
  if (!(error instanceof ModelError)) return ['showLog'];
  switch (error.kind) {
    case 'auth':
      // VS Code's own models need the user's consent, not a key.
      return vscode.workspace.getConfiguration('stepwise').get('provider') === 'vscode-lm' ? ['selectModel', 'showLog'] : ['setKey', 'openSettings'];
    case 'prompt_truncated':
      return ['openSettings', 'showLog'];
    case 'model_not_found':
      return ['selectModel', 'openSettings'];
    case 'unreachable':
    case 'bad_url':
      return ['openSettings', 'showLog'];
    default:
      return ['showLog'];
  }
}

/** Shows the error; does not wait for the user (a command must not hang on a notification). */
export function notifyError(error: Error): void {
  const actions = actionsFor(error);
  const labels = actions.map((a) => ACTIONS[a][0]());
  void vscode.window.showErrorMessage(`Stepwise: ${error.message}`, ...labels).then((pick) => {
    const action = actions[labels.indexOf(pick ?? '')];
    if (action) void ACTIONS[action][1]();
  });
}
