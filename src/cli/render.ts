/**
 * Shows agent events: as a readable stream of progress for people, or as JSON lines (the
 * contract in the README, "The command line": plan, message, tool_call, approval, tool_result, error, done).
 */
import * as l10n from '@vscode/l10n';
import { formatUsd, mainArgument } from '../core/text/summaries';
import type { PlanStep } from '../core/contracts';
import type { AgentEvent, EventSink } from '../core/agent/events';
import { describeCompaction } from '../core/agent/compaction';
import { escapeControls, escapeJsonControls } from '../core/text/controlChars';

const JSON_TYPES = new Set(['plan', 'message', 'tool_call', 'approval', 'tool_result', 'error', 'done', 'checkpoint', 'context', 'compaction']);

export function jsonRenderer(write: (line: string) => void): EventSink {
  return (event) => {
    if (!JSON_TYPES.has(event.type)) return;
    if (event.type === 'done' && event.usage) {
      // Usage in the server's own terms, for scripts that add up a CI run's tokens.
      const { usage, ...rest } = event;
      const json = {
        prompt_tokens: usage.promptTokens,
        completion_tokens: usage.completionTokens,
        ...(usage.costUsd !== undefined ? { cost_usd: usage.costUsd } : {}),
      };
      write(`${escapeJsonControls(JSON.stringify({ ...rest, usage: json }))}\n`);
      return;
    }
    write(`${escapeJsonControls(JSON.stringify(event))}\n`);
  };
}

/** "9,089 tokens in · 189 out · about $0.0012" (the cost only for a priced model). */
export function usageLine(usage: { promptTokens: number; completionTokens: number; costUsd?: number }): string {
  const inTokens = usage.promptTokens.toLocaleString('en-US');
  const outTokens = usage.completionTokens.toLocaleString('en-US');
  return usage.costUsd !== undefined
    ? l10n.t('{0} tokens in · {1} out · about {2}', inTokens, outTokens, formatUsd(usage.costUsd))
    : l10n.t('{0} tokens in · {1} out', inTokens, outTokens);
}

/** The first non-blank line, cut to `max`, with control characters made visible. */
function firstLine(text: string, max = 160): string {
  const line = text.split('\n').find((l) => l.trim()) ?? '';
  return escapeControls(line.length > max ? `${line.slice(0, max)}…` : line);
}

function summarizeArgs(args: unknown): string {
  return firstLine(mainArgument(args, 10_000), typeof args === 'string' ? 80 : 120);
}

type Paint = (text: string) => string;

interface Palette {
  dim: Paint;
  green: Paint;
  red: Paint;
}

/** The stream's three colours, or plain text when colour is off. */
function palette(color: boolean): Palette {
  return {
    dim: (t) => (color ? `\x1b[2m${t}\x1b[22m` : t),
    green: (t) => (color ? `\x1b[32m${t}\x1b[39m` : t),
    red: (t) => (color ? `\x1b[31m${t}\x1b[39m` : t),
  };
}

/** The plan as a checklist: [x] done, [~] in progress, [ ] still to do. */
function planText(steps: PlanStep[]): string {
  const mark = (s: PlanStep) => (s.status === 'done' ? 'x' : s.status === 'in_progress' ? '~' : ' ');
  return `${l10n.t('Plan:')}\n${steps.map((s) => `  [${mark(s)}] ${escapeControls(s.title).replace(/\n/g, ' ')}`).join('\n')}\n`;
}

/** How the task ended, what it used, and how to take its changes back (each its own write). */
function doneLines(event: Extract<AgentEvent, { type: 'done' }>, paint: Palette, firstCheckpoint?: { task: string; step: number }): string[] {
  const { dim, green, red } = paint;
  const lines = [
    event.status === 'finished'
      ? `${green(l10n.t('✔ Finished:'))} ${escapeControls(event.summary)}\n`
      : `${red(`✖ ${endedAs(event.status)}:`)} ${escapeControls(event.summary)}\n`,
  ];
  if (event.usage) lines.push(dim(`  ${usageLine(event.usage)}\n`));
  if (firstCheckpoint) {
    lines.push(dim(`  ${l10n.t("undo this task's changes: {0}", `stepwise restore --task ${firstCheckpoint.task} --step ${firstCheckpoint.step}`)}\n`));
  }
  return lines;
}

function endedAs(status: Extract<AgentEvent, { type: 'done' }>['status']): string {
  return status === 'failed'
    ? l10n.t('failed')
    : status === 'cancelled'
      ? l10n.t('cancelled')
      : status === 'max_steps'
        ? l10n.t('max steps')
        : l10n.t('finished');
}

/** What people see: everything from the model or a tool passes escapeControls (or firstLine) first. */
export function humanRenderer(out: NodeJS.WritableStream, err: NodeJS.WritableStream, color: boolean): EventSink {
  const paint = palette(color);
  const { dim } = paint;
  const faint = (text: string) => (text ? dim(text) : '');
  let midMessage = false;
  let firstCheckpoint: { task: string; step: number } | undefined;
  const endMessage = () => {
    if (midMessage) out.write('\n');
    midMessage = false;
  };
  return (event: AgentEvent) => {
    switch (event.type) {
      case 'message_delta':
        out.write(escapeControls(event.text));
        midMessage = true;
        break;
      case 'message':
        endMessage();
        break;
      case 'plan':
        endMessage();
        out.write(planText(event.steps));
        break;
      case 'tool_call':
        endMessage();
        if (event.name !== 'update_plan' && event.name !== 'finish') out.write(`▸ ${event.name} ${summarizeArgs(event.args)}\n`);
        break;
      case 'approval':
      case 'tool_result':
        out.write(toolLine(event, paint));
        break;
      case 'retry':
        endMessage();
        out.write(dim(`  ${l10n.t('(retrying in {0} s: {1})', Math.round(event.delayMs / 100) / 10, firstLine(event.reason))}\n`));
        break;
      case 'error':
        endMessage();
        err.write(`stepwise: ${escapeControls(event.message)}\n`);
        break;
      case 'done':
        endMessage();
        for (const line of doneLines(event, paint, firstCheckpoint)) out.write(line);
        break;
      case 'checkpoint':
        firstCheckpoint ??= { task: event.task, step: event.step };
        out.write(faint(notCheckpointed(event.skipped ?? [])));
        break;
      case 'context':
      case 'compaction':
        endMessage();
        out.write(faint(event.type === 'context' ? contextLines(event).join('') : `${escapeControls(describeCompaction(event))}\n`));
        break;
      case 'step':
      case 'usage':
      case 'tool_output':
        break;
    }
  };
}

/** "instructions: AGENTS.md, pkg/AGENTS.md", "attached: …", and each file not read with why. */
function contextLines(event: Extract<AgentEvent, { type: 'context' }>): string[] {
  const lines: string[] = [];
  if (event.instructions.length) lines.push(`${l10n.t('instructions: {0}', firstLine(event.instructions.join(', '), 300))}\n`);
  if (event.attachments.length) lines.push(`${l10n.t('attached: {0}', firstLine(event.attachments.join(', '), 300))}\n`);
  for (const s of event.skipped) lines.push(`  ${firstLine(s.path, 120)}: ${firstLine(s.reason)}\n`);
  return lines;
}

/** A denial, or a tool's result in one line (a plan update or finish says nothing). */
function toolLine(event: Extract<AgentEvent, { type: 'approval' | 'tool_result' }>, { dim, green, red }: Palette): string {
  if (event.type === 'approval') {
    if (event.decision !== 'denied') return '';
    return dim(`  ${event.feedback ? l10n.t('denied: {0}', escapeControls(event.feedback)) : l10n.t('denied')}\n`);
  }
  if (event.ok && /^(Plan updated|Done)\.$/.test(event.output)) return '';
  return `  ${event.ok ? green('✓') : red('✗')} ${dim(firstLine(event.output))}\n`;
}

function notCheckpointed(skipped: readonly { path: string; reason: string }[]): string {
  return skipped.map((note) => `  ${l10n.t('not in the checkpoint: {0} — {1}', firstLine(note.path, 120), firstLine(note.reason))}\n`).join('');
}
