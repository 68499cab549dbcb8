/**
 * The progress indicator that sits on the code an inline request is about while the agent works:
 * a highlight on the range and a status line after its first line, plus the context key that
 * makes Escape stop the run.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';

export class InlineProgress implements vscode.Disposable {
  private readonly highlight = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
  });
  private readonly status = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic' },
  });
  private readonly range: vscode.Range;
  private readonly visible: vscode.Disposable;
  private label = l10n.t('Stepwise is working…');

  constructor(
    private readonly document: vscode.TextDocument,
    range: vscode.Range,
  ) {
    this.range = range;
    this.visible = vscode.window.onDidChangeVisibleTextEditors(() => this.render());
    void vscode.commands.executeCommand('setContext', 'stepwise.inlineRunning', true);
    // Escape stops the run only in this file's editor (the workbench names a remote file by its path).
    void vscode.commands.executeCommand('setContext', 'stepwise.inlineRunningPaths', [...new Set([document.uri.path, document.uri.fsPath])]);
    this.render();
  }

  /** What the agent is doing now, e.g. "reading src/a.ts". Only the status line is redrawn: the highlight follows edits by itself. */
  update(label: string): void {
    this.label = `Stepwise: ${label}`;
    this.render(false);
  }

  dispose(): void {
    this.visible.dispose();
    this.highlight.dispose();
    this.status.dispose();
    void vscode.commands.executeCommand('setContext', 'stepwise.inlineRunning', false);
    void vscode.commands.executeCommand('setContext', 'stepwise.inlineRunningPaths', []);
  }

  private render(highlight = true): void {
    const first = this.range.start.line;
    const text = l10n.t('{0}  (Esc to stop)', this.label);
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.toString() !== this.document.uri.toString()) continue;
      if (highlight) editor.setDecorations(this.highlight, [this.range]);
      editor.setDecorations(this.status, [
        { range: this.document.lineAt(Math.min(first, this.document.lineCount - 1)).range, renderOptions: { after: { contentText: text } } },
      ]);
    }
  }
}
