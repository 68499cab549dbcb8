/**
 * How a proposal looks in its editor while it is reviewed in place: removed lines struck through
 * on a red background, the first new line of each hunk as ghost text after them (the rest on hover).
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import type { Hunk } from '../../core/review/hunks';

const GHOST_CHARS = 80;

export function stripEol(line: string): string {
  return line.replace(/\r?\n$/, '');
}

function moreLines(count: number): string {
  return count === 1 ? l10n.t('(+1 more line, hover to see)') : l10n.t('(+{0} more lines, hover to see)', count);
}

export class ReviewDecorations implements vscode.Disposable {
  private readonly removed = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('diffEditor.removedLineBackground'),
    textDecoration: 'line-through',
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.deletedForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  private readonly added = vscode.window.createTextEditorDecorationType({
    after: {
      margin: '0 0 0 1em',
      color: new vscode.ThemeColor('editorGhostText.foreground'),
      backgroundColor: new vscode.ThemeColor('diffEditor.insertedLineBackground'),
    },
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.addedForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });

  /** Shows the undecided hunks (`pending[i]`) in every visible editor of the document. */
  show(document: vscode.TextDocument, hunks: readonly Hunk[], pending: (i: number) => boolean): void {
    const removed: vscode.DecorationOptions[] = [];
    const added: vscode.DecorationOptions[] = [];
    hunks.forEach((hunk, i) => {
      if (!pending(i)) return;
      if (hunk.removed.length) removed.push({ range: new vscode.Range(hunk.start, 0, hunk.start + hunk.removed.length - 1, 0) });
      if (hunk.added.length) {
        // After the last removed line, or after the line the new lines follow.
        const line = Math.max(0, hunk.removed.length ? hunk.start + hunk.removed.length - 1 : hunk.start - 1);
        const first = stripEol(hunk.added[0]!).trim();
        const more = hunk.added.length > 1 ? `  ${moreLines(hunk.added.length - 1)}` : '';
        const text = `+ ${first.length > GHOST_CHARS ? `${first.slice(0, GHOST_CHARS - 1)}…` : first || l10n.t('(blank line)')}${more}`;
        const end = document.lineAt(Math.min(line, document.lineCount - 1)).range.end;
        added.push({ range: new vscode.Range(end, end), renderOptions: { after: { contentText: text } } });
      }
    });
    this.apply(document.uri.toString(), removed, added);
  }

  clear(uri: string): void {
    this.apply(uri, [], []);
  }

  dispose(): void {
    this.removed.dispose();
    this.added.dispose();
  }

  private apply(uri: string, removed: vscode.DecorationOptions[], added: vscode.DecorationOptions[]): void {
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.toString() !== uri) continue;
      editor.setDecorations(this.removed, removed);
      editor.setDecorations(this.added, added);
    }
  }
}
