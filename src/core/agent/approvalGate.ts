/**
 * The approval gate: applies the policy, remembers standing answers ("the next N", "always for
 * edits" — each for the kind of step it was given on), and otherwise asks the injected approver.
 * No approver means no: the step is denied and the model is told why. Protected paths (and, for
 * reads, files listed in .stepwiseignore) are never covered by the policy or a standing answer.
 * Once the task is cancelled nothing is approved, whatever is answered.
 */
// l10n-ignore-file: denial reasons are tool results for the model
import { decide, type ApprovalPolicy, type PathProtection, type RiskClass } from '../approval';
import { CommandRules } from '../commands/ruleSet';
import { allowedByRules, askReasons, type CommandCheck } from '../commands/types';
import { McpAllowList } from '../mcp/allowList';
import type { ApprovalAnswer, ApprovalOutcome, Approver, EventSink, StepDescription } from './events';

export class ApprovalGate {
  private readonly always = new Set<RiskClass>();
  private readonly approveNext = new Map<RiskClass, number>();
  /** Hosts the user let the task fetch from (any yes on a fetch covers its host, and only it). */
  private readonly hosts = new Set<string>();
  /** MCP tools the user answered "Always allow this tool" for, in this task. */
  private readonly mcpTools = new McpAllowList();

  constructor(
    private readonly policy: ApprovalPolicy,
    private readonly protectedPaths: PathProtection,
    private readonly approver: Approver | undefined,
    private readonly emit: EventSink,
    /** Paths whose edits are always shown (an inline request's file): no standing answer covers them. */
    private readonly reviewPaths: readonly string[] = [],
    /** Which commands run without asking, and which never run. */
    readonly commandRules: CommandRules = new CommandRules(),
    /** MCP servers and tools the user lets run without asking (--allow-mcp, a setting). */
    private readonly mcpAllow: McpAllowList = new McpAllowList(),
  ) {}

  get protection(): PathProtection {
    return this.protectedPaths;
  }

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

  /**
   * Asked whatever the policy or a standing answer says: a protected path, other privileges, a deny
   * rule that may match; and, with deny rules set, a command that cannot be read for certain.
   */
  private forcesAsk(command: CommandCheck): boolean {
    return command.alwaysAsk.length > 0 || (command.problems.length > 0 && this.commandRules.hasDenyRules);
  }

  async approve(step: StepDescription, toolCallId: string, signal: AbortSignal): Promise<ApprovalOutcome> {
    // For a read, what needs an explicit yes is a file kept from the model; for a change, any protected path.
    const protectedPaths = step.paths.filter((p) => (step.risk === 'read' ? this.isPrivate(p) : this.protectedPaths.matches(p)));
    const command = step.command;
    const forced = protectedPaths.length > 0 || (command !== undefined && this.forcesAsk(command));
    let decision = decide(step.risk, this.policy, forced);
    // A command every part of which an allow rule covers (and nothing else in it needs a look) runs by itself.
    if (decision === 'ask' && command && allowedByRules(command)) decision = 'allow';
    // A fetch is answered per host, an MCP call per tool: no answer about commands covers them, and theirs cover no command.
    if (step.mcpTool && decision === 'allow' && this.policy.mcp !== 'auto') decision = 'ask';
    if (decision === 'ask' && step.mcpTool && this.mcpAllow.covers(step.mcpTool)) decision = 'allow';
    const perTarget = step.host !== undefined || step.mcpTool !== undefined;
    const standing = !forced && !step.paths.some((p) => this.reviewPaths.includes(p)) && !perTarget;
    const record = (outcome: ApprovalOutcome): ApprovalOutcome => {
      this.emit({
        type: 'approval',
        id: toolCallId,
        decision: outcome.approved ? 'approved' : 'denied',
        by: outcome.approved ? outcome.by : (outcome.by ?? 'user'),
        ...(!outcome.approved && outcome.feedback ? { feedback: outcome.feedback } : {}),
      });
      return outcome;
    };

    const cancelled = () => record({ approved: false, reason: 'The task was cancelled.' });
    if (signal.aborted) return cancelled();
    // A deny rule wins over everything: the policy, standing answers, auto-approval.
    if (command?.deniedBy) {
      const { rule, part } = command.deniedBy;
      return record({
        approved: false,
        by: 'policy',
        reason: `Not run: \`${part}\` matches the user's deny rule \`${rule}\`. Do not try another way to do the same; tell the user if the task needs it.`,
      });
    }
    if (decision === 'deny') {
      return record({ approved: false, by: 'policy', reason: `${capitalize(step.risk)} steps are not allowed in this workspace.` });
    }
    if (decision === 'allow') return record({ approved: true, by: 'policy' });
    if (this.standingYes(step, standing)) return record({ approved: true, by: 'user' });
    if (!this.approver) {
      return record({
        approved: false,
        by: 'policy',
        reason: `This step needs the user's approval, and no one can approve it in this run (${whyAsked(step, protectedPaths)}). It was not run.`,
      });
    }
    let answer;
    try {
      answer = await this.approver({ ...step, toolCallId, ...(protectedPaths.length ? { protectedPaths } : {}) }, signal);
    } catch {
      return signal.aborted ? cancelled() : record({ approved: false, by: 'policy', reason: 'The approval could not be asked.' });
    }
    // Stop wins over a click that arrives with it or after it.
    if (signal.aborted) return cancelled();
    return record(this.perTargetYes(step, answer) ?? this.take(answer, step.risk));
  }

  /** A yes to a fetch covers its host; "always" to an MCP call covers that tool (any other yes, this call only). */
  private perTargetYes(step: StepDescription, answer: ApprovalAnswer): ApprovalOutcome | undefined {
    if (answer.decision === 'deny') return undefined;
    if (step.host !== undefined) this.hosts.add(step.host);
    else if (step.mcpTool && answer.decision === 'always') this.mcpTools.allowTool(step.mcpTool);
    else if (!step.mcpTool) return undefined;
    return { approved: true, by: 'user' };
  }

  /** An earlier answer covers this step: the fetch's host, "always" for its kind, or one of "the next N". */
  private standingYes(step: StepDescription, standing: boolean): boolean {
    if (step.host !== undefined) return this.hosts.has(step.host);
    if (step.mcpTool) return this.mcpTools.covers(step.mcpTool);
    if (standing && this.always.has(step.risk)) return true;
    const next = this.approveNext.get(step.risk) ?? 0;
    if (!standing || next <= 0) return false;
    this.approveNext.set(step.risk, next - 1);
    return true;
  }

  /** The user's answer as an outcome; standing answers and rules are remembered for the next steps. */
  private take(answer: ApprovalAnswer, risk: RiskClass): ApprovalOutcome {
    switch (answer.decision) {
      case 'approve':
        return { approved: true, by: 'user', ...(answer.revisedContent !== undefined ? { revisedContent: answer.revisedContent } : {}) };
      case 'approve_next':
        this.approveNext.set(risk, Math.max(0, Math.floor(answer.count) - 1));
        return { approved: true, by: 'user' };
      case 'always':
        this.always.add(risk);
        return { approved: true, by: 'user' };
      case 'allow_rule':
        for (const rule of answer.rules) {
          try {
            this.commandRules.addAllow(rule);
          } catch {
            // Offered rules are valid; anything else only approves this step.
          }
        }
        return { approved: true, by: 'user' };
      case 'deny':
        return { approved: false, reason: 'The user denied this step.', ...(answer.feedback ? { feedback: answer.feedback } : {}) };
    }
  }
}

/** Why a step needs the user, in the words the model is told when no one can be asked. */
function whyAsked(step: StepDescription, protectedPaths: string[]): string {
  if (protectedPaths.length) {
    return step.risk === 'read'
      ? `${protectedPaths.join(', ')} is a protected path (listed in .stepwiseignore, so it is kept from the model unless the user allows it)`
      : `${protectedPaths.join(', ')} is a protected path, which always needs an explicit approval`;
  }
  if (step.mcpTool)
    return `MCP tool calls are asked unless the user allows the server or tool (--allow-mcp ${step.mcpTool.server}/${step.mcpTool.tool}, or stepwise.mcp.allow)`;
  return (step.command && askReasons(step.command)) || `${step.risk} steps are not pre-approved`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
