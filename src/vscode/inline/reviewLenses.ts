/**
 * The review's CodeLens row above each undecided hunk that has a box (the first MAX_BOXES): Accept
 * (n/m) and Reject, Accept All and Reject All above the first, and Diff — one click each, the keys
 * in their tooltips.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import type { Hunk } from '../../core/review/hunks';
import { reviewKeys } from './reviewKeys';
import { MAX_BOXES } from './reviewThreads';

export interface LensReview {
  id: number;
  hunks: readonly Hunk[];
  decisions: readonly ('accepted' | 'rejected' | undefined)[];
}

export function reviewLenses(document: vscode.TextDocument, review: LensReview): vscode.CodeLens[] {
  const keys = reviewKeys();
  const lenses: vscode.CodeLens[] = [];
  const open = review.hunks.map((_, i) => i).filter((i) => review.decisions[i] === undefined);
  // Like the boxes, only the first open hunks carry lenses: thousands of them would slow the editor.
  open.slice(0, MAX_BOXES).forEach((i, n) => {
    const range = new vscode.Range(anchorLine(document, review.hunks[i]!), 0, anchorLine(document, review.hunks[i]!), 0);
    const accept = review.hunks.length > 1 ? l10n.t('$(check) Accept ({0}/{1})', i + 1, review.hunks.length) : l10n.t('$(check) Accept');
    lenses.push(
      new vscode.CodeLens(range, {
        title: accept,
        command: 'stepwise.acceptChange',
        arguments: [review.id, i],
        tooltip: l10n.t('Keep this change ({0})', keys.accept),
      }),
      new vscode.CodeLens(range, {
        title: l10n.t('$(discard) Reject'),
        command: 'stepwise.rejectChange',
        arguments: [review.id, i],
        tooltip: l10n.t('Leave these lines as they are ({0})', keys.reject),
      }),
    );
    if (n === 0 && open.length > 1) {
      lenses.push(
        new vscode.CodeLens(range, {
          title: l10n.t('Accept All ({0})', open.length),
          command: 'stepwise.acceptChange',
          arguments: [review.id],
          tooltip: l10n.t('Keep every change still open ({0})', keys.acceptAll),
        }),
        new vscode.CodeLens(range, {
          title: l10n.t('Reject All'),
          command: 'stepwise.rejectChange',
          arguments: [review.id],
          tooltip: l10n.t('Leave the file as it is ({0})', keys.rejectAll),
        }),
      );
    }
    if (n === 0)
      lenses.push(
        new vscode.CodeLens(range, {
          title: l10n.t('$(diff) Diff'),
          command: 'stepwise.showChangeDiff',
          arguments: [],
          tooltip: l10n.t('Open the whole change in the diff editor'),
        }),
      );
  });
  return lenses;
}

/**
 * The line a hunk's lens sits above: its first removed line, or for an insertion the line the new
 * lines follow — so the lens is always above the review box, which sits below that line.
 */
export function anchorLine(document: vscode.TextDocument, hunk: Hunk): number {
  const line = hunk.removed.length ? hunk.start : hunk.start - 1;
  return Math.max(0, Math.min(line, document.lineCount - 1));
}
