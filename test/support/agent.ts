/** Runs the real agent loop against the scripted server on a temporary workspace. */
import type { TaskContextOptions } from '../../src/core/context/taskContext';
import type { AgentEvent, Approver } from '../../src/core/agent/events';
import { runAgent, type AgentOutcome, type TaskControl } from '../../src/core/agent/loop';
import type { CompactionMethod } from '../../src/core/agent/compaction';
import type { WebAccess } from '../../src/core/tools/defineTool';
import type { PlanApprover } from '../../src/core/agent/planGate';
import type { BudgetApprover, TaskBudget } from '../../src/core/agent/taskBudget';
import type { ModelFacts } from '../../src/core/model/catalog';
import { policyFromLevel, type ApprovalPolicy } from '../../src/core/approval';
import { NodeHost } from '../../src/core/host/nodeHost';
import { loadProtection } from '../../src/core/host/workspaceProtection';
import { OpenAIClient } from '../../src/core/model/openaiClient';
import { ToolProtocolClient, type ToolProtocol } from '../../src/core/model/toolProtocolClient';
import { DEFAULT_LIMITS } from '../../src/core/tools/limits';
import { defaultTools, type ToolSource } from '../../src/core/tools/registry';

export interface AgentRun extends AgentOutcome {
  events: AgentEvent[];
}

export async function runScripted(
  goal: string,
  options: {
    url: string;
    root: string;
    policy?: ApprovalPolicy;
    approver?: Approver;
    planApprover?: PlanApprover;
    maxSteps?: number;
    contextTokens?: number;
    signal?: AbortSignal;
    toolProtocol?: ToolProtocol;
    taskBudget?: TaskBudget;
    budgetApprover?: BudgetApprover;
    modelFacts?: ModelFacts;
    context?: TaskContextOptions;
    compaction?: CompactionMethod;
    control?: TaskControl;
    web?: WebAccess;
    /** Tools besides the built-in ones (an MCP hub). */
    toolSource?: ToolSource;
    mcpAllow?: string[];
  },
): Promise<AgentRun> {
  const events: AgentEvent[] = [];
  const outcome = await runAgent(
    goal,
    {
      model: new ToolProtocolClient(
        new OpenAIClient({ baseUrl: options.url, model: 'scripted-model', retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20, maxRetryAfterMs: 1000 } }),
        options.toolProtocol,
      ),
      host: new NodeHost(options.root),
      tools: options.toolSource ? defaultTools().with(options.toolSource) : defaultTools(),
      ...(options.mcpAllow ? { mcpAllow: options.mcpAllow } : {}),
      policy: options.policy ?? policyFromLevel('edits'),
      protectedPaths: await loadProtection(options.root),
      ...(options.approver ? { approver: options.approver } : {}),
      ...(options.planApprover ? { planApprover: options.planApprover } : {}),
      limits: DEFAULT_LIMITS,
      maxSteps: options.maxSteps ?? 20,
      contextTokens: options.contextTokens ?? 32_768,
      ...(options.taskBudget ? { taskBudget: options.taskBudget } : {}),
      ...(options.budgetApprover ? { budgetApprover: options.budgetApprover } : {}),
      ...(options.modelFacts ? { modelFacts: options.modelFacts } : {}),
      ...(options.context ? { context: options.context } : {}),
      ...(options.compaction ? { compaction: options.compaction } : {}),
      ...(options.control ? { control: options.control } : {}),
      ...(options.web ? { web: options.web } : {}),
      onEvent: (e) => events.push(e),
    },
    options.signal ?? new AbortController().signal,
  );
  return { ...outcome, events };
}

/** The tool messages the model was sent in a recorded request. */
export function toolMessages(body: any): string[] {
  return (body?.messages ?? []).filter((m: any) => m.role === 'tool').map((m: any) => m.content);
}
