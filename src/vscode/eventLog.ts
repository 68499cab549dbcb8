/** Writes agent events to the Stepwise log (a LogOutputChannel): the plan and every step, in order. */
import type * as vscode from 'vscode';
import type { AgentEvent } from '../core/agent/events';
import { describeCompaction } from '../core/agent/compaction';

function firstLines(text: string, count = 3): string {
  const lines = text.split('\n');
  return lines.slice(0, count).join('\n') + (lines.length > count ? ` … (+${lines.length - count} lines)` : '');
}

export function logEvent(log: vscode.LogOutputChannel, event: AgentEvent): void {
  switch (event.type) {
    case 'step':
      log.info(`— step ${event.step} of at most ${event.maxSteps}`);
      break;
    case 'plan':
      log.info(`Plan:\n${event.steps.map((s) => `  [${s.status === 'done' ? 'x' : s.status === 'in_progress' ? '~' : ' '}] ${s.title}`).join('\n')}`);
      break;
    case 'message':
      log.info(`Model: ${event.text.trim()}`);
      break;
    case 'tool_call':
      log.info(`→ ${event.name} ${typeof event.args === 'string' ? event.args : JSON.stringify(event.args)}`.slice(0, 2000));
      break;
    case 'approval':
      log.info(`  ${event.decision} (${event.by})${event.feedback ? `: ${event.feedback}` : ''}`);
      break;
    case 'tool_result':
      (event.ok ? log.info : log.warn).call(log, `  ${event.ok ? '✓' : '✗'} ${firstLines(event.output)}`);
      break;
    case 'retry':
      log.warn(`Model request failed, retrying in ${Math.round(event.delayMs / 1000)} s (attempt ${event.attempt}): ${event.reason}`);
      break;
    case 'usage':
      log.debug(`tokens: ${event.totalPromptTokens} in, ${event.totalCompletionTokens} out`);
      break;
    case 'error':
      log.error(event.message);
      break;
    case 'done':
      log.info(`Task ${event.status}: ${event.summary}`);
      break;
    case 'checkpoint':
      log.debug(`checkpoint before step ${event.step} (${event.tool})${event.skipped?.length ? `, not covering ${event.skipped.length} path(s)` : ''}`);
      break;
    case 'context':
      if (event.instructions.length) log.info(`Instructions: ${event.instructions.join(', ')}`);
      if (event.attachments.length) log.info(`Attached: ${event.attachments.join(', ')}`);
      for (const s of event.skipped) log.warn(`${s.path}: ${s.reason}`);
      break;
    case 'compaction':
      log.info(describeCompaction(event));
      break;
    case 'message_delta':
    case 'tool_output':
      break;
  }
}
