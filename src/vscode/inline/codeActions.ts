/**
 * The lightbulb entries: "Fix with Stepwise" on a problem (the request pre-filled with its
 * message) and "Edit with Stepwise…" on a selection. Kept tiny and free of the runtime, since it
 * is registered at activation.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';

const MAX_FIXES = 3;

export class StepwiseCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix, vscode.CodeActionKind.RefactorRewrite];

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (document.uri.scheme !== 'file' || document.isUntitled || !vscode.workspace.isTrusted || !vscode.workspace.getWorkspaceFolder(document.uri)) return [];
    const actions: vscode.CodeAction[] = [];
    const only = context.only;
    if (!only || only.contains(vscode.CodeActionKind.QuickFix) || vscode.CodeActionKind.QuickFix.contains(only)) {
      const problems = context.diagnostics.filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning);
      for (const diagnostic of problems.slice(0, MAX_FIXES)) {
        const message = diagnostic.message.split('\n')[0]!.trim();
        const action = new vscode.CodeAction(
          l10n.t('Fix with Stepwise: {0}', message.length > 60 ? `${message.slice(0, 59)}…` : message),
          vscode.CodeActionKind.QuickFix,
        );
        action.diagnostics = [diagnostic];
        const r = diagnostic.range;
        action.command = {
          command: 'stepwise.editSelection',
          title: l10n.t('Fix with Stepwise'),
          arguments: [
            {
              uri: document.uri.toString(),
              range: [r.start.line, 0, r.end.line, r.end.character],
              // l10n-ignore: the request goes to the model (the input box shows it first)
              request: `Fix this problem: ${diagnostic.message.length > 2000 ? `${diagnostic.message.slice(0, 1999)}…` : diagnostic.message}`,
            },
          ],
        };
        actions.push(action);
      }
    }
    if (!range.isEmpty && (!only || only.contains(vscode.CodeActionKind.RefactorRewrite) || vscode.CodeActionKind.RefactorRewrite.contains(only))) {
      const action = new vscode.CodeAction(l10n.t('Edit with Stepwise…'), vscode.CodeActionKind.RefactorRewrite);
      action.command = {
        command: 'stepwise.editSelection',
        title: l10n.t('Edit with Stepwise…'),
        arguments: [{ uri: document.uri.toString(), range: [range.start.line, range.start.character, range.end.line, range.end.character] }],
      };
      actions.push(action);
    }
    return actions;
  }
}
