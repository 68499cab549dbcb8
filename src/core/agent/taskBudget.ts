/**
 * The per-task budget: before a request would take the task past its tokens or its estimated
 * cost, the loop pauses and asks. A yes grants another budget's worth; a no — or nobody to ask —
 * stops the task before anything more is sent.
 */
import * as l10n from '@vscode/l10n';
import { formatUsd } from '../text/summaries';
import { costOf, type ModelFacts } from '../model/catalog';

export interface TaskBudget {
  /** Prompt + completion tokens for the whole task. */
  tokens?: number;
  /** Estimated USD for the whole task (needs a priced model). */
  costUsd?: number;
}

export interface BudgetStatus {
  spentTokens: number;
  /** Estimated, when the model is priced. */
  spentCostUsd?: number;
  nextPromptTokens: number;
  /** What would be passed: "120,000 tokens" or "$0.50". */
  limit: string;
}

/** "The task has used 1,600 tokens (about $0.1900); the next request (about 900 tokens) would go over the budget of 2,500 tokens." */
export function describeBudgetStop(status: BudgetStatus): string {
  const spent = status.spentTokens.toLocaleString('en-US');
  const next = status.nextPromptTokens.toLocaleString('en-US');
  return status.spentCostUsd !== undefined
    ? l10n.t(
        'The task has used {0} tokens (about {1}); the next request (about {2} tokens) would go over the budget of {3}.',
        spent,
        formatUsd(status.spentCostUsd),
        next,
        status.limit,
      )
    : l10n.t('The task has used {0} tokens; the next request (about {1} tokens) would go over the budget of {2}.', spent, next, status.limit);
}

/** Resolves true to continue past the budget (for another budget's worth), false to stop. */
export type BudgetApprover = (status: BudgetStatus, signal: AbortSignal) => Promise<boolean>;

export interface SpentSoFar {
  promptTokens: number;
  completionTokens: number;
}

export class TaskBudgetGuard {
  private tokenLimit: number | undefined;
  private costLimit: number | undefined;

  constructor(
    private readonly budget: TaskBudget = {},
    private readonly facts: ModelFacts | undefined,
    private readonly approver: BudgetApprover | undefined,
  ) {
    this.tokenLimit = budget.tokens;
    this.costLimit = costOf(facts, 0, 0) === undefined ? undefined : budget.costUsd;
  }

  /** Whether a cost budget was asked for but cannot apply (the model has no known price). */
  get costUnenforceable(): boolean {
    return this.budget.costUsd !== undefined && this.costLimit === undefined;
  }

  /** Whether a request of this size would pass the budget (nobody is asked). */
  wouldPass(spent: SpentSoFar, nextPromptTokens: number): boolean {
    const next = costOf(this.facts, spent.promptTokens + nextPromptTokens, spent.completionTokens);
    const overTokens = this.tokenLimit !== undefined && spent.promptTokens + spent.completionTokens + nextPromptTokens > this.tokenLimit;
    return overTokens || (this.costLimit !== undefined && next !== undefined && next > this.costLimit);
  }

  /** undefined to go on; otherwise why the task stops. */
  async check(spent: SpentSoFar, nextPromptTokens: number, signal: AbortSignal): Promise<string | undefined> {
    const spentTokens = spent.promptTokens + spent.completionTokens;
    const spentCost = costOf(this.facts, spent.promptTokens, spent.completionTokens);
    const nextCost = costOf(this.facts, spent.promptTokens + nextPromptTokens, spent.completionTokens);
    const overTokens = this.tokenLimit !== undefined && spentTokens + nextPromptTokens > this.tokenLimit;
    const overCost = this.costLimit !== undefined && nextCost !== undefined && nextCost > this.costLimit;
    if (!overTokens && !overCost) return undefined;

    const limit = overTokens ? l10n.t('{0} tokens', this.tokenLimit!.toLocaleString('en-US')) : usd(this.costLimit!);
    const status: BudgetStatus = { spentTokens, ...(spentCost !== undefined ? { spentCostUsd: spentCost } : {}), nextPromptTokens, limit };
    const goOn = this.approver ? await this.approver(status, signal).catch(() => false) : false;
    if (signal.aborted) return l10n.t('Cancelled by the user.');
    if (!goOn) {
      const spentText = spentTokens.toLocaleString('en-US');
      return spentCost !== undefined
        ? l10n.t(
            'Paused at the task budget of {0}: {1} tokens used (about {2}), and the next request would go over. Nothing more was sent; raise the budget to continue.',
            limit,
            spentText,
            formatUsd(spentCost),
          )
        : l10n.t(
            'Paused at the task budget of {0}: {1} tokens used, and the next request would go over. Nothing more was sent; raise the budget to continue.',
            limit,
            spentText,
          );
    }
    if (overTokens) this.tokenLimit = Math.max(this.tokenLimit! + this.budget.tokens!, spentTokens + nextPromptTokens);
    if (overCost) this.costLimit = Math.max(this.costLimit! + this.budget.costUsd!, nextCost!);
    return undefined;
  }
}

const usd = formatUsd;
