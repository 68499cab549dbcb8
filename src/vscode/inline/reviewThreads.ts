/**
 * Every undecided hunk's new lines, shown whole right below the lines they replace: a read-only
 * comment thread per hunk (the stable API's only way to put several lines of text inside the
 * editor, between its lines), holding the lines as a code block in the file's language — coloured
 * by VS Code's own highlighter, long lines wrapped or scrolled inside the box — with Accept and
 * Reject in the thread's title and the keys that do the same. Nothing here touches the document.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import type { Hunk } from '../../core/review/hunks';
import { reviewKeys } from './reviewKeys';

/** A huge hunk shows its first lines here; the diff editor (opened for large changes) shows all. */
export const MAX_SHOWN_LINES = 200;
/** Boxes at once: the first open hunks have one, the next get theirs as these are decided (the diff editor shows all). */
export const MAX_BOXES = 40;

export interface ThreadTarget {
  reviewId: number;
  index: number;
}

export class ReviewThreads implements vscode.Disposable {
  private readonly controller = vscode.comments.createCommentController('stepwise.review', l10n.t('Stepwise: proposed changes'));
  private readonly shown = new Map<number, vscode.CommentThread>();
  private readonly targets = new WeakMap<vscode.CommentThread, ThreadTarget>();
  private reviewId: number | undefined;

  /** Shows a thread for each pending hunk (kept while it stays pending), and closes the others. */
  show(document: vscode.TextDocument, reviewId: number, hunks: readonly Hunk[], pending: (i: number) => boolean): void {
    if (this.reviewId !== reviewId) this.clear();
    this.reviewId = reviewId;
    const boxed = new Set(
      hunks
        .map((_, i) => i)
        .filter(pending)
        .slice(0, MAX_BOXES),
    );
    hunks.forEach((hunk, index) => {
      const thread = this.shown.get(index);
      if (!boxed.has(index)) {
        thread?.dispose();
        this.shown.delete(index);
      } else if (!thread) {
        const created = this.controller.createCommentThread(document.uri, anchor(document, hunk), [hunkComment(document, hunk)]);
        created.canReply = false;
        created.contextValue = 'stepwiseHunk';
        created.label = hunks.length > 1 ? l10n.t('Proposed change {0} of {1}', index + 1, hunks.length) : l10n.t('Proposed change');
        created.collapsibleState = vscode.CommentThreadCollapsibleState.Expanded;
        this.targets.set(created, { reviewId, index });
        this.shown.set(index, created);
      }
    });
  }

  /** The hunk a thread's title action was clicked on. */
  targetOf(thread: unknown): ThreadTarget | undefined {
    return thread && typeof thread === 'object' ? this.targets.get(thread as vscode.CommentThread) : undefined;
  }

  clear(): void {
    for (const thread of this.shown.values()) thread.dispose();
    this.shown.clear();
    this.reviewId = undefined;
  }

  dispose(): void {
    this.clear();
    this.controller.dispose();
  }
}

/** The thread sits below the last line the hunk replaces, or below the line its new lines follow. */
function anchor(document: vscode.TextDocument, hunk: Hunk): vscode.Range {
  const line = hunk.removed.length ? hunk.start + hunk.removed.length - 1 : hunk.start - 1;
  const at = Math.max(0, Math.min(line, document.lineCount - 1));
  return new vscode.Range(at, 0, at, 0);
}

function hunkComment(document: vscode.TextDocument, hunk: Hunk): vscode.Comment {
  const lines = hunk.added.map((l) => l.replace(/\r?\n$/, ''));
  const body = new vscode.MarkdownString();
  const head = describeHunk(hunk.removed.length, lines.length, hunk.start === 0);
  body.appendMarkdown(`${escape(head)}\n\n`);
  if (lines.length) body.appendMarkdown(codeBlock(lines.slice(0, MAX_SHOWN_LINES).join('\n'), document.languageId));
  if (lines.length > MAX_SHOWN_LINES)
    body.appendMarkdown(`\n\n${escape(l10n.t('… and {0} more lines: the diff editor shows them all.', lines.length - MAX_SHOWN_LINES))}`);
  const keys = reviewKeys();
  body.appendMarkdown(`\n\n${escape(l10n.t('Accept: {0} · Reject: {1} · all: {2} / {3}', keys.accept, keys.reject, keys.acceptAll, keys.rejectAll))}`);
  return { body, mode: vscode.CommentMode.Preview, author: { name: 'Stepwise' } };
}

/** What the box says above the new lines: how many struck lines they replace, or where they go. */
function describeHunk(removed: number, added: number, atTop: boolean): string {
  if (!added) return removed === 1 ? l10n.t('Removes the struck line.') : l10n.t('Removes the {0} struck lines.', removed);
  const lines = added === 1 ? l10n.t('1 line') : l10n.t('{0} lines', added);
  if (removed === 1) return l10n.t('Replaces the struck line with {0}:', lines);
  if (removed > 1) return l10n.t('Replaces the {0} struck lines with {1}:', removed, lines);
  return atTop ? l10n.t('Adds {0} at the top of the file:', lines) : l10n.t('Adds {0} after this line:', lines);
}

/** A fence longer than any run of backticks in the code, so the code cannot end it early. */
function codeBlock(code: string, language: string): string {
  const longest = Math.max(2, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${/^[\w+#.-]*$/.test(language) ? language : ''}\n${code}\n${fence}`;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
