/**
 * What a run did, folded from the CLI's `--json` events (the contract in DESIGN.md): the last
 * plan, each tool call with how it ended, the end and its usage. The job summary and the action's
 * outputs are written from it.
 */
import type { PlanStep } from '../core/contracts';
import type { AgentEvent, DoneStatus, TaskUsage } from '../core/agent/events';
import { mainArgument } from '../core/text/summaries';

export interface StepRecord {
  tool: string;
  /** The path, command or query it worked on. */
  target: string;
  outcome: 'ok' | 'failed' | 'denied' | 'unfinished';
  /** The first line of its result, or why it was denied. */
  note: string;
}

export interface RunEnd {
  status: DoneStatus;
  summary: string;
  usage?: TaskUsage;
  task?: string;
}

/** Tools that write a file named by their `path`: what changed when there is no git to ask. */
const FILE_WRITERS = new Set(['edit_file', 'write_file']);

export class RunReport {
  plan: PlanStep[] = [];
  readonly steps: StepRecord[] = [];
  readonly errors: string[] = [];
  end?: RunEnd;
  private readonly byId = new Map<string, StepRecord>();
  private readonly written = new Set<string>();
  /** The path each file-writing call names, kept until its result says whether it was written. */
  private readonly pendingPaths = new Map<string, string>();

  /** Takes one JSON event line; returns it as the agent event it is (for the log), or undefined when it is not one. */
  add(line: string): AgentEvent | undefined {
    const event = parse(line);
    if (!event) return undefined;
    switch (event.type) {
      case 'plan':
        this.plan = event.steps;
        break;
      case 'tool_call':
        if (event.name === 'update_plan' || event.name === 'finish') break;
        this.track(event.id, { tool: event.name, target: mainArgument(event.args, 300), outcome: 'unfinished', note: '' }, event.args);
        break;
      case 'approval':
        if (event.decision === 'denied') this.settle(event.id, 'denied', event.feedback ?? '');
        break;
      case 'tool_result':
        this.settle(event.id, event.ok ? 'ok' : 'failed', event.output);
        break;
      case 'error':
        this.errors.push(event.message);
        break;
      case 'done':
        this.end = { status: event.status, summary: event.summary, usage: event.usage, task: event.task };
        break;
      case 'message':
      case 'checkpoint':
      case 'context':
      case 'compaction':
      case 'step':
      case 'message_delta':
      case 'tool_output':
      case 'usage':
      case 'retry':
        break;
    }
    return event;
  }

  /** Paths the agent's own edits wrote (relative to the workspace), in the order first written. */
  writtenPaths(): string[] {
    return [...this.written];
  }

  private track(id: string, record: StepRecord, args: unknown): void {
    this.steps.push(record);
    this.byId.set(id, record);
    const path = (args as { path?: unknown } | null)?.path;
    if (FILE_WRITERS.has(record.tool) && typeof path === 'string') this.pendingPaths.set(id, path);
  }

  private settle(id: string, outcome: StepRecord['outcome'], note: string): void {
    const record = this.byId.get(id);
    // A denial's result is the reason the model was given: the note, when the denial had none.
    if (record?.outcome === 'denied' && !record.note) record.note = note;
    if (!record || record.outcome !== 'unfinished') return;
    record.outcome = outcome;
    record.note = note;
    const path = this.pendingPaths.get(id);
    if (outcome === 'ok' && path !== undefined) this.written.add(path.replace(/^\.\//, ''));
  }
}

/**
 * One line of `--json` output as an agent event. `done` carries usage in the server's terms
 * (prompt_tokens, …) on the wire; it is turned back into the agent's.
 */
function parse(line: string): AgentEvent | undefined {
  let value: any;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object' || typeof value.type !== 'string') return undefined;
  if (value.type === 'done' && value.usage && typeof value.usage === 'object') {
    const u = value.usage;
    value = {
      ...value,
      usage: {
        promptTokens: Number(u.prompt_tokens) || 0,
        completionTokens: Number(u.completion_tokens) || 0,
        ...(typeof u.cost_usd === 'number' ? { costUsd: u.cost_usd } : {}),
      },
    };
  }
  return value as AgentEvent;
}
