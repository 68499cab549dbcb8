/**
 * Plan first: when enabled, the model's first plan goes to the user before any edit or command
 * runs. The user approves it (possibly edited) or sends feedback for a new one. Reads are never
 * held back, so the model can look around before it plans.
 */
// l10n-ignore-file: plan feedback is a tool result for the model
import type { PlanApprover, PlanDecision, PlanReview, PlanStep } from '../contracts';

export type { PlanApprover, PlanDecision, PlanReview } from '../contracts';

export class PlanGate {
  private approvedPlan: boolean;

  constructor(private readonly approver: PlanApprover | undefined) {
    this.approvedPlan = approver === undefined;
  }

  /** Whether edits and commands may run yet. */
  get open(): boolean {
    return this.approvedPlan;
  }

  async review(steps: PlanStep[], signal: AbortSignal): Promise<PlanReview> {
    if (this.approvedPlan || !this.approver) return { approved: true, steps, edited: false };
    if (signal.aborted) return { approved: false, feedback: 'The task was cancelled.' };
    let decision: PlanDecision;
    try {
      decision = await this.approver(steps, signal);
    } catch {
      return { approved: false, feedback: signal.aborted ? 'The task was cancelled.' : 'The plan could not be shown to the user.' };
    }
    if (signal.aborted) return { approved: false, feedback: 'The task was cancelled.' };
    if (decision.decision === 'feedback') return { approved: false, feedback: decision.feedback };
    this.approvedPlan = true;
    const final = decision.steps?.length ? decision.steps : steps;
    return { approved: true, steps: final, edited: JSON.stringify(final) !== JSON.stringify(steps) };
  }
}
