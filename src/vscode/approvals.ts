/**
 * Approvals in VS Code (until the sidebar takes them over): an edit opens the diff editor
 * (current vs proposed) with Approve / Reject / Always Allow Edits; a command shows its full text
 * in a modal. The pending step can also be answered with the Stepwise: Approve/Reject Pending Step
 * commands (keybindings, tests). The first answer wins.
 */
import * as vscode from 'vscode';
import type { ApprovalAnswer, ApprovalRequest, Approver } from '../core/agent/events';
import type { ProposedContent } from './proposedContent';
import type { WorkspaceRoots } from './workspaceRoots';

interface Pending {
  request: ApprovalRequest;
  answer(answer: ApprovalAnswer): void;
}

export class PendingApprovals {
  private pending: Pending | undefined;
  private readonly changed = new vscode.EventEmitter<ApprovalRequest | undefined>();
  readonly onDidChange = this.changed.event;

  current(): ApprovalRequest | undefined {
    return this.pending?.request;
  }

  /** Registers a request; the returned promise settles with the first answer given. */
  wait(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalAnswer> {
    return new Promise((resolve) => {
      const finish = (answer: ApprovalAnswer) => {
        if (this.pending?.request !== request) return;
        this.pending = undefined;
        signal.removeEventListener('abort', onAbort);
        void vscode.commands.executeCommand('setContext', 'stepwise.approvalPending', false);
        this.changed.fire(undefined);
        resolve(answer);
      };
      const onAbort = () => finish({ decision: 'deny' });
      signal.addEventListener('abort', onAbort, { once: true });
      this.pending = { request, answer: finish };
      void vscode.commands.executeCommand('setContext', 'stepwise.approvalPending', true);
      this.changed.fire(request);
    });
  }

  answer(answer: ApprovalAnswer): boolean {
    if (!this.pending) return false;
    this.pending.answer(answer);
    return true;
  }
}

const APPROVE = 'Approve';
const REJECT = 'Reject';

export function vscodeApprover(pending: PendingApprovals, proposed: ProposedContent, roots: WorkspaceRoots): Approver {
  return async (request, signal) => {
    const answer = pending.wait(request, signal);
    const shown = request.risk === 'edit' ? showEdit(request, proposed, roots) : showCommand(request);
    void shown.then((a) => a && pending.answer(a));
    return answer;
  };
}

async function showEdit(request: ApprovalRequest, proposed: ProposedContent, roots: WorkspaceRoots): Promise<ApprovalAnswer | undefined> {
  const display = request.paths[0] ?? '';
  let proposedUri: vscode.Uri | undefined;
  if (request.proposedContent !== undefined) {
    proposedUri = proposed.add(display, request.proposedContent);
    const target = await roots.resolve(display).catch(() => undefined);
    const exists = target ? await vscode.workspace.fs.stat(target.uri).then(() => true, () => false) : false;
    const original = exists && target ? target.uri : proposed.add(display, '');
    await vscode.commands.executeCommand('vscode.diff', original, proposedUri, `${request.title} (proposed by Stepwise)`, { preview: true });
  }
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
