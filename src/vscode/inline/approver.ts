/**
 * Approvals for an inline request: edits to the request's own file are reviewed in place (always —
 * that review is the point of the request, so no standing answer covers them); every other step
 * goes to the normal approval flow under the user's policy, so an edit elsewhere is never silent.
 */
import type { Approver } from '../../core/agent/events';
import type { ApprovalPolicy } from '../../core/approval';
import type { WorkspaceRoots } from '../workspaceRoots';
import type { InlineReviews } from './review';
import type { InlineTarget } from './target';

export function inlineApproval(
  target: InlineTarget,
  reviews: InlineReviews,
  roots: WorkspaceRoots,
  onReview: () => void = () => undefined,
): (policy: ApprovalPolicy, fallback: Approver) => { policy: ApprovalPolicy; approver: Approver; reviewPaths: string[] } {
  // The same file by where it is, not by its display name (a folder may be named like another root).
  const isTarget = async (display: string) => {
    const resolved = await roots.resolve(display).catch(() => undefined);
    return resolved?.uri.fsPath === target.realPath;
  };
  return (policy, fallback) => ({
    // Edits are asked so the review can show them; other files keep the user's own setting below.
    policy: policy.edit === 'deny' ? policy : { ...policy, edit: 'ask' },
    reviewPaths: [target.display],
    approver: async (request, signal) => {
      const single = request.risk === 'edit' && request.paths.length === 1 && request.proposedContent !== undefined;
      if (single && (await isTarget(request.paths[0]!))) {
        onReview();
        return reviews.review(target.document, request, signal);
      }
      if (request.risk === 'edit' && policy.edit === 'auto' && !request.protectedPaths?.length && !request.paths.includes(target.display))
        return { decision: 'approve' };
      const answer = await fallback(request, signal);
      // Standing answers would switch off the in-place review of the request's own file.
      return request.risk === 'edit' && (answer.decision === 'always' || answer.decision === 'approve_next') ? { decision: 'approve' } : answer;
    },
  });
}
