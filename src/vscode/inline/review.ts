/**
 * Review in place: a proposed edit to the file an inline request is about is shown in its editor
 * as an inline diff — removed lines struck through on a red background, the new lines as ghost
 * text after them and in full on hover — with Accept / Reject above each hunk and Accept All /
 * Reject All. Nothing touches the file until the user decides: accepting all or some hunks
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
import { applyHunks, changedLineCount, lineHunks, type Hunk } from '../../core/review/hunks';
import type { PendingApprovals } from '../approvals';
import type { ProposedContent } from '../proposedContent';
import { ReviewDecorations, stripEol } from './reviewDecorations';

/** Above this many changed lines, or a hunk adding more than a few, the diff editor opens beside: ghost text shows one line per hunk. */
const LARGE_CHANGE_LINES = 40;
const LARGE_HUNK_ADDED = 6;

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

export class InlineReviews implements vscode.CodeLensProvider, vscode.HoverProvider, vscode.Disposable {
  private active: ActiveReview | undefined;
  private nextId = 0;
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  private readonly decorations = new ReviewDecorations();
  private readonly registrations: vscode.Disposable[];

  constructor(
    private readonly pending: PendingApprovals,
    private readonly proposed: ProposedContent,
  ) {
    this.registrations = [
      vscode.languages.registerCodeLensProvider({ scheme: 'file' }, this),
      vscode.languages.registerHoverProvider({ scheme: 'file' }, this),
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
    if (!review || document.uri.toString() !== review.uri) return [];
    const lenses: vscode.CodeLens[] = [];
    const open = review.hunks.map((_, i) => i).filter((i) => review.decisions[i] === undefined);
    open.forEach((i, n) => {
      const range = new vscode.Range(anchorLine(document, review.hunks[i]!), 0, anchorLine(document, review.hunks[i]!), 0);
      const accept = review.hunks.length > 1 ? l10n.t('$(check) Accept ({0}/{1})', i + 1, review.hunks.length) : l10n.t('$(check) Accept');
      lenses.push(
        new vscode.CodeLens(range, { title: accept, command: 'stepwise.acceptChange', arguments: [review.id, i], tooltip: l10n.t('Keep this change') }),
        new vscode.CodeLens(range, {
          title: l10n.t('$(discard) Reject'),
          command: 'stepwise.rejectChange',
          arguments: [review.id, i],
          tooltip: l10n.t('Leave these lines as they are'),
        }),
      );
      if (n === 0 && open.length > 1) {
        lenses.push(
          new vscode.CodeLens(range, { title: l10n.t('Accept All ({0})', open.length), command: 'stepwise.acceptChange', arguments: [review.id] }),
          new vscode.CodeLens(range, { title: l10n.t('Reject All'), command: 'stepwise.rejectChange', arguments: [review.id] }),
        );
      }
      if (n === 0) lenses.push(new vscode.CodeLens(range, { title: l10n.t('$(diff) Diff'), command: 'stepwise.showChangeDiff', arguments: [] }));
    });
    return lenses;
  }

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const review = this.active;
    if (!review || document.uri.toString() !== review.uri) return undefined;
    const i = review.hunks.findIndex(
      (h, k) =>
        review.decisions[k] === undefined &&
        position.line >= h.start - (h.removed.length ? 0 : 1) &&
        position.line <= Math.max(h.start, h.start + h.removed.length - 1),
    );
    if (i < 0) return undefined;
    const hunk = review.hunks[i]!;
    const body = [...hunk.removed.map((l) => `-${stripEol(l)}`), ...hunk.added.map((l) => `+${stripEol(l)}`)].join('\n');
    const markdown = new vscode.MarkdownString(`${l10n.t('**Stepwise proposes** (change {0} of {1})', i + 1, review.hunks.length)}\n\n`);
    markdown.appendCodeblock(body, 'diff');
    const args = encodeURIComponent(JSON.stringify([review.id, i]));
    const links = l10n.t('[Accept]({0}) · [Reject]({1})', `command:stepwise.acceptChange?${args}`, `command:stepwise.rejectChange?${args}`);
    markdown.appendMarkdown(`\n${links}`);
    markdown.isTrusted = { enabledCommands: ['stepwise.acceptChange', 'stepwise.rejectChange'] };
    return new vscode.Hover(markdown);
  }

  dispose(): void {
    this.close();
    this.registrations.forEach((d) => d.dispose());
    this.decorations.dispose();
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
    this.lensesChanged.fire();
  }

  private render(): void {
    const review = this.active;
    this.lensesChanged.fire();
    if (review) this.decorations.show(review.document, review.hunks, (i) => review.decisions[i] === undefined);
  }

  private async reveal(review: ActiveReview): Promise<void> {
    const first = review.hunks[0];
    const editor =
      vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === review.uri) ??
      (await vscode.window.showTextDocument(review.document, { preserveFocus: true, preview: false }));
    if (first) editor.revealRange(new vscode.Range(first.start, 0, first.start, 0), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    this.render();
    if (changedLineCount(review.hunks) > LARGE_CHANGE_LINES || review.hunks.some((h) => h.added.length > LARGE_HUNK_ADDED)) await this.showDiff();
  }
}

/** The line a hunk's lens sits on: its first removed line, or the line it inserts before. */
function anchorLine(document: vscode.TextDocument, hunk: Hunk): number {
  return Math.max(0, Math.min(hunk.start, document.lineCount - 1));
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
