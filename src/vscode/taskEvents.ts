/**
 * Turns agent events into the sidebar's task events (what the panel renders and history keeps),
 * bounded: a long output or message is shortened here (viewBounds.ts), the full text stays with
 * the extension.
 */
import * as l10n from '@vscode/l10n';
import { mainArgument } from '../core/text/summaries';
import type { AgentEvent } from '../core/agent/events';
import { describeCompaction } from '../core/agent/compaction';
import type { TaskEvent } from '../protocol/messages';
import { shorten, VIEW_MESSAGE_CHARS, VIEW_OUTPUT_CHARS } from '../protocol/viewBounds';

export function summarizeArgs(name: string, args: unknown): string {
  const steps = name === 'update_plan' && args && typeof args === 'object' ? (args as { steps?: unknown }).steps : undefined;
  if (Array.isArray(steps)) return l10n.t('{0} steps', steps.length);
  return mainArgument(args, 200);
}

export function toTaskEvents(event: AgentEvent): TaskEvent[] {
  switch (event.type) {
    case 'step':
    case 'message_delta':
    case 'tool_output':
      return [event];
    case 'message':
      return [{ type: 'message', text: shorten(event.text, VIEW_MESSAGE_CHARS) }];
    case 'tool_result':
      return [
        { type: 'tool_result', id: event.id, ok: event.ok, output: shorten(event.output, VIEW_OUTPUT_CHARS, l10n.t('; Open full output shows all of it')) },
      ];
    case 'plan':
      return [{ type: 'plan', steps: event.steps.map((s) => ({ title: s.title.slice(0, 500), status: s.status })) }];
    case 'tool_call':
      return [{ type: 'tool_call', id: event.id, name: event.name, summary: summarizeArgs(event.name, event.args) }];
    case 'approval':
      return event.decision === 'denied' ? [{ type: 'denied', id: event.id, ...(event.feedback ? { feedback: event.feedback } : {}) }] : [];
    case 'usage':
      return [
        {
          type: 'usage',
          totalPromptTokens: event.totalPromptTokens,
          totalCompletionTokens: event.totalCompletionTokens,
          ...(event.costUsd !== undefined ? { costUsd: event.costUsd } : {}),
        },
      ];
    case 'retry':
      return [{ type: 'retry', reason: event.reason }];
    case 'error':
      return [{ type: 'notice', text: event.message, tone: 'error' }];
    case 'done':
      return [{ type: 'done', status: event.status, summary: event.summary }];
    case 'checkpoint':
      return [{ type: 'checkpoint', id: event.id, step: event.step, task: event.task }];
    case 'context':
      return contextNotices(event);
    case 'compaction':
      return [{ type: 'compaction', text: describeCompaction(event), summary: shorten(event.summary, VIEW_MESSAGE_CHARS) }];
  }
}

/** "Instructions: AGENTS.md, pkg/AGENTS.md", "Attached: …", and what was not read, as notices in the task view. */
function contextNotices(event: Extract<AgentEvent, { type: 'context' }>): TaskEvent[] {
  const notices: TaskEvent[] = [];
  if (event.instructions.length)
    notices.push({ type: 'notice', text: shorten(l10n.t('Instructions: {0}', event.instructions.join(', ')), 2000), tone: 'info' });
  if (event.attachments.length) notices.push({ type: 'notice', text: shorten(l10n.t('Attached: {0}', event.attachments.join(', ')), 2000), tone: 'info' });
  for (const s of event.skipped.slice(0, 20)) notices.push({ type: 'notice', text: shorten(`${s.path}: ${s.reason}`, 500), tone: 'warning' });
  return notices;
}
