/**
 * The approval gate: applies the policy, remembers standing answers ("the next N", "always for
 * edits" — each for the kind of step it was given on), and otherwise asks the injected approver.
 * No approver means no: the step is denied and the model is told why. Protected paths (and, for
 * reads, files listed in .stepwiseignore) are never covered by the policy or a standing answer.
 * Once the task is cancelled nothing is approved, whatever is answered.
 */
import { decide, type ApprovalPolicy, type PathProtection, type RiskClass } from '../approval';
import type { ApprovalOutcome, Approver, EventSink, StepDescription } from './events';

export class ApprovalGate {
  private readonly always = new Set<RiskClass>();
  private readonly approveNext = new Map<RiskClass, number>();

  constructor(
    private readonly policy: ApprovalPolicy,
    private readonly protectedPaths: PathProtection,
    private readonly approver: Approver | undefined,
    private readonly emit: EventSink,
    /** Paths whose edits are always shown (an inline request's file): no standing answer covers them. */
    private readonly reviewPaths: readonly string[] = [],
  ) {}

  /** Whether a path is listed in .stepwiseignore: its content is shown to the model only when the user allows it. */
  isPrivate(path: string): boolean {
    return this.protectedPaths.isPrivate(path);
  }

  get hasPrivateRules(): boolean {
    return this.protectedPaths.hasPrivateRules;
  }

  /**
   * Reads run without a word when the policy allows them (the default) and touch no file listed in
   * .stepwiseignore; otherwise they are asked like any step.
   */
  async approveRead(step: StepDescription, toolCallId: string, signal: AbortSignal): Promise<ApprovalOutcome> {
    if (this.policy.read === 'auto' && !step.paths.some((p) => this.isPrivate(p)) && !signal.aborted) return { approved: true, by: 'policy' };
    return this.approve(step, toolCallId, signal);
  }

  async approve(step: StepDescription, toolCallId: string, signal: AbortSignal): Promise<ApprovalOutcome> {
    // For a read, what needs an explicit yes is a file kept from the model; for a change, any protected path.
    const protectedPaths = step.paths.filter((p) => (step.risk === 'read' ? this.isPrivate(p) : this.protectedPaths.matches(p)));
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

    const cancelled = () => record({ approved: false, reason: 'The task was cancelled.' });
    if (signal.aborted) return cancelled();
    if (decision === 'deny') {
      return record({ approved: false, reason: `${capitalize(step.risk)} steps are not allowed in this workspace.` });
    }
    if (decision === 'allow') return record({ approved: true, by: 'policy' });
    if (standing && this.always.has(step.risk)) return record({ approved: true, by: 'user' });
    const next = this.approveNext.get(step.risk) ?? 0;
    if (standing && next > 0) {
      this.approveNext.set(step.risk, next - 1);
      return record({ approved: true, by: 'user' });
    }
    if (!this.approver) {
      const why = protectedPaths.length
        ? step.risk === 'read'
          ? `${protectedPaths.join(', ')} is a protected path (listed in .stepwiseignore, so it is kept from the model unless the user allows it)`
          : `${protectedPaths.join(', ')} is a protected path, which always needs an explicit approval`
        : `${step.risk} steps are not pre-approved`;
      return record({ approved: false, reason: `This step needs the user's approval, and no one can approve it in this run (${why}). It was not run.` });
    }
    let answer;
    try {
      answer = await this.approver({ ...step, toolCallId, ...(protectedPaths.length ? { protectedPaths } : {}) }, signal);
    } catch {
      return signal.aborted ? cancelled() : record({ approved: false, reason: 'The approval could not be asked.' });
    }
    // Stop wins over a click that arrives with it or after it.
    if (signal.aborted) return cancelled();
    switch (answer.decision) {
      case 'approve':
        return record({ approved: true, by: 'user', ...(answer.revisedContent !== undefined ? { revisedContent: answer.revisedContent } : {}) });
      case 'approve_next':
        this.approveNext.set(step.risk, Math.max(0, Math.floor(answer.count) - 1));
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
