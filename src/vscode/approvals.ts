/**
 * Approvals in VS Code (until the sidebar takes them over): an edit opens the diff editor
 * (current vs proposed) with Approve / Reject / Always Allow Edits; a command shows its full text
 * in a modal. The pending step can also be answered with the Stepwise: Approve/Reject Pending Step
 * commands (keybindings, tests). The first answer wins.
 */
import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import type { ApprovalAnswer, ApprovalRequest, Approver } from '../core/agent/events';
import type { PlanApprover, PlanDecision } from '../core/agent/planGate';
import type { PlanStep } from '../core/tools/defineTool';
import type { ProposedContent } from './proposedContent';
import type { WorkspaceRoots } from './workspaceRoots';

/** What waits for the user: a step or the first plan, with an unguessable id. */
export type PendingItem =
  | { id: string; kind: 'step'; request: ApprovalRequest }
  | { id: string; kind: 'plan'; steps: PlanStep[] };

type Entry = PendingItem & { settle(answer: ApprovalAnswer | PlanDecision): void };

/**
 * The one place approvals wait. Any surface (the sidebar, a notification, a command) answers
 * through it; the first answer wins, and an answer naming another id (stale or forged) is ignored.
 */
export class PendingApprovals {
  private pending: Entry | undefined;
  private readonly changed = new vscode.EventEmitter<PendingItem | undefined>();
  readonly onDidChange = this.changed.event;

  current(): ApprovalRequest | undefined {
    return this.pending?.kind === 'step' ? this.pending.request : undefined;
  }

  item(): PendingItem | undefined {
    return this.pending;
  }

  waitStep(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalAnswer> {
    return this.wait({ id: randomUUID(), kind: 'step', request }, signal, { decision: 'deny' }) as Promise<ApprovalAnswer>;
  }

  waitPlan(steps: PlanStep[], signal: AbortSignal): Promise<PlanDecision> {
    return this.wait({ id: randomUUID(), kind: 'plan', steps }, signal, { decision: 'feedback', feedback: 'The task was cancelled.' }) as Promise<PlanDecision>;
  }

  /** Answers the pending step; with an id, only if it is still the one pending. */
  answer(answer: ApprovalAnswer, id?: string): boolean {
    const entry = this.pending;
    if (entry?.kind !== 'step' || (id !== undefined && entry.id !== id)) return false;
    entry.settle(answer);
    return true;
  }

  answerPlan(decision: PlanDecision, id: string): boolean {
    const entry = this.pending;
    if (entry?.kind !== 'plan' || entry.id !== id) return false;
    entry.settle(decision);
    return true;
  }

  private wait(item: PendingItem, signal: AbortSignal, onAbort: ApprovalAnswer | PlanDecision): Promise<ApprovalAnswer | PlanDecision> {
    return new Promise((resolve) => {
      const abort = () => entry.settle(onAbort);
      const entry: Entry = {
        ...item,
        settle: (answer) => {
          if (this.pending !== entry) return;
          this.pending = undefined;
          signal.removeEventListener('abort', abort);
          void vscode.commands.executeCommand('setContext', 'stepwise.approvalPending', false);
          this.changed.fire(undefined);
          resolve(answer);
        },
      };
      this.pending = entry;
      signal.addEventListener('abort', abort, { once: true });
      void vscode.commands.executeCommand('setContext', 'stepwise.approvalPending', true);
      this.changed.fire(item);
    });
  }
}

/** A surface that shows pending approvals itself (the sidebar), when it is there. */
export interface ApprovalSurface {
  /** True when it will show (and reveal) the pending item; false to fall back to notifications. */
  takesApprovals(): boolean;
}

const APPROVE = 'Approve';
const REJECT = 'Reject';

export function vscodeApprover(pending: PendingApprovals, proposed: ProposedContent, roots: WorkspaceRoots, surface?: ApprovalSurface): Approver {
  return async (request, signal) => {
    const answer = pending.waitStep(request, signal);
    if (surface?.takesApprovals()) return answer;
    const shown = request.risk === 'edit' ? showEdit(request, proposed, roots) : showCommand(request);
    void shown.then((a) => a && pending.answer(a));
    return answer;
  };
}

/** Plan first, outside the sidebar: the plan in a modal with Approve / Ask for Another Plan. */
export function vscodePlanApprover(pending: PendingApprovals, surface?: ApprovalSurface): PlanApprover {
  return async (steps, signal) => {
    const decision = pending.waitPlan(steps, signal);
    if (!surface?.takesApprovals()) {
      const id = pending.item()?.id ?? '';
      const list = steps.map((s, i) => `${i + 1}. ${s.title}`).join('\n');
      void vscode.window
        .showInformationMessage('Stepwise proposes this plan. Approve it before any change is made?', { modal: true, detail: list }, 'Approve Plan', 'Ask for Another Plan')
        .then((pick) => {
          if (pick === 'Approve Plan') pending.answerPlan({ decision: 'approve' }, id);
          else pending.answerPlan({ decision: 'feedback', feedback: 'The user asked for another plan.' }, id);
        });
    }
    return decision;
  };
}

/** Opens VS Code's diff editor: the file as it is (or empty, for a new file) against the proposal. */
export async function openProposedDiff(request: ApprovalRequest, proposed: ProposedContent, roots: WorkspaceRoots): Promise<vscode.Uri | undefined> {
  if (request.proposedContent === undefined) return undefined;
  const display = request.paths[0] ?? '';
  const proposedUri = proposed.add(display, request.proposedContent);
  const target = await roots.resolve(display).catch(() => undefined);
  const exists = target ? await vscode.workspace.fs.stat(target.uri).then(() => true, () => false) : false;
  const original = exists && target ? target.uri : proposed.add(display, '');
  await vscode.commands.executeCommand('vscode.diff', original, proposedUri, `${request.title} (proposed by Stepwise)`, { preview: true });
  return proposedUri;
}

async function showEdit(request: ApprovalRequest, proposed: ProposedContent, roots: WorkspaceRoots): Promise<ApprovalAnswer | undefined> {
  const proposedUri = await openProposedDiff(request, proposed, roots);
  const warning = request.protectedPaths?.length ? ` — protected path (${request.protectedPaths.join(', ')}), always asked` : '';
  const always = 'Always Allow Edits';
  const options = request.protectedPaths?.length ? [APPROVE, REJECT] : [APPROVE, REJECT, always];
  const pick = await vscode.window.showInformationMessage(`Stepwise: ${request.title}?${warning}`, ...options);
  if (proposedUri) proposed.remove(proposedUri);
  // Closing the notification counts as a rejection: nothing happens without a yes.
  return pick === APPROVE ? { decision: 'approve' } : pick === always ? { decision: 'always' } : { decision: 'deny' };
}

async function showCommand(request: ApprovalRequest): Promise<ApprovalAnswer | undefined> {
  const run = request.risk === 'execute' ? 'Run' : APPROVE;
  const always = request.risk === 'execute' ? 'Always Allow Commands' : 'Always Allow';
  const options = request.protectedPaths?.length ? [run] : [run, always];
  const pick = await vscode.window.showWarningMessage(`Stepwise wants to ${request.title.replace(/^Run: /, 'run: ')}`, { modal: true, detail: request.detail ?? request.title }, ...options);
  return pick === run ? { decision: 'approve' } : pick === always ? { decision: 'always' } : { decision: 'deny' };
}
