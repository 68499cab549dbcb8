/**
 * Review in place: a proposed edit to the file an inline request is about is shown in its editor
 * as an inline diff — removed lines struck through on a red background, every new line in a box
 * right below them (reviewThreads.ts) — with Accept / Reject above each hunk and Accept All /
 * Reject All, and keys for each (the change at the cursor, then on to the next). Nothing touches
 * the file until the user decides: accepting all or some hunks
 * approves the step (the tool writes one WorkspaceEdit, so one undo); rejecting all denies it, and
 * the file stays byte-identical. A large change also opens VS Code's diff editor. If the user types
 * in the file meanwhile, the proposal is withdrawn (it was made on older text) and the model is
 * asked to redo it on the current text.
 *
 * The step waits in PendingApprovals like any other, so the sidebar or the Approve/Reject Pending
 * Step commands can answer it too; whichever answers first wins.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import type { ApprovalAnswer, ApprovalRequest } from '../../core/agent/events';
import { applyHunks, lineHunks, type Hunk } from '../../core/review/hunks';
import type { PendingApprovals } from '../approvals';
import type { ProposedContent } from '../proposedContent';
import { ReviewDecorations } from './reviewDecorations';
import { anchorLine, reviewLenses } from './reviewLenses';
import { MAX_BOXES, MAX_SHOWN_LINES, ReviewThreads } from './reviewThreads';

type Decision = 'accepted' | 'rejected' | undefined;

interface ActiveReview {
  /** Lenses and commands carry it, so a click on an old lens never decides a newer review. */
  id: number;
  document: vscode.TextDocument;
  uri: string;
  original: string;
  hunks: Hunk[];
  decisions: Decision[];
  approvalId: string;
  request: ApprovalRequest;
  diffUri?: vscode.Uri;
  disposables: vscode.Disposable[];
}

export class InlineReviews implements vscode.CodeLensProvider, vscode.Disposable {
  private active: ActiveReview | undefined;
  private nextId = 0;
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  private readonly decorations = new ReviewDecorations();
  private readonly threads = new ReviewThreads();
  private readonly registrations: vscode.Disposable[];

  constructor(
    private readonly pending: PendingApprovals,
    private readonly proposed: ProposedContent,
  ) {
    this.registrations = [
      vscode.languages.registerCodeLensProvider({ scheme: 'file' }, this),
      vscode.window.onDidChangeVisibleTextEditors(() => this.render()),
    ];
  }

  /** Shows the proposal in place and resolves with the user's answer (or whoever answered first). */
  review(document: vscode.TextDocument, request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalAnswer> {
    // Stopped before it was shown: nothing to review, nothing applied.
    if (signal.aborted) return Promise.resolve({ decision: 'deny' });
    let approvalId = '';
    const answer = this.pending.waitStep(request, signal, (id) => (approvalId = id));
    const original = document.getText();
    const hunks = lineHunks(original, request.proposedContent ?? original);
    this.close();
    const review: ActiveReview = {
      id: ++this.nextId,
      document,
      uri: document.uri.toString(),
      original,
      hunks,
      decisions: hunks.map(() => undefined),
      approvalId,
      request,
      disposables: [],
    };
    this.active = review;
    review.disposables.push(...this.follow(review));
    void vscode.commands.executeCommand('setContext', 'stepwise.inlineReviewPending', true);
    void vscode.commands.executeCommand('setContext', 'stepwise.inlineReviewPaths', [...new Set([document.uri.path, document.uri.fsPath])]);
    if (request.originalContent !== undefined && request.originalContent !== original) {
      // The proposal was made on text the user has changed since: showing it would show their own typing as "removed".
      queueMicrotask(() => this.withdraw(review));
    } else if (hunks.length === 0) {
      queueMicrotask(() => this.decide(review.id, undefined, 'accepted'));
    } else {
      this.render();
      void this.reveal(review);
    }
    return answer.then((a) => withRejectedHunks(review, a));
  }

  /** A change to the file withdraws the proposal; a reopened file is followed; another pending step closes it. */
  private follow(review: ActiveReview): vscode.Disposable[] {
    return [
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === review.uri && e.contentChanges.length > 0) this.withdraw(review);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        // Reopened later, it is a new document object: follow it by its URI.
        if (d.uri.toString() === review.uri) {
          void vscode.workspace.openTextDocument(d.uri).then(
            (doc) => (review.document = doc),
            () => this.withdraw(review),
          );
        }
      }),
      this.pending.onDidChange((item) => {
        if (item?.id !== review.approvalId) this.close(review);
      }),
    ];
  }

  /**
   * From a lens (review id and hunk), or from a command or the editor title (all open hunks). The
   * editor title names its file: a review of another file is not answered from it.
   */
  accept(reviewId?: number, index?: number, uri?: string): boolean {
    if (uri !== undefined && uri !== this.active?.uri) return false;
    return this.decide(reviewId, index, 'accepted');
  }

  reject(reviewId?: number, index?: number, uri?: string): boolean {
    if (uri !== undefined && uri !== this.active?.uri) return false;
    return this.decide(reviewId, index, 'rejected');
  }

  /** Opens VS Code's diff editor on the whole proposal. */
  async showDiff(): Promise<void> {
    const review = this.active;
    if (!review || review.request.proposedContent === undefined) return;
    // Remembered before opening, so a decision made while the editor opens still closes it.
    review.diffUri ??= this.proposed.add(review.request.paths[0] ?? 'proposal', review.request.proposedContent);
    // Beside the file, so its in-place review stays in view (and a preview tab is not replaced).
    await vscode.commands.executeCommand('vscode.diff', review.document.uri, review.diffUri, l10n.t('{0} (proposed by Stepwise)', review.request.title), {
      preview: false,
      preserveFocus: true,
      viewColumn: vscode.ViewColumn.Beside,
    });
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const review = this.active;
    return review && document.uri.toString() === review.uri ? reviewLenses(document, review) : [];
  }

  /**
   * The keys and the review boxes' buttons: the change a box belongs to, or the one under the
   * cursor in the reviewed file's editor; then the cursor moves to the next change still open. A
   * key with the cursor on no change decides nothing: it moves the cursor to the next change, so
   * what is decided is always what the user has in front of them.
   */
  decideHere(decision: 'accepted' | 'rejected', thread?: unknown): boolean {
    const review = this.active;
    if (!review) return false;
    const target = this.threads.targetOf(thread);
    if (thread !== undefined && !target) return false;
    const editor = vscode.window.activeTextEditor;
    if (!target && editor?.document.uri.toString() !== review.uri) return false;
    const line = editor?.selection.active.line ?? 0;
    const index = target ? (target.reviewId === review.id ? target.index : -1) : this.hunkUnder(review, line);
    if (!target && index < 0) {
      void this.revealNext(review, line, 'line');
      return false;
    }
    if (index < 0 || !this.decide(review.id, index, decision)) return false;
    if (this.active === review) void this.revealNext(review, index, 'hunk');
    return true;
  }

  dispose(): void {
    this.close();
    this.registrations.forEach((d) => d.dispose());
    this.decorations.dispose();
    this.threads.dispose();
    this.lensesChanged.dispose();
  }

  private decide(reviewId: number | undefined, index: number | undefined, decision: Decision): boolean {
    const review = this.active;
    if (!review || (reviewId !== undefined && reviewId !== review.id)) return false;
    if (index === undefined) review.decisions = review.decisions.map((d) => d ?? decision);
    else if (Number.isInteger(index) && index >= 0 && index < review.hunks.length && review.decisions[index] === undefined) review.decisions[index] = decision;
    else return false;
    if (review.decisions.some((d) => d === undefined)) {
      this.render();
      return true;
    }
    const accepted = review.decisions.map((d) => d === 'accepted');
    const answer: ApprovalAnswer = accepted.every(Boolean)
      ? { decision: 'approve' }
      : accepted.some(Boolean)
        ? { decision: 'approve', revisedContent: applyHunks(review.original, review.hunks, accepted) }
        : { decision: 'deny', feedback: 'I rejected this change.' }; // l10n-ignore: feedback for the model
    this.close(review);
    return this.pending.answer(answer, review.approvalId);
  }

  /** The user typed in the file: the proposal was made on text that no longer exists. */
  private withdraw(review: ActiveReview): void {
    this.close(review);
    this.pending.answer(
      {
        decision: 'deny',
        // l10n-ignore: feedback for the model
        feedback: `I edited ${review.request.paths[0] ?? 'the file'} while your change waited for review, so it was not applied. Read the file again and make the change on its current text.`,
      },
      review.approvalId,
    );
  }

  private close(review: ActiveReview | undefined = this.active): void {
    if (!review || review !== this.active) return;
    this.active = undefined;
    review.disposables.forEach((d) => d.dispose());
    if (review.diffUri) {
      this.proposed.remove(review.diffUri);
      void closeDiffTabs(review.diffUri);
    }
    void vscode.commands.executeCommand('setContext', 'stepwise.inlineReviewPending', false);
    void vscode.commands.executeCommand('setContext', 'stepwise.inlineReviewPaths', []);
    this.decorations.clear(review.uri);
    this.threads.clear();
    this.lensesChanged.fire();
  }

  private render(): void {
    const review = this.active;
    this.lensesChanged.fire();
    if (!review) return;
    const pending = (i: number) => review.decisions[i] === undefined;
    this.decorations.show(review.document, review.hunks, pending);
    this.threads.show(review.document, review.id, review.hunks, pending);
  }

  private async reveal(review: ActiveReview): Promise<void> {
    const first = review.hunks[0];
    const editor =
      vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === review.uri) ??
      (await vscode.window.showTextDocument(review.document, { preserveFocus: true, preview: false }));
    if (first) editor.revealRange(new vscode.Range(first.start, 0, first.start, 0), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    this.render();
    // Past MAX_SHOWN_LINES a box shows a hunk's first lines, past MAX_BOXES hunks the later ones wait for a box: the diff editor beside shows all.
    if (review.hunks.length > MAX_BOXES || review.hunks.some((h) => h.added.length > MAX_SHOWN_LINES)) await this.showDiff();
  }

  /** The open hunk whose lines (or, for an insertion, the line it follows) hold `line`; -1 when none. */
  private hunkUnder(review: ActiveReview, line: number): number {
    return review.hunks.findIndex(
      (h, i) => review.decisions[i] === undefined && line >= anchorLine(review.document, h) && line <= h.start + Math.max(0, h.removed.length - 1),
    );
  }

  /** Puts the cursor on the next open hunk after a hunk (or a line), wrapping to the first. */
  private async revealNext(review: ActiveReview, after: number, of: 'hunk' | 'line'): Promise<void> {
    const later = (h: Hunk, i: number) => (of === 'hunk' ? i > after : anchorLine(review.document, h) > after);
    const next = review.hunks.findIndex((h, i) => later(h, i) && review.decisions[i] === undefined);
    const index = next >= 0 ? next : review.decisions.indexOf(undefined);
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === review.uri);
    if (index < 0 || !editor) return;
    const line = anchorLine(review.document, review.hunks[index]!);
    editor.selection = new vscode.Selection(line, 0, line, 0);
    editor.revealRange(new vscode.Range(line, 0, line, 0), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
}

async function closeDiffTabs(uri: vscode.Uri): Promise<void> {
  const tabs = vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === uri.toString());
  if (tabs.length) await vscode.window.tabGroups.close(tabs, true);
}

/**
 * Whoever answered (the sidebar, a command), what the user rejected in the editor stays rejected,
 * and standing answers do not carry over to this file.
 */
function withRejectedHunks(review: ActiveReview, a: ApprovalAnswer): ApprovalAnswer {
  if (a.decision === 'deny' || (a.decision === 'approve' && a.revisedContent !== undefined)) return a;
  if (!review.decisions.includes('rejected')) return { decision: 'approve' };
  const kept = review.decisions.map((d) => d !== 'rejected');
  return { decision: 'approve', revisedContent: applyHunks(review.original, review.hunks, kept) };
}
