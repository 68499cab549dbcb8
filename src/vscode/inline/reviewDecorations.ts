/**
 * How the lines a proposal removes look while it is reviewed in place: struck through on a red
 * background, marked in the overview ruler. The new lines are shown whole below them, in the
 * review boxes (reviewThreads.ts).
 */
import * as vscode from 'vscode';
import type { Hunk } from '../../core/review/hunks';

export class ReviewDecorations implements vscode.Disposable {
  private readonly removed = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('diffEditor.removedLineBackground'),
    textDecoration: 'line-through',
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.deletedForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  /** A line the new lines follow (an insertion removes nothing): marked in the gutter's ruler. */
  private readonly insertion = vscode.window.createTextEditorDecorationType({
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.addedForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });

  /** Shows the undecided hunks (`pending[i]`) in every visible editor of the document. */
  show(document: vscode.TextDocument, hunks: readonly Hunk[], pending: (i: number) => boolean): void {
    const removed: vscode.DecorationOptions[] = [];
    const inserted: vscode.DecorationOptions[] = [];
    hunks.forEach((hunk, i) => {
      if (!pending(i)) return;
      if (hunk.removed.length) removed.push({ range: new vscode.Range(hunk.start, 0, hunk.start + hunk.removed.length - 1, 0) });
      else {
        const line = Math.max(0, Math.min(hunk.start - 1, document.lineCount - 1));
        inserted.push({ range: new vscode.Range(line, 0, line, 0) });
      }
    });
    this.apply(document.uri.toString(), removed, inserted);
  }

  clear(uri: string): void {
    this.apply(uri, [], []);
  }

  dispose(): void {
    this.removed.dispose();
    this.insertion.dispose();
  }

  private apply(uri: string, removed: vscode.DecorationOptions[], inserted: vscode.DecorationOptions[]): void {
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.toString() !== uri) continue;
      editor.setDecorations(this.removed, removed);
      editor.setDecorations(this.insertion, inserted);
    }
  }
}
