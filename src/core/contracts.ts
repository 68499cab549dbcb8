/**
 * The types every layer of the core shares and none owns: what a tool is described as to the
 * model, a plan step, what an approval asks and answers, and a plan review. The loop (agent/),
 * the tools (tools/) and the model clients (model/) import them from here, so none of those
 * layers imports another to know them (see docs/architecture.md).
 */
import type { RiskClass } from './approval';
import type { CommandCheck } from './commands/types';

/** A tool as the model sees it: its name, what it does and its arguments' JSON Schema. */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface PlanStep {
  title: string;
  status: 'pending' | 'in_progress' | 'done';
}

export interface ApprovalRequest {
  /** Correlates the request with its tool call. */
  toolCallId: string;
  tool: string;
  risk: Exclude<RiskClass, 'none'>;
  /** One line: "Edit src/app.ts", "Run: npm test". */
  title: string;
  /** The exact change or command: a unified diff, the full command line. */
  detail?: string;
  /** Workspace-relative paths the step touches. */
  paths: string[];
  /** For an edit: the whole proposed file, so a UI can open a diff editor on it. */
  proposedContent?: string;
  /** For an edit: the text the proposal was made on ('' for a new file), so a UI can tell it is stale. */
  originalContent?: string;
  /** Set by the gate: the step touches a protected path, so it was asked whatever the policy. */
  protectedPaths?: string[];
  /** For a command or task: its parts, which ones need approval and why, and the rules on offer. */
  command?: CommandCheck;
  /** For a web fetch: the host. A yes allows that host for the rest of the task, never a whole kind of step. */
  host?: string;
  /** For an MCP tool: its server and name. "Always" allows that tool for the task, never a whole kind of step. */
  mcpTool?: McpToolRef;
}

export interface McpToolRef {
  server: string;
  tool: string;
  /** The server's claim that the tool only reads: shown, never trusted. */
  readOnlyHint?: boolean;
  /** The server comes from the workspace's own file: the user's allow list (named by server) never covers it. */
  fromWorkspace?: boolean;
}

/** What a tool describes before a change; the loop adds the call id and the protected paths. */
export type StepDescription = Omit<ApprovalRequest, 'toolCallId' | 'protectedPaths'>;

/** What an approver answers (AutoGPT-style: this one, the next N, always for this kind, or no). */
export type ApprovalAnswer =
  | {
      decision: 'approve';
      /** For an edit reviewed piece by piece: the file as the user accepted it (part of the proposal). */
      revisedContent?: string;
    }
  | { decision: 'approve_next'; count: number }
  | { decision: 'always' }
  /** Approve, and allow these command rules from now on (the surface saves them where it can). */
  | { decision: 'allow_rule'; rules: string[] }
  | { decision: 'deny'; feedback?: string };

export type Approver = (request: ApprovalRequest, signal: AbortSignal) => Promise<ApprovalAnswer>;

/** What a tool learns: go ahead, or why not. */
export type ApprovalOutcome =
  | { approved: true; by: 'policy' | 'user'; revisedContent?: string }
  | { approved: false; reason: string; feedback?: string; by?: 'policy' };

export type PlanDecision = { decision: 'approve'; steps?: PlanStep[] } | { decision: 'feedback'; feedback: string };

export type PlanApprover = (steps: PlanStep[], signal: AbortSignal) => Promise<PlanDecision>;

export type PlanReview = { approved: true; steps: PlanStep[]; edited: boolean } | { approved: false; feedback: string };

/**
 * What a tool asks of the loop itself rather than of the workspace: the plan the user sees
 * (update_plan) and the end of the task (finish). The loop applies them after the call's result.
 */
export type LoopEffect = { kind: 'plan'; steps: PlanStep[] } | { kind: 'finish'; summary: string };
