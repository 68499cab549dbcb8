/**
 * What the agent tells its UI (webview, terminal, JSON lines): the AgentEvent union, and the
 * approval request/answer that pass between the loop and whoever approves.
 */
import type { PlanStep } from '../contracts';

export type { ApprovalAnswer, ApprovalOutcome, ApprovalRequest, Approver, StepDescription } from '../contracts';

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
  | { type: 'done'; status: DoneStatus; summary: string; usage?: TaskUsage; task?: string }
  /** Instruction files and attachments the model was given (at the start, or an AGENTS.md found later), and what was not read. */
  | { type: 'context'; instructions: string[]; attachments: string[]; skipped: { path: string; reason: string }[] }
  /** Older turns were replaced by a summary (turns: 0 when the user asked and there was nothing to compact yet). */
  | {
      type: 'compaction';
      method: 'model' | 'mechanical';
      trigger: 'window' | 'user';
      turns: number;
      tokensBefore: number;
      tokensAfter: number;
      summary: string;
      /** Why the mechanical digest was used although the model's summary was asked for. */
      fallback?: string;
    };

/** Tokens the server reported for the whole task, and the estimated cost when known. */
export interface TaskUsage {
  promptTokens: number;
  completionTokens: number;
  costUsd?: number;
}

export type EventSink = (event: AgentEvent) => void;
