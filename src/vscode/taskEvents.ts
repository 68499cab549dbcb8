/** Turns agent events into the sidebar's task events (what the panel renders and history keeps). */
import type { AgentEvent } from '../core/agent/events';
import type { TaskEvent } from '../protocol/messages';

export function summarizeArgs(name: string, args: unknown): string {
  if (typeof args === 'string') return args.slice(0, 200);
  if (!args || typeof args !== 'object') return '';
  const a = args as Record<string, unknown>;
  if (name === 'update_plan' && Array.isArray(a.steps)) return `${a.steps.length} steps`;
  const main = a.path ?? a.command ?? a.query ?? a.name ?? a.summary;
  return typeof main === 'string' ? main.slice(0, 200) : '';
}

export function toTaskEvents(event: AgentEvent): TaskEvent[] {
  switch (event.type) {
    case 'step':
    case 'message_delta':
    case 'message':
    case 'tool_output':
    case 'tool_result':
      return [event];
    case 'plan':
      return [{ type: 'plan', steps: event.steps.map((s) => ({ title: s.title.slice(0, 500), status: s.status })) }];
    case 'tool_call':
      return [{ type: 'tool_call', id: event.id, name: event.name, summary: summarizeArgs(event.name, event.args) }];
    case 'approval':
      return event.decision === 'denied' ? [{ type: 'denied', id: event.id, ...(event.feedback ? { feedback: event.feedback } : {}) }] : [];
    case 'usage':
      return [{ type: 'usage', totalPromptTokens: event.totalPromptTokens, totalCompletionTokens: event.totalCompletionTokens, ...(event.costUsd !== undefined ? { costUsd: event.costUsd } : {}) }];
    case 'retry':
      return [{ type: 'retry', reason: event.reason }];
    case 'error':
      return [{ type: 'notice', text: event.message, tone: 'error' }];
    case 'done':
      return [{ type: 'done', status: event.status, summary: event.summary }];
  }
}
