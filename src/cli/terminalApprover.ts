/**
 * Asks for approval on the terminal, AutoGPT-style:
 *   y      this step            y N   this and the next N-1 steps
 *   a      always for this kind of step in this run
 *   n …    no; any text after it goes to the model as feedback
 */
import * as readline from 'node:readline/promises';
import type { ApprovalAnswer, ApprovalRequest, Approver } from '../core/agent/events';
import { describeBudgetStop, type BudgetApprover } from '../core/agent/taskBudget';

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

export function describeRequest(request: ApprovalRequest, color: boolean): string {
  const lines = [`\n${bold(`? ${request.title}`, color)}`];
  if (request.protectedPaths?.length) {
    lines.push(`  Protected path: ${request.protectedPaths.join(', ')} (always asked, even with --approve all)`);
  }
  if (request.detail && request.detail !== request.title && request.risk === 'edit') {
    lines.push(request.detail.split('\n').map((l) => colorDiffLine(l, color)).join('\n'));
  } else if (request.detail && request.risk === 'execute') {
    lines.push(`  $ ${request.detail}`);
  }
  return lines.join('\n');
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

export function terminalApprover(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, color: boolean): Approver {
  return async (request: ApprovalRequest, signal: AbortSignal) => {
    output.write(`${describeRequest(request, color)}\n`);
    const rl = readline.createInterface({ input, output, terminal: false });
    // Ctrl+D (end of input) at the prompt is a "no": never leave the question hanging.
    const closed = new Promise<string>((resolve) => rl.once('close', () => resolve('n')));
    try {
      for (;;) {
        const kind = request.risk === 'edit' ? 'edits' : request.risk === 'execute' ? 'commands' : 'reads';
        const line = await Promise.race([
          rl.question(`Allow? y = yes, y N = this and the next N-1, a = always allow ${kind}, n [feedback] = no: `, { signal }),
          closed,
        ]);
        const answer = parseAnswer(line);
        if (answer) return answer;
        output.write('Please answer y, y N, a, or n (optionally followed by feedback for the model).\n');
      }
    } finally {
      rl.close();
    }
  };
}

/** At the task budget: continue for another budget's worth (y), or stop (anything else, Ctrl+D). */
export function terminalBudgetApprover(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): BudgetApprover {
  return async (status, signal) => {
    output.write(`\n${describeBudgetStop(status)}\n`);
    const rl = readline.createInterface({ input, output, terminal: false });
    const closed = new Promise<string>((resolve) => rl.once('close', () => resolve('n')));
    try {
      const line = await Promise.race([rl.question('Continue for another budget\'s worth? y = yes, n = stop here: ', { signal }), closed]);
      return /^(y|yes)$/i.test(line.trim());
    } finally {
      rl.close();
    }
  };
}
