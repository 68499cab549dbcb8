/**
 * Approvals in VS Code. One step (or the first plan) waits at a time, under an unguessable id, and
 * every answer names the id of what it was shown for: the sidebar card, a notification's button,
 * an in-place review's lens, the Approve/Reject Pending Step commands. An answer for a step that is
 * no longer pending does nothing, so a stale notification can never approve the next step; once
 * the task is stopped nothing waits, and nothing is approved.
 *
 * Where approvals show: the sidebar when it is there, and a notification when the page has not
 * shown the card (acknowledged it) soon, or there is no sidebar: an edit opens the diff editor with
 * Approve / Reject (/ Always Allow Edits) in a notification; a command shows its full text in a
 * modal. A notification left open for a step that was answered elsewhere is withdrawn.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import type { ApprovalAnswer, ApprovalRequest, Approver } from '../core/agent/events';
import type { PlanApprover, PlanDecision } from '../core/agent/planGate';
import type { PlanStep } from '../core/tools/defineTool';
import { escapeControls } from '../core/text/controlChars';
import type { CommandCheck } from '../core/commands/types';
import { saveAllowRules } from './commandRules';
import { alwaysButton, saveStandingAllow } from './standingAllows';
import type { ProposedContent } from './proposedContent';
import type { SidebarVisibility } from './taskProgress';
import type { WorkspaceRoots } from './workspaceRoots';

/** What waits for the user: a step or the first plan, with an unguessable id. */
export type PendingItem = { id: string; kind: 'step'; request: ApprovalRequest } | { id: string; kind: 'plan'; steps: PlanStep[] };

type Entry = PendingItem & { settle(answer: ApprovalAnswer | PlanDecision): void };

/** Ids handed out lately, so a stale one is known as an id (not as feedback text). */
const REMEMBERED_IDS = 200;

/**
 * The one place approvals wait. Any surface answers through it; the first answer wins, and an
 * answer naming another id (stale or forged) is ignored.
 */
export class PendingApprovals {
  private pending: Entry | undefined;
  private readonly changed = new vscode.EventEmitter<PendingItem | undefined>();
  private readonly issued: string[] = [];
  /** Notifications still open, by the id they were shown for. */
  private readonly openToasts = new Set<string>();
  /** Where the pending item has been put in front of the user ('panel', 'notification'). */
  private shownIn = new Set<string>();
  readonly onDidChange = this.changed.event;

  current(): ApprovalRequest | undefined {
    return this.pending?.kind === 'step' ? this.pending.request : undefined;
  }

  item(): PendingItem | undefined {
    return this.pending;
  }

  /** Whether this id (approval id or tool call id) is the step waiting now. */
  isPending(id: string): boolean {
    return this.pending !== undefined && matches(this.pending, id);
  }

  /** Records that the item with this id is on screen in `where`. */
  markShown(id: string, where: 'panel' | 'notification'): void {
    if (this.isPending(id)) this.shownIn.add(where);
  }

  /** Where the pending item has been shown so far. */
  shownWhere(): string[] {
    return [...this.shownIn];
  }

  /** Whether `text` is an id handed out here (now or earlier), rather than, say, feedback. */
  isKnownId(text: string): boolean {
    return this.issued.includes(text);
  }

  /** Waits for an answer; `onShown` receives the id the step waits under (before any answer can come). */
  waitStep(request: ApprovalRequest, signal: AbortSignal, onShown?: (id: string) => void): Promise<ApprovalAnswer> {
    return this.wait({ id: randomUUID(), kind: 'step', request }, signal, { decision: 'deny' }, onShown) as Promise<ApprovalAnswer>;
  }

  waitPlan(steps: PlanStep[], signal: AbortSignal, onShown?: (id: string) => void): Promise<PlanDecision> {
    return this.wait(
      { id: randomUUID(), kind: 'plan', steps },
      signal,
      { decision: 'feedback', feedback: 'The task was cancelled.' }, // l10n-ignore: feedback for the model
      onShown,
    ) as Promise<PlanDecision>;
  }

  /**
   * Answers the pending step. With an id (the approval id, or the step's tool call id) only if it
   * is still the one pending; without one, whatever step is pending (a keybinding, the palette).
   */
  answer(answer: ApprovalAnswer, id?: string): boolean {
    const entry = this.pending;
    if (entry?.kind !== 'step' || (id !== undefined && !matches(entry, id))) return false;
    entry.settle(answer);
    return true;
  }

  answerPlan(decision: PlanDecision, id: string): boolean {
    const entry = this.pending;
    if (entry?.kind !== 'plan' || entry.id !== id) return false;
    entry.settle(decision);
    return true;
  }

  private wait(
    item: PendingItem,
    signal: AbortSignal,
    onAbort: ApprovalAnswer | PlanDecision,
    onShown?: (id: string) => void,
  ): Promise<ApprovalAnswer | PlanDecision> {
    // Stopped before it was asked: nothing waits (a listener added now would never fire).
    if (signal.aborted) return Promise.resolve(onAbort);
    return new Promise((resolve) => {
      const abort = () => entry.settle(onAbort);
      const entry: Entry = {
        ...item,
        settle: (answer) => {
          if (this.pending !== entry) return;
          this.pending = undefined;
          signal.removeEventListener('abort', abort);
          void vscode.commands.executeCommand('setContext', 'stepwise.approvalPending', false);
          this.withdrawToast(entry.id);
          this.changed.fire(undefined);
          resolve(answer);
        },
      };
      // A step still waiting (another run's) is answered "no" rather than left hanging behind this one.
      // l10n-ignore: feedback for the model
      this.pending?.settle(this.pending.kind === 'step' ? { decision: 'deny' } : { decision: 'feedback', feedback: 'Another approval replaced this one.' });
      this.pending = entry;
      this.shownIn = new Set();
      this.remember(item);
      signal.addEventListener('abort', abort, { once: true });
      void vscode.commands.executeCommand('setContext', 'stepwise.approvalPending', true);
      onShown?.(item.id);
      this.changed.fire(item);
    });
  }

  /** Marks a notification open for `id`; call the result when it closes. */
  trackToast(id: string): () => void {
    this.openToasts.add(id);
    return () => this.openToasts.delete(id);
  }

  /**
   * Notifications cannot be closed by an extension: when one is still open for a step answered
   * elsewhere, the notification toasts are hidden (it stays in the notification center, where its
   * buttons answer nothing).
   */
  private withdrawToast(id: string): void {
    if (!this.openToasts.delete(id)) return;
    void vscode.commands.executeCommand('notifications.hideToasts');
  }

  private remember(item: PendingItem): void {
    this.issued.push(item.id);
    if (item.kind === 'step') this.issued.push(item.request.toolCallId);
    if (this.issued.length > REMEMBERED_IDS) this.issued.splice(0, this.issued.length - REMEMBERED_IDS);
  }
}

function matches(entry: PendingItem, id: string): boolean {
  return entry.id === id || (entry.kind === 'step' && entry.request.toolCallId === id);
}

/** A surface that shows pending approvals itself (the sidebar), when it is there. */
export interface ApprovalSurface extends SidebarVisibility {
  /** True when it will show (and reveal) the pending item; false to fall back to notifications. */
  takesApprovals(): boolean;
  /** Resolves true once the page has shown the item with this id, false if it has not within `ms`. */
  whenShown(id: string, ms: number): Promise<boolean>;
}

/** How long the sidebar has to show an approval before a notification asks too. */
const SHOWN_WITHIN_MS = 5000;

export function vscodeApprover(pending: PendingApprovals, proposed: ProposedContent, roots: WorkspaceRoots, surface?: ApprovalSurface): Approver {
  return async (request, signal) => {
    if (signal.aborted) return { decision: 'deny' };
    let id = '';
    const answer = pending.waitStep(request, signal, (shownId) => (id = shownId));
    const notify = () => {
      if (!pending.isPending(id)) return;
      pending.markShown(id, 'notification');
      const shown = request.risk === 'edit' ? showEdit(request, proposed, roots, pending.trackToast(id)) : showCommand(request);
      // A surface that fails to show (a diff editor that does not open) falls back to the plain dialog:
      // a step never waits where no one can see it.
      void shown
        .catch(() => showCommand(request))
        .then((a) => a && pending.answer(a, id))
        .catch(() => undefined);
    };
    if (surface?.takesApprovals()) void surface.whenShown(id, SHOWN_WITHIN_MS).then((seen) => seen || notify());
    else notify();
    const given = await answer;
    // "Always allow" rules, tools and hosts outlive the task: they go to the user's settings (a failure to save only loses that).
    if (given.decision === 'allow_rule') await saveAllowRules(given.rules).catch(() => undefined);
    if (given.decision === 'always') await saveStandingAllow(request).catch(() => undefined);
    return given;
  };
}

/** Plan first, outside the sidebar: the plan in a modal with Approve / Ask for Another Plan. */
export function vscodePlanApprover(pending: PendingApprovals, surface?: ApprovalSurface): PlanApprover {
  return async (steps, signal) => {
    let id = '';
    const decision = pending.waitPlan(steps, signal, (shownId) => (id = shownId));
    const notify = () => {
      if (!pending.isPending(id)) return;
      pending.markShown(id, 'notification');
      const list = steps.map((s, i) => `${i + 1}. ${escapeControls(s.title)}`).join('\n');
      const [approve, another] = [l10n.t('Approve Plan'), l10n.t('Ask for Another Plan')];
      const question = l10n.t('Stepwise proposes this plan. Approve it before any change is made?');
      void vscode.window.showInformationMessage(question, { modal: true, detail: list }, approve, another).then((pick) => {
        if (pick === approve) pending.answerPlan({ decision: 'approve' }, id);
        // l10n-ignore: feedback for the model
        else if (pick === another) pending.answerPlan({ decision: 'feedback', feedback: 'The user asked for another plan.' }, id);
      });
    };
    if (signal.aborted) return decision;
    if (surface?.takesApprovals()) void surface.whenShown(id, SHOWN_WITHIN_MS).then((seen) => seen || notify());
    else notify();
    return decision;
  };
}

/** Opens VS Code's diff editor: the file as it is (or empty, for a new file) against the proposal. */
export async function openProposedDiff(request: ApprovalRequest, proposed: ProposedContent, roots: WorkspaceRoots): Promise<vscode.Uri | undefined> {
  if (request.proposedContent === undefined) return undefined;
  const display = request.paths[0] ?? '';
  const proposedUri = proposed.add(display, request.proposedContent);
  const target = await roots.resolve(display).catch(() => undefined);
  const exists = target
    ? await vscode.workspace.fs.stat(target.uri).then(
        () => true,
        () => false,
      )
    : false;
  const original = exists && target ? target.uri : proposed.add(display, '');
  await vscode.commands.executeCommand('vscode.diff', original, proposedUri, l10n.t('{0} (proposed by Stepwise)', request.title), { preview: true });
  return proposedUri;
}

async function showEdit(request: ApprovalRequest, proposed: ProposedContent, roots: WorkspaceRoots, closed: () => void): Promise<ApprovalAnswer | undefined> {
  try {
    const proposedUri = await openProposedDiff(request, proposed, roots);
    const title = escapeControls(request.title);
    const question = request.protectedPaths?.length
      ? l10n.t('Stepwise: {0}? — protected path ({1}), always asked', title, escapeControls(request.protectedPaths.join(', ')))
      : l10n.t('Stepwise: {0}?', title);
    const [approve, always] = [l10n.t('Approve'), l10n.t('Always Allow Edits')];
    const options = request.protectedPaths?.length ? [approve, l10n.t('Reject')] : [approve, l10n.t('Reject'), always];
    const pick = await vscode.window.showInformationMessage(question, ...options);
    if (proposedUri) proposed.remove(proposedUri);
    // Closing the notification rejects its own step (and only that one): nothing happens without a yes.
    return pick === approve ? { decision: 'approve' } : pick === always ? { decision: 'always' } : { decision: 'deny' };
  } finally {
    closed();
  }
}

async function showCommand(request: ApprovalRequest): Promise<ApprovalAnswer | undefined> {
  const run = request.risk === 'execute' ? l10n.t('Run') : l10n.t('Approve');
  const always = alwaysButton(request);
  const check = request.command;
  const rules = check?.suggestions?.exact ?? [];
  const allowRule = rules.length ? l10n.t('Always Allow {0}', rules.map((r) => escapeControls(r)).join(', ')).slice(0, 120) : undefined;
  const forced = Boolean(request.protectedPaths?.length || check?.alwaysAsk.length);
  const options = forced ? [run] : allowRule ? [run, allowRule, always] : [run, always];
  const why = check ? askLines(check) : [];
  const claim = request.mcpTool?.readOnlyHint ? `\n\n${l10n.t('The server says this tool only reads; Stepwise cannot check that.')}` : '';
  const detail = escapeControls(request.detail ?? request.title) + (why.length ? `\n\n${why.join('\n')}` : '') + claim;
  const what =
    request.risk === 'execute' ? escapeControls(request.title.replace(/^Run: /, 'run: ')).split('\n')[0] : escapeControls(request.title).split('\n')[0];
  const pick = await vscode.window.showWarningMessage(l10n.t('Stepwise wants to {0}', what ?? ''), { modal: true, detail }, ...options);
  if (pick === allowRule && allowRule) return { decision: 'allow_rule', rules };
  return pick === run ? { decision: 'approve' } : pick === always ? { decision: 'always' } : { decision: 'deny' };
}

/** The parts that need a look and why, for the modal's detail. */
function askLines(check: CommandCheck): string[] {
  const lines = check.problems.map((p) => l10n.t('Asked because {0}.', p));
  for (const part of check.parts) {
    const text = escapeControls(part.text.replace(/\s+/g, ' ')).slice(0, 200);
    if (part.status === 'ask') lines.push(`• ${text} — ${escapeControls(part.reasons.join('; '))}`);
    else if (part.status === 'denied') lines.push(l10n.t('• {0} — denied by your rule {1}', text, escapeControls(part.rule ?? '')));
  }
  return lines;
}
