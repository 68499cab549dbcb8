/**
 * The approval gate: applies the policy, remembers standing answers ("the next N", "always for
 * edits"), and otherwise asks the injected approver. No approver means no: the step is denied
 * and the model is told why. Protected paths are never covered by a standing answer.
 */
import { decide, type ApprovalPolicy, type ProtectedPaths, type RiskClass } from '../approval';
import type { ApprovalOutcome, Approver, EventSink, StepDescription } from './events';

export class ApprovalGate {
  private readonly always = new Set<RiskClass>();
  private approveNext = 0;

  constructor(
    private readonly policy: ApprovalPolicy,
    private readonly protectedPaths: ProtectedPaths,
    private readonly approver: Approver | undefined,
    private readonly emit: EventSink,
    /** Paths whose edits are always shown (an inline request's file): no standing answer covers them. */
    private readonly reviewPaths: readonly string[] = [],
  ) {}

  /** Reads run without a word when the policy allows them (the default); otherwise they are asked like any step. */
  async approveRead(step: StepDescription, toolCallId: string, signal: AbortSignal): Promise<ApprovalOutcome> {
    if (this.policy.read === 'auto') return { approved: true, by: 'policy' };
    return this.approve(step, toolCallId, signal);
  }

  async approve(step: StepDescription, toolCallId: string, signal: AbortSignal): Promise<ApprovalOutcome> {
    const protectedPaths = step.paths.filter((p) => this.protectedPaths.matches(p));
    const decision = decide(step.risk, this.policy, protectedPaths.length > 0);
    const standing = protectedPaths.length === 0 && !step.paths.some((p) => this.reviewPaths.includes(p));
    const record = (outcome: ApprovalOutcome): ApprovalOutcome => {
      this.emit({
        type: 'approval',
        id: toolCallId,
        decision: outcome.approved ? 'approved' : 'denied',
        by: outcome.approved ? outcome.by : 'user',
        ...(!outcome.approved && outcome.feedback ? { feedback: outcome.feedback } : {}),
      });
      return outcome;
    };

    if (decision === 'deny') {
      return record({ approved: false, reason: `${capitalize(step.risk)} steps are not allowed in this workspace.` });
    }
    if (decision === 'allow') return record({ approved: true, by: 'policy' });
    if (standing && this.always.has(step.risk)) return record({ approved: true, by: 'user' });
    if (standing && this.approveNext > 0) {
      this.approveNext--;
      return record({ approved: true, by: 'user' });
    }
    if (!this.approver) {
      const why = protectedPaths.length
        ? `${protectedPaths.join(', ')} is a protected path, which always needs an explicit approval`
        : `${step.risk} steps are not pre-approved`;
      return record({ approved: false, reason: `This step needs the user's approval, and no one can approve it in this run (${why}). It was not run.` });
    }
    let answer;
    try {
      answer = await this.approver({ ...step, toolCallId, ...(protectedPaths.length ? { protectedPaths } : {}) }, signal);
    } catch {
      return record({ approved: false, reason: signal.aborted ? 'The task was cancelled.' : 'The approval could not be asked.' });
    }
    switch (answer.decision) {
      case 'approve':
        return record({ approved: true, by: 'user', ...(answer.revisedContent !== undefined ? { revisedContent: answer.revisedContent } : {}) });
      case 'approve_next':
        this.approveNext = Math.max(0, Math.floor(answer.count) - 1);
        return record({ approved: true, by: 'user' });
      case 'always':
        this.always.add(step.risk);
        return record({ approved: true, by: 'user' });
      case 'deny':
        return record({ approved: false, reason: 'The user denied this step.', ...(answer.feedback ? { feedback: answer.feedback } : {}) });
    }
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
