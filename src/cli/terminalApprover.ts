/**
 * Asks for approval on the terminal, AutoGPT-style:
 *   y      this step            y N   this and the next N-1 steps
 *   a      always for this kind of step in this run
 *   r      allow this command (its parts not yet allowed) as a rule for the rest of the run
 *   n …    no; any text after it goes to the model as feedback
 * Only a line typed after the question was printed answers it (terminalInput.ts).
 */
import * as l10n from '@vscode/l10n';
import type { ApprovalAnswer, ApprovalRequest, Approver } from '../core/agent/events';
import type { McpToolRef } from '../core/contracts';
import { describeBudgetStop, type BudgetApprover } from '../core/agent/taskBudget';
import { escapeControls } from '../core/text/controlChars';
import type { CommandCheck } from '../core/commands/types';
import type { TerminalInput } from './terminalInput';

export function parseAnswer(input: string): ApprovalAnswer | undefined {
  const text = input.trim();
  if (/^(y|yes)$/i.test(text)) return { decision: 'approve' };
  const next = /^y(?:es)?\s+(\d+)$/i.exec(text);
  if (next) return Number(next[1]) >= 1 ? { decision: 'approve_next', count: Number(next[1]) } : undefined;
  if (/^(a|always)$/i.test(text)) return { decision: 'always' };
  const no = /^(n|no)\b[\s:,-]*(.*)$/is.exec(text);
  if (no) {
    const feedback = (no[2] ?? '').trim();
    return feedback ? { decision: 'deny', feedback } : { decision: 'deny' };
  }
  return undefined;
}

/**
 * The question as the terminal shows it. Everything in it may come from the model or the
 * repository, so control characters are shown as escapes and a command of several lines as
 * several `$` lines: what is shown is what runs.
 */
/** Which server's tool a step runs; its read-only claim is the server's word, said so. */
function mcpLine(tool: McpToolRef): string {
  const claim = tool.readOnlyHint ? ` ${l10n.t('The server says this tool only reads; Stepwise cannot check that.')}` : '';
  return `  ${l10n.t('MCP server {0}, tool {1}: an external program.', escapeControls(tool.server), escapeControls(tool.tool))}${claim}`;
}

export function describeRequest(request: ApprovalRequest, color: boolean): string {
  const title = escapeControls(request.title).split('\n');
  const lines = [`\n${bold(`? ${title[0] ?? ''}`, color)}`, ...title.slice(1).map((l) => `  ${l}`)];
  if (request.protectedPaths?.length) {
    const paths = escapeControls(request.protectedPaths.join(', '));
    lines.push(
      request.risk === 'read'
        ? l10n.t('  Protected path: {0} (listed in .stepwiseignore, always asked, even with --approve all)', paths)
        : l10n.t('  Protected path: {0} (always asked, even with --approve all)', paths),
    );
  }
  if (request.mcpTool) lines.push(mcpLine(request.mcpTool));
  const detail = request.detail === undefined ? undefined : escapeControls(request.detail);
  if (detail && request.detail !== request.title && request.risk === 'edit') {
    lines.push(
      detail
        .split('\n')
        .map((l) => colorDiffLine(l, color))
        .join('\n'),
    );
  } else if (detail && request.tool === 'run_command') {
    lines.push(
      ...detail
        .replace(/\n$/, '')
        .split('\n')
        .map((l) => `  $ ${l}`),
    );
  } else if (detail && detail !== request.title) {
    lines.push(
      ...detail
        .replace(/\n$/, '')
        .split('\n')
        .map((l) => `  ${l}`),
    );
  }
  if (request.command) lines.push(...commandLines(request.command));
  return lines.join('\n');
}

/** Why a command is asked: each part that needs a look, and what is wrong with the whole. */
function commandLines(check: CommandCheck): string[] {
  const lines = check.problems.map((p) => l10n.t('  Asked because {0}.', escapeControls(p)));
  for (const part of check.parts) {
    const text = escapeControls(part.text.replace(/\s+/g, ' '));
    if (part.status === 'denied') lines.push(l10n.t('  ✗ {0} — denied by your rule {1}', text, escapeControls(part.rule ?? '')));
    else if (part.status === 'ask') lines.push(`  ? ${text} — ${escapeControls(part.reasons.join('; '))}`);
    else if (check.parts.length > 1) lines.push(l10n.t('  ✓ {0} — allowed ({1})', text, escapeControls(part.rule ?? '')));
  }
  return lines;
}

function bold(text: string, color: boolean): string {
  return color ? `\x1b[1m${text}\x1b[22m` : text;
}

function colorDiffLine(line: string, color: boolean): string {
  if (!color) return line;
  if (line.startsWith('+') && !line.startsWith('+++')) return `\x1b[32m${line}\x1b[39m`;
  if (line.startsWith('-') && !line.startsWith('---')) return `\x1b[31m${line}\x1b[39m`;
  if (line.startsWith('@@')) return `\x1b[36m${line}\x1b[39m`;
  return line;
}

export function terminalApprover(input: TerminalInput, output: NodeJS.WritableStream, color: boolean): Approver {
  return async (request: ApprovalRequest, signal: AbortSignal) => {
    output.write(`${describeRequest(request, color)}\n`);
    const always = request.host
      ? l10n.t('a = always allow {0} in this run', escapeControls(request.host))
      : request.mcpTool
        ? l10n.t('a = always allow this tool in this run')
        : request.risk === 'edit'
          ? l10n.t('a = always allow edits')
          : request.risk === 'execute'
            ? l10n.t('a = always allow commands')
            : l10n.t('a = always allow reads');
    const rules = request.command?.suggestions?.exact ?? [];
    const ruleHint = rules.length ? ` · ${l10n.t('r = allow {0} for this run', rules.map((r) => `\`${escapeControls(r)}\``).join(', '))}` : '';
    // "The next N" is never offered where it would approve only this call (a fetch, an MCP tool).
    const next = request.host || request.mcpTool ? l10n.t('y = yes') : l10n.t('y = yes · y N = this and the next N-1');
    output.write(`  ${next} · ${always}${ruleHint} · ${l10n.t('n [feedback] = no')}\n`);
    for (;;) {
      // The question ends with "Allow? " in English: scripts and checks wait for it (DESIGN.md).
      const line = await input.ask(output, l10n.t('Allow? '), signal);
      if (rules.length && /^(r|rule)$/i.test(line.trim())) return { decision: 'allow_rule', rules };
      const answer = parseAnswer(line);
      if (answer) return answer;
      output.write(
        `${rules.length ? l10n.t('Please answer y, y N, a, r, or n (optionally followed by feedback for the model).') : l10n.t('Please answer y, y N, a, or n (optionally followed by feedback for the model).')}\n`,
      );
    }
  };
}

/** At the task budget: continue for another budget's worth (y), or stop (anything else, Ctrl+D). */
export function terminalBudgetApprover(input: TerminalInput, output: NodeJS.WritableStream): BudgetApprover {
  return async (status, signal) => {
    output.write(`\n${describeBudgetStop(status)}\n`);
    const line = await input.ask(output, l10n.t("Continue for another budget's worth? y = yes, n = stop here: "), signal);
    return /^(y|yes)$/i.test(line.trim());
  };
}
