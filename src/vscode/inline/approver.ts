/**
 * Approvals for an inline request: edits to the request's own file are reviewed in place (always —
 * that review is the point of the request); every other step goes to the normal approval flow
 * under the user's policy, so an edit elsewhere is never silent.
 */
import type { Approver } from '../../core/agent/events';
import type { ApprovalPolicy } from '../../core/approval';
import type { InlineReviews } from './review';
import type { InlineTarget } from './target';

export function inlineApproval(
  target: InlineTarget,
  reviews: InlineReviews,
  onReview: () => void = () => undefined,
): (policy: ApprovalPolicy, fallback: Approver) => { policy: ApprovalPolicy; approver: Approver } {
  return (policy, fallback) => ({
    // Edits are asked so the review can show them; other files keep the user's own setting below.
    policy: policy.edit === 'deny' ? policy : { ...policy, edit: 'ask' },
    approver: async (request, signal) => {
      const own = request.risk === 'edit' && request.paths.length === 1 && request.paths[0] === target.display && request.proposedContent !== undefined;
      if (own) {
        onReview();
        return reviews.review(target.document, request, signal);
      }
      if (request.risk === 'edit' && policy.edit === 'auto' && !request.protectedPaths?.length) return { decision: 'approve' };
      const answer = await fallback(request, signal);
      // "Always allow edits" here must not switch off the in-place review of the request's own file.
      return request.risk === 'edit' && answer.decision === 'always' ? { decision: 'approve' } : answer;
    },
  });
}
