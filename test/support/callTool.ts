/** Runs one tool call through the real executor (validation, approval, caps), as the loop does. */
import { ApprovalGate } from '../../src/core/agent/approvalGate';
import type { AgentEvent, Approver } from '../../src/core/agent/events';
import { ToolExecutor } from '../../src/core/agent/toolExecutor';
import { policyFromLevel, ProtectedPaths, type ApprovalPolicy } from '../../src/core/approval';
import type { Host } from '../../src/core/host/host';
import type { ToolResult } from '../../src/core/tools/defineTool';
import { DEFAULT_LIMITS, type Limits } from '../../src/core/tools/limits';
import { defaultTools } from '../../src/core/tools/registry';

export interface CallOptions {
  policy?: ApprovalPolicy;
  approver?: Approver;
  limits?: Partial<Limits>;
  signal?: AbortSignal;
  events?: AgentEvent[];
}

export async function callTool(host: Host, name: string, args: unknown, options: CallOptions = {}): Promise<ToolResult> {
  const events = options.events ?? [];
  const emit = (e: AgentEvent) => events.push(e);
  const gate = new ApprovalGate(options.policy ?? policyFromLevel('all'), new ProtectedPaths(), options.approver, emit);
  const executor = new ToolExecutor(defaultTools(), host, gate, { ...DEFAULT_LIMITS, ...options.limits }, emit);
  const raw = typeof args === 'string' ? args : JSON.stringify(args);
  return executor.execute({ id: 'call_1', name, arguments: raw }, options.signal ?? new AbortController().signal);
}
