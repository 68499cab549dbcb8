/**
 * What the agent tells its UI (webview, terminal, JSON lines): the AgentEvent union, and the
 * approval request/answer that pass between the loop and whoever approves.
 */
import type { RiskClass } from '../approval';
import type { CommandCheck } from '../commands/types';
import type { PlanStep } from '../tools/defineTool';

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

export type DoneStatus = 'finished' | 'failed' | 'cancelled' | 'max_steps';

export type AgentEvent =
  | { type: 'step'; step: number; maxSteps: number }
  | { type: 'message_delta'; text: string }
  | { type: 'message'; text: string }
  | { type: 'plan'; steps: PlanStep[] }
  | { type: 'tool_call'; id: string; name: string; args: unknown }
  | { type: 'tool_output'; id: string; chunk: string }
  | { type: 'approval'; id: string; decision: 'approved' | 'denied'; by: 'policy' | 'user'; feedback?: string }
  | { type: 'tool_result'; id: string; ok: boolean; output: string }
  | {
      type: 'usage';
      promptTokens: number;
      completionTokens: number;
      totalPromptTokens: number;
      totalCompletionTokens: number;
      /** The task's estimated cost so far, for a priced (hosted) model. */
      costUsd?: number;
    }
  | { type: 'retry'; attempt: number; delayMs: number; reason: string }
  | { type: 'error'; message: string }
  | {
      type: 'checkpoint';
      task: string;
      /** The task's tool-call number: `stepwise restore --step N` goes back to right before it. */
      step: number;
      id: string;
      tool: string;
      /** Paths this checkpoint does not cover (too large, a socket, a link out), and why. */
      skipped?: { path: string; reason: string }[];
    }
  | { type: 'done'; status: DoneStatus; summary: string; usage?: TaskUsage; task?: string };

/** Tokens the server reported for the whole task, and the estimated cost when known. */
export interface TaskUsage {
  promptTokens: number;
  completionTokens: number;
  costUsd?: number;
}

export type EventSink = (event: AgentEvent) => void;
