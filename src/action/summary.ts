/**
 * The job summary (Markdown for $GITHUB_STEP_SUMMARY): how the run ended, the plan, each step,
 * the files changed, tokens and cost. Everything the model or a tool wrote is escaped to plain
 * text: a prompt-injected model must not be able to place an image whose address carries what it
 * read (the page would fetch it), a link dressed as something else, or HTML.
 */
import * as l10n from '@vscode/l10n';
import type { DoneStatus } from '../core/agent/events';
import type { RunReport, StepRecord } from './report';
import { usageLine } from '../cli/render';

/** At most this many steps are listed (a summary may hold 1 MiB; the table says how many more there were). */
const MAX_STEPS = 200;

/**
 * Text as Markdown shows it, literally: cut to `max`, every ASCII punctuation mark
 * backslash-escaped, its lines kept (not their indent). (Escaping only the marks that start an image, a link or HTML
 * would keep the model's emphasis, but code spans show escapes as written, and telling where
 * CommonMark sees a code span is a parser's job — a wrong guess would let an image through.)
 */
export function plainText(text: string, max = 4000): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  // Leading blanks go too: four of them would make a code block, which shows the escapes.
  return cut
    .replace(/[!-/:-@[-`{-~]/g, '\\$&')
    .replace(/^[ \t]+/gm, '')
    .replace(/\r?\n/g, '  \n');
}

/** A table cell: one line, escaped, short. */
function cell(text: string, max = 120): string {
  const line = text.split('\n').find((l) => l.trim()) ?? '';
  return plainText(line.trim(), max);
}

function heading(status: DoneStatus | undefined): string {
  switch (status) {
    case 'finished':
      return l10n.t('✅ Stepwise finished');
    case 'max_steps':
      return l10n.t('⚠️ Stepwise stopped at the step limit');
    case 'cancelled':
      return l10n.t('⏹️ Stepwise was cancelled');
    default:
      return l10n.t('❌ Stepwise failed');
  }
}

function outcome(step: StepRecord): string {
  switch (step.outcome) {
    case 'ok':
      return '✓';
    case 'failed':
      return `✗ ${cell(step.note)}`;
    case 'denied':
      return step.note ? l10n.t('denied: {0}', cell(step.note)) : l10n.t('denied');
    default:
      return l10n.t('not finished');
  }
}

export function jobSummary(goal: string, report: RunReport, changed: readonly string[], failure?: string): string {
  const lines = [`## ${heading(report.end?.status)}`, '', `> ${plainText(goal, 1000).replace(/\n/g, '\n> ')}`, ''];
  if (failure) lines.push(`**${l10n.t('Error:')}** ${plainText(failure)}`, '');
  if (report.end?.summary) lines.push(plainText(report.end.summary), '');
  if (report.plan.length) {
    lines.push(`### ${l10n.t('Plan')}`, '');
    for (const step of report.plan)
      lines.push(`- [${step.status === 'done' ? 'x' : ' '}] ${cell(step.title, 300)}${step.status === 'in_progress' ? ` ${l10n.t('(in progress)')}` : ''}`);
    lines.push('');
  }
  if (report.steps.length) {
    lines.push(`### ${l10n.t('Steps')}`, '', `| # | ${l10n.t('Tool')} | ${l10n.t('On')} | ${l10n.t('Result')} |`, '|---:|---|---|---|');
    report.steps.slice(0, MAX_STEPS).forEach((step, i) => lines.push(`| ${i + 1} | ${cell(step.tool, 80)} | ${cell(step.target)} | ${outcome(step)} |`));
    if (report.steps.length > MAX_STEPS) lines.push(`| | ${l10n.t('{0} more steps', report.steps.length - MAX_STEPS)} | | |`);
    lines.push('');
  }
  lines.push(`### ${l10n.t('Files changed')}`, '');
  if (changed.length) for (const file of changed.slice(0, 500)) lines.push(`- ${plainText(file, 300)}`);
  else lines.push(l10n.t('None.'));
  if (changed.length > 500) lines.push(`- ${l10n.t('{0} more', changed.length - 500)}`);
  lines.push('');
  if (report.end?.usage) lines.push(`**${l10n.t('Tokens:')}** ${usageLine(report.end.usage)}`, '');
  return `${lines.join('\n')}\n`;
}
